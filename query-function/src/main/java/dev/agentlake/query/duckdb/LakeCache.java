package dev.agentlake.query.duckdb;

import dev.agentlake.lake.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local copies of the lake's objects for DuckDB to read. DuckDB's httpfs extension cannot be
 * installed where we run (no internet, and Lambda should not download at cold start), so this is
 * the one place that turns bucket keys into files: each object is fetched once per version (ETag;
 * table files are immutable, so their key is their version), and copies of objects that left the
 * lake are removed.
 */
public final class LakeCache {
    private final ObjectStore store;
    private final Path root;
    private final Map<String, String> versions = new ConcurrentHashMap<>();

    public LakeCache(ObjectStore store, Path root) {
        this.store = store;
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * The local copy of {@code key} at {@code version}, fetched if missing or stale; empty if the
     * object is gone (compaction deleted it between listing and fetching: its rows are in the newer
     * snapshot, so the caller must list the lake again rather than read without it).
     */
    public Optional<Path> local(String key, String version) {
        Path local = localPath(key);
        if (version.equals(versions.get(key)) && Files.exists(local)) {
            return Optional.of(local);
        }
        synchronized (this) {
            if (!version.equals(versions.get(key)) || !Files.exists(local)) {
                if (!store.download(key, local)) {
                    return Optional.empty();
                }
                versions.put(key, version);
            }
        }
        return Optional.of(local);
    }

    /** Removes the copies of every key not in {@code live}. */
    public synchronized void retainOnly(Collection<String> live) {
        var keep = new HashSet<>(live);
        for (String key : java.util.List.copyOf(versions.keySet())) {
            if (!keep.contains(key)) {
                versions.remove(key);
                try {
                    Files.deleteIfExists(localPath(key));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private Path localPath(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("object key escapes the cache: " + key);
        }
        return p;
    }
}
