package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentlake.lake.snapshot.CommitLease;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.lake.testing.LockstepWrites;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

/**
 * Compaction on a real S3-compatible server that ignores {@code If-None-Match: *} (S3Proxy behind a
 * proxy that drops the header): the commit cannot settle a race, so the commit lease does.
 */
class UnconditionalStoreCompactionTest {
    private static final Map<String, FixtureRun.Totals> EXPECTED = FixtureRun.totalsByTool(FixtureRun.ONE_PER_TOOL);
    @RegisterExtension
    static final TestLake lake = TestLake.perClassIgnoringPutIfAbsent(Map.of("agentlake.compactor.lease-settle", "500ms"))
            .emptiedBeforeEachTest();

    @BeforeEach
    void landingOfThreeRuns() {
        lake.ingestAll(FixtureRun.ONE_PER_TOOL);
    }

    @Test
    void givenTwoCompactorsStartedTogetherThenOneRunsTheOtherIsBusyAndTheTotalsAreExact() throws Exception {
        var barrier = new CyclicBarrier(2);
        // Both read the free lease before either writes it, and both have written before either reads it
        // back: the race the settle pause decides, every time. (Left to the scheduler, a compactor stalled
        // longer than the settle between its read and its write would also think it holds the lease.)
        ObjectStore together = new LockstepWrites(lake.store(), CommitLease.KEY, 2);
        CompletableFuture<CompactionReport> a = CompletableFuture.supplyAsync(() -> startTogether(barrier, job(together)));
        CompletableFuture<CompactionReport> b = CompletableFuture.supplyAsync(() -> startTogether(barrier, job(together)));
        List<CompactionReport> reports = List.of(a.get(120, TimeUnit.SECONDS), b.get(120, TimeUnit.SECONDS));

        assertThat(reports).extracting(CompactionReport::outcome).containsExactlyInAnyOrder("committed", "busy");
        assertThat(lake.keys("_lake/snapshots/")).containsExactly("_lake/snapshots/00000000000000000001.json");
        assertThat(lake.usageTotals()).isEqualTo(EXPECTED);
        assertThat(TestLake.unnamedTableFiles(lake.store())).isEmpty();
        assertThat(lake.keys("landing/")).isEmpty();
        // The winner gave the lease back, and the probes left nothing.
        assertThat(lake.keys("_lake/")).containsExactly("_lake/snapshots/00000000000000000001.json");
    }

    @Test
    void givenAnotherCompactorsLiveLeaseThenARunDoesNothing() {
        var lease = new CommitLease(lake.store(), Clock.systemUTC(), Duration.ZERO);
        CommitLease.Holder other = lease.acquire("another-host/42/run", Duration.ofMinutes(10)).orElseThrow();
        List<String> landing = lake.keys("landing/");

        CompactionReport report = job().run();

        assertThat(report.outcome()).isEqualTo("busy");
        assertThat(lake.keys("landing/")).isEqualTo(landing);
        assertThat(lake.keys("_lake/")).containsExactly(CommitLease.KEY);
        assertThat(lake.keys("tables/")).isEmpty();
        assertThat(lease.read()).contains(other);
    }

    @Test
    void givenALeaseLeftByACrashedCompactorWhenItHasExpiredThenTheNextRunTakesItAndCommits() {
        Instant crashed = Instant.now().minus(Duration.ofMinutes(20));
        var old = new CommitLease(lake.store(), Clock.fixed(crashed, java.time.ZoneOffset.UTC), Duration.ZERO);
        old.acquire("crashed-host/7/run", Duration.ofMinutes(15)).orElseThrow();

        CompactionReport report = job().run();

        assertThat(report.outcome()).isEqualTo("committed");
        assertThat(lake.usageTotals()).isEqualTo(EXPECTED);
        assertThat(lake.keys("_lake/")).containsExactly("_lake/snapshots/00000000000000000001.json");
    }

    @Test
    void givenARivalOverwritesTheLeaseDuringARunThenTheRunDoesNotCommitAndLeavesNothingVisible() {
        // The rival's clock runs an hour ahead, so our lease looks expired to it and it writes its own,
        // as a rival that read the lease before ours landed would.
        var rival = new CommitLease(lake.store(), Clock.offset(Clock.systemUTC(), Duration.ofHours(1)), Duration.ZERO);
        ObjectStore overwritingMidRun = new ForwardingStore(lake.store()) {
            private boolean overwritten;

            @Override
            public boolean download(String key, Path target) {
                if (!overwritten) {
                    overwritten = true;
                    rival.acquire("rival-host/9/run", Duration.ofMinutes(10)).orElseThrow();
                }
                return super.download(key, target);
            }
        };
        CompactionJob job = lake.job(overwritingMidRun, lake.settings(), Clock.systemUTC());
        List<String> landing = lake.keys("landing/");

        assertThatThrownBy(job::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("lost the commit lease");

        assertThat(lake.keys("_lake/")).containsExactly(CommitLease.KEY);
        assertThat(lake.keys("tables/")).isEmpty();
        assertThat(lake.keys("landing/")).isEqualTo(landing);
        // The rival's lease is left alone.
        assertThat(rival.read()).map(CommitLease.Holder::owner).contains("rival-host/9/run");
    }

    private CompactionJob job() {
        return job(lake.store());
    }

    private CompactionJob job(ObjectStore store) {
        // As deployed: the default orphan grace, a fresh compactor (and probe) each.
        return lake.job(store, lake.settings(), Clock.systemUTC());
    }

    private static CompactionReport startTogether(CyclicBarrier barrier, CompactionJob job) {
        try {
            barrier.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return job.run();
    }

    /** A store that passes every call on; tests override the call they interfere with. */
    private static class ForwardingStore implements ObjectStore {
        private final ObjectStore store;

        ForwardingStore(ObjectStore store) {
            this.store = store;
        }

        @Override
        public void put(String key, byte[] content) {
            store.put(key, content);
        }

        @Override
        public boolean putIfAbsent(String key, byte[] content) {
            return store.putIfAbsent(key, content);
        }

        @Override
        public Optional<byte[]> get(String key) {
            return store.get(key);
        }

        @Override
        public boolean download(String key, Path target) {
            return store.download(key, target);
        }

        @Override
        public List<StoredObject> list(String prefix) {
            return store.list(prefix);
        }

        @Override
        public void delete(Collection<String> keys) {
            store.delete(keys);
        }
    }
}
