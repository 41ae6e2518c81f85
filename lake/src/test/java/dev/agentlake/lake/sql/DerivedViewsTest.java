package dev.agentlake.lake.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.Tokens;
import dev.agentlake.lake.model.UsageRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.pricing.PriceMode;
import dev.agentlake.lake.pricing.PriceTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The derivation SQL on hand-made rows: token conventions, the price arithmetic (expected values
 * written from the published per-token prices), price modes and the source preference.
 */
class DerivedViewsTest {
    private static final ResourceColumns CLAUDE = new ResourceColumns("claude-code", "claude-code", "2.1.330", "laptop", "{}");
    private static final ResourceColumns CODEX = new ResourceColumns("codex", "codex_exec", "0.169.0", "vm", "{}");
    private static final ResourceColumns GEMINI = new ResourceColumns("gemini-cli", "gemini-cli", "v20", "vm", "{}");
    private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").getEpochSecond() * 1_000_000_000L;

    @TempDir
    Path dir;
    private Connection db;

    @BeforeEach
    void open() throws Exception {
        db = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void givenAClaudeSonnetCallAbove200kPromptTokensThenEveryTokenIsBilledAtTheTierRate() throws Exception {
        // 150,000 fresh + 60,000 cache read = 210,000 prompt tokens > 200,000: the whole request
        // is billed at claude-sonnet-4-5's long-context rates ($6 in, $22.50 out, $0.60 cache read per M).
        // Below it the same request with 100,000 fresh input uses $3 / $15 / $0.30.
        load(List.of(
                claude("r-above", "claude-sonnet-4-5", 150_000, 1_000, 60_000, 0, 0),
                claude("r-below", "claude-sonnet-4-5", 100_000, 1_000, 60_000, 0, 0)), List.of());
        install(PriceMode.CALCULATE, "import");

        Map<String, Object> above = one("select * from usage where call_id = 'r-above'");
        assertThat((Double) above.get("cost_usd")).isCloseTo(150_000 * 6e-6 + 1_000 * 2.25e-5 + 60_000 * 6e-7, within(1e-12));
        assertThat(above.get("cost_source")).isEqualTo("calculated");
        Map<String, Object> below = one("select * from usage where call_id = 'r-below'");
        assertThat((Double) below.get("cost_usd")).isCloseTo(100_000 * 3e-6 + 1_000 * 1.5e-5 + 60_000 * 3e-7, within(1e-12));
    }

    @Test
    void givenCacheWritesWithA1HourPartThenEachPartIsBilledAtItsRate() throws Exception {
        // claude-opus-5: input $5, output $25, cache read $0.50, 5m write $6.25, 1h write $10 per M.
        load(List.of(claude("r1", "claude-opus-5", 2_000, 100, 10_000, 1_000, 400)), List.of());
        install(PriceMode.CALCULATE, "import");

        Map<String, Object> row = one("select * from usage");
        assertThat(row).containsEntry("input_tokens", 2_000L).containsEntry("cache_write_tokens", 1_000L)
                .containsEntry("cache_write_1h_tokens", 400L).containsEntry("routing", false);
        assertThat((Double) row.get("cost_usd")).isCloseTo(
                2_000 * 5e-6 + 100 * 2.5e-5 + 10_000 * 5e-7 + 600 * 6.25e-6 + 400 * 1e-5, within(1e-12));
    }

    @Test
    void givenAGpt54CallAbove272kThenTheTierAppliesAndCodexCachedInputIsNotBilledTwice() throws Exception {
        // Codex reports input including cached tokens: 300,000 input of which 100,000 cached =
        // 200,000 fresh; the prompt (300,000) exceeds 272,000, so gpt-5.4's tier applies:
        // $5 in, $22.50 out, $0.50 cache read per M.
        load(List.of(codex("c1", "gpt-5.4", 300_000, 2_000, 100_000, 500)), List.of());
        install(PriceMode.AUTO, "import");

        Map<String, Object> row = one("select * from usage");
        assertThat(row).containsEntry("input_tokens", 200_000L).containsEntry("cache_read_tokens", 100_000L)
                .containsEntry("output_tokens", 2_000L).containsEntry("reasoning_tokens", 500L)
                .containsEntry("cost_source", "calculated");
        assertThat((Double) row.get("cost_usd")).isCloseTo(200_000 * 5e-6 + 2_000 * 2.25e-5 + 100_000 * 5e-7, within(1e-12));
    }

    @Test
    void givenGeminiThoughtsThenOutputIncludesThemAndTheyAreBilledAsOutput() throws Exception {
        // gemini-3.5-flash-lite: $0.30 in, $2.50 out (and reasoning), $0.03 cache read per M.
        load(List.of(gemini("g1", "gemini-3.5-flash-lite", 3_000, 20, 2_500, 30, "main")), List.of());
        install(PriceMode.AUTO, "import");

        Map<String, Object> row = one("select * from usage");
        assertThat(row).containsEntry("input_tokens", 500L).containsEntry("output_tokens", 50L)
                .containsEntry("reasoning_tokens", 30L).containsEntry("cache_read_tokens", 2_500L);
        assertThat((Double) row.get("cost_usd")).isCloseTo(500 * 3e-7 + 50 * 2.5e-6 + 2_500 * 3e-8, within(1e-12));
    }

    @Test
    void givenEachPriceModeThenCostAndItsSourceFollowIt() throws Exception {
        // A Claude call that reported $0.0078 on a model the table knows (claude-opus-5), one on a
        // model it does not (claude-opus-5-5), and a Codex call that reported nothing.
        var rows = List.of(
                claudeReported("known", "claude-opus-5", 0.0078),
                claudeReported("unknown", "claude-opus-5-5", 0.00635),
                codex("codex", "gpt-5-codex", 2_100, 40, 1_800, 16));
        load(rows, List.of());
        double ours = 1_200 * 5e-6 + 35 * 2.5e-5 + 4_000 * 5e-7 + 300 * 6.25e-6;
        double codexCost = 300 * 1.25e-6 + 40 * 1e-5 + 1_800 * 1.25e-7;

        install(PriceMode.AUTO, "import");
        assertThat(costs()).containsExactly(
                "known reported " + usd(0.0078), "rec-codex calculated " + usd(codexCost), "unknown reported " + usd(0.00635));
        install(PriceMode.CALCULATE, "import");
        assertThat(costs()).containsExactly(
                "known calculated " + usd(ours), "rec-codex calculated " + usd(codexCost), "unknown unknown_model null");
        install(PriceMode.DISPLAY, "import");
        assertThat(costs()).containsExactly(
                "known reported " + usd(0.0078), "rec-codex not_reported null", "unknown reported " + usd(0.00635));
        assertThat(new DerivedViews(PriceTable.embedded(), PriceMode.AUTO, new UsageSettings("import"))
                .unknownModels(db, DerivedViews.Names.defaults(false))).containsExactly(Map.entry("claude-opus-5-5", 1L));
    }

    @Test
    void givenOneSessionFromOtlpAndFromAnImportThenOnlyThePreferredSourceCounts() throws Exception {
        // The same two calls, once from telemetry (request ids) and once from the session file
        // (message ids), plus a session only telemetry saw.
        var logs = List.of(
                claude("req-1", "claude-opus-5", 1_200, 35, 4_000, 300, 0, "s-both"),
                claude("req-2", "claude-opus-5", 1_250, 12, 4_300, 50, 0, "s-both"),
                claude("req-3", "claude-opus-5", 10, 1, 100, 0, 0, "s-otlp-only"));
        var imports = List.of(
                imported("msg-1", "s-both", 1_200, 35, 4_000, 300),
                imported("msg-2", "s-both", 1_250, 12, 4_300, 50));
        load(logs, imports);

        install(PriceMode.AUTO, "import");
        assertThat(perSession()).containsExactly("s-both import 2 2450", "s-otlp-only otlp 1 10");
        install(PriceMode.AUTO, "otlp");
        assertThat(perSession()).containsExactly("s-both otlp 2 2450", "s-otlp-only otlp 1 10");
        Map<String, Object> session = one("select * from sessions where session_id = 's-both'");
        assertThat(session).containsEntry("model_calls", 2L).containsEntry("input_tokens", 2450L)
                .containsEntry("cache_read_tokens", 8300L).containsEntry("cache_write_tokens", 350L);
    }

    @Test
    void givenCopiesOfOneCallWithDifferentCompletenessThenTheMostCompleteIsKept() throws Exception {
        // Claude Code logs a streamed response's usage before it is final, and a session file imported
        // mid-response holds the same partial numbers: the first (earliest) copy of each call is partial.
        var logs = List.of(
                log(CLAUDE, "api_request", "req-9", "s-1", "claude-opus-5", new Tokens(3L, 12L, 9_000L, 400L, 400L, 0L, null, null),
                        null, "{}", "partial"),
                log(CLAUDE, "api_request", "req-9", "s-1", "claude-opus-5", new Tokens(3L, 250L, 9_000L, 400L, 400L, 0L, null, null),
                        null, "{}", "final"));
        var imports = List.of(
                imported("msg-9", "s-import", 3, 12, 9_000, 400),
                imported("msg-9", "s-import", 3, 250, 9_000, 400),
                imported("msg-9", "s-import", 3, 40, 9_000, 400));
        load(logs, imports);
        install(PriceMode.CALCULATE, "import");

        assertThat(strings("select call_id || ' ' || source || ' ' || input_tokens || ' ' || output_tokens || ' '"
                + " || cache_read_tokens || ' ' || cache_write_tokens from usage order by call_id"))
                .containsExactly("msg-9 import 3 250 9000 400", "req-9 otlp 3 250 9000 400");
        // claude-opus-5: $5 in, $25 out, $0.50 cache read, $6.25 5m cache write per M.
        assertThat((Double) one("select cost_usd from usage where call_id = 'req-9'").get("cost_usd"))
                .isCloseTo(3 * 5e-6 + 250 * 2.5e-5 + 9_000 * 5e-7 + 400 * 6.25e-6, within(1e-12));
    }

    @Test
    void givenCumulativeSumsThenEachPointGetsItsIncrementAndARestartIsDetected() throws Exception {
        // A Gemini CLI counter (cumulative): 3, 5, 5, then the process restarts (new start time) at 2,
        // then 4; and a monotonic value that goes down without a new start (also a reset): 1.
        // Claude Code's counter is a delta sum: each point is already its increment.
        long start1 = T0;
        long start2 = T0 + 60_000_000_000L;
        var points = List.of(
                point("g1", "gemini_cli.lines.changed", "cumulative", 10, start1, 3, "added", "g-1"),
                point("g2", "gemini_cli.lines.changed", "cumulative", 20, start1, 5, "added", "g-1"),
                point("g3", "gemini_cli.lines.changed", "cumulative", 30, start1, 5, "added", "g-1"),
                point("g4", "gemini_cli.lines.changed", "cumulative", 70, start2, 2, "added", "g-1"),
                point("g5", "gemini_cli.lines.changed", "cumulative", 80, start2, 4, "added", "g-1"),
                point("g6", "gemini_cli.lines.changed", "cumulative", 90, start2, 1, "added", "g-1"),
                point("c1", "claude_code.lines_of_code.count", "delta", 10, T0, 7, "added", "s-1"),
                point("c2", "claude_code.lines_of_code.count", "delta", 20, T0, 3, "removed", "s-1"),
                point("c3", "claude_code.commit.count", "delta", 30, T0, 1, null, "s-1"));
        Path metrics = dir.resolve("metrics.parquet");
        Files.write(metrics, ParquetRowWriter.write(LakeSchemas.METRICS, points));
        load(List.of(claude("r1", "claude-opus-5", 10, 1, 100, 0, 0)), List.of());
        execute("create or replace table metrics as select * from read_parquet('" + metrics + "')");
        new DerivedViews(PriceTable.embedded(), PriceMode.AUTO, new UsageSettings("import"))
                .install(db, DerivedViews.Names.defaults(true));

        assertThat(strings("select record_id || ' ' || delta || ' ' || reset from metric_deltas order by record_id"))
                .containsExactly("c1 7.0 false", "c2 3.0 false", "c3 1.0 false",
                        "g1 3.0 false", "g2 2.0 false", "g3 0.0 false", "g4 2.0 true", "g5 2.0 false", "g6 1.0 true");
        Map<String, Object> claudeSession = one("select lines_added, lines_removed, commits, pull_requests from sessions"
                + " where session_id = 's-1'");
        assertThat(claudeSession).containsEntry("lines_added", 7L).containsEntry("lines_removed", 3L)
                .containsEntry("commits", 1L).containsEntry("pull_requests", null);
    }

    // ---- rows ----

    private static dev.agentlake.lake.model.MetricPointRow point(String id, String name, String temporality, long second,
                                                                 long start, double value, String type, String session) {
        var resource = name.startsWith("gemini") ? GEMINI : CLAUDE;
        return new dev.agentlake.lake.model.MetricPointRow(id, T0 + second * 1_000_000_000L,
                start, resource, null, null, name, null, null, "sum", temporality, true, value, null, null, null, null,
                null, null, null, null, 0, session, null, null, null, type,
                type == null ? "{}" : "{\"type\":\"" + type + "\"}", "otlp");
    }

    private static LogRow claude(String requestId, String model, long in, long out, long cacheRead, long cacheWrite,
                                 long cacheWrite1h) {
        return claude(requestId, model, in, out, cacheRead, cacheWrite, cacheWrite1h, "s-1");
    }

    private static LogRow claude(String requestId, String model, long in, long out, long cacheRead, long cacheWrite,
                                 long cacheWrite1h, String session) {
        return log(CLAUDE, "api_request", requestId, session, model,
                new Tokens(in, out, cacheRead, cacheWrite, cacheWrite - cacheWrite1h, cacheWrite1h, null, null), null, "{}");
    }

    private static LogRow claudeReported(String requestId, String model, double cost) {
        return log(CLAUDE, "api_request", requestId, "s-1", model, new Tokens(1_200L, 35L, 4_000L, 300L, 0L, 0L, null, null),
                cost, "{}");
    }

    private static LogRow codex(String id, String model, long in, long out, long cached, long reasoning) {
        return log(CODEX, "codex.sse_event", null, "conv-1", model,
                new Tokens(in, out, cached, 0L, null, null, reasoning, null), null,
                "{\"event.kind\":\"response.completed\",\"rid\":\"" + id + "\"}", id);
    }

    private static LogRow gemini(String id, String model, long in, long out, long cached, long thoughts, String role) {
        return log(GEMINI, "gemini_cli.api_response", null, "g-1", model,
                new Tokens(in, out, cached, null, null, null, thoughts, 0L), null,
                "{\"role\":\"" + role + "\",\"status_code\":200}", id);
    }

    private static LogRow log(ResourceColumns resource, String event, String requestId, String session, String model,
                              Tokens tokens, Double cost, String attributes) {
        return log(resource, event, requestId, session, model, tokens, cost, attributes, requestId);
    }

    private static int seq;

    private static LogRow log(ResourceColumns resource, String event, String requestId, String session, String model,
                              Tokens tokens, Double cost, String attributes, String recordId) {
        seq++;
        return new LogRow("rec-" + recordId, T0 + seq * 1_000_000L, 0, resource, null, null, null, 0, event, null,
                session, "p-1", "u-1", "demo", model, tokens, cost, 100.0, null, null, null, requestId, null, null, 0,
                attributes, "otlp");
    }

    private static UsageRow imported(String messageId, String session, long in, long out, long cacheRead, long cacheWrite) {
        seq++;
        return new UsageRow(T0 + seq * 1_000_000L, messageId, "claude-code", session, null, "claude-opus-5", "laptop",
                "demo", null, in, out, cacheRead, cacheWrite, 0, 0, 0, null, "unknown_model", null, null, true, false,
                "import");
    }

    // ---- database ----

    private void load(List<LogRow> logs, List<UsageRow> imports) throws Exception {
        Path logsFile = dir.resolve("logs.parquet");
        Files.write(logsFile, ParquetRowWriter.write(LakeSchemas.LOGS, logs));
        Path usageFile = dir.resolve("imports.parquet");
        Files.write(usageFile, ParquetRowWriter.write(LakeSchemas.USAGE, imports));
        execute("create or replace table logs as select * from read_parquet('" + logsFile + "')");
        execute("create or replace table imported_usage as select * from read_parquet('" + usageFile + "')");
    }

    private void install(PriceMode mode, String prefer) throws Exception {
        new DerivedViews(PriceTable.embedded(), mode, new UsageSettings(prefer)).install(db, DerivedViews.Names.defaults(false));
    }

    private List<String> costs() throws Exception {
        return strings("select call_id || ' ' || cost_source || ' ' || coalesce(printf('%.12f', cost_usd), 'null')"
                + " from usage order by call_id");
    }

    /** Dollars to 12 decimals (a millionth of a millionth of a dollar), as the SQL above prints them. */
    private static String usd(double value) {
        return String.format(java.util.Locale.ROOT, "%.12f", value);
    }

    private List<String> perSession() throws Exception {
        return strings("select session_id || ' ' || source || ' ' || calls || ' ' || input from (select session_id,"
                + " source, count(*) as calls, sum(input_tokens) as input from usage group by session_id, source)"
                + " order by 1");
    }

    private void execute(String sql) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    private List<String> strings(String sql) throws Exception {
        var out = new ArrayList<String>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private Map<String, Object> one(String sql) throws Exception {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from " + sql).isTrue();
            var row = new LinkedHashMap<String, Object>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
            }
            assertThat(rs.next()).as("only one row from " + sql).isFalse();
            return row;
        }
    }
}
