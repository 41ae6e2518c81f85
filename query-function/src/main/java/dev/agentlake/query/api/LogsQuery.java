package dev.agentlake.query.api;

import dev.agentlake.query.duckdb.LakeDatabase;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Log records in a time range, newest first. */
@Singleton
public final class LogsQuery {
    private final LakeDatabase lake;

    LogsQuery(LakeDatabase lake) {
        this.lake = lake;
    }

    public List<Map<String, Object>> run(TimeRange range, int limit, int offset) throws SQLException {
        String sql = """
                SELECT epoch_us(timestamp) AS ts, tool, service_name, host_name, severity_text, severity_number,
                       event_name, session_id, prompt_id, model, body, trace_id, span_id,
                       log_attributes, resource_attributes
                FROM logs
                WHERE timestamp >= CAST(? AS TIMESTAMPTZ) AND timestamp < CAST(? AS TIMESTAMPTZ)
                ORDER BY timestamp DESC, record_id
                LIMIT ? OFFSET ?""";
        try (Connection c = lake.open(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, range.from().toString());
            ps.setString(2, range.to().toString());
            ps.setInt(3, limit);
            ps.setInt(4, offset);
            var rows = new ArrayList<Map<String, Object>>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var row = new LinkedHashMap<String, Object>();
                    long micros = rs.getLong("ts");
                    row.put("time", Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                            Math.floorMod(micros, 1_000_000L) * 1_000L).toString());
                    for (String column : List.of("tool", "service_name", "host_name", "severity_text")) {
                        row.put(column, rs.getString(column));
                    }
                    row.put("severity_number", rs.getInt("severity_number"));
                    for (String column : List.of("event_name", "session_id", "prompt_id", "model", "body",
                            "trace_id", "span_id")) {
                        row.put(column, rs.getString(column));
                    }
                    row.put("attributes", json(rs.getString("log_attributes")));
                    row.put("resource", json(rs.getString("resource_attributes")));
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static Object json(String text) {
        try {
            return ApiJson.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return text;
        }
    }
}
