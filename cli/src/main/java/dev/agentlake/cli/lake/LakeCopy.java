package dev.agentlake.cli.lake;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.snapshot.LakeFiles;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A local copy of exactly the lake's current rows: for each table, the latest snapshot's files plus
 * the landing files that snapshot has not consumed ({@link LakeFiles}), downloaded under their keys.
 * DuckDB reads it where httpfs cannot be installed. Landing files count as rows of the table they
 * are compacted into ({@code landing/usage/} → {@code imported_usage}); {@link LakeViews} merges
 * repeated rows and derives {@code usage} and {@code sessions} as the compactor does.
 */
public final class LakeCopy {
    private final Path root;
    private final Map<String, List<Path>> files;
    private final Map<String, List<String>> keys;
    private final String priceTable;

    private LakeCopy(Path root, Map<String, List<Path>> files, Map<String, List<String>> keys, String priceTable) {
        this.root = root;
        this.files = files;
        this.keys = keys;
        this.priceTable = priceTable;
    }

    /**
     * Downloads the current files of {@code tables} (all when empty) into {@code root}.
     *
     * @param tables table names: logs, metrics, spans, usage, sessions, …
     */
    public static LakeCopy download(ObjectStore store, Path root, List<String> tables) {
        LakeFiles lake = LakeFiles.resolve(store);
        var byTable = new TreeMap<String, List<String>>();
        lake.snapshot().ifPresent(s -> {
            for (TableFile f : s.files()) {
                byTable.computeIfAbsent(f.table(), t -> new ArrayList<>()).add(f.key());
            }
        });
        for (StoredObject o : store.list(LakeLayout.LANDING)) {
            String key = o.key();
            if (!key.endsWith(".parquet") || lake.snapshot().map(s -> s.consumedLanding().contains(key)).orElse(false)) {
                continue;
            }
            String rest = key.substring(LakeLayout.LANDING.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                byTable.computeIfAbsent(silverTable(rest.substring(0, slash)), t -> new ArrayList<>()).add(key);
            }
        }
        var files = new TreeMap<String, List<Path>>();
        var keys = new TreeMap<String, List<String>>();
        for (var e : byTable.entrySet()) {
            if (!tables.isEmpty() && !tables.contains(e.getKey())) {
                continue;
            }
            var paths = new ArrayList<Path>();
            var present = new ArrayList<String>();
            for (String key : e.getValue()) {
                Path local = root.resolve(key).normalize();
                if (!local.startsWith(root)) {
                    throw new IllegalStateException("object key escapes the copy: " + key);
                }
                // A landing file compacted and deleted since the listing: its rows are in a newer
                // snapshot we do not read; this copy simply misses them (never counts them twice).
                if (store.download(key, local)) {
                    paths.add(local);
                    present.add(key);
                }
            }
            files.put(e.getKey(), List.copyOf(paths));
            keys.put(e.getKey(), List.copyOf(present));
        }
        return new LakeCopy(root, files, keys, lake.snapshot().map(s -> s.priceTable()).orElse(null));
    }

    /** Files already on disk (e.g. rows read from session files), by table. */
    public static LakeCopy of(Path root, Map<String, List<Path>> files, String priceTable) {
        var keys = new TreeMap<String, List<String>>();
        files.forEach((t, ps) -> keys.put(t, ps.stream().map(p -> root.relativize(p).toString()).toList()));
        return new LakeCopy(root, new TreeMap<>(files), keys, priceTable);
    }

    /**
     * The table a landing folder is compacted into: imported usage ({@code landing/usage/}) into
     * {@code imported_usage}, from which the gold {@code usage} is derived; others into their namesake.
     */
    static String silverTable(String folder) {
        return folder.equals("usage") ? IMPORTED_USAGE : folder;
    }

    public static final String IMPORTED_USAGE = "imported_usage";

    public Path root() {
        return root;
    }

    /** Tables with at least one file. */
    public List<String> tables() {
        return files.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    public List<Path> files(String table) {
        return files.getOrDefault(table, List.of());
    }

    public List<String> keys(String table) {
        return keys.getOrDefault(table, List.of());
    }

    /**
     * The first file of the copy that DuckDB on {@code c} cannot read to its last row, as its key and DuckDB's
     * reason; empty when every file reads. Reads every file: for after a query over the copy failed.
     */
    public Optional<String> unreadable(Connection c) {
        for (String table : files.keySet()) {
            List<Path> paths = files(table);
            for (int i = 0; i < paths.size(); i++) {
                // bit_xor over every row's hash reads every column of every row; count(*) could answer from the footer.
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT bit_xor(hash(f)) FROM " + LakeViews.readParquet(List.of(paths.get(i)))
                             + " AS f")) {
                    rs.next();
                } catch (SQLException e) {
                    return Optional.of(keys(table).get(i) + " cannot be read: " + e.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    /** Price table version of the snapshot, or null for a lake never compacted. */
    public String priceTable() {
        return priceTable;
    }
}
