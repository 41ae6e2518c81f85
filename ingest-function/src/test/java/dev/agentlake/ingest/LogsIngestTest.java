package dev.agentlake.ingest;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.testing.Fixtures;
import dev.agentlake.lake.testing.LakeSql;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogsIngestTest {
    private static final String CLAUDE_LOGS = "otlp/claude-code-protobuf/0001-claude-code-logs.bin";
    private RunningIngest ingest;

    @BeforeEach
    void start() {
        ingest = RunningIngest.start();
    }

    @AfterEach
    void stop() {
        ingest.close();
    }

    @Test
    void givenRecordsFromTheOpenTelemetrySdkExporterWhenIngestedThenTheyAreStoredWithBodiesAndAttributes() {
        var exporter = OtlpHttpLogRecordExporter.builder().setEndpoint(ingest.url("/v1/logs"))
                .setTimeout(SdkExporters.TIMEOUT).build();
        var provider = SdkLoggerProvider.builder()
                .setResource(Resource.create(Attributes.of(stringKey("service.name"), "claude-code",
                        stringKey("service.version"), "2.1.330", stringKey("host.name"), "laptop")))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
                .build();
        var logger = provider.get("com.anthropic.claude_code.events");
        logger.logRecordBuilder()
                .setTimestamp(Instant.parse("2026-11-22T10:00:00Z"))
                .setSeverity(Severity.INFO)
                .setBody("claude_code.api_request")
                .setAllAttributes(Attributes.builder()
                        .put("event.name", "api_request").put("session.id", "s-42").put("model", "claude-opus-5-5")
                        .put("input_tokens", 1200L).put("output_tokens", "35").put("cost_usd", 0.0078).build())
                .emit();
        logger.logRecordBuilder()
                .setTimestamp(Instant.parse("2026-11-22T10:00:01Z"))
                .setBody("claude_code.user_prompt")
                .setAllAttributes(Attributes.of(stringKey("event.name"), "user_prompt", stringKey("session.id"), "s-42",
                        longKey("prompt_length"), 6L))
                .emit();
        assertThat(provider.forceFlush().join(120, TimeUnit.SECONDS).isSuccess()).isTrue();
        provider.shutdown().join(120, TimeUnit.SECONDS);

        assertThat(ingest.s3.keys()).hasSize(2).allMatch(k -> k.startsWith("landing/logs/dt=2026-11-22/"));
        List<Map<String, Object>> rows = LakeSql.query(ingest.s3.store(), "landing/logs/",
                "select body, event_name, tool, service_version, host_name, session_id, model, input_tokens,"
                        + " output_tokens, cost_usd, severity_text, log_attributes, source, dt::varchar as dt"
                        + " from t order by timestamp");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("body", "claude_code.api_request")
                .containsEntry("event_name", "api_request")
                .containsEntry("tool", "claude-code")
                .containsEntry("service_version", "2.1.330")
                .containsEntry("host_name", "laptop")
                .containsEntry("session_id", "s-42")
                .containsEntry("model", "claude-opus-5-5")
                .containsEntry("input_tokens", 1200L)
                .containsEntry("output_tokens", 35L)
                .containsEntry("cost_usd", 0.0078)
                .containsEntry("severity_text", "INFO")
                .containsEntry("source", "otlp")
                .containsEntry("dt", "2026-11-22");
        assertThat((String) rows.get(0).get("log_attributes"))
                .contains("\"input_tokens\":1200").contains("\"output_tokens\":\"35\"");
        assertThat(rows.get(1)).containsEntry("body", "claude_code.user_prompt").containsEntry("input_tokens", null);
        assertThat((String) rows.get(1).get("log_attributes")).contains("\"prompt_length\":6");
    }

    @Test
    void givenTheClaudeCodeCaptureWhenPostedAsIsThenItsTenRecordsAreStoredWithTheSessionId() throws Exception {
        var response = ingest.post("/v1/logs", "application/x-protobuf", null, Fixtures.bytes(CLAUDE_LOGS));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        assertThat(ExportLogsServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
        assertThat(ingest.s3.keys()).singleElement().asString().matches("landing/logs/dt=2026-11-22/[0-9a-f]{32}\\.parquet");
        var rows = LakeSql.query(ingest.s3.store(), "landing/logs/",
                "select count(*) as n, count(distinct record_id) as ids, min(session_id) as s, max(session_id) as s2,"
                        + " sum(input_tokens) as input, sum(cache_read_tokens) as cache_read,"
                        + " sum(cache_write_tokens) as cache_write, sum(output_tokens) as output, sum(cost_usd) as cost,"
                        + " string_agg(distinct tool, ',') as tools, max(project) as project from t");
        assertThat(rows.get(0))
                .containsEntry("n", 10L)
                .containsEntry("ids", 10L)
                .containsEntry("s", "193b4fab-8599-4654-931d-65ef6669399e")
                .containsEntry("s2", "193b4fab-8599-4654-931d-65ef6669399e")
                .containsEntry("tools", "claude-code")
                .containsEntry("project", "demo");
        assertThat(((Number) rows.get(0).get("input")).longValue()).isEqualTo(1200L);
        assertThat(((Number) rows.get(0).get("cache_read")).longValue()).isEqualTo(4000L);
        assertThat(((Number) rows.get(0).get("cache_write")).longValue()).isEqualTo(300L);
        assertThat(((Number) rows.get(0).get("output")).longValue()).isEqualTo(35L);
        assertThat((Double) rows.get(0).get("cost")).isEqualTo(0.0078);
    }

    @Test
    void givenAnUncompressed12MiBRequestWhenPostedThenItIsStoredWhole() throws Exception {
        // Under the ingest's 16 MiB limit, above the framework's default 10 MiB request buffer.
        String text = "x".repeat(12 * 1024 * 1024);
        byte[] body = ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"1795373833660000000\","
                + "\"body\":{\"stringValue\":\"" + text + "\"}}]}]}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        var response = ingest.post("/v1/logs", "application/json", null, body);

        assertThat(response.statusCode()).isEqualTo(200);
        var rows = LakeSql.query(ingest.s3.store(), "landing/logs/", "select length(body) as n from t");
        assertThat(rows).containsExactly(Map.of("n", (long) text.length()));
    }

    @Test
    void givenAKvlistBodyNestedDeeplyThenBothEncodingsAcceptAndRefuseAtTheSameDepth() throws Exception {
        // 4 message levels down to a log body, then 3 per kvlist level: 30 levels are 94 nested messages,
        // 40 are 124, past protobuf-java's limit of 100; JSON must draw the line at the same place.
        for (int levels : new int[] {30, 40}) {
            var protobuf = io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.newBuilder()
                    .addResourceLogs(io.opentelemetry.proto.logs.v1.ResourceLogs.newBuilder()
                            .addScopeLogs(io.opentelemetry.proto.logs.v1.ScopeLogs.newBuilder()
                                    .addLogRecords(io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                                            .setTimeUnixNano(1795373833660000000L + levels).setBody(nested(levels)))))
                    .build().toByteArray();
            String json = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\""
                    + (1795373833660000000L + levels) + "\",\"body\":" + nestedJson(levels) + "}]}]}]}";

            int fromProtobuf = ingest.post("/v1/logs", "application/x-protobuf", null, protobuf).statusCode();
            var fromJson = ingest.post("/v1/logs", "application/json", null, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));

            assertThat(fromProtobuf).as("protobuf, %d levels", levels).isEqualTo(levels == 30 ? 200 : 400);
            assertThat(fromJson.statusCode()).as("JSON, %d levels", levels).isEqualTo(fromProtobuf);
            if (levels == 40) {
                assertThat(new String(fromJson.body(), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("JSON nested deeper than 100 levels");
            }
        }
        assertThat(ingest.s3.keys()).as("one file per accepted request").hasSize(2);
        assertThat(LakeSql.query(ingest.s3.store(), "landing/logs/", "select count(*) as n, count(distinct record_id) as ids,"
                + " count(distinct body) as bodies from t")).as("the same record from both encodings")
                .containsExactly(Map.of("n", 2L, "ids", 1L, "bodies", 1L));
    }

    private static io.opentelemetry.proto.common.v1.AnyValue nested(int levels) {
        var value = io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("leaf").build();
        for (int i = 0; i < levels; i++) {
            value = io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setKvlistValue(
                    io.opentelemetry.proto.common.v1.KeyValueList.newBuilder().addValues(
                            io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("k").setValue(value))).build();
        }
        return value;
    }

    private static String nestedJson(int levels) {
        String value = "{\"stringValue\":\"leaf\"}";
        for (int i = 0; i < levels; i++) {
            value = "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":" + value + "}]}}";
        }
        return value;
    }

    @Test
    void givenTheSameRequestSentThreeTimesThenItIsStoredOnce() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(ingest.post("/v1/logs", "application/x-protobuf", null, Fixtures.bytes(CLAUDE_LOGS)).statusCode())
                    .isEqualTo(200);
        }
        assertThat(ingest.s3.keys()).hasSize(1);
        var rows = LakeSql.query(ingest.s3.store(), "landing/logs/", "select count(*) as n from t");
        assertThat(rows.get(0)).containsEntry("n", 10L);
    }
}
