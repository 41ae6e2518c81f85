package dev.agentlake.query.duckdb;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.snapshot.LakeFiles;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.sql.DerivedViews;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoreUnavailableException;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.query.QuerySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * One in-process DuckDB over the local copies of the lake. {@link #open} gives each request a
 * connection of its own whose views ({@code logs}, {@code usage}, …) show exactly what a reader must
 * read (the latest snapshot's files plus the landing files it has not consumed, see {@link LakeFiles}),
 * pruned to the request's {@code dt=} partitions.
 *
 * <p>The database is locked down once at start: it may read files only under the cache folder, it
 * cannot reach the network, install extensions or change settings. The API's own SQL and the SQL
 * console share these limits.
 */
@Singleton
public final class LakeDatabase implements AutoCloseable {
    /** The tables readers see, with the landing folder that feeds each (if any). */
    private static final Map<String, Source> SOURCES = Map.of(
            "logs", new Source(LakeSchemas.LOGS, Signal.LOGS),
            "spans", new Source(LakeSchemas.SPANS, Signal.SPANS),
            "metrics", new Source(LakeSchemas.METRICS, Signal.METRICS),
            "usage", new Source(LakeSchemas.USAGE, Signal.USAGE));

    private record Source(TableSchema<?> schema, Signal landing) {
    }

    private final ObjectStore store;
    private final DerivedViews derived;
    private final LakeCache cache;
    private final DuckDBConnection database;
    private final long refreshNanos;
    private LakeFiles files;
    private long resolvedAt;

    LakeDatabase(ObjectStore store, QuerySettings settings, DerivedViews derived) {
        this.store = store;
        this.derived = derived;
        this.refreshNanos = settings.refreshInterval().toNanos();
        try {
            Path root = (settings.cacheDir() != null
                    ? Path.of(settings.cacheDir())
                    : Path.of(System.getProperty("java.io.tmpdir"), "agentlake-query-cache")).toAbsolutePath().normalize();
            Files.createDirectories(root);
            this.cache = new LakeCache(store, root);
            Path spill = root.resolve("_spill");
            Files.createDirectories(spill);
            var props = new Properties();
            props.setProperty("autoinstall_known_extensions", "false");
            props.setProperty("autoload_known_extensions", "false");
            this.database = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", props);
            try (Statement st = database.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
                st.execute("SET temp_directory = " + literal(spill.toString()));
                // Lake files are immutable (new versions get new names), so their footers can be cached.
                st.execute("SET parquet_metadata_cache = true");
                if (settings.memoryLimit() != null) {
                    st.execute("SET memory_limit = " + literal(settings.memoryLimit()));
                }
                st.execute("SET allowed_directories = [" + literal(root.toString()) + "]");
                st.execute("SET enable_external_access = false");
                st.execute("SET lock_configuration = true");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start DuckDB: " + e.getMessage(), e);
        }
    }

    /**
     * A connection whose views show the lake as it is now, pruned to {@code scope}. Close it after
     * use. Only the named tables get views (binding a view reads its files' footers); none named: all.
     */
    public Connection open(LakeScope scope, String... tables) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return open(current(), scope, tables);
            } catch (ListingOutdated e) {
                // A listed file was gone when fetched: a compaction committed since the listing, and the
                // file's rows are in the newer snapshot. Dropping it would under-count (LakeFiles' rule).
                if (attempt == RESOLVE_ATTEMPTS) {
                    throw new StoreUnavailableException("the lake kept changing while it was read; try again", null);
                }
                forgetListing();
            }
        }
    }

    private static final int RESOLVE_ATTEMPTS = 5;

    /** Thrown while views are built when a listed object is gone; answered by listing the lake again. */
    private static final class ListingOutdated extends RuntimeException {
        ListingOutdated() {
            super(null, null, false, false);
        }
    }

    private synchronized void forgetListing() {
        files = null;
    }

    private Connection open(LakeFiles current, LakeScope scope, String... tables) throws SQLException {
        List<String> wanted = tables.length == 0 ? List.copyOf(SOURCES.keySet()) : List.of(tables);
        Connection c = database.duplicate();
        try (Statement st = c.createStatement()) {
            for (String table : wanted) {
                Source source = SOURCES.get(table);
                if (source == null) {
                    throw new IllegalArgumentException("no table " + table);
                }
                if (table.equals("usage")) {
                    createUsageView(c, st, current, scope);
                } else {
                    var paths = new ArrayList<>(compacted(current, table, scope));
                    paths.addAll(landing(current, source.landing(), scope));
                    st.execute("CREATE OR REPLACE TEMP VIEW " + table + " AS " + relation(paths, source.schema()));
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The lake's files, resolved again at most once per refresh interval (warm requests reuse them). */
    public synchronized LakeFiles current() {
        long now = System.nanoTime();
        if (files == null || now - resolvedAt >= refreshNanos) {
            files = LakeFiles.resolve(store);
            resolvedAt = now;
            var live = new HashSet<String>();
            for (String table : SOURCES.keySet()) {
                files.tableFiles(table).forEach(f -> live.add(f.key()));
            }
            for (Signal signal : Signal.values()) {
                files.landing(signal).forEach(o -> live.add(o.key()));
            }
            cache.retainOnly(live);
        }
        return files;
    }

    /**
     * {@code usage} = the compacted usage table ∪ usage derived, with the compactor's own SQL
     * ({@link DerivedViews}), from the landing logs and imports no snapshot has consumed yet: what was
     * ingested a second ago is counted, and nothing twice.
     */
    private void createUsageView(Connection c, Statement st, LakeFiles current, LakeScope scope) throws SQLException {
        st.execute("CREATE OR REPLACE TEMP VIEW landing_logs AS "
                + relation(landing(current, Signal.LOGS, scope), LakeSchemas.LOGS));
        st.execute("CREATE OR REPLACE TEMP VIEW landing_imported_usage AS "
                + relation(landing(current, Signal.USAGE, scope), LakeSchemas.USAGE));
        derived.install(c, LANDING_DERIVATION);
        String columns = LakeSchemas.USAGE.columns().stream().map(col -> "\"" + col.name() + "\"")
                .collect(Collectors.joining(", "));
        st.execute("CREATE OR REPLACE TEMP VIEW usage AS "
                + relation(compacted(current, "usage", scope), LakeSchemas.USAGE)
                + " UNION ALL BY NAME SELECT " + columns + " FROM landing_usage");
    }

    private static final DerivedViews.Names LANDING_DERIVATION = new DerivedViews.Names("landing_logs",
            "landing_imported_usage", null, "agentlake_usage_calls", "agentlake_model_prices", "landing_usage",
            "agentlake_session_metrics", "landing_metric_deltas", "landing_sessions");

    /**
     * The rows of {@code files} with every column of {@code schema}, typed, even where no file (or
     * only older files) has it: the files UNION ALL BY NAME an empty row set of the full schema.
     */
    private static String relation(List<Path> files, TableSchema<?> schema) {
        String typed = TypedColumns.emptySelect(schema);
        return files.isEmpty() ? typed : "SELECT * FROM read_parquet(" + fileList(files)
                + ", hive_partitioning = false, union_by_name = true) UNION ALL BY NAME " + typed;
    }

    private List<Path> compacted(LakeFiles current, String table, LakeScope scope) {
        var paths = new ArrayList<Path>();
        for (TableFile f : current.tableFiles(table)) {
            if (scope.holdsTablePartition(f.dt())) {
                paths.add(cache.local(f.key(), f.key()).orElseThrow(ListingOutdated::new));
            }
        }
        return paths;
    }

    private List<Path> landing(LakeFiles current, Signal signal, LakeScope scope) {
        var paths = new ArrayList<Path>();
        if (signal == null) {
            return paths;
        }
        for (StoredObject o : current.landing(signal)) {
            Optional<java.time.LocalDate> dt = LakeLayout.partitionDate(o.key());
            if (dt.isEmpty() || scope.mayHoldLanding(dt.get())) {
                paths.add(cache.local(o.key(), o.etag()).orElseThrow(ListingOutdated::new));
            }
        }
        return paths;
    }

    private static String fileList(List<Path> files) {
        return files.stream().map(p -> literal(p.toString())).collect(Collectors.joining(", ", "[", "]"));
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @PreDestroy
    @Override
    public void close() {
        try {
            database.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
