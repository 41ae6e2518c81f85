package dev.agentlake.compactor;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.snapshot.CommitLease;
import dev.agentlake.lake.snapshot.CommitOutcome;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.SnapshotStore;
import dev.agentlake.lake.sql.DerivedViews;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compaction run, as the scheduled Lambda and the local timer and {@code agentlake compact}
 * start it. The commit protocol (docs/lake-format.md, "Writing the lake"):
 * <ol>
 *   <li>read the latest snapshot; reap what earlier runs left (see {@link LakeReaper});</li>
 *   <li>take the settled landing files it has not consumed; merge, derive and upload new files
 *       ({@link PartitionCompaction}); nothing live is touched;</li>
 *   <li>commit the next snapshot with put-if-absent, then act on the outcome:
 *       <b>committed</b> → delete the superseded table files and the consumed landing files
 *       (best effort; leftovers are reaped by the next run); <b>conflict</b> (another compactor
 *       committed that version) → delete our new files, back off, start again from the newer
 *       snapshot; <b>unknown</b> (no answer) → delete nothing, read the version back: ours →
 *       committed; another's → conflict; unreadable or absent → stop, the next run settles it. A
 *       conflict is read back too before acting on it: a store may refuse the retry of a write whose
 *       first answer was lost, and that snapshot is ours.</li>
 * </ol>
 * A failure before the commit deletes the files this run uploaded (they are not live); a crash
 * leaves them as orphans for the next run to reap.
 *
 * <p>On a store that ignores put-if-absent (probed once, see {@link SnapshotStore#conditionalCreates()})
 * a commit cannot lose a race by itself, so a run first takes the {@link CommitLease}: while another
 * compactor holds it the run does nothing ({@code busy}); the lease is checked again just before the
 * commit and given back at the end.
 */
@Singleton
public final class CompactionJob {
    private static final Logger LOG = LoggerFactory.getLogger(CompactionJob.class);
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Keys per bulk delete after a commit, and how many are sent at once. */
    private static final int DELETE_BATCH = 250;
    private static final int DELETE_THREADS = 4;
    /** Who holds the commit lease: host and process, plus the run id. */
    private static final String OWNER = hostName() + "/" + ProcessHandle.current().pid();

    private final ObjectStore store;
    private final CompactorSettings settings;
    private final DerivedViews views;
    private final Clock clock;
    private final SnapshotStore snapshots;

    @Inject
    CompactionJob(ObjectStore store, CompactorSettings settings, DerivedViews views) {
        this(store, settings, views, Clock.systemUTC());
    }

    CompactionJob(ObjectStore store, CompactorSettings settings, DerivedViews views, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.views = views;
        this.clock = clock;
        this.snapshots = new SnapshotStore(store);
    }

    /** Compacts what has settled in landing. */
    public CompactionReport run() {
        return run(false);
    }

    /**
     * Compacts what has settled in landing.
     *
     * @param rederiveAll derive every gold partition again (re-pricing after the prices changed);
     *     a run also does so by itself when the snapshot was derived with other prices or settings
     */
    public synchronized CompactionReport run(boolean rederiveAll) {
        long started = System.nanoTime();
        Instant startedAt = clock.instant();
        String runId = RUN_TIME.format(startedAt) + "-" + HexFormat.of().formatHex(randomBytes());
        if (snapshots.conditionalCreates()) {
            return run(rederiveAll, runId, startedAt, started, null);
        }
        CommitLease lease = new CommitLease(store, clock, settings.leaseSettle());
        Optional<CommitLease.Holder> held = lease.acquire(OWNER + "/" + runId, settings.leaseDuration());
        if (held.isEmpty()) {
            return report("busy", snapshots.latestVersion(), 0, null, 0, started);
        }
        try {
            return run(rederiveAll, runId, startedAt, started, () -> lease.holds(held.get()));
        } finally {
            lease.release(held.get());
        }
    }

    /** @param leaseHeld null where the store honours put-if-absent; else whether we still hold the lease */
    private CompactionReport run(boolean rederiveAll, String runId, Instant startedAt, long started,
                                 java.util.function.BooleanSupplier leaseHeld) {
        int reaped = 0;
        PhaseClock phases = new PhaseClock(LOG);
        for (int attempt = 1; attempt <= settings.commitAttempts(); attempt++) {
            Instant now = clock.instant();
            Snapshot base = snapshots.latest().orElse(Snapshot.empty());
            List<StoredObject> landing = store.list(LakeLayout.LANDING).stream()
                    .filter(o -> o.key().endsWith(".parquet")).toList();
            if (attempt == 1) {
                reaped = new LakeReaper(store, settings.orphanGrace()).reap(base, landing, now);
            }
            phases.lap("snapshot, list and reap");
            boolean rederive = rederiveAll || (!base.files().isEmpty() && !views.fingerprint().equals(base.derivation()));
            List<StoredObject> taken = take(base, landing, now);
            if (taken.isEmpty() && !rederive) {
                return report("nothing_to_do", base.version(), attempt, null, reaped, started);
            }
            Set<String> present = landing.stream().map(StoredObject::key).collect(Collectors.toSet());
            PartitionCompaction.Prepared prepared;
            PartitionCompaction compaction;
            try (CompactionWorkspace ws = CompactionWorkspace.open(store, settings, runId + "-" + attempt)) {
                compaction = new PartitionCompaction(ws, settings, views, runId + "-" + attempt);
                try {
                    prepared = compaction.prepare(base, taken, present, rederive, now);
                } catch (CompactionWorkspace.ObjectGoneException e) {
                    LakeReaper.deleteQuietly(store, compaction.attemptedKeys(), "uncommitted files");
                    if (snapshots.latestVersion() == base.version()) {
                        // No one committed since we read the snapshot: a file it names was deleted by hand
                        // (or a landing file vanished). Retrying cannot help.
                        throw new IllegalStateException("snapshot " + base.version() + " or the landing listing names an"
                                + " object that is not in the bucket, and no newer snapshot exists: " + e.getMessage(), e);
                    }
                    LOG.info("{}; starting again", e.getMessage());
                    CommitBackoff.pause(attempt);
                    continue;
                } catch (SQLException e) {
                    LakeReaper.deleteQuietly(store, compaction.attemptedKeys(), "uncommitted files");
                    throw new IllegalStateException("compaction failed in DuckDB: " + e.getMessage(), e);
                } catch (RuntimeException e) {
                    LakeReaper.deleteQuietly(store, compaction.attemptedKeys(), "uncommitted files");
                    throw e;
                }
            }
            phases.lap("prepare");
            Duration elapsed = Duration.between(startedAt, clock.instant());
            // (With no grace at all — one compactor at a time, e.g. tests of recovery — there is no one to race.)
            if (!settings.orphanGrace().isZero() && elapsed.compareTo(settings.orphanGrace().dividedBy(2)) > 0) {
                // Another compactor may soon reap our files as orphans: never commit a snapshot naming them.
                LakeReaper.deleteQuietly(store, prepared.newKeys(), "uncommitted files");
                throw new IllegalStateException("compaction took " + elapsed.toSeconds() + " s, more than half of"
                        + " agentlake.compactor.orphan-grace; not committing. Take fewer files per run"
                        + " (agentlake.compactor.max-landing-files) or raise the grace.");
            }
            if (leaseHeld != null && !leaseHeld.getAsBoolean()) {
                // Expired, or a rival overwrote it: it may be committing now, and this store would let
                // our snapshot silently replace its own.
                LakeReaper.deleteQuietly(store, prepared.newKeys(), "uncommitted files");
                throw new IllegalStateException("lost the commit lease " + CommitLease.KEY + " before committing (run took "
                        + elapsed.toSeconds() + " s; agentlake.compactor.lease-duration is "
                        + settings.leaseDuration().toSeconds() + " s); not committing");
            }
            CommitOutcome outcome = snapshots.commit(prepared.next());
            phases.lap("commit");
            if (outcome != CommitOutcome.COMMITTED) {
                // Before deleting anything, read the version back: a store may report a conflict for a
                // write of ours whose first answer was lost. Only another writer's snapshot is a conflict.
                outcome = snapshots.settle(prepared.next());
            }
            if (outcome == CommitOutcome.UNKNOWN) {
                LOG.warn("commit of snapshot {} has an unknown outcome; deleting nothing, the next run settles it",
                        prepared.next().version());
                return report("unknown", base.version(), attempt, compaction, reaped, started);
            }
            switch (outcome) {
                case COMMITTED -> {
                    deleteAfterCommit(prepared);
                    phases.lap("delete");
                    snapshots.expire(settings.snapshotsKept());
                    phases.lap("expire");
                    phases.log("run");
                    CompactionReport r = report("committed", prepared.next().version(), attempt, compaction, reaped, started);
                    LOG.info("compaction {}", r.summary());
                    return r;
                }
                case CONFLICT -> {
                    LOG.info("snapshot {} was committed by another compactor; starting again", prepared.next().version());
                    LakeReaper.deleteQuietly(store, prepared.newKeys(), "uncommitted files");
                    CommitBackoff.pause(attempt);
                }
                case UNKNOWN -> throw new IllegalStateException("settled outcomes only");
            }
        }
        return report("gave_up", snapshots.latest().map(Snapshot::version).orElse(0L), settings.commitAttempts(), null,
                reaped, started);
    }

    /**
     * Deletes what the commit superseded and consumed, best effort, in batches sent at once: a run
     * that took thousands of landing files would otherwise wait on one bulk delete after another.
     */
    private void deleteAfterCommit(PartitionCompaction.Prepared prepared) {
        var batches = new java.util.ArrayList<Runnable>();
        List<String> superseded = prepared.supersededKeys();
        List<String> consumed = prepared.consumedKeys();
        for (int from = 0; from < superseded.size(); from += DELETE_BATCH) {
            List<String> batch = superseded.subList(from, Math.min(superseded.size(), from + DELETE_BATCH));
            batches.add(() -> LakeReaper.deleteQuietly(store, batch, "superseded table files"));
        }
        for (int from = 0; from < consumed.size(); from += DELETE_BATCH) {
            List<String> batch = consumed.subList(from, Math.min(consumed.size(), from + DELETE_BATCH));
            batches.add(() -> LakeReaper.deleteQuietly(store, batch, "consumed landing files"));
        }
        if (batches.size() <= 1) {
            batches.forEach(Runnable::run);
            return;
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(batches.size(), DELETE_THREADS));
        try {
            var futures = batches.stream().map(b -> java.util.concurrent.CompletableFuture.runAsync(b, pool)).toList();
            futures.forEach(java.util.concurrent.CompletableFuture::join);
        } finally {
            pool.shutdown();
        }
    }

    /** Settled landing files the snapshot has not consumed, oldest first, at most the configured number. */
    private List<StoredObject> take(Snapshot base, List<StoredObject> landing, Instant now) {
        Instant settled = now.minus(settings.landingGrace());
        return landing.stream()
                .filter(o -> !base.consumedLanding().contains(o.key()))
                .filter(o -> !o.lastModified().isAfter(settled))
                .filter(o -> o.key().indexOf('/', LakeLayout.LANDING.length()) > 0)
                .sorted(Comparator.comparing(StoredObject::lastModified).thenComparing(StoredObject::key))
                .limit(settings.maxLandingFiles())
                .toList();
    }

    private static String hostName() {
        String h = System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        // No DNS look-up (it can hang): the name is only to tell owners apart in the lease and logs.
        h = System.getenv("HOSTNAME");
        return h == null || h.isBlank() ? "host" : h;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return b;
    }

    private static CompactionReport report(String outcome, long version, int attempts, PartitionCompaction c, int reaped,
                                           long startedNanos) {
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        if (c == null) {
            return new CompactionReport(outcome, version, attempts, 0, Map.of(), 0, List.of(), Map.of(), reaped, Map.of(), millis);
        }
        return new CompactionReport(outcome, version, attempts, c.consumedCount(), c.rowsWritten(), c.filesWritten(),
                c.partitions(), c.unknownModels(), reaped, c.skipped(), millis);
    }
}
