package dev.agentlake.query.api;

import dev.agentlake.lake.sql.DerivedViews;
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
import java.util.Optional;

/**
 * Sessions: a list with per-session totals, and one session's summary with its timeline (prompts,
 * model calls, tool decisions and results, errors) in time order. Model calls are placed at the time
 * they started (event time minus duration): the assistants log them when they finish, after the
 * tool decisions made while the response streamed.
 */
@Singleton
public final class SessionsQuery {
    private static final String SUMMARY = """
            WITH sl AS (
              SELECT *, %1$s AS kind, %6$s AS counted FROM logs WHERE session_id IS NOT NULL %2$s),
            l AS (
              SELECT session_id, any_value(tool) AS tool, min(timestamp) AS first, max(timestamp) AS last,
                     count(*) FILTER (WHERE counted AND kind = 'prompt') AS prompts,
                     count(*) FILTER (WHERE counted AND kind = 'tool_result') AS tool_calls,
                     count(*) FILTER (WHERE counted AND kind = 'tool_result' AND success = false) AS tool_failures,
                     count(*) FILTER (WHERE kind = 'error') AS api_errors,
                     max(host_name) AS host_name, max(project) AS project
              FROM sl GROUP BY session_id),
            u AS (
              SELECT session_id, count(*) AS model_calls, sum(input_tokens) AS input_tokens,
                     sum(output_tokens) AS output_tokens, sum(cache_read_tokens) AS cache_read_tokens,
                     sum(cache_write_tokens) AS cache_write_tokens, sum(reasoning_tokens) AS reasoning_tokens,
                     sum(cost_usd) AS cost_usd, list(DISTINCT model ORDER BY model) FILTER (WHERE model IS NOT NULL) AS models,
                     min(timestamp) AS first, max(timestamp) AS last, any_value(tool) AS tool,
                     max(host_name) AS host_name, max(project) AS project
              FROM usage WHERE session_id IS NOT NULL %2$s GROUP BY session_id)
            SELECT session_id, coalesce(l.tool, u.tool) AS tool,
                   epoch_us(least(coalesce(l.first, u.first), coalesce(u.first, l.first))) AS first,
                   epoch_us(greatest(coalesce(l.last, u.last), coalesce(u.last, l.last))) AS last,
                   coalesce(prompts, 0) AS prompts, coalesce(model_calls, 0) AS model_calls,
                   coalesce(tool_calls, 0) AS tool_calls, coalesce(tool_failures, 0) AS tool_failures,
                   coalesce(api_errors, 0) AS api_errors,
                   coalesce(input_tokens, 0) AS input_tokens, coalesce(output_tokens, 0) AS output_tokens,
                   coalesce(cache_read_tokens, 0) AS cache_read_tokens, coalesce(cache_write_tokens, 0) AS cache_write_tokens,
                   coalesce(reasoning_tokens, 0) AS reasoning_tokens, cost_usd, coalesce(models, []) AS models,
                   coalesce(l.host_name, u.host_name) AS host_name, coalesce(l.project, u.project) AS project
            FROM l FULL OUTER JOIN u USING (session_id)
            %3$s
            ORDER BY last DESC, session_id
            LIMIT %4$s OFFSET %5$s""";

    private final LakeDatabase lake;
    /**
     * Whether a log record counts: a session whose prompts and tool calls arrived both by telemetry and in an
     * imported transcript shows those of the preferred source only, as the sessions table counts them
     * (sessions.sql); what only telemetry sends (API errors, tool decisions) counts from every source.
     */
    private final String counted;

    SessionsQuery(LakeDatabase lake, DerivedViews derived) {
        this.lake = lake;
        this.counted = "(count(DISTINCT source) OVER (PARTITION BY tool, session_id) = 1 OR source = '"
                + derived.preferSource() + "')";
    }

    public List<Map<String, Object>> list(TimeRange range, String tool, int limit, int offset) throws SQLException {
        String sql = String.format(SUMMARY, EventKinds.KIND,
                "AND timestamp >= CAST(? AS TIMESTAMPTZ) AND timestamp < CAST(? AS TIMESTAMPTZ)",
                tool == null ? "" : "WHERE coalesce(l.tool, u.tool) = ?", limit, offset, counted);
        var args = new ArrayList<Object>(List.of(range.from().toString(), range.to().toString(),
                range.from().toString(), range.to().toString()));
        if (tool != null) {
            args.add(tool);
        }
        try (Connection c = lake.open(LakeScope.of(range.from(), range.to()), "logs", "usage"); PreparedStatement ps = c.prepareStatement(sql)) {
            LogsQuery.bind(ps, args);
            return summaries(ps);
        }
    }

