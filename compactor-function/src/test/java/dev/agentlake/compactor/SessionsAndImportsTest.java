package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentlake.lake.model.UsageRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.pricing.PriceMode;
import dev.agentlake.lake.pricing.PriceTable;
import dev.agentlake.lake.sql.DerivedViews;
import dev.agentlake.lake.sql.UsageSettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sessions table from the captures, and sessions that arrive both by OTLP and by an import. */
class SessionsAndImportsTest {
    @RegisterExtension
    static final TestLake lake = TestLake.perClass().emptiedBeforeEachTest();

    @Test
    void givenTheCapturedRunsThenEachSessionHasItsPromptsCallsToolsTokensCostAndModels() {
        String claude = lake.sessionsIn(lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF)).get(0);
        String codex = lake.sessionsIn(lake.ingest(FixtureRun.CODEX_BINARY)).get(0);
        String gemini = lake.sessionsIn(lake.ingest(FixtureRun.GEMINI)).get(0);
        lake.job().run();

        Map<String, Object> c = session(claude);
        assertThat(c).containsEntry("tool", "claude-code").containsEntry("dt", "2026-11-22")
                .containsEntry("prompts", 1L).containsEntry("model_calls", 2L).containsEntry("tool_calls", 1L)
                .containsEntry("tool_failures", 0L).containsEntry("api_errors", 0L)
                .containsEntry("input_tokens", 2450L).containsEntry("output_tokens", 47L)
                .containsEntry("cache_read_tokens", 8300L).containsEntry("cache_write_tokens", 350L)
                .containsEntry("reasoning_tokens", 0L).containsEntry("unpriced_calls", 0L)
                .containsEntry("models", "claude-opus-5-5").containsEntry("sources", "otlp")
                .containsEntry("project", "demo").containsEntry("host_name", null)
                .containsEntry("lines_added", null).containsEntry("commits", null);
        assertThat((Double) c.get("cost_usd")).isCloseTo(0.01415, within(1e-12));
        assertThat(c.get("first_seen")).isEqualTo(Instant.parse("2026-11-22T18:57:08.503Z"));
        assertThat(c.get("last_seen")).isEqualTo(Instant.parse("2026-11-22T18:57:09.287Z"));

        assertThat(session(codex)).containsEntry("tool", "codex").containsEntry("prompts", 1L)
                .containsEntry("model_calls", 2L).containsEntry("tool_calls", 1L).containsEntry("tool_failures", 0L)
                .containsEntry("input_tokens", 552L).containsEntry("reasoning_tokens", 16L)
                .containsEntry("models", "gpt-5-codex").containsEntry("host_name", "vm");

