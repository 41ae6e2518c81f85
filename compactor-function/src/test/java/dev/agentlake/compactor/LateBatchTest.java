package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.Tokens;
import dev.agentlake.lake.model.UsageRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.snapshot.TableFile;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Late batches (a run after the first of a day, every minute with the local timer): the day's live
 * rows are read in place, only the key for the de-duplication and the gold SQL's columns, where the
 * day gets one more file or is read for the gold tables only. Each test compares the lake such a run
 * leaves with the lake the same landing files give when every day is rewritten whole.
 */
class LateBatchTest {
    @RegisterExtension
    static final TestLake lake = TestLake.perClass().emptiedBeforeEachTest();

    private static final String DAY = "2026-11-22";
    /** The Claude Code capture's session (its calls and the rows below are of it). */
    private static String session;
    /** The cost the capture's 2 calls reported. */
    private static final double CAPTURED_COST = 0.01415;

    @Test
    void givenALateBatchForALargeDayThenOnlyItsNewRowsAreAppendedAndTheLakeIsTheOneARewriteGives() {
        CompactionReport late = lateBatch(appending());

        // late-1 and late-2 are new; the copy of live-1 and the second copy of late-1 are not written.
        assertThat(late.partitions()).containsExactly("logs/dt=" + DAY, "sessions/dt=" + DAY, "usage/dt=" + DAY);
        assertThat(late.rowsWritten()).containsEntry("logs", 2L);
        assertThat(lake.snapshot().files("logs")).extracting(TableFile::rows).containsExactlyInAnyOrder(CAPTURED_LOG_ROWS + 1, 2L);
        assertThat(lake.query("logs", "select count(*) as n, count(distinct record_id) as ids from t"))
                .containsExactly(Map.of("n", CAPTURED_LOG_ROWS + 3, "ids", CAPTURED_LOG_ROWS + 3));
        // The capture's 2 calls and 3 of 100 input and 10 output tokens each.
        assertThat(lake.usageTotals()).isEqualTo(Map.of("claude-code", new FixtureRun.Totals(5, 2750, 8300, 350, 77, 0)));
        Map<String, Object> row = session();
        assertThat(row).containsEntry("model_calls", 5L).containsEntry("prompts", 1L).containsEntry("tool_calls", 1L)
                .containsEntry("input_tokens", 2750L).containsEntry("output_tokens", 77L);
        assertThat((Double) row.get("cost_usd")).isCloseTo(CAPTURED_COST + 3 * 0.001, within(1e-12));
        Map<String, List<Map<String, Object>>> appended = lakeRows();

        // Re-pricing derives the day again from its two live files: the same rows.
        CompactionReport repriced = appending().run(true);
        assertThat(repriced.partitions()).containsExactly("sessions/dt=" + DAY, "usage/dt=" + DAY);
        assertSameLake(appended);

        lake.clear();
        lateBatch(rewriting());
        assertThat(lake.snapshot().files("logs")).extracting(TableFile::rows).containsExactly(CAPTURED_LOG_ROWS + 3);
        assertSameLake(appended);
    }

    @Test
    void givenALateCopyOfALiveRowThatDiffersThenTheLiveCopyIsKeptWhetherTheDayIsAppendedOrRewritten() {
        CompactionReport late = differingCopy(appending());

        assertThat(late.rowsWritten()).containsEntry("logs", 1L);
        assertThat(lake.query("logs", "select record_id, output_tokens from t where record_id like 'live-%' or record_id like 'late-%'"
                + " order by record_id")).containsExactly(
                Map.of("record_id", "late-1", "output_tokens", 10L), Map.of("record_id", "live-1", "output_tokens", 10L));
        assertThat(lake.query("usage", "select call_id, output_tokens from t where call_id = 'req_live'"))
                .containsExactly(Map.of("call_id", "req_live", "output_tokens", 10L));
        Map<String, List<Map<String, Object>>> appended = lakeRows();

        lake.clear();
        CompactionReport rewritten = differingCopy(rewriting());
        assertThat(rewritten.rowsWritten()).containsEntry("logs", CAPTURED_LOG_ROWS + 2);
        assertSameLake(appended);
    }

