package dev.agentlake.query.duckdb;

import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local copies of the lake's objects for DuckDB to read. DuckDB's httpfs extension cannot be
 * installed where we run (no internet, and Lambda should not download at cold start), so this is
 * the one place that turns bucket keys into files: each object is fetched once per ETag, and files
 * whose objects disappeared are removed.
 */
public final class LakeCache {
    private final ObjectStore store;
    private final Path root;
    private final Map<String, String> etags = new ConcurrentHashMap<>();

    public LakeCache(ObjectStore store, Path root) {
        this.store = store;
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * Brings the copies of everything under {@code prefix} up to date and returns their local paths,
     * in key order.
     */
    public synchronized List<Path> sync(String prefix) {
        List<StoredObject> objects = store.list(prefix);
        var live = new HashSet<String>();
        var paths = new ArrayList<Path>(objects.size());
        for (StoredObject o : objects) {
            if (!o.key().endsWith(".parquet")) {
                continue;
            }
            live.add(o.key());
            Path local = localPath(o.key());
            if (!o.etag().equals(etags.get(o.key())) || !Files.exists(local)) {
                if (!store.download(o.key(), local)) {
                    continue; // deleted between list and get (compaction): it is gone for this read too
                }
                etags.put(o.key(), o.etag());
            }
            paths.add(local);
        }
        for (String key : List.copyOf(etags.keySet())) {
            if (key.startsWith(prefix) && !live.contains(key)) {
                etags.remove(key);
                try {
                    Files.deleteIfExists(localPath(key));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return paths;
    }

    private Path localPath(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("object key escapes the cache: " + key);
        }
        return p;
    }
}
