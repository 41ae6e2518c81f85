package dev.agentlake.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.model.UsageRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.snapshot.CommitOutcome;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.SnapshotStore;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.testing.LakeTestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The API reuses what it computed for one state of the lake (connections with their views, the
 * usage derived from landing files) only while that state holds: a warm API sees a new landing file
 * on the next request, and a compaction that moves rows from landing into a table counts them once.
 */
class LiveLakeTest {
    static final String RANGE = "from=2026-11-20T00:00:00Z&to=2026-11-22T00:00:00Z";
    static final UsageRow C1 = UsageApiTest.call("c1", "2026-11-20T23:30:00Z", "claude-code", "s-1", "claude-sonnet-4-5",
            1000, 100, 5000, 200, 0, 0.0105);
    static final UsageRow C2 = UsageApiTest.call("c2", "2026-11-21T10:00:00Z", "claude-code", "s-1", "claude-sonnet-4-5",
            2000, 50, 6000, 0, 0, 0.0083);
    static final UsageRow C3 = UsageApiTest.call("c3", "2026-11-21T10:30:00Z", "codex", "x-1", "gpt-5",
            552, 55, 3848, 0, 16, 0.00172);

    @Test
    void givenAWarmApiWhenALandingFileArrivesAndIsThenCompactedThenEachRowIsCountedOnceEveryTime() throws Exception {
        try (LakeTestServer s3 = LakeTestServer.start(); RunningQuery api = RunningQuery.start(s3, Map.of())) {
            String first = LakeLayout.landingKey(Signal.USAGE, LocalDate.parse("2026-11-20"), "aaaaaaaaaaaaaaaa");
            s3.store().put(first, ParquetRowWriter.write(LakeSchemas.USAGE, List.of(C1, C2)));
            assertThat(totals(api)).isEqualTo("2 calls, 3000 in, 11000 cache read");
            assertThat(totals(api)).as("warm, same lake").isEqualTo("2 calls, 3000 in, 11000 cache read");
            assertThat(sql(api, "SELECT sum(model_calls), sum(input_tokens) FROM sessions")).isEqualTo("[[2,3000]]");

            String second = LakeLayout.landingKey(Signal.USAGE, LocalDate.parse("2026-11-21"), "bbbbbbbbbbbbbbbb");
            s3.store().put(second, ParquetRowWriter.write(LakeSchemas.USAGE, List.of(C3)));
            assertThat(totals(api)).isEqualTo("3 calls, 3552 in, 14848 cache read");
            assertThat(sql(api, "SELECT sum(model_calls), sum(input_tokens) FROM sessions")).isEqualTo("[[3,3552]]");

            // A compactor's commit: the rows move into table files and the snapshot consumes both landing files.
            String day20 = "tables/usage/dt=2026-11-20/part-0.parquet";
            String day21 = "tables/usage/dt=2026-11-21/part-0.parquet";
            byte[] rows20 = ParquetRowWriter.write(LakeSchemas.USAGE, List.of(C1));
            byte[] rows21 = ParquetRowWriter.write(LakeSchemas.USAGE, List.of(C2, C3));
            s3.store().put(day20, rows20);
            s3.store().put(day21, rows21);
            var snapshots = new SnapshotStore(s3.store());
            var snapshot = new Snapshot(Snapshot.FORMAT, 1, 0, Instant.now(), List.of(
                    new TableFile("usage", day20, LocalDate.parse("2026-11-20"), 1, rows20.length),
                    new TableFile("usage", day21, LocalDate.parse("2026-11-21"), 2, rows21.length)),
                    Set.of(first, second), "test", "test");
            CommitOutcome outcome = snapshots.commit(snapshot);
            // As the compactor does: an unanswered commit (a busy S3 server) is read back, not ignored.
            if (outcome == CommitOutcome.UNKNOWN) {
                outcome = snapshots.settle(snapshot);
            }
            assertThat(outcome).isEqualTo(CommitOutcome.COMMITTED);
            assertThat(totals(api)).as("landing files consumed but not yet deleted").isEqualTo("3 calls, 3552 in, 14848 cache read");

            s3.store().delete(List.of(first, second));
            assertThat(totals(api)).isEqualTo("3 calls, 3552 in, 14848 cache read");
            assertThat(sql(api, "SELECT count(*) FROM usage")).isEqualTo("[[3]]");
        }
    }

    @Test
    void givenAFileThatLandedJustBeforeAnAnswerThenTheNextQuestionWithThatAnswersCursorStillReportsIt() throws Exception {
        // Object times have whole seconds and the listing may be a refresh interval old: a cursor of "now"
        // would miss such a file for good (the dashboard's auto-refresh never showed it). A long refresh
        // interval keeps both answers on the one listing made after the file landed, so this holds however
        // slow the machine is.
        try (LakeTestServer s3 = LakeTestServer.start()) {
            s3.store().put(LakeLayout.landingKey(Signal.USAGE, LocalDate.parse("2026-11-20"), "cccccccccccccccc"),
                    ParquetRowWriter.write(LakeSchemas.USAGE, List.of(C1)));
            try (RunningQuery api = RunningQuery.start(s3, Map.of("agentlake.query.refresh-interval", "1h"))) {
                JsonNode first = api.json("/api/live");
                String cursor = first.get("now").asText();
                Instant landed = Instant.parse(first.get("latest_landing").asText());
                assertThat(Instant.parse(cursor)).as("the cursor trails the clock by the refresh interval and the margin")
                        .isBefore(Instant.now().minus(Duration.ofHours(1)).minusSeconds(1))
                        .isBefore(landed);

                JsonNode next = api.json("/api/live?since=" + cursor);

                assertThat(next.get("changed").asBoolean()).isTrue();
                assertThat(next.get("new_landing_files").asInt()).isEqualTo(1);
            }
        }
    }

    @Test
    void givenNoRefreshIntervalThenTheCursorStillTrailsTheClockByTwoSeconds() throws Exception {
        // S3 truncates object times to the second: an object put at x.95 s reads x, so one second of margin
        // would leave none for the answer's own latency.
        try (LakeTestServer s3 = LakeTestServer.start(); RunningQuery api = RunningQuery.start(s3, Map.of())) {
            Instant before = Instant.now();
            Instant cursor = Instant.parse(api.json("/api/live").get("now").asText());
            Instant after = Instant.now();
            assertThat(cursor).isBetween(before.minusSeconds(2), after.minusSeconds(2));
        }
    }

    static String totals(RunningQuery api) throws Exception {
        JsonNode t = api.json("/api/usage?" + RANGE + "&groupBy=tool").get("totals");
        return t.get("calls").asLong() + " calls, " + t.get("input_tokens").asLong() + " in, "
                + t.get("cache_read_tokens").asLong() + " cache read";
    }

    static String sql(RunningQuery api, String sql) throws Exception {
        var r = api.send("POST", "/api/sql", RunningQuery.JSON.writeValueAsString(Map.of("sql", sql)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RunningQuery.JSON.readTree(r.body()).get("rows").toString();
    }
}
