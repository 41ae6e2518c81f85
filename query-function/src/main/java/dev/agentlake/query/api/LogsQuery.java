package dev.agentlake.query.api;

import dev.agentlake.query.duckdb.LakeDatabase;
import dev.agentlake.query.duckdb.LakeScope;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Log records in a time range, newest first, with the filters the logs view offers. */
@Singleton
public final class LogsQuery {
    private final LakeDatabase lake;

    LogsQuery(LakeDatabase lake) {
        this.lake = lake;
    }

    /** Optional filters; null means "any". {@code search} matches body and attributes, case-insensitively. */
    public record Filter(String tool, String service, String severity, String event, String session, String traceId,
                         String search) {
        static final Filter NONE = new Filter(null, null, null, null, null, null, null);
    }

    public List<Map<String, Object>> run(TimeRange range, Filter filter, int limit, int offset) throws SQLException {
        var where = new StringBuilder("timestamp >= CAST(? AS TIMESTAMPTZ) AND timestamp < CAST(? AS TIMESTAMPTZ)");
        var args = new ArrayList<Object>(List.of(range.from().toString(), range.to().toString()));
        condition(where, args, "tool = ?", filter.tool());
        condition(where, args, "service_name = ?", filter.service());
        condition(where, args, "upper(coalesce(severity_text, '')) = upper(?)", filter.severity());
        condition(where, args, "event_name = ?", filter.event());
        condition(where, args, "session_id = ?", filter.session());
        condition(where, args, "trace_id = lower(?)", filter.traceId());
        if (filter.search() != null) {
            where.append(" AND (contains(lower(coalesce(body, '')), lower(?)) OR contains(lower(log_attributes), lower(?)))");
            args.add(filter.search());
            args.add(filter.search());
        }
        String sql = "SELECT epoch_us(timestamp) AS ts, tool, service_name, host_name, severity_text, severity_number,"
                + " event_name, session_id, prompt_id, model, body, trace_id, span_id, log_attributes, resource_attributes,"
                + " source FROM logs WHERE " + where + " ORDER BY timestamp DESC, record_id LIMIT ? OFFSET ?";
        args.add(limit);
        args.add(offset);
        try (Connection c = lake.open(LakeScope.of(range.from(), range.to()), "logs"); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            var rows = new ArrayList<Map<String, Object>>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var row = new LinkedHashMap<String, Object>();
                    row.put("time", Times.micros(rs.getLong("ts")));
                    for (String column : List.of("tool", "service_name", "host_name", "severity_text")) {
                        row.put(column, rs.getString(column));
                    }
                    row.put("severity_number", rs.getInt("severity_number"));
                    for (String column : List.of("event_name", "session_id", "prompt_id", "model", "body",
                            "trace_id", "span_id", "source")) {
                        row.put(column, rs.getString(column));
                    }
                    row.put("attributes", Times.json(rs.getString("log_attributes")));
                    row.put("resource", Times.json(rs.getString("resource_attributes")));
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** Count of records per severity in the range (the logs view's level chips). */
    public List<Map<String, Object>> levels(TimeRange range) throws SQLException {
        String sql = "SELECT coalesce(severity_text, 'UNSPECIFIED') AS level, count(*) AS records FROM logs"
                + " WHERE timestamp >= CAST(? AS TIMESTAMPTZ) AND timestamp < CAST(? AS TIMESTAMPTZ)"
                + " GROUP BY ALL ORDER BY records DESC, level";
        try (Connection c = lake.open(LakeScope.of(range.from(), range.to()), "logs"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, range.from().toString());
            ps.setString(2, range.to().toString());
            var rows = new ArrayList<Map<String, Object>>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var row = new LinkedHashMap<String, Object>();
                    row.put("level", rs.getString(1));
                    row.put("records", rs.getLong(2));
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    static void condition(StringBuilder where, List<Object> args, String clause, String value) {
        if (value != null) {
            where.append(" AND ").append(clause);
            args.add(value);
        }
    }

    static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }
}
