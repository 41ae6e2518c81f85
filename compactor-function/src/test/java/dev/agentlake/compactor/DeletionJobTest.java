package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.sql.DerivedViews;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DeletionJob} racing a compactor: the deletion gives way, starts again on the newer snapshot, and is exact. */
class DeletionJobTest {
    private static final RowDeletion CODEX_ALL_OF_THE_DAY = new RowDeletion(RowDeletion.Scope.ALL,
            Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-23T00:00:00Z"), "codex");
    @RegisterExtension
    static final TestLake lake = TestLake.perClass().emptiedBeforeEachTest();

    @BeforeEach
    void compactedClaudeAndCodex() {
        lake.ingest(FixtureRun.CLAUDE_CODE_JSON);
        lake.ingest(FixtureRun.CODEX_BINARY);
        assertThat(lake.job().run().committed()).isTrue();
    }

    @Test
    void givenACompactorCommitsBetweenTheDeletionsReadAndItsCommitThenTheDeletionRetriesOnTheNewSnapshot() {
        var commits = new AtomicInteger();
        DeletionJob job = deletion(base -> {
            if (commits.getAndIncrement() == 0) {
                // Another writer wins version base+1: Gemini's requests arrive and are compacted.
                lake.ingest(FixtureRun.GEMINI);
                assertThat(lake.job(lake.store()).run().version()).isEqualTo(base.version() + 1);
            }
        });

        DeletionReport report = job.run(CODEX_ALL_OF_THE_DAY, false, DeletionJob.Progress.NONE);

        assertThat(report.outcome()).isEqualTo("committed");
        assertThat(report.attempts()).isEqualTo(2);
        assertThat(report.version()).isEqualTo(3);
        assertThat(lake.snapshot().version()).isEqualTo(3);
        assertThat(lake.usageTotals()).isEqualTo(Map.of("claude-code", FixtureRun.CLAUDE_CODE_JSON.expected,
                "gemini-cli", FixtureRun.GEMINI.expected));
        for (String table : new String[] {"logs", "spans", "metrics"}) {
            assertThat(TestLake.n(lake.query(table, "select count(*) as n from t where tool = 'codex'").get(0), "n"))
                    .as(table).isZero();
            assertThat(TestLake.n(lake.query(table, "select count(*) as n from t where tool = 'gemini-cli'").get(0), "n"))
                    .as(table).isPositive();
        }
        assertThat(report.tables().get("spans").windowRowsAfter()).isZero();
        // The files of the lost attempt and the superseded ones are gone; nothing is left in landing.
        assertThat(TestLake.unnamedTableFiles(lake.store())).isEmpty();
        assertThat(lake.keys("landing/")).isEmpty();

        // What the deletion derived is what the compactor derives from the same rows.
        assertThat(lake.job().run(true).committed()).isTrue();
        assertThat(lake.usageTotals()).isEqualTo(Map.of("claude-code", FixtureRun.CLAUDE_CODE_JSON.expected,
                "gemini-cli", FixtureRun.GEMINI.expected));
    }

    @Test
    void givenADryRunThenItCountsAndTheBucketIsUnchanged() {
        var keys = lake.keys("");

        DeletionReport report = deletion(base -> { }).run(CODEX_ALL_OF_THE_DAY, true, DeletionJob.Progress.NONE);

        assertThat(report.outcome()).isEqualTo("dry_run");
        assertThat(report.tables().get("usage")).isEqualTo(new DeletionReport.TableCounts(4, 2, 2, 2, 0));
        assertThat(report.tables().get("sessions")).isEqualTo(new DeletionReport.TableCounts(2, 1, 1, 1, 0));
        assertThat(report.filesWritten()).isZero();
        assertThat(lake.keys("")).isEqualTo(keys);
    }

    private DeletionJob deletion(DeletionJob.BeforeCommit hook) {
        return new DeletionJob(lake.store(), lake.settings(), lake.views(), Clock.systemUTC(),
                hook);
    }
}
