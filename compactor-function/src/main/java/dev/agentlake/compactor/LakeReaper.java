package dev.agentlake.compactor;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what earlier runs left behind, by what the latest snapshot says:
 * <ul>
 *   <li>garbage: landing files the snapshot consumed (their rows are in its table files) — a run
 *       that committed but died, or failed to delete, before its cleanup;</li>
 *   <li>orphans: table files the snapshot does not name and older than the grace period — written
 *       by a run that never committed (crash, lost race) or superseded and not deleted.</li>
 * </ul>
 * Never throws: whatever it cannot delete now, a later run deletes.
 */
final class LakeReaper {
    private static final Logger LOG = LoggerFactory.getLogger(LakeReaper.class);

    private final ObjectStore store;
    private final Duration orphanGrace;

    LakeReaper(ObjectStore store, Duration orphanGrace) {
        this.store = store;
        this.orphanGrace = orphanGrace;
    }

    /** @return the number of objects deleted */
    int reap(Snapshot latest, List<StoredObject> landing, Instant now) {
        var garbage = landing.stream().map(StoredObject::key).filter(latest.consumedLanding()::contains).toList();
        var orphans = new ArrayList<String>();
        try {
            Set<String> live = latest.files().stream().map(TableFile::key).collect(Collectors.toSet());
            Instant cutoff = now.minus(orphanGrace);
            for (StoredObject o : store.list(LakeLayout.TABLES)) {
                if (!live.contains(o.key()) && !o.lastModified().isAfter(cutoff)) {
                    orphans.add(o.key());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not list table files to reap orphans (a later run will): {}", e.getMessage());
        }
        return deleteQuietly(store, garbage, "consumed landing files") + deleteQuietly(store, orphans, "orphan table files");
    }

    /** Deletes the keys; logs instead of throwing. Returns how many were deleted (0 on failure). */
    static int deleteQuietly(ObjectStore store, Collection<String> keys, String what) {
        if (keys.isEmpty()) {
            return 0;
        }
        try {
            store.delete(keys);
            return keys.size();
        } catch (RuntimeException e) {
            LOG.warn("could not delete {} {} (a later run will): {}", keys.size(), what, e.getMessage());
            return 0;
        }
    }
}
