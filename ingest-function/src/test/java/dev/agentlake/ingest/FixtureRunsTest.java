package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.testing.Fixtures;
import dev.agentlake.lake.testing.LakeSql;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request of every real client capture, posted as the CLI sent it (same path, headers and
 * body; Gemini's chunked without Content-Length), is answered 200 and stored once; the stored rows
 * add up to exactly the token numbers in the run's {@code token-check.json}, for logs, metrics and
 * spans alike.
 */
class FixtureRunsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final RunningIngest ingest = RunningIngest.perClass().emptiedBeforeEachTest();

    /**
     * A number in token-check.json and the SQL that must give it over the stored rows.
     *
     * @param path JSON pointer into token-check.json
     * @param table landing table the SQL reads as {@code t}
     */
    record Check(String path, String table, String sql) {
    }

    /** Rows per table in the run's summary.json (Codex: 20 of its 22 SSE events are dropped, see LogRowMapper). */
    record Counts(long logs, long spans, long points) {
    }

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of("claude-code-protobuf", claudeChecks(), new Counts(12, 6, 7)),
                Arguments.of("claude-code-json", claudeChecks(), new Counts(12, 6, 7)),
                Arguments.of("codex-binary", codexChecks(), new Counts(12, 560, 201)),
                Arguments.of("codex-json", codexChecks(), new Counts(12, 560, 201)),
                Arguments.of("gemini", geminiChecks(), new Counts(20, 5, 34)));
    }

    static List<Check> claudeChecks() {
        String tokenUsage = "select sum(value) from t where metric_name = 'claude_code.token.usage' and type = ";
        return List.of(
                new Check("/telemetry_log_api_request_sums/input_tokens", "logs", "select sum(input_tokens) from t"),
                new Check("/telemetry_log_api_request_sums/output_tokens", "logs", "select sum(output_tokens) from t"),
                new Check("/telemetry_log_api_request_sums/cache_read_tokens", "logs", "select sum(cache_read_tokens) from t"),
                new Check("/telemetry_log_api_request_sums/cache_creation_tokens", "logs",
                        "select sum(cache_write_tokens) from t"),
                new Check("/telemetry_log_api_request_sums/cost_usd", "logs", "select sum(cost_usd) from t"),
                new Check("/telemetry_metric_claude_code.token.usage_by_type/input", "metrics", tokenUsage + "'input'"),
                new Check("/telemetry_metric_claude_code.token.usage_by_type/output", "metrics", tokenUsage + "'output'"),
                new Check("/telemetry_metric_claude_code.token.usage_by_type/cacheRead", "metrics", tokenUsage + "'cacheRead'"),
                new Check("/telemetry_metric_claude_code.token.usage_by_type/cacheCreation", "metrics",
                        tokenUsage + "'cacheCreation'"),
                new Check("/telemetry_metric_claude_code.cost.usage_by_model/claude-opus-5-5", "metrics",
                        "select sum(value) from t where metric_name = 'claude_code.cost.usage' and model = 'claude-opus-5-5'"),
                new Check("/telemetry_span_llm_request_sums/input_tokens", "spans", "select sum(input_tokens) from t"),
                new Check("/telemetry_span_llm_request_sums/output_tokens", "spans", "select sum(output_tokens) from t"),
                new Check("/telemetry_span_llm_request_sums/cache_read_tokens", "spans", "select sum(cache_read_tokens) from t"),
                new Check("/telemetry_span_llm_request_sums/cache_creation_tokens", "spans",
                        "select sum(cache_write_tokens) from t"));
    }

    static List<Check> codexChecks() {
        String logs = "/telemetry_log_sse_event_response.completed_sums/";
        String metric = "/telemetry_metric_codex.turn.token_usage_by_token_type/";
        String tokenUsage = "select sum(sum) from t where metric_name = 'codex.turn.token_usage' and type = ";
        String spans = "/telemetry_span_handle_responses_sums/";
        return List.of(
                new Check(logs + "input_token_count", "logs", "select sum(input_tokens) from t"),
                new Check(logs + "cached_token_count", "logs", "select sum(cache_read_tokens) from t"),
                new Check(logs + "output_token_count", "logs", "select sum(output_tokens) from t"),
                new Check(logs + "reasoning_token_count", "logs", "select sum(reasoning_tokens) from t"),
                // Codex's tool_token_count is the call's total: kept in the attributes only.
                new Check(logs + "tool_token_count", "logs",
                        "select sum(cast(log_attributes->>'tool_token_count' as bigint)) from t"),
                new Check(metric + "input", "metrics", tokenUsage + "'input'"),
                new Check(metric + "output", "metrics", tokenUsage + "'output'"),
                new Check(metric + "cached_input", "metrics", tokenUsage + "'cached_input'"),
                new Check(metric + "cache_write_input", "metrics", tokenUsage + "'cache_write_input'"),
                new Check(metric + "reasoning_output", "metrics", tokenUsage + "'reasoning_output'"),
                new Check(metric + "total", "metrics", tokenUsage + "'total'"),
                new Check(spans + "gen_ai.usage.input_tokens", "spans", "select sum(input_tokens) from t"),
                new Check(spans + "gen_ai.usage.output_tokens", "spans", "select sum(output_tokens) from t"),
                new Check(spans + "gen_ai.usage.cache_read.input_tokens", "spans", "select sum(cache_read_tokens) from t"),
                new Check(spans + "codex.usage.reasoning_output_tokens", "spans", "select sum(reasoning_tokens) from t"),
                new Check(spans + "codex.usage.total_tokens", "spans",
                        "select sum(cast(span_attributes->>'codex.usage.total_tokens' as bigint)) from t"));
    }

    static List<Check> geminiChecks() {
        String logs = "/telemetry_log_api_response_sums/";
        String metric = "/telemetry_metric_gemini_cli.token.usage_by_type/";
        String tokenUsage = "select sum(value) from t where metric_name = 'gemini_cli.token.usage' and type = ";
        String genAi = "select sum(sum) from t where metric_name = 'gen_ai.client.token.usage' and type = ";
        return List.of(
                new Check(logs + "input_token_count", "logs", "select sum(input_tokens) from t"),
                new Check(logs + "output_token_count", "logs", "select sum(output_tokens) from t"),
                new Check(logs + "cached_content_token_count", "logs", "select sum(cache_read_tokens) from t"),
                new Check(logs + "thoughts_token_count", "logs", "select sum(reasoning_tokens) from t"),
                new Check(logs + "tool_token_count", "logs", "select sum(tool_tokens) from t"),
                new Check(logs + "total_token_count", "logs",
                        "select sum(cast(log_attributes->>'total_token_count' as bigint)) from t"),
                new Check(metric + "input", "metrics", tokenUsage + "'input'"),
                new Check(metric + "output", "metrics", tokenUsage + "'output'"),
                new Check(metric + "cache", "metrics", tokenUsage + "'cache'"),
                new Check(metric + "thought", "metrics", tokenUsage + "'thought'"),
                new Check(metric + "tool", "metrics", tokenUsage + "'tool'"),
                new Check("/telemetry_metric_gen_ai.client.token.usage_by_type/input", "metrics", genAi + "'input'"),
                new Check("/telemetry_metric_gen_ai.client.token.usage_by_type/output", "metrics", genAi + "'output'"));
    }

    @ParameterizedTest(name = "given the {0} capture when every request is posted as sent then each is stored once"
            + " and the rows give the token-check totals")
    @MethodSource("runs")
    void givenACaptureWhenPostedAsSentThenTheStoredRowsGiveTheTokenCheckTotals(String run, List<Check> checks,
                                                                                 Counts counts) throws Exception {
        List<CapturedRequest> requests = CapturedRequest.of(run);
        for (CapturedRequest request : requests) {
            HttpResponse<byte[]> response = request.sendTo(ingest);

            assertThat(response.statusCode()).as(request + ": " + new String(response.body(), StandardCharsets.UTF_8))
                    .isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(request.toString())
                    .hasValue(request.contentType());
            // What the CLI got from the capture server: no partial_success.
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(request.toString())
                    .isEqualTo(request.encoding() == OtlpEncoding.JSON ? "{}" : "");
        }

        assertThat(ingest.s3.keys()).as("one landing object per request").hasSize(requests.size())
                .allMatch(k -> k.matches("landing/(logs|spans|metrics)/dt=2026-11-22/[0-9a-f]{32}\\.parquet"));
        assertThat(count("logs")).as("log rows").isEqualTo(counts.logs());
        assertThat(count("spans")).as("span rows").isEqualTo(counts.spans());
        assertThat(count("metrics")).as("metric points").isEqualTo(counts.points());
        JsonNode tokenCheck = JSON.readTree(Fixtures.bytes("otlp/" + run + "/token-check.json"));
        for (Check check : checks) {
            JsonNode expected = tokenCheck.at(check.path());
            assertThat(expected.isNumber()).as("token-check.json has " + check.path()).isTrue();
            Object actual = LakeSql.query(ingest.s3.store(), "landing/" + check.table() + "/", check.sql())
                    .get(0).values().iterator().next();
            assertThat(actual).as(check.sql() + " (" + check.path() + ")").isNotNull();
            assertThat(new BigDecimal(actual.toString()))
                    .as(check.sql() + " (" + check.path() + ")")
                    .isEqualByComparingTo(new BigDecimal(expected.asText()));
        }
    }

    private static long count(String table) {
        List<Map<String, Object>> rows = LakeSql.query(ingest.s3.store(), "landing/" + table + "/",
                "select count(*) as n from t");
        return ((Number) rows.get(0).get("n")).longValue();
    }
}
