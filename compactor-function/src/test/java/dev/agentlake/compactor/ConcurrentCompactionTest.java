package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two compactors at once: one commits, the other gives way, and nothing is counted twice. */
class ConcurrentCompactionTest {
    private static final Map<String, FixtureRun.Totals> EXPECTED = FixtureRun.totalsByTool(FixtureRun.ONE_PER_TOOL);
    @RegisterExtension
    static final TestLake lake = TestLake.perClass().emptiedBeforeEachTest();

    @BeforeEach
    void landingOfThreeRuns() {
        lake.ingestAll(FixtureRun.ONE_PER_TOOL);
    }

    @Test
    void givenTwoCompactorsThatBothReachTheCommitThenOneCommitsAndTheOtherDeletesItsFilesAndFindsNothingLeft()
            throws Exception {
        // Both compactors prepare the same next version from the same snapshot, then race to commit it.
        var barrier = new CyclicBarrier(2);
        CompletableFuture<CompactionReport> a = CompletableFuture.supplyAsync(() -> job(barrier).run());
        CompletableFuture<CompactionReport> b = CompletableFuture.supplyAsync(() -> job(barrier).run());
        List<CompactionReport> reports = List.of(a.get(120, TimeUnit.SECONDS), b.get(120, TimeUnit.SECONDS));

        assertThat(reports).extracting(CompactionReport::outcome).containsExactlyInAnyOrder("committed", "nothing_to_do");
        CompactionReport loser = reports.stream().filter(r -> !r.committed()).findFirst().orElseThrow();
        assertThat(loser.attempts()).isEqualTo(2);
        assertThat(lake.snapshot().version()).isEqualTo(1);
        assertThat(lake.usageTotals()).isEqualTo(EXPECTED);
        assertThat(TestLake.unnamedTableFiles(lake.store())).isEmpty();
        assertThat(lake.keys("landing/")).isEmpty();
    }

    @Test
    void givenTwoCompactorsStartedTogetherThenTheLakeIsExactWhoeverWins() throws Exception {
        // As deployed: the default orphan grace, so neither reaps the other's files while they race.
        CompletableFuture<CompactionReport> a = CompletableFuture.supplyAsync(() -> lake.job().run());
        CompletableFuture<CompactionReport> b = CompletableFuture.supplyAsync(() -> lake.job(lake.store(), lake.settings(),
                Clock.systemUTC()).run());
        List<CompactionReport> reports = List.of(a.get(120, TimeUnit.SECONDS), b.get(120, TimeUnit.SECONDS));

        assertThat(reports).filteredOn(CompactionReport::committed).hasSizeBetween(1, 2);
        assertThat(lake.usageTotals()).isEqualTo(EXPECTED);
        assertThat(lake.keys("landing/")).isEmpty();
        // A compactor that lost leaves at most files no snapshot names, which the next run reaps
        // (here at once: no grace).
        lake.job(lake.store()).run();
        assertThat(TestLake.unnamedTableFiles(lake.store())).isEmpty();
        assertThat(lake.usageTotals()).isEqualTo(EXPECTED);
    }

    /** A compactor whose first commit waits until the other one is about to commit too. */
    private CompactionJob job(CyclicBarrier barrier) {
        ObjectStore racing = new ObjectStore() {
            private boolean waited;

            @Override
            public boolean putIfAbsent(String key, byte[] content) {
                // The first commit, not the put-if-absent probe the compactor makes before it.
                if (!waited && key.startsWith("_lake/snapshots/")) {
                    waited = true;
                    try {
                        barrier.await(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return lake.store().putIfAbsent(key, content);
            }

            @Override
            public void put(String key, byte[] content) {
                lake.store().put(key, content);
            }

            @Override
            public Optional<byte[]> get(String key) {
                return lake.store().get(key);
            }

            @Override
            public boolean download(String key, Path target) {
                return lake.store().download(key, target);
            }

            @Override
            public List<StoredObject> list(String prefix) {
                return lake.store().list(prefix);
            }

            @Override
            public void delete(Collection<String> keys) {
                lake.store().delete(keys);
            }
        };
        // The default orphan grace: neither may reap the other's files while they race.
        return lake.job(racing, lake.settings(), Clock.systemUTC());
    }
}
