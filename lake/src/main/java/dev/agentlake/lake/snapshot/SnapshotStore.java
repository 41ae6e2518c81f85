package dev.agentlake.lake.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoreUnavailableException;
import dev.agentlake.lake.store.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Reads and commits {@link Snapshot}s in the bucket. The commit point is one object created with
 * put-if-absent ({@code If-None-Match: *}): of two writers building the same next version, exactly
 * one succeeds.
 */
public final class SnapshotStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectStore store;

    public SnapshotStore(ObjectStore store) {
        this.store = store;
    }

    /** {@code _lake/snapshots/00000000000000000042.json}: zero-padded so key order is version order. */
    public static String key(long version) {
        return LakeLayout.SNAPSHOTS + String.format("%020d", version) + ".json";
    }

    /** The current state: the snapshot with the highest version, or empty for a lake never compacted. */
    public Optional<Snapshot> latest() {
        List<StoredObject> all = store.list(LakeLayout.SNAPSHOTS);
        for (int i = all.size() - 1; i >= 0; i--) {
            String key = all.get(i).key();
            if (!key.endsWith(".json")) {
                continue;
            }
            Optional<byte[]> bytes = store.get(key);
            if (bytes.isPresent()) {
                return Optional.of(parse(bytes.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * Tries to make {@code next} the lake's state. Never throws for the store's sake: an
     * unreachable store is {@link CommitOutcome#UNKNOWN}, since the object may have been created.
     */
    public CommitOutcome commit(Snapshot next) {
        try {
            return store.putIfAbsent(key(next.version()), write(next)) ? CommitOutcome.COMMITTED : CommitOutcome.CONFLICT;
        } catch (StoreUnavailableException e) {
            return CommitOutcome.UNKNOWN;
        }
    }

    /** Whether {@code snapshot} is the one stored under its version (settles an UNKNOWN commit). */
    public boolean isStored(Snapshot snapshot) {
        return store.get(key(snapshot.version())).map(SnapshotStore::parse).filter(snapshot::equals).isPresent();
    }

    public static byte[] write(Snapshot snapshot) {
        try {
            return JSON.writeValueAsBytes(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Snapshot parse(byte[] json) {
        try {
            return JSON.readValue(json, Snapshot.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable snapshot: " + e.getMessage(), e);
        }
    }
}
