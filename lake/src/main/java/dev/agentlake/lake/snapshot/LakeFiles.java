package dev.agentlake.lake.snapshot;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoreUnavailableException;
import dev.agentlake.lake.store.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a reader must read to see every row exactly once: the latest snapshot's table files plus
 * the landing files that snapshot has not consumed (docs/lake-format.md, "Reading the lake").
 *
 * <p>Why the resolution is consistent: a compactor deletes consumed landing files and superseded
 * table files only <em>after</em> committing a newer snapshot. {@link #resolve} reads the snapshot,
 * lists landing, then checks that no newer snapshot appeared; if one did, a landing file it
 * consumed may be missing from the listing, so it resolves again. A reader that later finds a listed
 * object gone (a commit happened while it downloaded) must resolve again too: the rows are then in
 * the newer snapshot's files. Following both rules, a reader never misses nor double counts a row.
 */
public final class LakeFiles {
    private static final int ATTEMPTS = 5;

    private final Optional<Snapshot> snapshot;
    private final List<StoredObject> landing;

    private LakeFiles(Optional<Snapshot> snapshot, List<StoredObject> landing) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot is null");
        this.landing = List.copyOf(landing);
    }

    /**
     * Resolves the current files of the lake.
     *
     * @throws StoreUnavailableException when the store cannot be read, or commits keep racing the
     *     listing (five times in a row)
     */
    public static LakeFiles resolve(ObjectStore store) {
        SnapshotStore snapshots = new SnapshotStore(store);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Snapshot> snapshot = snapshots.latest();
            Set<String> consumed = snapshot.map(Snapshot::consumedLanding).orElse(Set.of());
            var landing = new ArrayList<StoredObject>();
            for (StoredObject o : store.list(LakeLayout.LANDING)) {
                if (o.key().endsWith(".parquet") && !consumed.contains(o.key())) {
                    landing.add(o);
                }
            }
            long seen = snapshot.map(Snapshot::version).orElse(0L);
            if (snapshots.latestVersion() == seen) {
                return new LakeFiles(snapshot, landing);
            }
        }
        throw new StoreUnavailableException("the lake kept changing while it was listed; try again", null);
    }

    public Optional<Snapshot> snapshot() {
        return snapshot;
    }

    /** Live compacted files of {@code table}. */
    public List<TableFile> tableFiles(String table) {
        return snapshot.map(s -> s.files(table)).orElse(List.of());
    }

    /** Landing files of {@code signal} not yet compacted. */
    public List<StoredObject> landing(Signal signal) {
        return landing(signal.folder());
    }

    /** Landing files under {@code landing/<folder>/} not yet compacted. */
    public List<StoredObject> landing(String folder) {
        String prefix = LakeLayout.LANDING + folder + "/";
        return landing.stream().filter(o -> o.key().startsWith(prefix)).toList();
    }

    /** Every landing file not yet compacted. */
    public List<StoredObject> landing() {
        return landing;
    }
}
