package dev.agentlake.compactor;

import dev.agentlake.lake.snapshot.LakeFiles;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The lake as a reader sees it at one moment, resolved once (latest snapshot + unconsumed landing,
 * {@link LakeFiles}): a DuckDB with a view per table ({@code logs}, {@code usage}, …) over the
 * snapshot's files and a view per landing folder ({@code landing_logs}, …) over unconsumed files.
 */
final class LakeView implements AutoCloseable {
    private final Connection db;
    private final Path dir;
    private final Set<String> views = new HashSet<>();

    private LakeView(Connection db, Path dir) {
        this.db = db;
        this.dir = dir;
    }

    static LakeView of(ObjectStore store) {
        LakeFiles files = LakeFiles.resolve(store);
        try {
            Path dir = TempFolders.create("lake-view");
            var byView = new TreeMap<String, List<String>>();
            files.snapshot().ifPresent(s -> s.files().forEach(f -> byView.computeIfAbsent(f.table(), t -> new ArrayList<>())
                    .add(download(store, dir, f.key()))));
            for (StoredObject o : files.landing()) {
                String folder = o.key().split("/")[1];
                byView.computeIfAbsent("landing_" + folder, t -> new ArrayList<>()).add(download(store, dir, o.key()));
            }
            Connection db = DriverManager.getConnection("jdbc:duckdb:");
            var view = new LakeView(db, dir);
            try (Statement st = db.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
                for (Map.Entry<String, List<String>> e : byView.entrySet()) {
                    st.execute("create view " + e.getKey() + " as select * from read_parquet([" + String.join(", ", e.getValue())
                            + "], hive_partitioning = " + !e.getKey().startsWith("landing_") + ", union_by_name = true)");
                    view.views.add(e.getKey());
                }
            }
            return view;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String download(ObjectStore store, Path dir, String key) {
        Path local = dir.resolve(key);
        if (!store.download(key, local)) {
            throw new AssertionError("a reader was told to read " + key + " but it is not in the bucket");
        }
        return "'" + local + "'";
    }

    /** Rows of a table a reader sees: its compacted rows plus those still in its landing folder. */
    long visibleRows(String table, String folder) {
        long n = 0;
        if (views.contains(table)) {
            n += count("select count(*) from " + table);
        }
        if (views.contains("landing_" + folder)) {
            n += count("select count(*) from landing_" + folder);
        }
        return n;
    }

    boolean has(String view) {
        return views.contains(view);
    }

    long count(String sql) {
        return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
    }

    /** Token totals per tool of the usage table. */
    Map<String, FixtureRun.Totals> usageTotals() {
        var out = new TreeMap<String, FixtureRun.Totals>();
        if (!has("usage")) {
            return out;
        }
        for (Map<String, Object> r : rows("select tool, count(*) as calls, sum(input_tokens) as input,"
                + " sum(cache_read_tokens) as cache_read, sum(cache_write_tokens) as cache_write,"
                + " sum(output_tokens) as output, sum(reasoning_tokens) as reasoning from usage group by tool")) {
            out.put((String) r.get("tool"), new FixtureRun.Totals(TestLake.n(r, "calls"), TestLake.n(r, "input"),
                    TestLake.n(r, "cache_read"), TestLake.n(r, "cache_write"), TestLake.n(r, "output"),
                    TestLake.n(r, "reasoning")));
        }
        return out;
    }

    List<Map<String, Object>> rows(String sql) {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rows(rs);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each row of {@code rs} as column label → value, in column order. */
    static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        var rows = new ArrayList<Map<String, Object>>();
        while (rs.next()) {
            var row = new LinkedHashMap<String, Object>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
            }
            rows.add(row);
        }
        return rows;
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            TempFolders.delete(dir);
        }
    }
}