    /** One session's summary and timeline, or empty if no row names it. */
    public Optional<Map<String, Object>> get(String sessionId) throws SQLException {
        String sql = String.format(SUMMARY, EventKinds.KIND, "AND session_id = ?", "", 1, 0, counted);
        try (Connection c = lake.open(LakeScope.ALL, "logs", "usage")) {
            List<Map<String, Object>> found;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, sessionId);
                ps.setString(2, sessionId);
                found = summaries(ps);
            }
            if (found.isEmpty()) {
                return Optional.empty();
            }
            var out = new LinkedHashMap<String, Object>(found.get(0));
            out.put("timeline", timeline(c, sessionId, counted));
            return Optional.of(out);
        }
    }

    /**
     * The session's events in time order. Model calls come from the {@code usage} view, not from the
     * log records' own token attributes: each assistant counts tokens its own way (Codex and Gemini
     * include cached tokens in input, Gemini leaves thoughts out of output), and the usage rows hold
     * them in the one convention the totals use. Each call is joined to the log record it was derived
     * from by the call key ({@code coalesce(request_id, record_id)}, as {@code usage_calls.sql} sets
     * it) for its trace and attributes; imported calls have no log record and are listed too.
     */
    private static List<Map<String, Object>> timeline(Connection c, String sessionId, String counted) throws SQLException {
        String logColumns = "event_name, prompt_id, duration_ms, success, tool_name, decision, request_id, trace_id,"
                + " span_id, body, log_attributes, record_id";
        String sql = "WITH l AS (SELECT " + EventKinds.KIND + " AS kind, epoch_us(timestamp) AS ts, " + logColumns
                + ", " + counted + " AS counted FROM logs WHERE session_id = $1),"
                + " call_records AS (SELECT * FROM l WHERE kind = 'model_call'"
                + "   QUALIFY row_number() OVER (PARTITION BY coalesce(request_id, record_id) ORDER BY ts, record_id) = 1),"
                + " calls AS (SELECT 'model_call' AS kind,"
                + "   epoch_us(u.timestamp) - CAST(coalesce(u.duration_ms, 0) * 1000 AS BIGINT) AS started,"
                + "   epoch_us(u.timestamp) AS ts, r.event_name, u.prompt_id, u.model, u.input_tokens, u.output_tokens,"
                + "   u.cache_read_tokens, u.cache_write_tokens, u.reasoning_tokens, u.cost_usd, u.duration_ms, u.success,"
                + "   NULL AS tool_name, NULL AS decision, coalesce(r.request_id, u.call_id) AS request_id, r.trace_id,"
                + "   r.span_id, r.body, r.log_attributes, coalesce(r.record_id, u.call_id) AS record_id, u.routing, u.source"
                + "   FROM usage u LEFT JOIN call_records r ON coalesce(r.request_id, r.record_id) = u.call_id"
                + "   WHERE u.session_id = $1),"
                + " events AS (SELECT kind, ts AS started, ts, event_name, prompt_id, NULL AS model,"
                + "   NULL::BIGINT AS input_tokens, NULL::BIGINT AS output_tokens, NULL::BIGINT AS cache_read_tokens,"
                + "   NULL::BIGINT AS cache_write_tokens, NULL::BIGINT AS reasoning_tokens, NULL::DOUBLE AS cost_usd,"
                + "   duration_ms, success, tool_name, decision, request_id, trace_id, span_id, body, log_attributes,"
                + "   record_id, NULL::BOOLEAN AS routing, NULL AS source"
                + "   FROM l WHERE kind IS NOT NULL AND kind <> 'model_call' AND (counted OR kind NOT IN ('prompt', 'tool_result')))"
                + " SELECT * FROM calls UNION ALL BY NAME SELECT * FROM events ORDER BY started, ts, record_id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sessionId);
            var items = new ArrayList<Map<String, Object>>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var item = new LinkedHashMap<String, Object>();
                    String kind = rs.getString("kind");
                    item.put("kind", kind);
                    item.put("time", Times.micros(rs.getLong("started")));
                    item.put("logged_at", Times.micros(rs.getLong("ts")));
                    item.put("event_name", rs.getString("event_name"));
                    item.put("prompt_id", rs.getString("prompt_id"));
                    switch (kind) {
                        case "model_call" -> {
                            item.put("model", rs.getString("model"));
                            for (String k : List.of("input_tokens", "output_tokens", "cache_read_tokens",
                                    "cache_write_tokens", "reasoning_tokens")) {
                                item.put(k, (Long) rs.getObject(k));
                            }
                            item.put("cost_usd", (Double) rs.getObject("cost_usd"));
                            item.put("duration_ms", (Double) rs.getObject("duration_ms"));
                            item.put("request_id", rs.getString("request_id"));
                            item.put("routing", (Boolean) rs.getObject("routing"));
                            item.put("source", rs.getString("source"));
                        }
                        case "tool_decision" -> {
                            item.put("tool_name", rs.getString("tool_name"));
                            item.put("decision", rs.getString("decision"));
                        }
                        case "tool_result" -> {
                            item.put("tool_name", rs.getString("tool_name"));
                            item.put("success", (Boolean) rs.getObject("success"));
                            item.put("duration_ms", (Double) rs.getObject("duration_ms"));
                        }
                        case "prompt", "error" -> item.put("body", rs.getString("body"));
                        default -> throw new IllegalStateException("unknown timeline kind " + kind);
                    }
                    item.put("trace_id", rs.getString("trace_id"));
                    item.put("attributes", Times.json(rs.getString("log_attributes")));
                    items.add(item);
                }
            }
            return items;
        }
    }

    private static List<Map<String, Object>> summaries(PreparedStatement ps) throws SQLException {
        var rows = new ArrayList<Map<String, Object>>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                var row = new LinkedHashMap<String, Object>();
                row.put("session_id", rs.getString("session_id"));
                row.put("tool", rs.getString("tool"));
                row.put("first", Times.micros(rs.getLong("first")));
                row.put("last", Times.micros(rs.getLong("last")));
                for (String k : List.of("prompts", "model_calls", "tool_calls", "tool_failures", "api_errors",
                        "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens")) {
                    row.put(k, rs.getLong(k));
                }
                row.put("cost_usd", (Double) rs.getObject("cost_usd"));
                row.put("models", JsonValues.of(rs.getObject("models")));
                row.put("host_name", rs.getString("host_name"));
                row.put("project", rs.getString("project"));
                rows.add(row);
            }
        }
        return rows;
    }
}