    @Test
    void givenAnImportForADayWhoseLogsAreCompactedThenItsUsageAndSessionsAreDerivedFromTheLiveLogsExactly() {
        ingestCapture();
        appending().run();
        List<TableFile> logs = lake.snapshot().files("logs");
        landImport();

        CompactionReport imported = appending().run();

        // The logs are read for the gold tables only: not rewritten, yet their prompts and tool calls count.
        assertThat(imported.partitions()).containsExactly("imported_usage/dt=" + DAY, "sessions/dt=" + DAY, "usage/dt=" + DAY);
        assertThat(lake.snapshot().files("logs")).isEqualTo(logs);
        assertThat(lake.usageTotals()).isEqualTo(Map.of("claude-code", FixtureRun.CLAUDE_CODE_PROTOBUF.expected));
        assertThat(session()).containsEntry("sources", "import").containsEntry("model_calls", 2L).containsEntry("prompts", 1L)
                .containsEntry("tool_calls", 1L).containsEntry("input_tokens", 2450L).containsEntry("cache_read_tokens", 8300L);
        Map<String, List<Map<String, Object>>> inTwoRuns = lakeRows();

        lake.clear();
        ingestCapture();
        landImport();
        rewriting().run();
        assertSameLake(inTwoRuns);
    }

    @Test
    void givenLateRowsForALargeAndASmallDayInOneRunThenTheLargeIsAppendedTheSmallRewrittenAndBothAreExact() {
        String next = "2026-11-23";
        ingestCapture();
        lake.land("landing/logs/dt=" + next + "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1.parquet", LakeSchemas.LOGS, List.of(
                call("next-1", next + "T08:00:00Z", "req_next_1", 10)));
        // Days of at least 3 rows get late rows appended: the capture's day, not the next one.
        CompactionJob job = job(3);
        job.run();
        lake.land("landing/logs/dt=" + DAY + "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2.parquet", LakeSchemas.LOGS, List.of(
                call("late-1", DAY + "T20:00:00Z", "req_late_1", 10),
                call("next-1", next + "T08:00:00Z", "req_next_1", 10),
                call("next-2", next + "T09:00:00Z", "req_next_2", 10)));

        CompactionReport late = job.run();

        assertThat(late.partitions()).containsExactly("logs/dt=" + DAY, "logs/dt=" + next, "sessions/dt=" + DAY,
                "sessions/dt=" + next, "usage/dt=" + DAY, "usage/dt=" + next);
        assertThat(late.rowsWritten()).containsEntry("logs", 1L + 2L);
        Map<String, List<Long>> filesByDay = new LinkedHashMap<>();
        lake.snapshot().files("logs").forEach(f -> filesByDay.computeIfAbsent(f.dt().toString(), d -> new java.util.ArrayList<>())
                .add(f.rows()));
        assertThat(filesByDay.get(DAY)).containsExactlyInAnyOrder(CAPTURED_LOG_ROWS, 1L);
        assertThat(filesByDay.get(next)).containsExactly(2L);
        assertThat(lake.usageTotals()).isEqualTo(Map.of("claude-code", new FixtureRun.Totals(5, 2750, 8300, 350, 77, 0)));
        assertThat(lake.query("usage", "select dt::varchar as dt, count(*) as n from t group by dt order by dt"))
                .containsExactly(Map.of("dt", DAY, "n", 3L), Map.of("dt", next, "n", 2L));
        Map<String, List<Map<String, Object>>> appended = lakeRows();

        lake.clear();
        ingestCapture();
        lake.land("landing/logs/dt=" + next + "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1.parquet", LakeSchemas.LOGS, List.of(
                call("next-1", next + "T08:00:00Z", "req_next_1", 10)));
        rewriting().run();
        lake.land("landing/logs/dt=" + DAY + "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2.parquet", LakeSchemas.LOGS, List.of(
                call("late-1", DAY + "T20:00:00Z", "req_late_1", 10),
                call("next-1", next + "T08:00:00Z", "req_next_1", 10),
                call("next-2", next + "T09:00:00Z", "req_next_2", 10)));
        rewriting().run();
        assertSameLake(appended);
    }

    /** Log rows of the Claude Code capture (CLAUDE_CODE_PROTOBUF) on its day. */
    private static final long CAPTURED_LOG_ROWS = 12L;