        Map<String, Object> g = session(gemini);
        assertThat(g).containsEntry("tool", "gemini-cli").containsEntry("prompts", 1L).containsEntry("model_calls", 3L)
                .containsEntry("tool_calls", 1L).containsEntry("input_tokens", 820L).containsEntry("output_tokens", 73L)
                .containsEntry("models", "gemini-3.5-flash-lite,gemini-3.8-flash").containsEntry("host_name", "vm");
        assertThat(g.get("first_seen")).isEqualTo(Instant.parse("2026-11-22T18:59:32.269Z"));
        assertThat(g.get("last_seen")).isEqualTo(Instant.parse("2026-11-22T18:59:32.848Z"));
    }

    @Test
    void givenASessionFromOtlpAndFromItsSessionFileThenItIsCountedOnceFromTheImportByDefault() {
        String claude = lake.sessionsIn(lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF)).get(0);
        landImport(claude);

        lake.job().run();

        assertThat(lake.usageTotals().get("claude-code")).isEqualTo(FixtureRun.CLAUDE_CODE_PROTOBUF.expected);
        assertThat(lake.query("usage", "select source, count(*) as calls, count(cost_usd) as priced,"
                + " string_agg(distinct cost_source, ',') as cost_source from t group by source"))
                // The session file carries no cost and the price table does not know claude-opus-5-5.
                .containsExactly(Map.of("source", "import", "calls", 2L, "priced", 0L, "cost_source", "unknown_model"));
        assertThat(session(claude)).containsEntry("sources", "import").containsEntry("model_calls", 2L)
                .containsEntry("prompts", 1L).containsEntry("input_tokens", 2450L);
        // The import is kept as it arrived, so the preference can be changed later.
        assertThat(lake.query("imported_usage", "select count(*) as n from t")).containsExactly(Map.of("n", 2L));
    }

    @Test
    void givenAnImportedSessionWhoseCallsTelemetryAlsoReportedThenTheImportKeepsTheReportedCostsDurationsAndOutcomes() {
        // Claude Code's session files carry the request id that its api_request events carry: the same calls.
        String claude = lake.sessionsIn(lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF)).get(0);
        landImport(claude, "req_fake97def3377c8a458181a1e206", "req_fake77bfbf40594b4efb95521fcb");

        lake.job().run();

        assertThat(lake.usageTotals().get("claude-code")).isEqualTo(FixtureRun.CLAUDE_CODE_PROTOBUF.expected);
        assertThat(lake.query("usage", "select call_id, source, cost_source, reported_cost_usd, duration_ms, success"
                + " from t order by timestamp")).containsExactly(
                Map.of("call_id", "req_fake97def3377c8a458181a1e206", "source", "import", "cost_source", "reported",
                        "reported_cost_usd", 0.0078, "duration_ms", 278.0, "success", true),
                Map.of("call_id", "req_fake77bfbf40594b4efb95521fcb", "source", "import", "cost_source", "reported",
                        "reported_cost_usd", 0.00635, "duration_ms", 209.0, "success", true));
        assertThat((Double) session(claude).get("cost_usd")).isCloseTo(0.01415, within(1e-12));
    }

    @Test
    void givenThePreferenceForOtlpThenTheSameSessionIsCountedOnceFromTelemetry() {
        String claude = lake.sessionsIn(lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF)).get(0);
        landImport(claude);
        var preferOtlp = new DerivedViews(PriceTable.embedded(), PriceMode.AUTO, new UsageSettings("otlp"));

        lake.job(preferOtlp).run();

        assertThat(lake.usageTotals().get("claude-code")).isEqualTo(FixtureRun.CLAUDE_CODE_PROTOBUF.expected);
        Map<String, Object> r = lake.query("usage", "select string_agg(distinct source, ',') as source, count(*) as calls,"
                + " sum(cost_usd) as cost from t").get(0);
        assertThat(r).containsEntry("source", "otlp").containsEntry("calls", 2L);
        assertThat((Double) r.get("cost")).isCloseTo(0.01415, within(1e-12));

        // Switching back re-derives every partition from the silver tables: nothing was lost.
        CompactionReport back = lake.job().run();
        assertThat(back.partitions()).containsExactly("sessions/dt=2026-11-22", "usage/dt=2026-11-22");
        assertThat(lake.query("usage", "select string_agg(distinct source, ',') as source from t"))
                .containsExactly(Map.of("source", "import"));
    }

    @Test
    void givenASessionFromOtlpAndItsImportedTranscriptThenItsPromptsAndToolCallsAreCountedOnceWhicheverSourceIsPreferred() {
        // The import writes the transcript too (the prompt, the tool's result): before, the sessions table
        // counted them from both sources, 2 prompts and 2 tool calls for a run of 1 and 1.
        String claude = lake.sessionsIn(lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF)).get(0);
        landImport(claude);
        landTranscript(claude);

        lake.job().run();

        assertThat(session(claude)).containsEntry("sources", "import").containsEntry("prompts", 1L)
                .containsEntry("tool_calls", 1L).containsEntry("tool_failures", 0L).containsEntry("model_calls", 2L)
                .containsEntry("input_tokens", 2450L);

        lake.job(new DerivedViews(PriceTable.embedded(), PriceMode.AUTO, new UsageSettings("otlp"))).run();

        assertThat(session(claude)).containsEntry("sources", "otlp").containsEntry("prompts", 1L)
                .containsEntry("tool_calls", 1L).containsEntry("tool_failures", 0L).containsEntry("model_calls", 2L)
                .containsEntry("input_tokens", 2450L);
    }

    @Test
    void givenACumulativeSeriesThatRunsPastMidnightWhenEachDayIsCompactedByItselfThenTheDaysAddUpToItsTotal() {
        // Gemini CLI counts lines as a cumulative sum: 12 lines by 23:59, 15 by 00:02. Day two's first point
        // is an increment of 3 over day one's last, not 15 new lines, even when day one was compacted
        // in an earlier run.
        landTwelveLinesBeforeMidnight();
        lake.job().run();
        lake.land("landing/metrics/dt=2026-11-23/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.parquet", LakeSchemas.METRICS, List.of(
                linesChanged("p3", "2026-11-23T00:01:00Z", 15), linesChanged("p4", "2026-11-23T00:02:00Z", 15)));
        lake.land("landing/logs/dt=2026-11-23/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbc.parquet", LakeSchemas.LOGS,
                List.of(prompt("l2", "2026-11-23T00:00:30Z")));
        CompactionReport second = lake.job().run();

        assertThat(second.partitions()).contains("sessions/dt=2026-11-23").doesNotContain("sessions/dt=2026-11-22");
        assertThat(linesAddedByDay()).containsExactly(
                Map.of("dt", "2026-11-22", "lines_added", 12L),
                Map.of("dt", "2026-11-23", "lines_added", 3L));
    }

    @Test
    void givenACumulativeSeriesSilentForTwoWholeDaysWhenItResumesThenTheDayCountsOnlyItsIncrement() {
        // A laptop asleep from Friday night to Monday morning with Gemini CLI open: the series started on
        // Friday (12 lines by 23:59), sent nothing on Saturday or Sunday, and resumes on Monday at 15 lines.
        // Monday counts 3 lines, not 15, although neither day before it holds a point of the series.
        String started = "2026-11-20T21:00:00Z";
        lake.land("landing/metrics/dt=2026-11-20/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.parquet", LakeSchemas.METRICS, List.of(
                linesChanged("p1", "2026-11-20T22:00:00Z", started, 10), linesChanged("p2", "2026-11-20T23:59:00Z", started, 12)));
        lake.land("landing/logs/dt=2026-11-20/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab.parquet", LakeSchemas.LOGS,
                List.of(prompt("l1", "2026-11-20T21:30:00Z")));
        // Another session's lines on Sunday: the day before Monday has a metrics partition, just not this series.
        lake.land("landing/metrics/dt=2026-11-22/cccccccccccccccccccccccccccccccc.parquet", LakeSchemas.METRICS, List.of(
                linesChanged("other", "g-sunday", "2026-11-22T10:00:00Z", "2026-11-22T09:00:00Z", 4)));
        lake.job().run();
        lake.land("landing/metrics/dt=2026-11-23/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.parquet", LakeSchemas.METRICS, List.of(
                linesChanged("p3", "2026-11-23T07:01:00Z", started, 15), linesChanged("p4", "2026-11-23T07:02:00Z", started, 15)));
        lake.land("landing/logs/dt=2026-11-23/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbc.parquet", LakeSchemas.LOGS,
                List.of(prompt("l2", "2026-11-23T07:00:30Z")));
        CompactionReport monday = lake.job().run();

        assertThat(monday.partitions()).contains("sessions/dt=2026-11-23", "metrics/dt=2026-11-23")
                .doesNotContain("sessions/dt=2026-11-20", "metrics/dt=2026-11-20");
        assertThat(linesAddedByDay()).containsExactly(
                Map.of("dt", "2026-11-20", "lines_added", 12L),
                Map.of("dt", "2026-11-23", "lines_added", 3L));
        assertThat(lake.query("metrics", "select count(*) as points from t")).as("no point copied by the look-back")
                .containsExactly(Map.of("points", 5L));

        // Re-deriving every day (what re-pricing does) gives the same days.
        lake.job().run(true);
        assertThat(linesAddedByDay()).containsExactly(
                Map.of("dt", "2026-11-20", "lines_added", 12L),
                Map.of("dt", "2026-11-23", "lines_added", 3L));
    }

    @Test
    void givenACumulativeSeriesPastMidnightWhenARowOfTheSecondDayIsDeletedThenTheDayStillCountsOnlyItsIncrement() {
        landTwelveLinesBeforeMidnight();
        lake.land("landing/metrics/dt=2026-11-23/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.parquet", LakeSchemas.METRICS, List.of(
                linesChanged("p3", "2026-11-23T00:01:00Z", 15), linesChanged("p4", "2026-11-23T00:02:00Z", 15)));
        lake.land("landing/logs/dt=2026-11-23/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbc.parquet", LakeSchemas.LOGS,
                List.of(prompt("l2", "2026-11-23T00:00:30Z"), prompt("l3", "2026-11-23T00:03:00Z")));
        lake.job().run();

        // The first prompt of the second day is deleted: that day's gold is derived again from its window.
        DeletionReport report = new DeletionJob(lake.store(), lake.settings(), lake.views(), java.time.Clock.systemUTC(), base -> { })
                .run(new RowDeletion(RowDeletion.Scope.LOGS, Instant.parse("2026-11-23T00:00:00Z"),
                        Instant.parse("2026-11-23T00:01:00Z"), "gemini-cli"), false, DeletionJob.Progress.NONE);

        assertThat(report.outcome()).isEqualTo("committed");
        assertThat(lake.query("sessions", "select dt::varchar as dt, prompts, lines_added from t where session_id = 'g-midnight'"
                + " order by dt")).containsExactly(
                Map.of("dt", "2026-11-22", "prompts", 1L, "lines_added", 12L),
                Map.of("dt", "2026-11-23", "prompts", 1L, "lines_added", 3L));
    }

    /** Day one of the session g-midnight: its prompt at 23:57 and 12 lines by 23:59 (a series started at 23:50). */
    private void landTwelveLinesBeforeMidnight() {
        lake.land("landing/metrics/dt=2026-11-22/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.parquet", LakeSchemas.METRICS, List.of(
                linesChanged("p1", "2026-11-22T23:58:00Z", 10), linesChanged("p2", "2026-11-22T23:59:00Z", 12)));
        lake.land("landing/logs/dt=2026-11-22/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab.parquet", LakeSchemas.LOGS,
                List.of(prompt("l1", "2026-11-22T23:57:00Z")));
    }

    private List<Map<String, Object>> linesAddedByDay() {
        return lake.query("sessions", "select dt::varchar as dt, lines_added from t where session_id = 'g-midnight'"
                + " order by dt");
    }

    private static final dev.agentlake.lake.model.ResourceColumns GEMINI = new dev.agentlake.lake.model.ResourceColumns(
            "gemini-cli", "gemini-cli", "0.40.1", "vm", "{\"service.name\":\"gemini-cli\"}");

    private static dev.agentlake.lake.model.LogRow prompt(String id, String time) {
        Instant t = Instant.parse(time);
        return new dev.agentlake.lake.model.LogRow(id, t.getEpochSecond() * 1_000_000_000L, 0, GEMINI, null, null, null, 0,
                "gemini_cli.user_prompt", null, "g-midnight", null, null, null, null, dev.agentlake.lake.model.Tokens.NONE,
                null, null, null, null, null, null, null, null, 0, "{\"event.name\":\"gemini_cli.user_prompt\"}", "otlp");
    }

    private static dev.agentlake.lake.model.MetricPointRow linesChanged(String id, String time, double value) {
        return linesChanged(id, time, "2026-11-22T23:50:00Z", value);
    }

    private static dev.agentlake.lake.model.MetricPointRow linesChanged(String id, String time, String started, double value) {
        return linesChanged(id, "g-midnight", time, started, value);
    }

    private static dev.agentlake.lake.model.MetricPointRow linesChanged(String id, String session, String time, String started,
                                                                         double value) {
        Instant t = Instant.parse(time);
        long start = Instant.parse(started).getEpochSecond() * 1_000_000_000L;
        return new dev.agentlake.lake.model.MetricPointRow(id, t.getEpochSecond() * 1_000_000_000L, start,
                GEMINI, "gemini-cli", null, "gemini_cli.lines.changed", null, "1", "sum", "cumulative", true, value, null, null,
                null, null, null, null, null, null, 0, session, null, null, null, "added",
                "{\"session.id\":\"" + session + "\",\"type\":\"added\"}", "otlp");
    }

    /** What {@code agentlake import} writes of the Claude fixture's transcript: the prompt and the Bash result. */
    private void landTranscript(String session) {
        var claude = new dev.agentlake.lake.model.ResourceColumns("claude-code", "claude-code", "2.1.330", null, "{}");
        long prompt = Instant.parse("2026-11-22T18:57:08.708Z").getEpochSecond() * 1_000_000_000L + 708_000_000L;
        long result = prompt + 353_000_000L;
        lake.land("landing/logs/dt=2026-11-22/0123456789abcdef0123456789abcdee.parquet", LakeSchemas.LOGS, List.of(
                new dev.agentlake.lake.model.LogRow("t-prompt", prompt, 0, claude, null, null, null, 0, "user_prompt", "say hi",
                        session, null, null, "demo", null, dev.agentlake.lake.model.Tokens.NONE, null, null, null, null, null,
                        null, null, null, 0, "{}", "import"),
                new dev.agentlake.lake.model.LogRow("t-result", result, 0, claude, null, null, null, 0, "tool_result", "hi",
                        session, null, null, "demo", null, dev.agentlake.lake.model.Tokens.NONE, null, null, true, "Bash", null,
                        null, null, null, 0, "{}", "import")));
    }

    private void landImport(String session) {
        landImport(session, "msg_1", "msg_2");
    }

    /** The session's two calls as an import of its session file writes them: tokens, no cost, duration or outcome. */
    private void landImport(String session, String firstCall, String secondCall) {
        long t1 = Instant.parse("2026-11-22T18:57:08.800Z").getEpochSecond() * 1_000_000_000L + 800_000_000L;
        lake.land("landing/usage/dt=2026-11-22/0123456789abcdef0123456789abcdef.parquet", LakeSchemas.USAGE, List.of(
                new UsageRow(t1, firstCall, "claude-code", session, null, "claude-opus-5-5", null, "demo", null,
                        1200, 35, 4000, 300, 0, 0, 0, null, "unknown_model", null, null, null, false, "import"),
                new UsageRow(t1 + 300_000_000L, secondCall, "claude-code", session, null, "claude-opus-5-5", null, "demo", null,
                        1250, 12, 4300, 50, 0, 0, 0, null, "unknown_model", null, null, null, false, "import")));
    }

    private Map<String, Object> session(String id) {
        List<Map<String, Object>> rows = lake.query("sessions", "select * exclude (first_seen, last_seen, dt), dt::varchar as dt,"
                + " epoch_us(first_seen) as first_us, epoch_us(last_seen) as last_us from t where session_id = '" + id + "'");
        assertThat(rows).as("one row for session " + id).hasSize(1);
        var row = new java.util.LinkedHashMap<>(rows.get(0));
        row.put("first_seen", micros((Long) row.remove("first_us")));
        row.put("last_seen", micros((Long) row.remove("last_us")));
        return row;
    }

    private static Instant micros(long us) {
        return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000);
    }

}
