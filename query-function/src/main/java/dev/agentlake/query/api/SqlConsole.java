package dev.agentlake.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentlake.query.duckdb.LakeDatabase;
import dev.agentlake.query.duckdb.LakeScope;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Read-only SQL over the lake's views, for the SQL console, scripts and {@code agentlake query}.
 * Two fences: the statement must be exactly one {@code SELECT} (DuckDB's own parser says so via
 * {@code json_serialize_sql}, which serializes only SELECT statements), and the database itself is
 * locked down (no files outside the lake's cache, no network, no extensions, no settings). Results
 * are cut at a row limit or a size limit (every row is held in memory and answered as one JSON
 * document) and queries cancelled after a time limit.
 */
@Singleton
public final class SqlConsole {
    public static final int MAX_ROWS = 10_000;
    /** Characters of text (and bytes of blobs) a result may hold; other values count 8 each. */
    public static final long MAX_CHARS = 64L << 20;
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ScheduledExecutorService CANCELLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sql-timeout");
        t.setDaemon(true);
        return t;
    });

    private final LakeDatabase lake;

    SqlConsole(LakeDatabase lake) {
        this.lake = lake;
    }

    /**
     * Result of a query: column names and types, rows, whether a limit cut it and whether that was the
     * size limit ({@link #MAX_CHARS}) rather than the row limit.
     */
    public record Result(List<Map<String, String>> columns, List<List<Object>> rows, boolean truncated, boolean sizeLimited,
                         long millis) {
    }

    public Result run(String sql, int maxRows) throws SQLException {
        if (sql == null || sql.isBlank()) {
            throw new BadRequestException("'sql' is empty");
        }
        if (sql.length() > 100_000) {
            throw new BadRequestException("'sql' is longer than 100000 characters");
        }
        long start = System.nanoTime();
        try (Connection c = lake.open(LakeScope.ALL)) {
            requireSingleSelect(c, sql);
            try (Statement st = c.createStatement()) {
                var timeout = CANCELLER.schedule(() -> {
                    try {
                        st.cancel();
                    } catch (SQLException ignored) {
                        // the statement finished meanwhile
                    }
                }, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                try (ResultSet rs = st.executeQuery(sql)) {
                    return read(rs, maxRows, start);
                } catch (SQLException e) {
                    if (timeout.isDone()) {
                        throw new BadRequestException("the query ran longer than " + TIMEOUT.toSeconds() + " s and was cancelled");
                    }
                    throw new BadRequestException(oneLine(e.getMessage()));
                } finally {
                    timeout.cancel(false);
                }
            }
        }
    }

    private static void requireSingleSelect(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode parsed = ApiJson.mapper().readTree(rs.getString(1));
                if (parsed.path("error").asBoolean(false)) {
                    String message = parsed.path("error_message").asText();
                    throw new BadRequestException(message.startsWith("Only SELECT")
                            ? "only a single SELECT statement is allowed (read-only SQL)"
                            : "SQL error: " + oneLine(message));
                }
                if (parsed.path("statements").size() != 1) {
                    throw new BadRequestException("only a single SELECT statement is allowed (read-only SQL)");
                }
                String refused = refusedSource(parsed);
                if (refused != null) {
                    throw new BadRequestException(refused + " is not available here: query the lake's views"
                            + " (logs, spans, metrics, usage, sessions)");
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("unexpected answer from json_serialize_sql", e);
            }
        }
    }

    /**
     * Functions that read files or the server's own state rather than the lake: DuckDB's catalog and
     * settings functions (they reveal server paths), file readers and globbing (the views already
     * read the lake), environment and settings lookups. The locked-down database refuses file access
     * outside the cache anyway; this keeps the console to the views. json_execute_serialized_sql runs a
     * statement this check never sees.
     */
    private static final java.util.regex.Pattern REFUSED = java.util.regex.Pattern.compile(
            "(?i)duckdb_.*|pragma_.*|read_.*|glob|parquet_.*|sniff_csv|current_setting|getenv|which_secret"
                    + "|query|query_table|json_execute_serialized_sql|iceberg_.*|delta_scan|sql_auto_complete|test_all_types"
                    + "|checkpoint|force_checkpoint");

    /**
     * DuckDB's catalog views over the same state (pg_settings holds the settings, duckdb_views,
     * sqlite_master and information_schema.views the views' SQL with the cache's paths), named as tables.
     */
    private static final java.util.regex.Pattern REFUSED_TABLE = java.util.regex.Pattern.compile("(?i)duckdb_.*|pragma_.*|sqlite_.*|pg_.*");
    private static final java.util.regex.Pattern REFUSED_SCHEMA = java.util.regex.Pattern.compile("(?i)information_schema|pg_catalog");

    /** The first refused function or catalog table the statement names, e.g. "function glob", or null. */
    private static String refusedSource(JsonNode node) {
        if (node.isObject()) {
            JsonNode name = node.get("function_name");
            if (name != null && name.isTextual() && REFUSED.matcher(name.asText()).matches()) {
                return "function " + name.asText();
            }
            if ("BASE_TABLE".equals(node.path("type").asText())) {
                String schema = node.path("schema_name").asText();
                String table = node.path("table_name").asText();
                if (REFUSED_SCHEMA.matcher(schema).matches() || REFUSED_TABLE.matcher(table).matches()) {
                    return "table " + (schema.isEmpty() ? "" : schema + ".") + table;
                }
            }
        }
        for (JsonNode child : node) {
            String found = refusedSource(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Result read(ResultSet rs, int maxRows, long start) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        var columns = new ArrayList<Map<String, String>>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            var col = new LinkedHashMap<String, String>();
            col.put("name", md.getColumnLabel(i));
            col.put("type", md.getColumnTypeName(i));
            columns.add(col);
        }
        var rows = new ArrayList<List<Object>>();
        boolean truncated = false;
        boolean sizeLimited = false;
        long chars = 0;
        while (rs.next()) {
            if (rows.size() == maxRows) {
                truncated = true;
                break;
            }
            var row = new ArrayList<Object>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                Object value = JsonValues.of(rs.getObject(i));
                chars += value instanceof CharSequence text ? text.length() : value instanceof byte[] bytes ? bytes.length : 8;
                row.add(value);
            }
            if (chars > MAX_CHARS) {
                truncated = true;
                sizeLimited = true;
                break;
            }
            rows.add(row);
        }
        return new Result(columns, rows, truncated, sizeLimited, (System.nanoTime() - start) / 1_000_000);
    }

    static String oneLine(String message) {
        if (message == null) {
            return "query failed";
        }
        String first = message.split("\n", 2)[0].trim();
        return first.length() > 300 ? first.substring(0, 300) + "…" : first;
    }
}
