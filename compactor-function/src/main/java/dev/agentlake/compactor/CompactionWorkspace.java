package dev.agentlake.compactor;

import dev.agentlake.lake.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * One run's local side: a folder with copies of the objects it reads and the files it writes, and
 * an in-memory DuckDB that spills to that folder. DuckDB cannot read the bucket itself (its httpfs
 * extension cannot be installed where we run), so objects are copied in parallel first.
 * Everything is deleted on close.
 */
final class CompactionWorkspace implements AutoCloseable {
    private final ObjectStore store;
    private final Path dir;
    private final Connection db;
    private final ExecutorService transfers;

    private CompactionWorkspace(ObjectStore store, Path dir, Connection db, ExecutorService transfers) {
        this.store = store;
        this.dir = dir;
        this.db = db;
        this.transfers = transfers;
    }

    static CompactionWorkspace open(ObjectStore store, CompactorSettings settings, String runId) {
        Path dir = null;
        try {
            Path root = workRoot(settings);
            dir = Files.createTempDirectory(root, "run-" + runId + "-");
            // A connection of its own on the process's database: this run's temp tables vanish with it.
            Connection db = database(settings).duplicate();
            try (Statement st = db.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
            }
            return new CompactionWorkspace(store, dir, db, Executors.newFixedThreadPool(settings.transferThreads(), r -> {
                Thread t = new Thread(r, "compactor-transfer");
                t.setDaemon(true);
                return t;
            }));
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("cannot create the compactor's work folder: " + e.getMessage(), e);
        } catch (SQLException e) {
            deleteTree(dir);
            throw new IllegalStateException("cannot start DuckDB: " + e.getMessage(), e);
        }
    }

    private static DuckDBConnection database;

    /**
     * One in-memory DuckDB per process, opened on first use (opening one costs more than a small
     * compaction); each run works on a connection of its own. It spills to the work folder.
     */
    private static synchronized DuckDBConnection database(CompactorSettings settings) throws SQLException, IOException {
        if (database == null) {
            var props = new Properties();
            // Nothing may be fetched at run time: a missing extension must fail at once.
            props.setProperty("autoinstall_known_extensions", "false");
            props.setProperty("autoload_known_extensions", "true");
            DuckDBConnection db = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", props);
            try (Statement st = db.createStatement()) {
                Path spill = workRoot(settings).resolve("spill");
                Files.createDirectories(spill);
                spill.toFile().deleteOnExit(); // registered after its parent, so removed before it
                st.execute("SET temp_directory = '" + sqlString(spill.toString()) + "'");
                if (settings.memoryLimit() != null) {
                    st.execute("SET memory_limit = '" + sqlString(settings.memoryLimit()) + "'");
                }
            }
            database = db;
        }
        return database;
    }

    /** The default work folder of this process, made on first use. */
    private static Path processRoot;

    private static Path workRoot(CompactorSettings settings) throws IOException {
        if (settings.workDir() != null) {
            Path root = Path.of(settings.workDir());
            Files.createDirectories(root);
            return root;
        }
        // A private folder of this process (random name, owner-only): one fixed name under a shared /tmp
        // failed for a second user of the machine, and could be a link someone else planted.
        synchronized (CompactionWorkspace.class) {
            if (processRoot == null || !Files.isDirectory(processRoot)) {
                processRoot = Files.createTempDirectory("agentlake-compactor-");
                processRoot.toFile().deleteOnExit(); // when empty: runs delete their folders, DuckDB its spill
            }
            return processRoot;
        }
    }

    Path dir() {
        return dir;
    }

    Path path(String first, String... more) {
        try {
            Path p = dir.resolve(Path.of(first, more));
            Files.createDirectories(p.getParent());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void execute(String sql) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    /**
     * Runs a statement that loads rows into a table without keeping their order (DuckDB then inserts
     * from both threads without re-ordering: about 40% less CPU for a wide load). Only for statements
     * whose result order nothing reads: the rows carry their reading order in a column instead.
     */
    void executeUnordered(String sql) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("SET preserve_insertion_order = false");
            try {
                st.execute(sql);
            } finally {
                st.execute("RESET preserve_insertion_order");
            }
        }
    }

    /** The rows of {@code sql}, each as its column values in order. */
    List<List<Object>> query(String sql) throws SQLException {
        var rows = new ArrayList<List<Object>>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                var row = new ArrayList<Object>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    Connection db() {
        return db;
    }

    /**
     * Copies the objects to local files, in parallel.
     *
     * @return the local file of each key, in the order given
     * @throws ObjectGoneException when an object no longer exists (another compactor committed and
     *     deleted it): the run must start again from the newer snapshot
     */
    Map<String, Path> download(Collection<String> keys, String area) {
        var targets = new LinkedHashMap<String, Path>();
        int i = 0;
        for (String key : keys) {
            targets.put(key, path(area, String.format("%06d.parquet", i++)));
        }
        parallel(targets.entrySet(), e -> {
            if (!store.download(e.getKey(), e.getValue())) {
                throw new ObjectGoneException(e.getKey());
            }
        });
        return targets;
    }

    /**
     * Stores local files under their keys, in parallel. {@code attempted} receives each key before
     * its PUT starts, so the caller can delete whatever may have been stored if the run fails.
     */
    void upload(Map<String, Path> files, Collection<String> attempted) {
        parallel(files.entrySet(), e -> {
            attempted.add(e.getKey());
            try {
                store.put(e.getKey(), Files.readAllBytes(e.getValue()));
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
        });
    }

    private <T> void parallel(Collection<T> items, java.util.function.Consumer<T> action) {
        var futures = new ArrayList<Future<?>>(items.size());
        for (T item : items) {
            futures.add(transfers.submit(() -> action.accept(item)));
        }
        RuntimeException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                    futures.forEach(other -> other.cancel(false));
                }
            } catch (java.util.concurrent.CancellationException e) {
                // cancelled after an earlier failure
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while transferring objects", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        transfers.shutdownNow();
        try {
            db.close();
        } catch (SQLException e) {
            // the folder is removed below either way
        }
        deleteTree(dir);
    }

    static String sqlString(String s) {
        return s.replace("'", "''");
    }

    static String fileList(Collection<Path> files) {
        var b = new StringBuilder("[");
        for (Path p : files) {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append('\'').append(sqlString(p.toString())).append('\'');
        }
        return b.append(']').toString();
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a stale work folder only costs disk space
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    /** An object the run listed is gone: a newer snapshot exists. */
    static final class ObjectGoneException extends RuntimeException {
        ObjectGoneException(String key) {
            super("object gone while compacting (another compactor committed): " + key);
        }
    }
}
