package dev.agentlake.cli.lake;

import dev.agentlake.lake.model.UsageRow;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The lake's {@code usage} as {@link UsageRow}s: derived from its logs (OTLP) and imported usage,
 * compacted or still in landing, each call once and priced, read with DuckDB from a local copy.
 */
public final class LakeUsage {
    private LakeUsage() {
    }

    /** A DuckDB connection that can read local files only as asked, and never downloads an extension. */
    public static Connection duckdb() throws SQLException {
        var props = new Properties();
        props.setProperty("autoinstall_known_extensions", "false");
        props.setProperty("autoload_known_extensions", "true");
        Connection c = DriverManager.getConnection("jdbc:duckdb:", props);
        try (Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
        }
        return c;
    }

    /**
     * @param tools lake tool names to keep (all when empty)
     * @param from first instant kept, or null; {@code to} end (exclusive), or null
     */
    public static List<UsageRow> read(ObjectStore store, Collection<String> tools, Instant from, Instant to) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("agentlake-usage");
            LakeCopy copy = LakeCopy.download(store, scratch, List.of("logs", LakeCopy.IMPORTED_USAGE));
            var where = new ArrayList<String>();
            if (!tools.isEmpty()) {
                where.add("tool IN (" + tools.stream().map(t -> "'" + t.replace("'", "''") + "'").collect(Collectors.joining(", ")) + ")");
            }
            if (from != null) {
                where.add("epoch_us(timestamp) >= " + (from.getEpochSecond() * 1_000_000L + from.getNano() / 1_000));
            }
            if (to != null) {
                where.add("epoch_us(timestamp) < " + (to.getEpochSecond() * 1_000_000L + to.getNano() / 1_000));
            }
            String sql = "SELECT epoch_us(timestamp) AS us, * FROM usage"
                    + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY timestamp, call_id";
            var rows = new ArrayList<UsageRow>();
            try (Connection c = duckdb()) {
                LakeViews.create(c, copy);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    rows.add(new UsageRow(rs.getLong("us") * 1_000L, rs.getString("call_id"), rs.getString("tool"),
                            rs.getString("session_id"), rs.getString("prompt_id"), rs.getString("model"),
                            rs.getString("host_name"), rs.getString("project"), rs.getString("user_id"),
                            rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cache_read_tokens"),
                            rs.getLong("cache_write_tokens"), rs.getLong("cache_write_1h_tokens"),
                            rs.getLong("reasoning_tokens"), rs.getLong("tool_tokens"), nullableDouble(rs, "cost_usd"),
                            rs.getString("cost_source"), nullableDouble(rs, "reported_cost_usd"),
                            nullableDouble(rs, "duration_ms"), nullableBoolean(rs, "success"), rs.getBoolean("routing"),
                            rs.getString("source")));
                }
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the lake's usage: " + e.getMessage(), e);
        } finally {
            deleteTree(scratch);
        }
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Boolean nullableBoolean(ResultSet rs, String column) throws SQLException {
        boolean v = rs.getBoolean(column);
        return rs.wasNull() ? null : v;
    }

    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp folder: best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
