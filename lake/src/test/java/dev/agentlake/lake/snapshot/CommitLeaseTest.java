package dev.agentlake.lake.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.RefusedAfterRetryException;
import dev.agentlake.lake.store.StoreUnavailableException;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.lake.testing.LakeTestServer;
import dev.agentlake.lake.testing.LockstepWrites;
import dev.agentlake.lake.testing.UnconditionalS3Server;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Put-if-absent probing and the commit lease, against two real S3-compatible servers: S3Proxy, which
 * honours {@code If-None-Match: *}, and S3Proxy behind a proxy that drops the header.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommitLeaseTest {
    private LakeTestServer honouring;
    private UnconditionalS3Server ignoring;

    @BeforeAll
    void start() {
        honouring = LakeTestServer.start();
        ignoring = UnconditionalS3Server.start();
    }

    @AfterAll
    void stop() {
        honouring.close();
        ignoring.close();
    }

    @BeforeEach
    void empty() {
        for (ObjectStore s : List.of(honouring.store(), ignoring.store())) {
            List<String> keys = s.list("").stream().map(StoredObject::key).toList();
            if (!keys.isEmpty()) {
                s.delete(keys);
            }
        }
    }

    @Test
    void givenAServerThatHonoursIfNoneMatchThenTheProbeSaysSoAndLeavesNothingBehind() {
        assertThat(new SnapshotStore(honouring.store()).conditionalCreates()).isTrue();
        assertThat(honouring.keys()).isEmpty();
    }

    /**
     * What a dropped connection does to the probe on a store that honours the condition: the first create
     * reaches the store but its answer is lost, the SDK retries and gets 412 (found by the SIGKILL loop of
     * the faults suite, where it made a compactor take the lease on such a store), or a call fails
     * outright. Neither may make the probe say the store ignores put-if-absent.
     */
    @Test
    void givenAStoreThatHonoursIfNoneMatchWhenProbeCallsLoseTheirAnswerOrFailThenTheProbeStillSaysSo() {
        ObjectStore real = honouring.store();
        int[] calls = {0};
        ObjectStore flaky = new ObjectStore() {
            @Override
            public void put(String key, byte[] content) {
                real.put(key, content);
            }

            @Override
            public boolean putIfAbsent(String key, byte[] content) {
                calls[0]++;
                if (calls[0] == 1) {
                    throw new StoreUnavailableException("put-if-absent " + key + ": connection reset", null);
                }
                if (calls[0] == 2) {
                    real.putIfAbsent(key, content); // stored; the answer is lost and the retry is refused
                    throw new RefusedAfterRetryException("put-if-absent " + key + ": outcome unknown, answered 412"
                            + " after 2 attempts", null);
                }
                return real.putIfAbsent(key, content);
            }

            @Override
            public Optional<byte[]> get(String key) {
                return real.get(key);
            }

            @Override
            public boolean download(String key, java.nio.file.Path target) {
                return real.download(key, target);
            }

            @Override
            public List<StoredObject> list(String prefix) {
                return real.list(prefix);
            }

            @Override
            public void delete(java.util.Collection<String> keys) {
                real.delete(keys);
            }
        };

        assertThat(new SnapshotStore(flaky).conditionalCreates()).isTrue();
        assertThat(calls[0]).isEqualTo(3);
        assertThat(honouring.keys()).isEmpty();
    }

    @Test
    void givenAServerThatIgnoresIfNoneMatchThenTheProbeSaysSoAndLeavesNothingBehind() {
        int strippedBefore = ignoring.strippedHeaders();

        assertThat(new SnapshotStore(ignoring.store()).conditionalCreates()).isFalse();

        // Both probe writes carried the header, and the proxy really took it off.
        assertThat(ignoring.strippedHeaders() - strippedBefore).isEqualTo(2);
        assertThat(ignoring.store().list("")).isEmpty();
    }

    @Test
    void givenAStoreThatIgnoresIfNoneMatchWhenAVersionExistsThenCommittingItAgainIsAConflictAndKeepsTheFirst() {
        var snapshots = new SnapshotStore(ignoring.store());
        assertThat(snapshots.conditionalCreates()).isFalse();
        Snapshot first = snapshot("first");
        Snapshot second = snapshot("second");

        assertThat(snapshots.commit(first)).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(snapshots.commit(second)).isEqualTo(CommitOutcome.CONFLICT);

        assertThat(snapshots.read(1)).contains(first);
    }

    @Test
    void givenNoLeaseWhenOneWriterAsksThenItHoldsTheLeaseUntilItReleasesIt() {
        Instant now = Instant.parse("2026-11-22T23:00:00Z");
        var lease = new CommitLease(ignoring.store(), Clock.fixed(now, ZoneOffset.UTC), Duration.ZERO);

        Optional<CommitLease.Holder> held = lease.acquire("a", Duration.ofMinutes(15));

        assertThat(held).contains(new CommitLease.Holder("a", now, now.plus(Duration.ofMinutes(15))));
        assertThat(lease.read()).isEqualTo(held);
        assertThat(lease.holds(held.get())).isTrue();
        lease.release(held.get());
        assertThat(ignoring.store().get(CommitLease.KEY)).isEmpty();
    }

    @Test
    void givenAnotherWritersLiveLeaseThenTheLeaseIsRefusedUntilItExpires() {
        Instant now = Instant.parse("2026-11-22T23:00:00Z");
        var lease = new CommitLease(ignoring.store(), Clock.fixed(now, ZoneOffset.UTC), Duration.ZERO);
        CommitLease.Holder other = lease.acquire("other", Duration.ofMinutes(15)).orElseThrow();

        assertThat(lease.acquire("me", Duration.ofMinutes(15))).isEmpty();
        assertThat(lease.read()).contains(other);

        // 15 minutes later the other writer's lease has run out (it crashed without releasing it).
        Instant later = now.plus(Duration.ofMinutes(15));
        var afterwards = new CommitLease(ignoring.store(), Clock.fixed(later, ZoneOffset.UTC), Duration.ZERO);
        assertThat(afterwards.holds(other)).isFalse();
        Optional<CommitLease.Holder> mine = afterwards.acquire("me", Duration.ofMinutes(15));
        assertThat(mine).contains(new CommitLease.Holder("me", later, later.plus(Duration.ofMinutes(15))));
        // The other writer, back to life, neither holds it nor deletes it.
        afterwards.release(other);
        assertThat(afterwards.read()).isEqualTo(mine);
    }

    @Test
    void givenAnUnreadableLeaseThenItIsTreatedAsFreeAndReplaced() {
        ignoring.store().put(CommitLease.KEY, "not json".getBytes(StandardCharsets.UTF_8));
        var lease = new CommitLease(ignoring.store(), Clock.systemUTC(), Duration.ZERO);

        assertThat(lease.acquire("me", Duration.ofMinutes(1))).isPresent();
    }

    @Test
    void givenEightWritersAskingTogetherThenExactlyOneHoldsTheLease() throws Exception {
        var barrier = new CyclicBarrier(8);
        // In lockstep: all eight read the free lease before any writes it, and all have written before any
        // reads it back. The settle pause alone promises that only while no writer stalls longer than it
        // between its read and its write, which a loaded machine does not promise.
        var lease = new CommitLease(new LockstepWrites(ignoring.store(), CommitLease.KEY, 8), Clock.systemUTC(),
                Duration.ofMillis(500));
        var asks = new java.util.ArrayList<CompletableFuture<Optional<CommitLease.Holder>>>();
        // A thread each: the common pool has fewer than eight threads on a machine of 3 to 8 cores, and
        // writers waiting at the barrier would starve the rest.
        var threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        var holders = new java.util.ArrayList<CommitLease.Holder>();
        try {
            for (int i = 0; i < 8; i++) {
                String owner = "writer-" + i;
                asks.add(CompletableFuture.supplyAsync(() -> {
                    await(barrier);
                    return lease.acquire(owner, Duration.ofMinutes(5));
                }, threads));
            }
            for (var ask : asks) {
                ask.get(120, TimeUnit.SECONDS).ifPresent(holders::add);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(holders).hasSize(1);
        assertThat(lease.read()).contains(holders.get(0));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Snapshot snapshot(String derivation) {
        return new Snapshot(Snapshot.FORMAT, 1, 0, Instant.parse("2026-11-22T23:00:00Z"), List.of(), Set.of(), "prices",
                derivation);
    }
}
