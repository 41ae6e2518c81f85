package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import dev.agentlake.lake.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given every real capture (Claude Code, Codex, Gemini CLI) posted to the local server as the CLIs
 * sent it, when the API is asked, then it answers with the numbers the captures carry.
 */
class FixturesApiTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DAY = "from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z";
    static final List<String> RUNS = List.of("claude-code-protobuf", "codex-binary", "gemini");

    @TempDir
    static Path dataDir;
    static LocalServer server;

    @BeforeAll
    static void ingestEveryCapture() throws Exception {
        server = LocalServer.start(LocalLake.embedded(dataDir.resolve("s3"), "agentlake"), "127.0.0.1", 0, 0,
                dataDir.resolve("cache").toString());
        for (String run : RUNS) {
            for (String request : captures(run)) {
                JsonNode meta = JSON.readTree(Fixtures.text("otlp/" + run + "/" + request + ".json"));
                var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.ingestPort()
                                + meta.get("path").asText()))
                        .header("Content-Type", meta.get("content_type").asText())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("otlp/" + run + "/" + request + ".bin")))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(run + "/" + request).isEqualTo(200);
            }
        }
    }

    static List<String> captures(String run) {
        var names = new ArrayList<String>();
        for (int i = 1; i <= 9; i++) {
            for (String signal : List.of("logs", "traces", "metrics")) {
                String tool = run.startsWith("claude") ? "claude-code" : run.startsWith("codex") ? "codex" : "gemini";
                String name = String.format("%04d-%s-%s", i, tool, signal);
                try {
                    Fixtures.bytes("otlp/" + run + "/" + name + ".bin");
                    names.add(name);
                } catch (IllegalArgumentException absent) {
                    // not part of this run
                }
            }
        }
        return names;
    }

    @AfterAll
    static void stop() {
        server.close();
        server.lake().close();
    }

    static JsonNode api(String path) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void usageByToolIsExactPerCliBeforeCompaction() throws Exception {
        assertUsageByTool(api("/api/usage?" + DAY + "&groupBy=tool"));
    }

    /** The fixture README's numbers: input / cache read / cache write / output / reasoning per CLI. */
    static void assertUsageByTool(JsonNode body) {
        var byTool = new java.util.TreeMap<String, String>();
        body.get("rows").forEach(r -> byTool.put(r.get("tool").asText(), r.get("input_tokens").asLong() + "/"
                + r.get("cache_read_tokens").asLong() + "/" + r.get("cache_write_tokens").asLong() + "/"
                + r.get("output_tokens").asLong() + "/" + r.get("reasoning_tokens").asLong()));
        assertThat(byTool).containsExactly(
                java.util.Map.entry("claude-code", "2450/8300/350/47/0"),
                java.util.Map.entry("codex", "552/3848/0/55/16"),
                java.util.Map.entry("gemini-cli", "820/5400/0/73/35"));
    }

    @Test
    void theClaudeSessionTimelineListsPromptModelCallToolDecisionToolResultModelCallInOrder() throws Exception {
        JsonNode session = api("/api/sessions/193b4fab-8599-4654-931d-65ef6669399e");
        assertThat(session.get("tool").asText()).isEqualTo("claude-code");
        assertThat(session.get("prompts").asLong()).isEqualTo(1);
        assertThat(session.get("tool_calls").asLong()).isEqualTo(1);
        List<String> kinds = new ArrayList<>();
        session.get("timeline").forEach(i -> kinds.add(i.get("kind").asText()));
        assertThat(kinds).containsExactly("prompt", "model_call", "tool_decision", "tool_result", "model_call");
        JsonNode firstCall = session.get("timeline").get(1);
        assertThat(firstCall.get("model").asText()).isEqualTo("claude-opus-5-5");
        assertThat(firstCall.get("input_tokens").asLong()).isEqualTo(1200);
        assertThat(firstCall.get("cache_read_tokens").asLong()).isEqualTo(4000);
        assertThat(firstCall.get("cost_usd").asDouble()).isEqualTo(0.0078);
        assertThat(session.get("timeline").get(2).get("tool_name").asText()).isNotBlank();
        assertThat(session.get("timeline").get(3).get("success").asBoolean()).isTrue();
    }

    @Test
    void theCodexAndGeminiTimelinesShowModelCallTokensInTheUsageConventionNotTheirOwn() throws Exception {
        // Codex logs 4400 input (cached included) over two calls; Gemini 6220 input (cached included)
        // and 38 output without its 35 thought tokens, over two calls and a utility-router call.
        JsonNode codex = api("/api/sessions/01a2049f-6432-7c33-8918-e683cdac78b7");
        assertThat(modelCalls(codex)).extracting(c -> c.get("input_tokens").asLong()).containsExactly(300L, 252L);
        assertThat(timelineTokens(codex)).isEqualTo("552/3848/0/55/16").isEqualTo(summaryTokens(codex));
        JsonNode gemini = api("/api/sessions/ed945cd9-1ebc-4a4f-bb44-307bd1e34cea");
        assertThat(modelCalls(gemini)).extracting(c -> c.get("model").asText() + (c.get("routing").asBoolean() ? " (routing)" : ""))
                .containsExactly("gemini-3.5-flash-lite (routing)", "gemini-3.8-flash", "gemini-3.8-flash");
        assertThat(timelineTokens(gemini)).isEqualTo("820/5400/0/73/35").isEqualTo(summaryTokens(gemini));
    }

    static List<JsonNode> modelCalls(JsonNode session) {
        var calls = new ArrayList<JsonNode>();
        session.get("timeline").forEach(i -> {
            if (i.get("kind").asText().equals("model_call")) {
                calls.add(i);
            }
        });
        return calls;
    }

    /** input / cache read / cache write / output / reasoning summed over the timeline's model calls. */
    static String timelineTokens(JsonNode session) {
        long[] sums = new long[5];
        for (JsonNode call : modelCalls(session)) {
            int i = 0;
            for (String k : List.of("input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens",
                    "reasoning_tokens")) {
                sums[i++] += call.get(k).asLong();
            }
        }
        return sums[0] + "/" + sums[1] + "/" + sums[2] + "/" + sums[3] + "/" + sums[4];
    }

    static String summaryTokens(JsonNode session) {
        return session.get("input_tokens").asLong() + "/" + session.get("cache_read_tokens").asLong() + "/"
                + session.get("cache_write_tokens").asLong() + "/" + session.get("output_tokens").asLong() + "/"
                + session.get("reasoning_tokens").asLong();
    }

    @Test
    void tracesListEveryToolAndTheClaudeTraceHasItsSpanTree() throws Exception {
        JsonNode traces = api("/api/traces?" + DAY + "&limit=1000").get("rows");
        List<String> tools = new ArrayList<>();
        traces.forEach(t -> t.get("tools").forEach(x -> tools.add(x.asText())));
        assertThat(tools).contains("claude-code", "codex", "gemini-cli");
        JsonNode claude = api("/api/traces?" + DAY + "&tool=claude-code").get("rows");
        assertThat(claude).hasSize(1);
        assertThat(claude.get(0).get("spans").asLong()).isEqualTo(6);
        JsonNode spans = api("/api/traces/" + claude.get(0).get("trace_id").asText() + "/spans").get("spans");
        assertThat(spans).hasSize(6);
        assertThat(spans.get(0).get("depth").asInt()).isZero();
        assertThat(spans.get(0).get("offset_ms").asDouble()).isZero();
        assertThat(spans).extracting(s -> s.get("name").asText()).contains("claude_code.llm_request", "claude_code.tool");
    }

    @Test
    void codexTurnsAreListedAsVirtualTracesOfTheirOwn() throws Exception {
        JsonNode codex = api("/api/traces?" + DAY + "&tool=codex&limit=1000").get("rows");
        List<JsonNode> turns = new ArrayList<>();
        codex.forEach(t -> {
            if (t.get("virtual").asBoolean()) {
                turns.add(t);
            }
        });
        assertThat(turns).hasSize(1);
        assertThat(turns.get(0).get("root_name").asText()).isEqualTo("run_turn");
        assertThat(turns.get(0).get("trace_id").asText()).matches("[0-9a-f]{32}-[0-9a-f]{16}");
        JsonNode spans = api("/api/traces/" + turns.get(0).get("trace_id").asText() + "/spans").get("spans");
        assertThat(spans.get(0).get("name").asText()).isEqualTo("run_turn");
        assertThat(spans.size()).isEqualTo(turns.get(0).get("spans").asInt()).isGreaterThan(1);
    }

    @Test
    void metricSeriesSumTheTokensEachToolReported() throws Exception {
        JsonNode names = api("/api/metrics/names?" + DAY).get("rows");
        List<String> metricNames = new ArrayList<>();
        names.forEach(n -> metricNames.add(n.get("name").asText()));
        assertThat(metricNames).contains("claude_code.token.usage", "gemini_cli.token.usage", "codex.turn.token_usage");

        // Claude Code: DELTA sums by type.
        JsonNode claude = api("/api/metrics/series?name=claude_code.token.usage&" + DAY + "&interval=1h&groupBy=type");
        assertThat(seriesTotals(claude)).containsEntry("input", 2450.0).containsEntry("output", 47.0)
                .containsEntry("cacheRead", 8300.0).containsEntry("cacheCreation", 350.0);
        assertThat(claude.get("series").get(0).get("points")).hasSize(24);
        // Gemini CLI: CUMULATIVE sums, turned into increases.
        JsonNode gemini = api("/api/metrics/series?name=gemini_cli.token.usage&" + DAY + "&interval=1h&groupBy=type");
        assertThat(seriesTotals(gemini)).containsEntry("input", 6220.0).containsEntry("cache", 5400.0)
                .containsEntry("thought", 35.0);
    }

    @Test
    void givenARangeStartingAtAFractionOfASecondThenTheMetricSeriesStillHoldTheCapturedTokens() throws Exception {
        // What every relative range ("now-7d", the dashboard's default) gives: a start with nanoseconds.
        // From half a second on, the buckets' keys missed the points and each series was all zeros.
        for (String from : List.of("2026-11-22T00:00:00.250Z", "2026-11-22T00:00:00.750Z", "2026-11-22T00:00:00.999999999Z")) {
            JsonNode claude = api("/api/metrics/series?name=claude_code.token.usage&from=" + from
                    + "&to=2026-11-23T00:00:00Z&interval=6h&groupBy=type");
            assertThat(seriesTotals(claude)).as(from).containsExactly(java.util.Map.entry("cacheCreation", 350.0),
                    java.util.Map.entry("cacheRead", 8300.0), java.util.Map.entry("input", 2450.0),
                    java.util.Map.entry("output", 47.0));
            assertThat(claude.get("series").get(0).get("points").get(0).get(0).asText()).isEqualTo("2026-11-22T00:00:00Z");
            JsonNode ungrouped = api("/api/metrics/series?name=gemini_cli.token.usage&from=" + from
                    + "&to=2026-11-23T00:00:00Z&interval=1h");
            assertThat(seriesTotals(ungrouped)).as(from).containsExactly(java.util.Map.entry("gemini_cli.token.usage", 11693.0));
        }
    }

    static java.util.Map<String, Double> seriesTotals(JsonNode body) {
        var totals = new java.util.TreeMap<String, Double>();
        body.get("series").forEach(s -> {
            double sum = 0;
            for (JsonNode p : s.get("points")) {
                sum += p.get(1).asDouble();
            }
            totals.put(s.get("key").asText(), sum);
        });
        return totals;
    }
}
