package dev.agentlake.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.snapshot.CommitOutcome;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.SnapshotStore;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.testing.LakeTestServer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A compaction commits and deletes the landing files it consumed while the query function still
 * holds its earlier listing of the lake (within the refresh interval, or while it downloads a long
 * list of landing files after a load). A landing file that is gone when it is fetched must make the
 * request read the lake again, not silently drop the file's rows: its rows are in the new
 * snapshot's table files. (Found by the Load run: right after a load, /api/sql counted fewer rows
 * than /api/usage.)
 */
class CompactionDuringReadTest {

    @Test
    void givenALandingFileCompactedAwayAfterTheListingWhenQueriedThenItsRowsAreReadFromTheNewSnapshot()
            throws Exception {
        try (LakeTestServer s3 = LakeTestServer.start()) {
            byte[] early = ParquetRowWriter.write(LakeSchemas.LOGS, List.of(
                    LogsApiTest.row("r1", "2026-11-20T08:00:00Z", LogsApiTest.CLAUDE, "user_prompt", "s-1", "a"),
                    LogsApiTest.row("r2", "2026-11-20T08:00:02Z", LogsApiTest.CLAUDE, "api_request", "s-1", "b")));
            byte[] late = ParquetRowWriter.write(LakeSchemas.LOGS, List.of(
                    LogsApiTest.row("r3", "2026-11-25T09:30:00Z", LogsApiTest.CLAUDE, "user_prompt", "s-2", "c")));
            String earlyKey = LakeLayout.landingKey(Signal.LOGS, LocalDate.parse("2026-11-20"), "aaaaaaaaaaaaaaaa");
            String lateKey = LakeLayout.landingKey(Signal.LOGS, LocalDate.parse("2026-11-25"), "bbbbbbbbbbbbbbbb");
            s3.store().put(earlyKey, early);
            s3.store().put(lateKey, late);
            // The listing is kept for an hour, so the second request reuses the first one's.
            try (RunningQuery api = RunningQuery.start(s3, Map.of("agentlake.query.refresh-interval", "1h"))) {
                // Given: a request over 2026-11-20 lists both landing files and fetches only the early one.
                assertThat(api.json("/api/logs?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z").get("rows"))
                        .hasSize(2);

                // When: a compaction moves the late file into a table file, commits, deletes it from landing.
                String tableKey = "tables/logs/dt=2026-11-25/compacted-0001.parquet";
                s3.store().put(tableKey, late);
                var snapshots = new SnapshotStore(s3.store());
                var snapshot = new Snapshot(Snapshot.FORMAT, 1, 0, Instant.now(),
                        List.of(new TableFile("logs", tableKey, LocalDate.parse("2026-11-25"), 1, late.length)),
                        Set.of(lateKey), null);
                CommitOutcome outcome = snapshots.commit(snapshot);
                // As the compactor does: an unanswered commit (once seen in CI on a busy S3 server) is read back.
                if (outcome == CommitOutcome.UNKNOWN) {
                    outcome = snapshots.settle(snapshot);
                }
                assertThat(outcome).isEqualTo(CommitOutcome.COMMITTED);
                s3.store().delete(List.of(lateKey));

                // Then: a query over everything still counts every row once.
                var r = api.send("POST", "/api/sql", "{\"sql\": \"select count(*) as n from logs\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode rows = RunningQuery.JSON.readTree(r.body()).get("rows");
                assertThat(rows.get(0).get(0).asLong()).isEqualTo(3);
            }
        }
    }
}
