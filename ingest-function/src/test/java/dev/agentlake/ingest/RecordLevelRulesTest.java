package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.testing.LakeSql;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rules that apply per record: a record with no time at all is rejected through OTLP
 * {@code partial_success} while the rest of its request is stored; summaries (which no SDK at hand
 * exports) are stored with their quantiles; Codex's SSE events are filtered.
 */
class RecordLevelRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_795_373_829_000_000_000L;
    private static final Resource CODEX = Resource.newBuilder().addAttributes(KeyValue.newBuilder()
            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("codex_exec"))).build();
    @RegisterExtension
    static final RunningIngest ingest = RunningIngest.perClass().emptiedBeforeEachTest();

    @Test
    void givenThreeLogRecordsOneWithNoTimeAtAllWhenPostedAsJsonThenTwoAreStoredAndOneIsReportedRejected()
            throws Exception {
        // Codex style: timeUnixNano "0" with the observed time; one with only event.timestamp; one with nothing.
        String body = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"codex_exec\"}}]},\"scopeLogs\":[{\"logRecords\":["
                + "{\"timeUnixNano\":\"0\",\"observedTimeUnixNano\":\"1795373885227204698\",\"body\":null,"
                + "\"attributes\":[{\"key\":\"event.name\",\"value\":{\"stringValue\":\"codex.api_request\"}}]},"
                + "{\"attributes\":[{\"key\":\"event.name\",\"value\":{\"stringValue\":\"codex.user_prompt\"}},"
                + "{\"key\":\"event.timestamp\",\"value\":{\"stringValue\":\"2026-11-22T18:58:05.100Z\"}}]},"
                + "{\"timeUnixNano\":\"0\",\"traceId\":\"\",\"attributes\":[{\"key\":\"event.name\",\"value\":"
                + "{\"stringValue\":\"codex.turn_ttft\"}}]}]}]}]}";

        HttpResponse<byte[]> response = ingest.post("/v1/logs", "application/json", null, body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"partialSuccess\":{\"rejectedLogRecords\":"
                + "\"1\",\"errorMessage\":\"1 log record(s) had no time (timeUnixNano, observedTimeUnixNano and"
                + " event.timestamp all missing) and were not stored\"}}"));
        List<Map<String, Object>> rows = LakeSql.query(ingest.s3.store(), "landing/logs/",
                "select event_name, epoch_ns(timestamp) as ts, body from t order by ts");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("event_name", "codex.user_prompt").containsEntry("ts", 1_795_373_885_100_000_000L);
        assertThat(rows.get(1)).containsEntry("event_name", "codex.api_request")
                .containsEntry("ts", 1_795_373_885_227_204_000L).containsEntry("body", null);
    }

    @Test
    void givenTwoSpansOneWithNoTimesWhenPostedAsProtobufThenOneIsStoredAndOneIsReportedRejected() throws Exception {
        var request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(CODEX)
                .addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(span("handle_responses", T, T + 69_303_301L))
                        .addSpans(span("timeless", 0, 0)))).build();

        HttpResponse<byte[]> response = ingest.post("/v1/traces", "application/x-protobuf", null, request.toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        var partial = ExportTraceServiceResponse.parseFrom(response.body()).getPartialSuccess();
        assertThat(partial.getRejectedSpans()).isEqualTo(1);
        assertThat(partial.getErrorMessage()).isEqualTo("1 span(s) had no time (startTimeUnixNano and endTimeUnixNano"
                + " both missing) and were not stored");
        List<Map<String, Object>> rows = LakeSql.query(ingest.s3.store(), "landing/spans/",
                "select span_name, duration_ms, tool from t");
        assertThat(rows).singleElement().satisfies(r -> assertThat(r).containsEntry("span_name", "handle_responses")
                .containsEntry("duration_ms", 69.303301).containsEntry("tool", "codex"));
    }

    @Test
    void givenOnlyRecordsWithoutTimeWhenPostedThenNothingIsStoredAndAllAreReportedRejected() throws Exception {
        var request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(CODEX)
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span("a", 0, 0)).addSpans(span("b", 0, 0)))).build();

        HttpResponse<byte[]> response = ingest.post("/v1/traces", "application/x-protobuf", null, request.toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(response.body()).getPartialSuccess().getRejectedSpans()).isEqualTo(2);
        assertThat(ingest.s3.keys()).isEmpty();
    }

    @Test
    void givenAGaugeWithAPointWithoutTimeAndASummaryWhenPostedThenTheTimedPointsAreStoredWithQuantiles()
            throws Exception {
        var request = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(CODEX).addScopeMetrics(ScopeMetrics.newBuilder()
                        .addMetrics(Metric.newBuilder().setName("codex.load").setGauge(Gauge.newBuilder()
                                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(3))
                                .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(4.5))))
                        .addMetrics(Metric.newBuilder().setName("codex.latency").setUnit("ms").setSummary(Summary.newBuilder()
                                .addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(T).setStartTimeUnixNano(T - 60_000_000_000L)
                                        .setCount(10).setSum(1234.5)
                                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(100))
                                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(480.25))))))
                ).build();

        HttpResponse<byte[]> response = ingest.post("/v1/metrics", "application/x-protobuf", null, request.toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        var partial = ExportMetricsServiceResponse.parseFrom(response.body()).getPartialSuccess();
        assertThat(partial.getRejectedDataPoints()).isEqualTo(1);
        assertThat(partial.getErrorMessage()).isEqualTo("1 data point(s) had no time (timeUnixNano missing) and were not stored");
        List<Map<String, Object>> rows = LakeSql.query(ingest.s3.store(), "landing/metrics/",
                "select metric_name, metric_type, temporality, value, count, sum, quantiles, unit,"
                        + " epoch_ns(start_timestamp) as start_ns from t order by metric_name");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("metric_name", "codex.latency").containsEntry("metric_type", "summary")
                .containsEntry("temporality", "unspecified").containsEntry("value", null).containsEntry("count", 10L)
                .containsEntry("sum", 1234.5).containsEntry("unit", "ms").containsEntry("start_ns", T - 60_000_000_000L)
                .containsEntry("quantiles", "[{\"quantile\":0.5,\"value\":100.0},{\"quantile\":0.99,\"value\":480.25}]");
        assertThat(rows.get(1)).containsEntry("metric_name", "codex.load").containsEntry("metric_type", "gauge")
                .containsEntry("value", 3.0).containsEntry("count", null).containsEntry("start_ns", null);
    }

    @Test
    void givenTheCodexLogsCaptureThenOnlyTheTwoCompletedResponsesWithTokensAreKeptOfItsTwentyTwoSseEvents()
            throws Exception {
        CapturedRequest logs = CapturedRequest.load("codex-binary", "0004-codex-logs");

        assertThat(logs.sendTo(ingest).statusCode()).isEqualTo(200);

        List<Map<String, Object>> rows = LakeSql.query(ingest.s3.store(), "landing/logs/",
                "select count(*) as n, count(*) filter (where event_name = 'codex.sse_event') as sse,"
                        + " count(*) filter (where event_name = 'codex.sse_event' and input_tokens is not null"
                        + " and log_attributes->>'event.kind' = 'response.completed') as completed_with_tokens from t");
        assertThat(rows.get(0)).containsEntry("n", 12L).containsEntry("sse", 2L).containsEntry("completed_with_tokens", 2L);
    }

    @Test
    void givenKeepCodexSseEventsWhenTheCodexLogsCaptureIsPostedThenAllThirtyTwoRecordsAreKept() throws Exception {
        try (RunningIngest keeping = RunningIngest.start(Map.of("agentlake.ingest.keep-codex-sse-events", true))) {
            assertThat(CapturedRequest.load("codex-binary", "0004-codex-logs").sendTo(keeping).statusCode()).isEqualTo(200);

            List<Map<String, Object>> rows = LakeSql.query(keeping.s3.store(), "landing/logs/",
                    "select count(*) as n, count(*) filter (where event_name = 'codex.sse_event') as sse,"
                            + " sum(input_tokens) as input from t");
            assertThat(rows.get(0)).containsEntry("n", 32L).containsEntry("sse", 22L);
            assertThat(((Number) rows.get(0).get("input")).longValue()).as("the kept duplicates have no tokens")
                    .isEqualTo(4400L);
        }
    }

    /**
     * OTLP times are unsigned 64-bit; one past 2^63 ns (the year 2262, here 2^64 - 1, which protobuf-java
     * reads as -1 and OTLP/JSON sends as "18446744073709551615") is no time at all: found by Jazzer, it
     * used to fail the whole request with a 500.
     */
    @Test
    void givenTimesPastTheYear2262WhenPostedThenTheyCountAsMissingAndTheRequestIsAnsweredNot500() throws Exception {
        long beyond = -1L; // 2^64 - 1 as an unsigned fixed64
        var spans = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(CODEX)
                .addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(span("ends-only", beyond, T))
                        .addSpans(span("never", beyond, beyond)))).build();
        var metrics = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(CODEX).addScopeMetrics(ScopeMetrics.newBuilder()
                        .addMetrics(Metric.newBuilder().setName("codex.load").setGauge(Gauge.newBuilder()
                                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setStartTimeUnixNano(beyond).setAsInt(3))
                                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(beyond).setAsInt(4)))))).build();
        String logs = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"codex_exec\"}}]},\"scopeLogs\":[{\"logRecords\":["
                + "{\"timeUnixNano\":\"18446744073709551615\",\"observedTimeUnixNano\":\"1795373885227204698\","
                + "\"attributes\":[{\"key\":\"event.name\",\"value\":{\"stringValue\":\"codex.api_request\"}}]},"
                + "{\"timeUnixNano\":\"18446744073709551615\",\"observedTimeUnixNano\":\"18446744073709551615\"}]}]}]}";

        HttpResponse<byte[]> spansAnswer = ingest.post("/v1/traces", "application/x-protobuf", null, spans.toByteArray());
        HttpResponse<byte[]> metricsAnswer = ingest.post("/v1/metrics", "application/x-protobuf", null, metrics.toByteArray());
        HttpResponse<byte[]> logsAnswer = ingest.post("/v1/logs", "application/json", null, logs.getBytes(StandardCharsets.UTF_8));

        assertThat(spansAnswer.statusCode()).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(spansAnswer.body()).getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(LakeSql.query(ingest.s3.store(), "landing/spans/",
                "select span_name, epoch_ns(timestamp) as ts, duration_ms from t")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("span_name", "ends-only").containsEntry("ts", T)
                        .containsEntry("duration_ms", null));
        assertThat(metricsAnswer.statusCode()).isEqualTo(200);
        assertThat(ExportMetricsServiceResponse.parseFrom(metricsAnswer.body()).getPartialSuccess().getRejectedDataPoints())
                .isEqualTo(1);
        assertThat(LakeSql.query(ingest.s3.store(), "landing/metrics/",
                "select value, epoch_ns(timestamp) as ts, epoch_ns(start_timestamp) as start_ns from t")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("value", 3.0).containsEntry("ts", T).containsEntry("start_ns", null));
        assertThat(logsAnswer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(logsAnswer.body()).at("/partialSuccess/rejectedLogRecords").asText()).isEqualTo("1");
        assertThat(LakeSql.query(ingest.s3.store(), "landing/logs/", "select event_name, epoch_ns(timestamp) as ts from t"))
                .singleElement().satisfies(r -> assertThat(r).containsEntry("event_name", "codex.api_request")
                        .containsEntry("ts", 1_795_373_885_227_204_000L));
    }

    private static Span span(String name, long start, long end) {
        return Span.newBuilder().setName(name).setStartTimeUnixNano(start).setEndTimeUnixNano(end)
                .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
                .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) name.length()}))
                .build();
    }
}