    private static void ingestCapture() {
        session = lake.sessionsIn(lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF)).get(0);
    }

    /**
     * The capture and live-1 compacted, then a late batch: late-1 and late-2, an exact copy of live-1 (an
     * exporter's retry), and late-1 again in a second file.
     */
    private CompactionReport lateBatch(CompactionJob job) {
        ingestCapture();
        lake.land("landing/logs/dt=" + DAY + "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1.parquet", LakeSchemas.LOGS, List.of(
                call("live-1", DAY + "T19:00:00Z", "req_live", 10)));
        job.run();
        lake.land("landing/logs/dt=" + DAY + "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2.parquet", LakeSchemas.LOGS, List.of(
                call("late-1", DAY + "T20:00:00Z", "req_late_1", 10),
                call("live-1", DAY + "T19:00:00Z", "req_live", 10),
                call("late-2", DAY + "T07:00:00Z", "req_late_2", 10)));
        lake.land("landing/logs/dt=" + DAY + "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3.parquet", LakeSchemas.LOGS, List.of(
                call("late-1", DAY + "T20:00:00Z", "req_late_1", 10)));
        return job.run();
    }

    /** live-1 compacted, then a copy of it with other tokens (a foreign writer's bug) beside a new row. */
    private CompactionReport differingCopy(CompactionJob job) {
        ingestCapture();
        lake.land("landing/logs/dt=" + DAY + "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1.parquet", LakeSchemas.LOGS, List.of(
                call("live-1", DAY + "T19:00:00Z", "req_live", 10)));
        job.run();
        lake.land("landing/logs/dt=" + DAY + "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2.parquet", LakeSchemas.LOGS, List.of(
                call("live-1", DAY + "T19:00:00Z", "req_live", 999),
                call("late-1", DAY + "T20:00:00Z", "req_late_1", 10)));
        return job.run();
    }

    /** A compactor that appends late rows to any day with rows (at most 8 files a day). */
    private static CompactionJob appending() {
        return job(1);
    }

    /** A compactor that rewrites every day it merges rows into. */
    private static CompactionJob rewriting() {
        return job(0);
    }

    private static CompactionJob job(long appendAboveRows) {
        return lake.job(lake.store(), lake.settings().withGraces(Duration.ZERO, Duration.ZERO).withAppends(appendAboveRows, 8),
                Clock.systemUTC());
    }

    /**
     * Every row of the silver and gold tables a reader sees, in a fixed order. Costs to 12 decimals: a
     * session's cost is a sum of doubles, whose last bit depends on the order DuckDB's threads add them in.
     */
    private static Map<String, List<Map<String, Object>>> lakeRows() {
        var out = new LinkedHashMap<String, List<Map<String, Object>>>();
        out.put("logs", lake.query("logs", "select * from t order by record_id"));
        out.put("imported_usage", lake.query("imported_usage", "select * from t order by call_id"));
        out.put("usage", lake.query("usage", "select * from t order by call_id"));
        out.put("sessions", lake.query("sessions", "select * from t order by tool, session_id, first_seen"));
        out.replaceAll((table, rows) -> rows.stream().map(LateBatchTest::costsRounded).toList());
        return out;
    }

    private static Map<String, Object> costsRounded(Map<String, Object> row) {
        var out = new LinkedHashMap<String, Object>(row);
        out.replaceAll((column, value) -> value instanceof Double d
                ? new BigDecimal(d).setScale(12, RoundingMode.HALF_EVEN) : value);
        return out;
    }

    /** Every table holds the same rows as {@code expected} (one table at a time, so a failure names it). */
    private static void assertSameLake(Map<String, List<Map<String, Object>>> expected) {
        Map<String, List<Map<String, Object>>> actual = lakeRows();
        expected.forEach((table, rows) -> assertThat(actual.get(table)).as(table).containsExactlyElementsOf(rows));
    }

    private static Map<String, Object> session() {
        List<Map<String, Object>> rows = lake.query("sessions", "select * from t where session_id = '" + session + "'");
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static LogRow call(String recordId, String time, String requestId, long outputTokens) {
        Instant t = Instant.parse(time);
        return new LogRow(recordId, t.getEpochSecond() * 1_000_000_000L, 0,
                new ResourceColumns("claude-code", "claude-code", "2.1.330", null, "{}"), null, null, null, 0,
                "api_request", "claude_code.api_request", session, null, null, "demo",
                "claude-opus-5-5", new Tokens(100L, outputTokens, 0L, 0L, 0L, 0L, null, null), 0.001, 10.0, null, null, null,
                requestId, null, null, 0, "{}", "otlp");
    }

    /** The capture's two calls as an import of the session file has them. */
    private static void landImport() {
        long t1 = Instant.parse("2026-11-22T18:57:08.800Z").getEpochSecond() * 1_000_000_000L + 800_000_000L;
        lake.land("landing/usage/dt=" + DAY + "/0123456789abcdef0123456789abcdef.parquet", LakeSchemas.USAGE, List.of(
                new UsageRow(t1, "msg_1", "claude-code", session, null, "claude-opus-5-5", null, "demo", null,
                        1200, 35, 4000, 300, 0, 0, 0, null, "unknown_model", null, null, true, false, "import"),
                new UsageRow(t1 + 300_000_000L, "msg_2", "claude-code", session, null, "claude-opus-5-5", null, "demo", null,
                        1250, 12, 4300, 50, 0, 0, 0, null, "unknown_model", null, null, true, false, "import")));
    }
}
