package dev.agentlake.lake.snapshot;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reader must read to see every row exactly once: the latest snapshot's table files plus
 * the landing files that snapshot has not consumed. Landing is listed <em>after</em> the snapshot is
 * read, so a compaction committing in between can only make us see a landing file we skip (it is
 * in the newer snapshot, not ours)… and that is why the order matters: a landing file deleted after
 * a newer commit is simply missing from the listing, and its rows are in that newer snapshot's
 * files, which we do not read either — so a reader racing a commit may momentarily miss rows, but
 * never counts them twice. Readers that must not miss re-resolve after a short wait.
 */
public final class LakeFiles {
    private final Optional<Snapshot> snapshot;
    private final List<StoredObject> landing;

    private LakeFiles(Optional<Snapshot> snapshot, List<StoredObject> landing) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot is null");
        this.landing = List.copyOf(landing);
    }

    /** Resolves the current files of the lake. */
    public static LakeFiles resolve(ObjectStore store) {
        Optional<Snapshot> snapshot = new SnapshotStore(store).latest();
        var landing = new ArrayList<StoredObject>();
        var consumed = snapshot.map(Snapshot::consumedLanding).orElse(java.util.Set.of());
        for (StoredObject o : store.list(LakeLayout.LANDING)) {
            if (o.key().endsWith(".parquet") && !consumed.contains(o.key())) {
                landing.add(o);
            }
        }
        return new LakeFiles(snapshot, landing);
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
        String prefix = LakeLayout.landingPrefix(signal);
        return landing.stream().filter(o -> o.key().startsWith(prefix)).toList();
    }
}
