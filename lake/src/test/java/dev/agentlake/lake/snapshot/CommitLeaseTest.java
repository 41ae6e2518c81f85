package dev.agentlake.lake.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.lake.testing.LakeTestServer;
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
        var lease = new CommitLease(ignoring.store(), Clock.systemUTC(), Duration.ofMillis(500));
        var asks = new java.util.ArrayList<CompletableFuture<Optional<CommitLease.Holder>>>();
        for (int i = 0; i < 8; i++) {
            String owner = "writer-" + i;
            asks.add(CompletableFuture.supplyAsync(() -> {
                await(barrier);
                return lease.acquire(owner, Duration.ofMinutes(5));
            }));
        }
        var holders = new java.util.ArrayList<CommitLease.Holder>();
        for (var ask : asks) {
            ask.get(60, TimeUnit.SECONDS).ifPresent(holders::add);
        }

        assertThat(holders).hasSize(1);
        assertThat(lease.read()).contains(holders.get(0));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Snapshot snapshot(String derivation) {
        return new Snapshot(Snapshot.FORMAT, 1, 0, Instant.parse("2026-11-22T23:00:00Z"), List.of(), Set.of(), "prices",
                derivation);
    }
}
