package dev.agentlake.lake.testing;

import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a test stored the way an outside user would: copies the objects under a prefix out of
 * the bucket and runs plain DuckDB SQL over them as a view named {@code t}.
 */
public final class LakeSql {
    private LakeSql() {
    }

    /** Rows of {@code sql} over the Parquet objects under {@code prefix}, each a column → value map. */
    public static List<Map<String, Object>> query(ObjectStore store, String prefix, String sql) {
        try {
            Path dir = Files.createTempDirectory("lake-sql");
            List<StoredObject> objects = store.list(prefix);
            if (objects.isEmpty()) {
                throw new IllegalStateException("no objects under " + prefix);
            }
            for (StoredObject o : objects) {
                store.download(o.key(), dir.resolve(o.key()));
            }
            try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
                st.execute("create view t as select * from read_parquet('" + dir.resolve(prefix) + "/**/*.parquet',"
                        + " hive_partitioning = true, union_by_name = true)");
                try (ResultSet rs = st.executeQuery(sql)) {
                    return rows(rs);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        var rows = new ArrayList<Map<String, Object>>();
        while (rs.next()) {
            var row = new LinkedHashMap<String, Object>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                row.put(md.getColumnLabel(i), rs.getObject(i));
            }
            rows.add(row);
        }
        return rows;
    }
}
