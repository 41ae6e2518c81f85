package dev.agentlake.query.duckdb;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.snapshot.LakeFiles;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.sql.DerivedViews;
import dev.agentlake.lake.sql.TypedColumns;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoreUnavailableException;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.query.QuerySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One in-process DuckDB over the local copies of the lake. {@link #open} gives each request a
 * connection of its own whose views ({@code logs}, {@code usage}, {@code sessions}, …) show exactly
 * what a reader must read (the latest snapshot's files plus the landing files it has not consumed,
 * see {@link LakeFiles}), pruned to the request's {@code dt=} partitions.
 *
 * <p>Warm requests do no set-up work: the lake's files are resolved again at most once per refresh
 * interval (ahead of requests, by a background refresh while the API is in use), and a resolution
 * that finds the same snapshot and landing files keeps its <em>generation</em>. Per generation, the
 * usage and sessions rows derived from the landing files (with the compactor's SQL,
 * {@link DerivedViews}) are computed once into tables, and connections with their views installed
 * are kept for reuse per (generation, partitions, tables). A new landing file or snapshot makes a
 * new generation, so it is visible within one refresh interval, and every row is counted once:
 * a generation's views read one consistent resolution.
 *
 * <p>The database is locked down once at start: it may read files only under the cache folder, it
 * cannot reach the network, install extensions or change settings. The API's own SQL and the SQL
 * console share these limits.
 */
@Singleton
public final class LakeDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LakeDatabase.class);

    /** The tables readers see, with the landing folder that feeds each directly (if any). */
    private static final Map<String, Source> SOURCES = Map.of(
            "logs", new Source(LakeSchemas.LOGS, Signal.LOGS),
            "spans", new Source(LakeSchemas.SPANS, Signal.SPANS),
            "metrics", new Source(LakeSchemas.METRICS, Signal.METRICS),
            "usage", new Source(LakeSchemas.USAGE, null),
            "sessions", new Source(LakeSchemas.SESSIONS, null));

    private record Source(TableSchema<?> schema, Signal landing) {
    }

    /** Idle connections kept per key, and keys kept, before the least recently used are closed. */
    private static final int IDLE_PER_KEY = 4;
    private static final int IDLE_KEYS = 32;
    /** The background refresh runs while a request came within this time (no listing when idle). */
    private static final long ACTIVE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final ObjectStore store;
    private final DerivedViews derived;
    private final LakeCache cache;
    private final DuckDBConnection database;
    private final long refreshNanos;
    private final Object resolving = new Object();
    private volatile Generation generation;
    private long generations;
    /** Generations whose views may still be read (the current one and any with connections out). */
    private final List<Generation> alive = new ArrayList<>();
    private final Map<ViewsKey, Deque<DuckDBConnection>> idle = new LinkedHashMap<>(16, 0.75f, true);
    private ScheduledExecutorService refresher;
    private volatile long lastUse;
    private boolean closed;

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
     * use (that hands it back for the next request). Only the named tables get views (binding a view
     * reads its files' footers); none named: all.
     */
    public Connection open(LakeScope scope, String... tables) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return openOnce(scope, tables);
            } catch (ListingOutdated e) {
                // A listed file was gone when fetched: a compaction committed since the listing, and the
                // file's rows are in the newer snapshot. Dropping it would under-count (LakeFiles' rule).
                if (attempt == RESOLVE_ATTEMPTS) {
                    throw new StoreUnavailableException("the lake kept changing while it was read; try again", null);
                }
                resolve(System.nanoTime(), true);
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

    private Connection openOnce(LakeScope scope, String... tables) throws SQLException {
        long now = System.nanoTime();
        lastUse = now;
        startRefresher();
        List<String> wanted = tables.length == 0 ? SOURCES.keySet().stream().sorted().toList()
                : java.util.Arrays.stream(tables).distinct().sorted().toList();
        for (String table : wanted) {
            if (!SOURCES.containsKey(table)) {
                throw new IllegalArgumentException("no table " + table);
            }
        }
        Generation g = acquire(now);
        ViewsKey key = new ViewsKey(g.id, scope, wanted);
        try {
            DuckDBConnection c = takeIdle(key);
            if (c == null) {
                c = build(g, scope, wanted);
            }
            return lease(c, key, g);
        } catch (SQLException | RuntimeException e) {
            release(g);
            throw e;
        }
    }

    /** The lake's files, resolved again at most once per refresh interval (warm requests reuse them). */
    public LakeFiles current() {
        return fresh(System.nanoTime()).files;
    }

    /** One resolution of the lake's files, and what has been computed for it. */
    private static final class Generation {
        final long id;
        final LakeFiles files;
        final List<String> fingerprint;
        volatile long resolvedAt;
        int users;
        boolean retired;
        boolean derivedReady;
        /** Set with {@link #derivedReady}: {@link #compactedReplaced} lists rows. */
        boolean replacesCompacted;

        Generation(long id, LakeFiles files, List<String> fingerprint, long resolvedAt) {
            this.id = id;
            this.files = files;
            this.fingerprint = fingerprint;
            this.resolvedAt = resolvedAt;
        }

        String landingUsage() {
            return "agentlake_landing_usage_" + id;
        }

        String landingSessions() {
            return "agentlake_landing_sessions_" + id;
        }

        /** Compacted calls and sessions that landing rows replace (see {@link #resolveOverlap}). */
        String compactedReplaced() {
            return "agentlake_compacted_replaced_" + id;
        }
    }

    private record ViewsKey(long generation, LakeScope scope, List<String> tables) {
    }

    /** The current generation, resolved again if it is older than the refresh interval at {@code asOf}. */
    private Generation fresh(long asOf) {
        Generation g = generation;
        if (g != null && asOf - g.resolvedAt < refreshNanos) {
            return g;
        }
        return resolve(asOf, false);
    }

    /**
     * Resolves the lake's files unless a resolution that started at or after {@code asOf} (or
     * within the refresh interval before it) already did; a new generation only if files changed.
     */
    private Generation resolve(long asOf, boolean force) {
        synchronized (resolving) {
            Generation g = generation;
            if (!force && g != null && (g.resolvedAt - asOf >= 0 || asOf - g.resolvedAt < refreshNanos)) {
                return g;
            }
            long started = System.nanoTime();
            LakeFiles files = LakeFiles.resolve(store);
            List<String> fingerprint = fingerprint(files);
            if (g != null && g.fingerprint.equals(fingerprint)) {
                g.resolvedAt = started;
                return g;
            }
            Generation next;
            var live = new HashSet<String>();
            synchronized (this) {
                next = new Generation(++generations, files, fingerprint, started);
                alive.add(next);
                for (Generation a : alive) {
                    live.addAll(keys(a.files));
                }
                generation = next;
                if (g != null) {
                    g.retired = true;
                }
            }
            // Copies a retired generation's views may still read stay until it is disposed.
            cache.retainOnly(live);
            if (g != null) {
                disposeIfUnused(g);
            }
            return next;
        }
    }

    private static List<String> fingerprint(LakeFiles files) {
        var out = new ArrayList<String>();
        out.add("snapshot " + files.snapshot().map(s -> s.version()).orElse(0L));
        for (StoredObject o : files.landing()) {
            out.add(o.key() + " " + o.etag());
        }
        return out;
    }

    private static List<String> keys(LakeFiles files) {
        var keys = new ArrayList<String>();
        for (String table : SOURCES.keySet()) {
            files.tableFiles(table).forEach(f -> keys.add(f.key()));
        }
        files.landing().forEach(o -> keys.add(o.key()));
        return keys;
    }

    /** The current generation, counted as in use until {@link #release}. */
    private Generation acquire(long now) {
        while (true) {
            Generation g = fresh(now);
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the lake database is closed");
                }
                if (!g.retired) {
                    g.users++;
                    return g;
                }
            }
            now = System.nanoTime();
        }
    }

    private void release(Generation g) {
        synchronized (this) {
            g.users--;
        }
        disposeIfUnused(g);
    }

    /** Once a retired generation has no connections out: close its idle ones and drop its tables. */
    private void disposeIfUnused(Generation g) {
        var toClose = new ArrayList<DuckDBConnection>();
        synchronized (this) {
            if (!g.retired || g.users > 0 || !alive.remove(g)) {
                return;
            }
            for (Iterator<Map.Entry<ViewsKey, Deque<DuckDBConnection>>> it = idle.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().generation() == g.id) {
                    toClose.addAll(e.getValue());
                    it.remove();
                }
            }
        }
        toClose.forEach(LakeDatabase::closeQuietly);
        // Also when the derivation failed halfway: a table it made must not outlive its generation.
        try (Connection c = database.duplicate(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + g.landingUsage());
            st.execute("DROP TABLE IF EXISTS " + g.landingSessions());
            st.execute("DROP TABLE IF EXISTS " + g.compactedReplaced());
        } catch (SQLException e) {
            LOG.warn("could not drop the landing tables of generation {}: {}", g.id, e.getMessage());
        }
    }

    private synchronized DuckDBConnection takeIdle(ViewsKey key) {
        Deque<DuckDBConnection> q = idle.get(key);
        return q == null ? null : q.pollFirst();
    }

    /** Hands a connection back: kept for the next request with the same key, else closed. */
    private void giveBack(DuckDBConnection c, ViewsKey key, Generation g) {
        boolean keep;
        try {
            keep = c.getAutoCommit() && !c.isClosed();
        } catch (SQLException e) {
            keep = false;
        }
        var toClose = new ArrayList<DuckDBConnection>();
        synchronized (this) {
            if (keep && !closed && !g.retired) {
                Deque<DuckDBConnection> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
                if (q.size() < IDLE_PER_KEY) {
                    q.addFirst(c);
                } else {
                    toClose.add(c);
                }
                while (idle.size() > IDLE_KEYS) {
                    var eldest = idle.entrySet().iterator();
                    toClose.addAll(eldest.next().getValue());
                    eldest.remove();
                }
            } else {
                toClose.add(c);
            }
        }
        toClose.forEach(LakeDatabase::closeQuietly);
        release(g);
    }

    /** {@code c} for one request: closing it hands it back instead of closing it. */
    private Connection lease(DuckDBConnection c, ViewsKey key, Generation g) {
        var returned = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("close") && method.getParameterCount() == 0) {
                        if (returned.compareAndSet(false, true)) {
                            giveBack(c, key, g);
                        }
                        return null;
                    }
                    if (name.equals("isClosed") && method.getParameterCount() == 0) {
                        return returned.get() || c.isClosed();
                    }
                    if (returned.get()) {
                        throw new SQLException("connection is closed");
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A new connection with the views of {@code tables} over generation {@code g}, pruned to {@code scope}. */
    private DuckDBConnection build(Generation g, LakeScope scope, List<String> tables) throws SQLException {
        if (tables.contains("usage") || tables.contains("sessions")) {
            deriveLanding(g);
        }
        DuckDBConnection c = database.duplicate();
        try (Statement st = c.createStatement()) {
            for (String table : tables) {
                Source source = SOURCES.get(table);
                String view;
                if (table.equals("usage")) {
                    view = union(compacted(g.files, table, scope), g.landingUsage(), g.replacesCompacted ? g.compactedReplaced() : null,
                            "c.tool = r.tool AND c.call_id = r.call_id");
                } else if (table.equals("sessions")) {
                    view = union(compacted(g.files, table, scope), g.landingSessions(),
                            g.replacesCompacted ? g.compactedReplaced() : null,
                            "c.tool = r.tool AND c.session_id IS NOT DISTINCT FROM r.session_id AND CAST(c.first_seen AS DATE) = r.day");
                } else {
                    var paths = new ArrayList<>(compacted(g.files, table, scope));
                    paths.addAll(landing(g.files, source.landing(), scope));
                    view = relation(paths, source.schema());
                }
                st.execute("CREATE OR REPLACE TEMP VIEW " + table + " AS " + view);
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * The usage and sessions rows that the landing logs and imports no snapshot has consumed yet
     * give, derived with the compactor's own SQL ({@link DerivedViews}) into two tables, once per
     * generation: {@code usage} and {@code sessions} are the compacted tables plus these, so what was
     * ingested a second ago is counted, and nothing twice. (Landing metrics are not used: sessions'
     * lines, commits and pull requests come from compacted metrics only.)
     */
    private void deriveLanding(Generation g) throws SQLException {
        synchronized (g) {
            if (g.derivedReady) {
                return;
            }
            try (Connection c = database.duplicate(); Statement st = c.createStatement()) {
                st.execute("CREATE OR REPLACE TEMP VIEW landing_logs AS "
                        + relation(landing(g.files, Signal.LOGS, LakeScope.ALL), LakeSchemas.LOGS));
                st.execute("CREATE OR REPLACE TEMP VIEW landing_imported_usage AS "
                        + relation(landing(g.files, Signal.USAGE, LakeScope.ALL), LakeSchemas.USAGE));
                derived.install(c, LANDING_DERIVATION);
                st.execute("CREATE OR REPLACE TABLE " + g.landingUsage() + " AS " + TypedColumns.emptySelect(LakeSchemas.USAGE)
                        + " UNION ALL BY NAME SELECT " + columns(LakeSchemas.USAGE) + " FROM landing_usage");
                st.execute("CREATE OR REPLACE TABLE " + g.landingSessions() + " AS " + TypedColumns.emptySelect(LakeSchemas.SESSIONS)
                        + " UNION ALL BY NAME SELECT " + columns(LakeSchemas.SESSIONS) + " FROM landing_sessions");
                g.replacesCompacted = resolveOverlap(g, st);
            }
            synchronized (this) {
                g.derivedReady = true;
            }
        }
    }

    /**
     * A session whose calls are compacted from one source while calls of the other source wait in landing
     * (telemetry compacted, then its session file imported; or the reverse), or a call id on both sides,
     * would count twice until the next compaction settles it, since the landing rows are derived apart.
     * The compactor's rule is applied across the two here: per session the preferred source's calls, per
     * call id one copy (the compacted one within a source). Landing rows that lose are deleted from the
     * generation's landing tables; compacted calls that lose are listed in
     * {@link Generation#compactedReplaced}, which the views leave out with their sessions' rows of those days
     * (the landing side's rows of those sessions and days replace them). Only compacted partitions of the
     * landing calls' days are read, and nothing is listed when the sides do not meet (the usual case).
     *
     * @return whether compacted rows are replaced
     */
    private boolean resolveOverlap(Generation g, Statement st) throws SQLException {
        java.time.LocalDate first;
        java.time.LocalDate last;
        try (ResultSet rs = st.executeQuery("SELECT min(epoch_us(timestamp)), max(epoch_us(timestamp)) FROM " + g.landingUsage())) {
            rs.next();
            if (rs.getObject(1) == null) {
                return false;
            }
            first = java.time.Instant.EPOCH.plus(rs.getLong(1), java.time.temporal.ChronoUnit.MICROS).atOffset(java.time.ZoneOffset.UTC).toLocalDate();
            last = java.time.Instant.EPOCH.plus(rs.getLong(2), java.time.temporal.ChronoUnit.MICROS).atOffset(java.time.ZoneOffset.UTC).toLocalDate();
        }
        var files = new ArrayList<Path>();
        for (TableFile f : g.files.tableFiles("usage")) {
            if (!f.dt().isBefore(first) && !f.dt().isAfter(last)) {
                files.add(cache.local(f.key(), f.key()).orElseThrow(ListingOutdated::new));
            }
        }
        if (files.isEmpty()) {
            return false;
        }
        String prefer = derived.preferSource().replace("'", "''");
        String landing = g.landingUsage();
        st.execute("CREATE OR REPLACE TEMP TABLE overlap AS"
                + " WITH c AS (SELECT 'compacted' AS side, tool, session_id, call_id, source, CAST(timestamp AS DATE) AS day FROM read_parquet(" + fileList(files)
                + ", hive_partitioning = false, union_by_name = true) c"
                + "   WHERE EXISTS (SELECT 1 FROM " + landing + " l WHERE l.tool = c.tool AND (l.session_id = c.session_id OR l.call_id = c.call_id))),"
                + " l AS (SELECT 'landing' AS side, tool, session_id, call_id, source, CAST(timestamp AS DATE) AS day FROM " + landing + "),"
                + " calls AS (SELECT * FROM c UNION ALL SELECT * FROM l),"
                + " sources AS (SELECT tool, session_id, count(DISTINCT source) AS n FROM calls WHERE session_id IS NOT NULL GROUP BY ALL),"
                + " kept AS (SELECT k.* FROM calls k LEFT JOIN sources s ON s.tool = k.tool AND s.session_id = k.session_id"
                + "   WHERE s.n IS NULL OR s.n = 1 OR k.source = '" + prefer + "'"
                + "   QUALIFY row_number() OVER (PARTITION BY k.tool, k.call_id ORDER BY k.source = '" + prefer + "' DESC, k.side) = 1)"
                + " SELECT * FROM calls EXCEPT ALL SELECT * FROM kept");
        try {
            st.execute("DELETE FROM " + landing + " u WHERE EXISTS (SELECT 1 FROM overlap o WHERE o.side = 'landing'"
                    + " AND o.tool = u.tool AND o.call_id = u.call_id)");
            // A session's landing row goes with its calls when every one of them lost.
            st.execute("DELETE FROM " + g.landingSessions() + " s WHERE EXISTS (SELECT 1 FROM overlap o WHERE o.side = 'landing'"
                    + " AND o.tool = s.tool AND o.session_id = s.session_id) AND NOT EXISTS (SELECT 1 FROM " + landing
                    + " u WHERE u.tool = s.tool AND u.session_id = s.session_id)");
            st.execute("CREATE OR REPLACE TABLE " + g.compactedReplaced() + " AS SELECT tool, session_id, call_id, day FROM overlap"
                    + " WHERE side = 'compacted'");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + g.compactedReplaced())) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } finally {
            st.execute("DROP TABLE overlap");
        }
    }

    private static final DerivedViews.Names LANDING_DERIVATION = new DerivedViews.Names("landing_logs",
            "landing_imported_usage", null, "agentlake_usage_calls", "agentlake_model_prices", "landing_usage",
            "agentlake_session_metrics", "landing_metric_deltas", "landing_sessions");

    private static String columns(TableSchema<?> schema) {
        return schema.columns().stream().map(col -> "\"" + col.name() + "\"").collect(Collectors.joining(", "));
    }

    /**
     * Compacted files UNION ALL BY NAME a derived table, which has every column of the schema, typed;
     * without the compacted rows that match a row of {@code replaced} (null: none) on {@code match}.
     */
    private static String union(List<Path> files, String table, String replaced, String match) {
        if (files.isEmpty()) {
            return "SELECT * FROM " + table;
        }
        String compacted = "SELECT * FROM read_parquet(" + fileList(files) + ", hive_partitioning = false, union_by_name = true)";
        if (replaced != null) {
            compacted = "SELECT c.* FROM (" + compacted + ") c WHERE NOT EXISTS (SELECT 1 FROM " + replaced + " r WHERE " + match + ")";
        }
        return compacted + " UNION ALL BY NAME SELECT * FROM " + table;
    }

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
        for (StoredObject o : current.landing(signal)) {
            Optional<java.time.LocalDate> dt = LakeLayout.partitionDate(o.key());
            if (dt.isEmpty() || scope.mayHoldLanding(dt.get())) {
                paths.add(cache.local(o.key(), o.etag()).orElseThrow(ListingOutdated::new));
            }
        }
        return paths;
    }

    /**
     * While the API is in use, resolves the lake ahead of requests (every half refresh interval), so
     * a warm request does not wait for the listing; an idle API lists nothing.
     */
    private synchronized void startRefresher() {
        // Not on Lambda: it freezes the process between invocations, possibly mid-listing, and serves
        // one request at a time per instance, so there is no warm request to get ahead of.
        if (refresher != null || refreshNanos <= 0 || closed || System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null) {
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agentlake-lake-refresh");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(refreshNanos / 2, TimeUnit.MILLISECONDS.toNanos(50));
        refresher.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            if (now - lastUse < ACTIVE_NANOS) {
                try {
                    resolve(now, false);
                } catch (RuntimeException e) {
                    // Closing interrupts a refresh in flight: that is the end of the work, not a failure.
                    if (!closed) {
                        LOG.warn("background refresh of the lake failed (requests resolve it themselves): {}", e.getMessage());
                    }
                }
            }
        }, every, every, TimeUnit.NANOSECONDS);
    }

    private static String fileList(List<Path> files) {
        return files.stream().map(p -> literal(p.toString())).collect(Collectors.joining(", ", "[", "]"));
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.warn("could not close a DuckDB connection: {}", e.getMessage());
        }
    }

    @PreDestroy
    @Override
    public void close() {
        var toClose = new ArrayList<DuckDBConnection>();
        synchronized (this) {
            closed = true;
            if (refresher != null) {
                refresher.shutdownNow();
            }
            idle.values().forEach(toClose::addAll);
            idle.clear();
        }
        toClose.forEach(LakeDatabase::closeQuietly);
        try {
            database.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
