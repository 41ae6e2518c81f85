package dev.agentlake.ingest;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.ingest.SdkExporters.Protocol;
import dev.agentlake.lake.testing.LakeSql;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OpenTelemetry Java SDK's exporters (logs, traces, metrics; http/protobuf and http/json; gzip
 * on) against the ingest endpoint: every value they send arrives in its column.
 */
class SdkExportersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    private static final long T_NANOS = T.getEpochSecond() * 1_000_000_000L;
    private static final Resource RESOURCE = Resource.create(Attributes.of(stringKey("service.name"), "claude-code",
            stringKey("service.version"), "2.1.330", stringKey("host.name"), "laptop", stringKey("project"), "demo"));
    @RegisterExtension
    static final RunningIngest ingest = RunningIngest.perClass().emptiedBeforeEachTest();

    @ParameterizedTest(name = "given log records from the SDK exporter ({0}, gzip) then they are stored with their columns")
    @EnumSource(Protocol.class)
    void givenLogRecordsFromTheSdkExporterThenTheyAreStoredWithTheirColumns(Protocol protocol) {
        var provider = SdkLoggerProvider.builder().setResource(RESOURCE)
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(SdkExporters.logs(ingest.url(""), protocol, null)))
                .build();
        provider.get("com.anthropic.claude_code.events").logRecordBuilder()
                .setTimestamp(T).setSeverity(Severity.INFO).setBody("claude_code.api_request")
                .setAllAttributes(Attributes.builder().put("event.name", "api_request").put("session.id", "s-42")
                        .put("model", "claude-opus-5-5").put("input_tokens", 1200L).put("cache_creation_5m_tokens", 300L)
                        .put("cost_usd", 0.0078).put("success", "true").build())
                .emit();
        assertThat(provider.shutdown().join(120, TimeUnit.SECONDS).isSuccess()).isTrue();

        var row = single("logs", "select event_name, session_id, model, input_tokens, cache_write_5m_tokens, cost_usd,"
                + " success, severity_text, project, epoch_ns(timestamp) as ts from t");
        assertThat(row).containsEntry("event_name", "api_request").containsEntry("session_id", "s-42")
                .containsEntry("model", "claude-opus-5-5").containsEntry("input_tokens", 1200L)
                .containsEntry("cache_write_5m_tokens", 300L).containsEntry("cost_usd", 0.0078)
                .containsEntry("success", true).containsEntry("severity_text", "INFO").containsEntry("project", "demo")
                .containsEntry("ts", T_NANOS);
    }

    @ParameterizedTest(name = "given a parent and a child span from the SDK exporter ({0}, gzip) then ids, kinds,"
            + " status, events, links and tokens are stored")
    @EnumSource(Protocol.class)
    void givenSpansFromTheSdkExporterThenTheyAreStoredWithTheirColumns(Protocol protocol) throws Exception {
        var provider = SdkTracerProvider.builder().setResource(RESOURCE)
                .addSpanProcessor(SimpleSpanProcessor.create(SdkExporters.spans(ingest.url(""), protocol)))
                .build();
        var tracer = provider.get("com.anthropic.claude_code.tracing", "1.0.0");
        var linked = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(),
                TraceState.getDefault());
        var parent = tracer.spanBuilder("claude_code.interaction").setStartTimestamp(T)
                .setAttribute("session.id", "s-42").setAttribute("user_prompt_length", 6L).startSpan();
        var child = tracer.spanBuilder("claude_code.llm_request").setParent(Context.current().with(parent))
                .setSpanKind(SpanKind.CLIENT).setStartTimestamp(T.plusMillis(100)).addLink(linked,
                        Attributes.of(stringKey("link.reason"), "retry"))
                .setAttribute("model", "claude-opus-5-5").setAttribute("input_tokens", 1200L)
                .setAttribute("output_tokens", 35L).setAttribute("cache_read_tokens", 4000L)
                .setAttribute("cache_creation_tokens", 300L).setAttribute("success", false).startSpan();
        child.addEvent("gen_ai.request.attempt", Attributes.of(io.opentelemetry.api.common.AttributeKey.longKey("attempt"), 1L),
                T.plusMillis(200));
        child.setStatus(StatusCode.ERROR, "overloaded");
        child.end(T.plusMillis(1100));
        parent.setStatus(StatusCode.OK);
        parent.end(T.plus(Duration.ofMillis(2500)));
        assertThat(provider.shutdown().join(120, TimeUnit.SECONDS).isSuccess()).isTrue();

        List<Map<String, Object>> rows = LakeSql.query(ingest.s3.store(), "landing/spans/",
                "select span_name, span_kind, status_code, status_message, trace_id, span_id, parent_span_id,"
                        + " duration_ms, epoch_ns(timestamp) as start_ns, epoch_ns(end_timestamp) as end_ns, session_id,"
                        + " model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, success, tool,"
                        + " scope_name, scope_version, project, events, links from t order by timestamp");
        assertThat(rows).hasSize(2);
        Map<String, Object> p = rows.get(0);
        Map<String, Object> c = rows.get(1);
        assertThat(p).containsEntry("span_name", "claude_code.interaction").containsEntry("span_kind", "SPAN_KIND_INTERNAL")
                .containsEntry("status_code", "STATUS_CODE_OK").containsEntry("status_message", null)
                .containsEntry("trace_id", parent.getSpanContext().getTraceId())
                .containsEntry("span_id", parent.getSpanContext().getSpanId()).containsEntry("parent_span_id", null)
                .containsEntry("duration_ms", 2500.0).containsEntry("start_ns", T_NANOS)
                .containsEntry("end_ns", T_NANOS + 2_500_000_000L).containsEntry("session_id", "s-42")
                .containsEntry("input_tokens", null).containsEntry("tool", "claude-code")
                .containsEntry("scope_name", "com.anthropic.claude_code.tracing").containsEntry("scope_version", "1.0.0")
                .containsEntry("project", "demo").containsEntry("events", "[]").containsEntry("links", "[]");
        assertThat(c).containsEntry("span_name", "claude_code.llm_request").containsEntry("span_kind", "SPAN_KIND_CLIENT")
                .containsEntry("status_code", "STATUS_CODE_ERROR").containsEntry("status_message", "overloaded")
                .containsEntry("trace_id", parent.getSpanContext().getTraceId())
                .containsEntry("parent_span_id", parent.getSpanContext().getSpanId())
                .containsEntry("duration_ms", 1000.0).containsEntry("model", "claude-opus-5-5")
                .containsEntry("input_tokens", 1200L).containsEntry("output_tokens", 35L)
                .containsEntry("cache_read_tokens", 4000L).containsEntry("cache_write_tokens", 300L)
                .containsEntry("success", false)
                .containsEntry("events", "[{\"time_unix_nano\":" + (T_NANOS + 200_000_000L)
                        + ",\"name\":\"gen_ai.request.attempt\",\"attributes\":{\"attempt\":1}}]")
                .containsEntry("links", "[{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"span_id\":\"b7ad6b7169203331\","
                        + "\"attributes\":{\"link.reason\":\"retry\"}}]");
    }

    @ParameterizedTest(name = "given a counter, an up/down counter, a gauge, a histogram and an exponential histogram"
            + " from the SDK exporter ({0}, gzip) then each point is stored with its kind, temporality and values")
    @EnumSource(Protocol.class)
    void givenEveryMetricKindTheSdkExportsThenEachPointIsStored(Protocol protocol) throws Exception {
        Clock fixed = new Clock() {
            @Override
            public long now() {
                return T_NANOS;
            }

            @Override
            public long nanoTime() {
                return 0;
            }
        };
        var provider = SdkMeterProvider.builder().setResource(RESOURCE).setClock(fixed)
                .registerMetricReader(PeriodicMetricReader.builder(SdkExporters.metrics(ingest.url(""), protocol))
                        .setInterval(Duration.ofHours(1)).build())
                .registerView(InstrumentSelector.builder().setName("agentlake.test.latency").build(),
                        View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
                .build();
        var meter = provider.get("com.anthropic.claude_code");
        var tokens = meter.counterBuilder("claude_code.token.usage").setUnit("tokens").build();
        tokens.add(1200, Attributes.of(stringKey("type"), "input", stringKey("model"), "claude-opus-5-5",
                stringKey("session.id"), "s-42"));
        tokens.add(35, Attributes.of(stringKey("type"), "output", stringKey("model"), "claude-opus-5-5",
                stringKey("session.id"), "s-42"));
        var active = meter.upDownCounterBuilder("agentlake.test.active").build();
        active.add(3);
        active.add(-5);
        meter.gaugeBuilder("agentlake.test.load").build().set(0.5);
        var duration = meter.histogramBuilder("claude_code.api.duration").setUnit("ms")
                .setExplicitBucketBoundariesAdvice(List.of(10.0, 100.0, 1000.0)).build();
        for (double v : new double[] {5, 50, 500, 5000}) {
            duration.record(v);
        }
        // Two more histograms, one with other bounds and one with the same: each point keeps its own bounds
        // (a request's bounds are printed once per distinct set).
        var size = meter.histogramBuilder("agentlake.test.size").setExplicitBucketBoundariesAdvice(List.of(1.0, 2.5)).build();
        size.record(2);
        var wait = meter.histogramBuilder("agentlake.test.wait")
                .setExplicitBucketBoundariesAdvice(List.of(10.0, 100.0, 1000.0)).build();
        wait.record(20);
        var latency = meter.histogramBuilder("agentlake.test.latency").build();
        for (double v : new double[] {1, 2, 4}) {
            latency.record(v);
        }
        // Shutdown collects and exports once (a flush before it would export the cumulative sum twice).
        assertThat(provider.shutdown().join(120, TimeUnit.SECONDS).isSuccess()).isTrue();

        List<Map<String, Object>> rows = LakeSql.query(ingest.s3.store(), "landing/metrics/",
                "select metric_name, metric_type, temporality, is_monotonic, value, count, sum, min, max, bucket_counts,"
                        + " explicit_bounds, exponential_buckets, unit, type, model, session_id, project,"
                        + " epoch_ns(timestamp) as ts from t order by metric_name, type");
        Map<String, Map<String, Object>> byName = rows.stream().collect(Collectors.toMap(
                r -> r.get("metric_name") + (r.get("type") == null ? "" : "/" + r.get("type")), r -> r));
        assertThat(byName).containsOnlyKeys("claude_code.token.usage/input", "claude_code.token.usage/output",
                "agentlake.test.active", "agentlake.test.load", "claude_code.api.duration", "agentlake.test.latency",
                "agentlake.test.size", "agentlake.test.wait");
        assertThat(byName.get("claude_code.token.usage/input")).containsEntry("metric_type", "sum")
                .containsEntry("temporality", "delta").containsEntry("is_monotonic", true).containsEntry("value", 1200.0)
                .containsEntry("unit", "tokens").containsEntry("model", "claude-opus-5-5")
                .containsEntry("session_id", "s-42").containsEntry("project", "demo").containsEntry("ts", T_NANOS);
        assertThat(byName.get("claude_code.token.usage/output")).containsEntry("value", 35.0);
        assertThat(byName.get("agentlake.test.active")).containsEntry("metric_type", "sum")
                .containsEntry("temporality", "cumulative").containsEntry("is_monotonic", false)
                .containsEntry("value", -2.0);
        assertThat(byName.get("agentlake.test.load")).containsEntry("metric_type", "gauge")
                .containsEntry("temporality", "unspecified").containsEntry("is_monotonic", null)
                .containsEntry("value", 0.5);
        assertThat(byName.get("claude_code.api.duration")).containsEntry("metric_type", "histogram")
                .containsEntry("temporality", "delta").containsEntry("value", null).containsEntry("count", 4L)
                .containsEntry("sum", 5555.0).containsEntry("min", 5.0).containsEntry("max", 5000.0)
                .containsEntry("bucket_counts", "[1,1,1,1]").containsEntry("explicit_bounds", "[10.0,100.0,1000.0]")
                .containsEntry("unit", "ms");
        assertThat(byName.get("agentlake.test.size")).containsEntry("bucket_counts", "[0,1,0]")
                .containsEntry("explicit_bounds", "[1.0,2.5]");
        assertThat(byName.get("agentlake.test.wait")).containsEntry("bucket_counts", "[0,1,0,0]")
                .containsEntry("explicit_bounds", "[10.0,100.0,1000.0]");
        Map<String, Object> exponential = byName.get("agentlake.test.latency");
        assertThat(exponential).containsEntry("metric_type", "exponential_histogram").containsEntry("temporality", "delta")
                .containsEntry("count", 3L).containsEntry("sum", 7.0).containsEntry("min", 1.0).containsEntry("max", 4.0)
                .containsEntry("bucket_counts", null);
        JsonNode buckets = JSON.readTree((String) exponential.get("exponential_buckets"));
        long positive = 0;
        for (JsonNode n : buckets.at("/positive/bucket_counts")) {
            positive += n.asLong();
        }
        assertThat(positive).as("the three values in positive buckets").isEqualTo(3);
        assertThat(buckets.get("zero_count").asLong()).isZero();
        assertThat(buckets.get("scale").isInt()).isTrue();
    }

    private static Map<String, Object> single(String table, String sql) {
        List<Map<String, Object>> rows = LakeSql.query(ingest.s3.store(), "landing/" + table + "/", sql);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }
}
