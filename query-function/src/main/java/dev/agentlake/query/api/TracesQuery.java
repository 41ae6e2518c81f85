package dev.agentlake.query.api;

import dev.agentlake.query.duckdb.LakeDatabase;
import dev.agentlake.query.duckdb.LakeScope;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Traces and their spans (waterfall data). Codex keeps a whole {@code exec} session in one trace,
 * so each of its {@code run_turn} spans is also listed as a virtual trace of its own, with the id
 * {@code <trace id>-<turn span id>}. Traces are grouped by trace id alone, so a child process that
 * inherited its parent's trace context (another tool, another service) shows in the same trace.
 */
@Singleton
public final class TracesQuery {
    static final String TURN_SPAN = "run_turn";
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}(-[0-9a-f]{16})?");
    private final LakeDatabase lake;

    TracesQuery(LakeDatabase lake) {
        this.lake = lake;
    }

    public List<Map<String, Object>> list(TimeRange range, String tool, String session, int limit, int offset)
            throws SQLException {
        var where = new StringBuilder("timestamp >= CAST(? AS TIMESTAMPTZ) AND timestamp < CAST(? AS TIMESTAMPTZ)");
        var args = new ArrayList<Object>(List.of(range.from().toString(), range.to().toString()));
        String traceFilter = "";
        if (tool != null || session != null) {
            var inner = new StringBuilder("SELECT trace_id FROM spans WHERE TRUE");
            if (tool != null) {
                inner.append(" AND tool = ?");
            }
            if (session != null) {
                inner.append(" AND session_id = ?");
            }
            traceFilter = " AND trace_id IN (" + inner + ")";
        }
        String sql = "WITH s AS (SELECT * FROM spans WHERE " + where + traceFilter + "),"
                + " whole AS (SELECT trace_id AS id, trace_id, min(timestamp) AS start, max(end_timestamp) AS finish,"
                + "   count(*) AS spans, count(*) FILTER (WHERE status_code = 'STATUS_CODE_ERROR') AS errors,"
                + "   list(DISTINCT tool ORDER BY tool) AS tools, max(session_id) AS session_id,"
                + "   arg_min(span_name, timestamp) FILTER (WHERE parent_span_id IS NULL) AS root_name,"
                + "   false AS virtual FROM s GROUP BY trace_id),"
                + " turns AS (SELECT trace_id || '-' || span_id AS id, trace_id, timestamp AS start, end_timestamp AS finish,"
                + "   NULL::BIGINT AS spans, NULL::BIGINT AS errors, [tool] AS tools, session_id, span_name AS root_name,"
                + "   true AS virtual FROM s WHERE tool = 'codex' AND span_name = '" + TURN_SPAN + "')"
                + " SELECT id, trace_id, epoch_us(start) AS start, epoch_us(finish) AS finish, spans, errors, tools,"
                + "   session_id, root_name, virtual FROM (SELECT * FROM whole UNION ALL SELECT * FROM turns)"
                + " ORDER BY start DESC, id LIMIT ? OFFSET ?";
        if (tool != null) {
            args.add(tool);
        }
        if (session != null) {
            args.add(session);
        }
        args.add(limit);
        args.add(offset);
        try (Connection c = lake.open(LakeScope.of(range.from(), range.to()), "spans"); PreparedStatement ps = c.prepareStatement(sql)) {
            LogsQuery.bind(ps, args);
            var rows = new ArrayList<Map<String, Object>>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var row = new LinkedHashMap<String, Object>();
                    row.put("trace_id", rs.getString("id"));
                    row.put("virtual", rs.getBoolean("virtual"));
                    row.put("root_name", rs.getString("root_name"));
                    long start = rs.getLong("start");
                    long finish = rs.getLong("finish");
                    row.put("start", Times.micros(start));
                    row.put("duration_ms", (finish - start) / 1000.0);
                    row.put("spans", (Long) rs.getObject("spans"));
                    row.put("errors", (Long) rs.getObject("errors"));
                    row.put("tools", JsonValues.of(rs.getObject("tools")));
                    row.put("session_id", rs.getString("session_id"));
                    rows.add(row);
                }
            }
            if (rows.stream().anyMatch(r -> (Boolean) r.get("virtual"))) {
                fillTurnCounts(rows, range);
            }
            return rows;
        }
    }

    private void fillTurnCounts(List<Map<String, Object>> rows, TimeRange range) throws SQLException {
        for (Map<String, Object> row : rows) {
            if ((Boolean) row.get("virtual")) {
                List<Map<String, Object>> spans = spans((String) row.get("trace_id")).orElse(List.of());
                row.put("spans", (long) spans.size());
                row.put("errors", spans.stream().filter(s -> "STATUS_CODE_ERROR".equals(s.get("status_code"))).count());
            }
        }
    }

    /**
     * The spans of a trace (or of one virtual Codex turn), in tree order (depth first, children by
     * start time), each with its depth and offset from the trace's start; empty if there are none.
     */
    public Optional<List<Map<String, Object>>> spans(String id) throws SQLException {
        if (!TRACE_ID.matcher(id).matches()) {
            throw new BadRequestException("a trace id is 32 lower-case hex digits (optionally -<16 hex> for a turn), not '"
                    + TimeRange.abbreviate(id) + "'");
        }
        String traceId = id.substring(0, 32);
        String turn = id.length() > 32 ? id.substring(33) : null;
        String sql = "SELECT span_id, parent_span_id, span_name, span_kind, status_code, status_message, tool, service_name,"
                + " epoch_us(timestamp) AS start, epoch_us(end_timestamp) AS finish, duration_ms, session_id, model,"
                + " input_tokens, output_tokens, span_attributes, resource_attributes, events"
                + " FROM spans WHERE trace_id = ? ORDER BY timestamp, span_id";
        var byId = new LinkedHashMap<String, Map<String, Object>>();
        var children = new HashMap<String, List<String>>();
        try (Connection c = lake.open(LakeScope.ALL, "spans"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, traceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var span = new LinkedHashMap<String, Object>();
                    String spanId = rs.getString("span_id");
                    span.put("span_id", spanId);
                    span.put("parent_span_id", rs.getString("parent_span_id"));
                    span.put("name", rs.getString("span_name"));
                    span.put("kind", rs.getString("span_kind"));
                    span.put("status_code", rs.getString("status_code"));
                    span.put("status_message", rs.getString("status_message"));
                    span.put("tool", rs.getString("tool"));
                    span.put("service_name", rs.getString("service_name"));
                    span.put("start_us", rs.getLong("start"));
                    span.put("start", Times.micros(rs.getLong("start")));
                    span.put("duration_ms", (rs.getLong("finish") - rs.getLong("start")) / 1000.0);
                    span.put("session_id", rs.getString("session_id"));
                    span.put("model", rs.getString("model"));
                    span.put("input_tokens", (Long) rs.getObject("input_tokens"));
                    span.put("output_tokens", (Long) rs.getObject("output_tokens"));
                    span.put("attributes", Times.json(rs.getString("span_attributes")));
                    span.put("resource", Times.json(rs.getString("resource_attributes")));
                    span.put("events", Times.json(rs.getString("events")));
                    byId.put(spanId, span);
                }
            }
        }
        for (Map<String, Object> span : byId.values()) {
            String parent = (String) span.get("parent_span_id");
            String key = parent != null && byId.containsKey(parent) ? parent : "";
            children.computeIfAbsent(key, k -> new ArrayList<>()).add((String) span.get("span_id"));
        }
        var ordered = new ArrayList<Map<String, Object>>();
        List<String> roots = turn != null ? (byId.containsKey(turn) ? List.of(turn) : List.of()) : children.getOrDefault("", List.of());
        for (String root : roots) {
            walk(root, 0, byId, children, ordered);
        }
        if (ordered.isEmpty()) {
            return Optional.empty();
        }
        long start = ordered.stream().mapToLong(s -> (Long) s.get("start_us")).min().orElse(0);
        for (Map<String, Object> s : ordered) {
            s.put("offset_ms", ((Long) s.remove("start_us") - start) / 1000.0);
        }
        return Optional.of(ordered);
    }

    private static void walk(String id, int depth, Map<String, Map<String, Object>> byId,
                             Map<String, List<String>> children, List<Map<String, Object>> out) {
        Map<String, Object> span = byId.get(id);
        span.put("depth", depth);
        out.add(span);
        for (String child : children.getOrDefault(id, List.of())) {
            walk(child, depth + 1, byId, children, out);
        }
    }
}
