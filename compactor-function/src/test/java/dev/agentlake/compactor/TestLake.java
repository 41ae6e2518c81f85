package dev.agentlake.compactor;

import dev.agentlake.ingest.FixturePoster;
import dev.agentlake.ingest.IngestPipeline;
import dev.agentlake.lake.snapshot.LakeFiles;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.SnapshotStore;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.sql.DerivedViews;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.lake.testing.LakeTestServer;
import dev.agentlake.lake.testing.UnconditionalS3Server;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3-compatible server with the ingest pipeline and the compactor configured over it, and a
 * reader that sees the lake as readers must: the latest snapshot's files plus unconsumed landing.
 *
 * <p>A test class gets one as a JUnit extension, started before its first test and closed after its
 * last, so its tests say only what they are given:
 * <pre>{@code
 * @RegisterExtension
 * static final TestLake lake = TestLake.perClass().emptiedBeforeEachTest();
 * }</pre>
 */
final class TestLake implements AutoCloseable, BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private final Supplier<Running> starter;
    private final boolean emptyEachTest;
    private Running running;

    /** The server, what the lake's code reads it through, and the functions' context over it. */
    private record Running(LakeTestServer s3, ObjectStore store, AutoCloseable server, ApplicationContext context,
                           FixturePoster poster) {
        static Running over(LakeTestServer s3, ObjectStore store, AutoCloseable server, Map<String, Object> properties,
                            Map<String, Object> extra) {
            var props = new HashMap<String, Object>(properties);
            props.put("agentlake.compactor.landing-grace", "0s");
            props.putAll(extra);
            ApplicationContext context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
            return new Running(s3, store, server, context, new FixturePoster(context.getBean(IngestPipeline.class)));
        }
    }

    private TestLake(Supplier<Running> starter, boolean emptyEachTest) {
        this.starter = starter;
        this.emptyEachTest = emptyEachTest;
    }

    /** A lake started now (close it when done). */
    static TestLake start() {
        TestLake lake = perClass();
        lake.running = lake.starter.get();
        return lake;
    }

    /** A lake for a test class (see the class comment), with the compactor's configuration plus {@code extra}. */
    static TestLake perClass(Map<String, Object> extra) {
        return new TestLake(() -> {
            LakeTestServer s3 = LakeTestServer.start();
            return Running.over(s3, s3.store(), s3, s3.properties(), extra);
        }, false);
    }

    static TestLake perClass() {
        return perClass(Map.of());
    }

    /**
     * A lake for a test class on an S3-compatible server that ignores {@code If-None-Match: *} (see
     * {@link UnconditionalS3Server}), with the compactor's configuration plus {@code extra}.
     */
    static TestLake perClassIgnoringPutIfAbsent(Map<String, Object> extra) {
        return new TestLake(() -> {
            UnconditionalS3Server server = UnconditionalS3Server.start();
            return Running.over(null, server.store(), server, server.properties(), extra);
        }, false);
    }

    /** The same lake, emptied before each test: each test starts from an empty bucket. */
    TestLake emptiedBeforeEachTest() {
        return new TestLake(starter, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running = starter.get();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (emptyEachTest) {
            clear();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private Running running() {
        if (running == null) {
            throw new IllegalStateException("the test lake is not started: register it as an extension or start() it");
        }
        return running;
    }

    /** The S3 server (null on a server that ignores put-if-absent). */
    LakeTestServer s3() {
        return running().s3();
    }

    ApplicationContext context() {
        return running().context();
    }

    ObjectStore store() {
        return running().store();
    }

    /** Ingests every captured request of a run (signals ingest does not accept yet are skipped). */
    List<String> ingest(FixtureRun run) {
        return running().poster().postAll(run.run, run.files);
    }

    /** Ingests every captured request of each run, in order; the landing keys written. */
    List<String> ingestAll(List<FixtureRun> runs) {
        var keys = new ArrayList<String>();
        runs.forEach(run -> keys.addAll(ingest(run)));
        return keys;
    }

    /** Ingests some captured requests of a run, e.g. {@code 0001-claude-code-logs}. */
    List<String> ingest(FixtureRun run, String... files) {
        return running().poster().postAll(run.run, List.of(files));
    }

    CompactionJob job() {
        return context().getBean(CompactionJob.class);
    }

    /** A compactor over {@code store} with the configured derivation and no grace periods. */
    CompactionJob job(ObjectStore store) {
        return job(store, settings().withGraces(Duration.ZERO, Duration.ZERO), Clock.systemUTC());
    }

    CompactionJob job(ObjectStore store, CompactorSettings settings, Clock clock) {
        return new CompactionJob(store, settings, views(), clock);
    }

    CompactionJob job(DerivedViews views) {
        return new CompactionJob(store(), settings(), views, Clock.systemUTC());
    }

    /** Deletes every object of the bucket: each test starts from an empty lake. */
    void clear() {
        List<String> all = keys("");
        if (!all.isEmpty()) {
            store().delete(all);
        }
    }

    /** Stores rows as a landing file, as an importer or a foreign writer would. */
    <T> String land(String key, dev.agentlake.lake.parquet.TableSchema<T> schema, List<T> rows) {
        store().put(key, dev.agentlake.lake.parquet.ParquetRowWriter.write(schema, rows));
        return key;
    }

    CompactorSettings settings() {
        return context().getBean(CompactorSettings.class);
    }

    /** The derivation (prices, views) the configured compactor uses. */
    DerivedViews views() {
        return context().getBean(DerivedViews.class);
    }

    Snapshot snapshot() {
        return new SnapshotStore(store()).latest().orElseThrow();
    }

    List<String> keys(String prefix) {
        return store().list(prefix).stream().map(StoredObject::key).toList();
    }

    /** The session ids of the log rows in the given landing files. */
    List<String> sessionsIn(List<String> landingKeys) {
        Path dir = TempFolders.create("landing-read");
        try {
            var paths = new ArrayList<String>();
            for (String key : landingKeys) {
                if (key.startsWith("landing/logs/")) {
                    Path local = dir.resolve(key);
                    store().download(key, local);
                    paths.add("'" + local + "'");
                }
            }
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select distinct session_id from read_parquet([" + String.join(", ", paths)
                         + "]) where session_id is not null order by 1")) {
                var out = new ArrayList<String>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            TempFolders.delete(dir);
        }
    }

    /** Token totals per tool of the compacted usage table. */
    Map<String, FixtureRun.Totals> usageTotals() {
        return usageTotals(store());
    }

    static Map<String, FixtureRun.Totals> usageTotals(ObjectStore store) {
        var out = new TreeMap<String, FixtureRun.Totals>();
        for (Map<String, Object> r : query(store, "usage", "select tool, count(*) as calls, sum(input_tokens) as input,"
                + " sum(cache_read_tokens) as cache_read, sum(cache_write_tokens) as cache_write,"
                + " sum(output_tokens) as output, sum(reasoning_tokens) as reasoning from t group by tool")) {
            out.put((String) r.get("tool"), new FixtureRun.Totals(n(r, "calls"), n(r, "input"), n(r, "cache_read"),
                    n(r, "cache_write"), n(r, "output"), n(r, "reasoning")));
        }
        return out;
    }

    /**
     * Runs {@code sql} over the live files of {@code table} (view {@code t}), read following the
     * reader rules: the latest snapshot's files of the table, and no others.
     */
    List<Map<String, Object>> query(String table, String sql) {
        return query(store(), table, sql);
    }

    static List<Map<String, Object>> query(ObjectStore store, String table, String sql) {
        LakeFiles files = LakeFiles.resolve(store);
        List<String> keys = files.tableFiles(table).stream().map(TableFile::key).toList();
        return queryObjects(store, keys, sql, true);
    }

    /**
     * Rows of a silver table as a reader sees them before or after compaction: the snapshot's
     * files of {@code table} plus the landing files of {@code folder} it has not consumed.
     */
    static long visibleRows(ObjectStore store, String table, String folder) {
        LakeFiles files = LakeFiles.resolve(store);
        var keys = new ArrayList<String>();
        files.tableFiles(table).forEach(f -> keys.add(f.key()));
        files.landing(folder).forEach(o -> keys.add(o.key()));
        return n(queryObjects(store, keys, "select count(*) as n from t", false).get(0), "n");
    }

    private static List<Map<String, Object>> queryObjects(ObjectStore store, List<String> keys, String sql, boolean hive) {
        Path dir = TempFolders.create("lake-read");
        try {
            var paths = new ArrayList<String>();
            for (String key : keys) {
                Path local = dir.resolve(key);
                if (!store.download(key, local)) {
                    throw new AssertionError("a reader was told to read " + key + " but it is not in the bucket");
                }
                paths.add("'" + local + "'");
            }
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
                if (paths.isEmpty()) {
                    return sql.contains("count(*)") ? List.of(Map.of("n", 0L)) : List.of();
                }
                st.execute("create view t as select * from read_parquet([" + String.join(", ", paths)
                        + "], hive_partitioning = " + hive + ", union_by_name = true)");
                try (ResultSet rs = st.executeQuery(sql)) {
                    return LakeView.rows(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            TempFolders.delete(dir);
        }
    }

    /** Table files in the bucket that the latest snapshot does not name (none after a clean run). */
    static List<String> unnamedTableFiles(ObjectStore store) {
        Set<String> live = new SnapshotStore(store).latest().map(s -> s.files().stream().map(TableFile::key)
                .collect(Collectors.toSet())).orElse(Set.of());
        return store.list("tables/").stream().map(StoredObject::key).filter(k -> !live.contains(k)).toList();
    }

    static long n(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? 0 : ((Number) v).longValue();
    }

    @Override
    public void close() {
        Running r = running();
        running = null;
        r.context().close();
        try {
            r.server().close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
