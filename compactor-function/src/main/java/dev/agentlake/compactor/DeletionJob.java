package dev.agentlake.compactor;

import dev.agentlake.lake.layout.LakeLayout;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes rows from the lake ({@code agentlake delete}) through the compactor's commit protocol
 * (docs/lake-format.md, "Writing the lake"), so readers see the rows either all there or all gone:
 * <ol>
 *   <li>compact first: landing files the window may have rows in are merged by a compaction run
 *       (no landing grace), so that every row to delete is in a table partition;</li>
 *   <li>read the latest snapshot; rewrite the window's partitions without the rows and derive
 *       {@code usage} and {@code sessions} again for the days whose sources changed
 *       ({@link PartitionDeletion}); upload; nothing live is touched;</li>
 *   <li>commit the next snapshot with put-if-absent: <b>committed</b> → delete the superseded files
 *       (best effort); <b>conflict</b> (a compactor or another deletion committed first) → delete
 *       our new files and start again from the newer snapshot (rows it brought are deleted too);
 *       <b>unknown</b> → delete nothing and stop: read back, the version is ours or another's, as
 *       {@link CompactionJob} settles it.</li>
 * </ol>
 * Rows that arrive in landing while the deletion runs (after its compaction) are kept: they are
 * newer than the request. If rows of the window keep arriving, each attempt compacts again, and
 * after the configured attempts the deletion gives up without having changed anything.
 */
@Singleton
public final class DeletionJob {
    private static final Logger LOG = LoggerFactory.getLogger(DeletionJob.class);
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How far reading the partitions got (the command line shows a bar on a terminal). */
    public interface Progress {
        Progress NONE = new Progress() {
            @Override
            public void begin(String task, long totalBytes) {
            }

            @Override
            public void advance(long doneBytes) {
            }

            @Override
            public void end() {
            }
        };

        void begin(String task, long totalBytes);

        void advance(long doneBytes);

        void end();
    }

    /** Called with the base snapshot just before each commit attempt (tests race another writer here). */
    interface BeforeCommit {
        void run(Snapshot base);
    }

    private final ObjectStore store;
    private final CompactorSettings settings;
    private final DerivedViews views;
    private final Clock clock;
    private final SnapshotStore snapshots;
    private final BeforeCommit beforeCommit;

    @Inject
    DeletionJob(ObjectStore store, CompactorSettings settings, DerivedViews views) {
        this(store, settings, views, Clock.systemUTC(), base -> { });
    }

    DeletionJob(ObjectStore store, CompactorSettings settings, DerivedViews views, Clock clock, BeforeCommit beforeCommit) {
        this.store = store;
        this.settings = settings;
        this.views = views;
        this.clock = clock;
        this.snapshots = new SnapshotStore(store);
        this.beforeCommit = beforeCommit;
    }

