package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentlake.lake.pricing.PriceMode;
import dev.agentlake.lake.pricing.PriceTable;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.sql.DerivedViews;
import dev.agentlake.lake.sql.UsageSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leftovers are deleted only when it is safe, and prices can change after the fact. */
class ReaperAndRepriceTest {
    @RegisterExtension
    static final TestLake lake = TestLake.perClass().emptiedBeforeEachTest();

    @BeforeEach
    void compactedLake() {
        lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF);
        lake.job().run();
    }

    @Test
    void givenATableFileNoSnapshotNamesThenItIsReapedOnlyOnceOlderThanTheGracePeriod() {
        String orphan = "tables/logs/dt=2026-11-22/20261122T000000Z-deadbeef-1-0.parquet";
        lake.store().put(orphan, "left by a crashed run".getBytes(StandardCharsets.UTF_8));

        // A run now: the file may belong to a compactor that has not committed yet.
        assertThat(lake.job().run().reaped()).isZero();
        assertThat(lake.keys("tables/logs/")).contains(orphan);

        // A run two hours later (clock ahead of the file's LastModified): the default 1 h grace has passed.
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
        CompactionReport report = lake.job(lake.store(), lake.settings(), later).run();

        assertThat(report.reaped()).isEqualTo(1);
        assertThat(lake.keys("tables/logs/")).doesNotContain(orphan);
        assertThat(TestLake.unnamedTableFiles(lake.store())).isEmpty();
    }

    @Test
    void givenALandingFileTheSnapshotConsumedThenTheNextRunDeletesItWithoutCountingItAgain() {
        // The cleanup after the commit did not happen (crash): an exporter retry recreates the same key.
        var consumed = lake.snapshot().consumedLanding();
        var again = lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF);
        assertThat(again).containsExactlyInAnyOrderElementsOf(consumed);

        CompactionReport report = lake.job().run();

        assertThat(report.outcome()).isEqualTo("nothing_to_do");
        assertThat(report.reaped()).isEqualTo(again.size());
        assertThat(lake.keys("landing/")).isEmpty();
        assertThat(lake.usageTotals()).isEqualTo(Map.of("claude-code", FixtureRun.CLAUDE_CODE_PROTOBUF.expected));
    }

    @Test
    void givenAUserPriceForAnUnknownModelThenTheNextRunRepricesEveryUsagePartition() {
        assertThat(lake.query("usage", "select count(calculated_cost_usd) as priced from t")).containsExactly(Map.of("priced", 0L));
        Snapshot before = lake.snapshot();

        // The user prices claude-opus-5-5 like claude-opus-5: $5 in, $25 out, $0.50 cache read, $6.25 cache write per M.
        PriceTable withUserPrice = PriceTable.embedded().withOverrides("""
                {"claude-opus-5-5": {"input_cost_per_token": 5e-6, "output_cost_per_token": 2.5e-5,
                  "cache_read_input_token_cost": 5e-7, "cache_creation_input_token_cost": 6.25e-6}}"""
                .getBytes(StandardCharsets.UTF_8), "prices.json");
        CompactionReport report = lake.job(new DerivedViews(withUserPrice, PriceMode.CALCULATE, new UsageSettings("import")))
                .run();

        assertThat(report.committed()).isTrue();
        assertThat(report.landingFiles()).isZero();
        assertThat(report.partitions()).containsExactly("sessions/dt=2026-11-22", "usage/dt=2026-11-22");
        assertThat(report.unknownModels()).isEmpty();
        Snapshot after = lake.snapshot();
        assertThat(after.priceTable()).isEqualTo(withUserPrice.version()).isNotEqualTo(before.priceTable());
        assertThat(after.files("logs")).isEqualTo(before.files("logs"));
        Map<String, Object> r = lake.query("usage", "select sum(cost_usd) as cost, string_agg(distinct cost_source, ',') as src"
                + " from t").get(0);
        assertThat((Double) r.get("cost")).isCloseTo(2_450 * 5e-6 + 47 * 2.5e-5 + 8_300 * 5e-7 + 350 * 6.25e-6, within(1e-12));
        assertThat(r).containsEntry("src", "calculated");

        // The same prices again: nothing to do.
        assertThat(lake.job(new DerivedViews(withUserPrice, PriceMode.CALCULATE, new UsageSettings("import"))).run().outcome())
                .isEqualTo("nothing_to_do");
    }

    @Test
    void givenARepriceRequestThenEveryGoldPartitionIsDerivedAgainWithUnchangedTotals() {
        CompactionReport report = lake.job().run(true);

        assertThat(report.committed()).isTrue();
        assertThat(report.partitions()).containsExactly("sessions/dt=2026-11-22", "usage/dt=2026-11-22");
        assertThat(report.unknownModels()).containsExactly(Map.entry("claude-opus-5-5", 2L));
        assertThat(lake.usageTotals()).isEqualTo(Map.of("claude-code", FixtureRun.CLAUDE_CODE_PROTOBUF.expected));
    }

    @Test
    void givenALiveFileDeletedByHandThenCompactingItsPartitionFailsWithTheMissingKeyInsteadOfRetrying() {
        String live = lake.snapshot().files("logs").get(0).key();
        lake.store().delete(java.util.List.of(live));
        lake.ingest(FixtureRun.CLAUDE_CODE_JSON, "0001-claude-code-logs");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lake.job().run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("snapshot 1 or the landing listing names an object that is not in the bucket")
                .hasMessageContaining(live);
        assertThat(TestLake.unnamedTableFiles(lake.store())).isEmpty();
    }

    @Test
    void givenManySnapshotsThenOnlyTheNewestAreKept() {
        for (int i = 0; i < 3; i++) {
            lake.job().run(true);
        }
        var settings = lake.settings();
        CompactionJob keepTwo = lake.job(lake.store(), new CompactorSettings(Duration.ZERO, settings.orphanGrace(),
                settings.maxLandingFiles(), settings.targetFileBytes(), settings.rowGroupRows(), settings.commitAttempts(),
                2, settings.transferThreads(), settings.workDir(), settings.memoryLimit(), settings.interval(),
                settings.leaseDuration(), settings.leaseSettle(), settings.appendAboveRows(), settings.maxPartitionFiles()),
                Clock.fixed(Instant.now(), ZoneOffset.UTC));

        keepTwo.run(true);

        assertThat(lake.keys("_lake/snapshots/")).containsExactly(
                "_lake/snapshots/00000000000000000004.json", "_lake/snapshots/00000000000000000005.json");
    }
}