    /**
     * Deletes the rows {@code request} names, or with {@code dryRun} only counts them (rows still in
     * landing included) and changes nothing.
     */
    public synchronized DeletionReport run(RowDeletion request, boolean dryRun, Progress progress) {
        long started = System.nanoTime();
        Instant startedAt = clock.instant();
        String runId = RUN_TIME.format(startedAt) + "-del-" + HexFormat.of().formatHex(randomBytes());
        var leftInLanding = new TreeMap<String, String>();
        int compacted = 0;
        // Landing grace 0: whatever has landed before the deletion was asked for is part of it.
        CompactionJob compaction = new CompactionJob(store, settings.withGraces(Duration.ZERO, settings.orphanGrace()), views,
                clock);
        for (int attempt = 1; attempt <= settings.commitAttempts(); attempt++) {
            if (!dryRun) {
                Optional<CompactionReport> first = compactPending(request, compaction, leftInLanding);
                if (first.isPresent()) {
                    CompactionReport r = first.get();
                    compacted += r.landingFiles();
                    if (!r.committed() && !r.outcome().equals("nothing_to_do")) {
                        // unknown or gave_up: the lake's state is not settled; deleting on top of it could lose rows.
                        return report(r.outcome(), dryRun, request, r.version(), attempt, null, compacted, leftInLanding, started);
                    }
                }
            }
            Snapshot base = snapshots.latest().orElse(Snapshot.empty());
            List<StoredObject> landing = landing();
            List<StoredObject> pending = pending(request, base, landing, leftInLanding.keySet(), dryRun);
            if (!dryRun && (!pending.isEmpty() || stale(base))) {
                LOG.info("rows of the window arrived in landing, or a compactor with other settings committed; compacting again");
                CommitBackoff.pause(attempt);
                continue;
            }
            Set<String> present = landing.stream().map(StoredObject::key).collect(Collectors.toSet());
            String attemptId = runId + "-" + attempt;
            PartitionDeletion deletion;
            PartitionDeletion.Prepared prepared;
            try (CompactionWorkspace ws = CompactionWorkspace.open(store, settings, attemptId)) {
                deletion = new PartitionDeletion(ws, settings, views, attemptId, request);
                try {
                    prepared = deletion.prepare(base, dryRun ? pending : List.of(), present, !dryRun, clock.instant(), progress);
                } catch (CompactionWorkspace.ObjectGoneException e) {
                    LakeReaper.deleteQuietly(store, deletion.attemptedKeys(), "uncommitted files");
                    if (snapshots.latestVersion() == base.version()) {
                        throw new IllegalStateException("snapshot " + base.version() + " names an object that is not in the"
                                + " bucket, and no newer snapshot exists: " + e.getMessage(), e);
                    }
                    CommitBackoff.pause(attempt);
                    continue;
                } catch (SQLException e) {
                    LakeReaper.deleteQuietly(store, deletion.attemptedKeys(), "uncommitted files");
                    throw new IllegalStateException("deletion failed in DuckDB: " + e.getMessage(), e);
                } catch (RuntimeException e) {
                    LakeReaper.deleteQuietly(store, deletion.attemptedKeys(), "uncommitted files");
                    throw e;
                }
            }
            if (prepared.next() == null) {
                return report("nothing_to_do", dryRun, request, base.version(), attempt, deletion, compacted, leftInLanding,
                        started);
            }
            if (dryRun) {
                return report("dry_run", true, request, base.version(), attempt, deletion, compacted, leftInLanding, started);
            }
            Duration elapsed = Duration.between(startedAt, clock.instant());
            if (!settings.orphanGrace().isZero() && elapsed.compareTo(settings.orphanGrace().dividedBy(2)) > 0) {
                // A compactor may soon reap our files as orphans: never commit a snapshot naming them.
                LakeReaper.deleteQuietly(store, prepared.newKeys(), "uncommitted files");
                throw new IllegalStateException("the deletion took " + elapsed.toSeconds() + " s, more than half of"
                        + " agentlake.compactor.orphan-grace; not committing. Delete a shorter window at a time.");
            }
            beforeCommit.run(base);
            CommitOutcome outcome = snapshots.commit(prepared.next());
            if (outcome != CommitOutcome.COMMITTED) {
                outcome = snapshots.settle(prepared.next());
            }
            switch (outcome) {
                case COMMITTED -> {
                    LakeReaper.deleteQuietly(store, prepared.supersededKeys(), "superseded table files");
                    snapshots.expire(settings.snapshotsKept());
                    LOG.info("deleted {}: snapshot {}", request.describe(), prepared.next().version());
                    return report("committed", false, request, prepared.next().version(), attempt, deletion, compacted,
                            leftInLanding, started);
                }
                case CONFLICT -> {
                    LOG.info("snapshot {} was committed by another writer; deleting again on top of it",
                            prepared.next().version());
                    LakeReaper.deleteQuietly(store, prepared.newKeys(), "uncommitted files");
                    CommitBackoff.pause(attempt);
                }
                case UNKNOWN -> {
                    LOG.warn("commit of snapshot {} has an unknown outcome; deleting nothing", prepared.next().version());
                    return report("unknown", false, request, base.version(), attempt, deletion, compacted, leftInLanding,
                            started);
                }
            }
        }
        return report("gave_up", dryRun, request, snapshots.latestVersion(), settings.commitAttempts(), null, compacted,
                leftInLanding, started);
    }

    /**
     * Compacts when landing holds files the window may have rows in (or the snapshot was derived with
     * other settings, which a compaction derives again). Files the compactor cannot read are noted
     * in {@code leftInLanding} and not waited for.
     */
    private Optional<CompactionReport> compactPending(RowDeletion request, CompactionJob compaction,
                                                      Map<String, String> leftInLanding) {
        Snapshot base = snapshots.latest().orElse(Snapshot.empty());
        if (pending(request, base, landing(), leftInLanding.keySet(), false).isEmpty() && !stale(base)) {
            return Optional.empty();
        }
        CompactionReport r = compaction.run();
        leftInLanding.putAll(r.skipped());
        return Optional.of(r);
    }

    private List<StoredObject> landing() {
        return store.list(LakeLayout.LANDING).stream().filter(o -> o.key().endsWith(".parquet")).toList();
    }

    /**
     * Landing files not consumed by {@code base} that may hold rows of the window (a landing key's
     * date is that of its earliest row, so files dated after the window cannot), in the tables
     * deleted from, and {@code withSources} also in the sources of usage and sessions. A deletion
     * waits only for the former: rows of the sources still in landing are added by readers and by the
     * next compaction, which derives those days again; a dry run counts them too.
     */
    static List<StoredObject> pending(RowDeletion request, Snapshot base, List<StoredObject> landing, Set<String> ignored,
                                      boolean withSources) {
        Set<String> scope = PartitionDeletion.scopeTables(request.scope(), base, landing);
        Set<String> read = withSources ? PartitionDeletion.tablesRead(scope) : scope;
        LocalDate last = request.lastDay();
        return landing.stream()
                .filter(o -> !base.consumedLanding().contains(o.key()) && !ignored.contains(o.key()))
                .filter(o -> PartitionDeletion.tableOf(o).filter(read::contains).isPresent())
                .filter(o -> LakeLayout.partitionDate(o.key()).map(d -> !d.isAfter(last)).orElse(false))
                .toList();
    }

    /** Gold partitions derived with other prices or settings: a compaction derives them again first. */
    private boolean stale(Snapshot base) {
        return !base.files().isEmpty() && !views.fingerprint().equals(base.derivation());
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return b;
    }

    private static DeletionReport report(String outcome, boolean dryRun, RowDeletion request, long version, int attempts,
                                         PartitionDeletion d, int compacted, Map<String, String> leftInLanding,
                                         long startedNanos) {
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        return new DeletionReport(outcome, dryRun, request.describe(), version, attempts,
                d == null ? Map.of() : d.counts(), d == null ? List.of() : d.partitions(), d == null ? 0 : d.filesWritten(),
                compacted, leftInLanding, millis);
    }
}
