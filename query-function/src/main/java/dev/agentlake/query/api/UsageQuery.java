package dev.agentlake.query.api;

import dev.agentlake.query.duckdb.LakeDatabase;
import dev.agentlake.query.duckdb.LakeScope;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token and cost totals from the {@code usage} table, grouped as the caller asks, with day, week
 * and month boundaries in the caller's time zone. Counters follow the usage table's convention.
 */
@Singleton
public final class UsageQuery {
    /**
     * groupBy word → SQL expression over the usage rows plus {@code local_date}, the row's date in
     * the requested zone. Dates are formatted in Java after grouping: formatting per row, and ICU's
     * per-row zone conversion, cost several times the whole aggregation on large ranges. A week starts
     * on Sunday, as in {@code agentlake report weekly} and ccusage (DuckDB's {@code date_trunc('week')}
     * would start it on Monday).
     */
    static final Map<String, String> GROUPS = Map.of(
            "day", "local_date",
            "week", "local_date - CAST(dayofweek(local_date) AS INTEGER)",
            "month", "CAST(date_trunc('month', local_date) AS DATE)",
            "tool", "tool",
            "model", "coalesce(model, 'unknown')",
            "session", "session_id",
            "project", "project",
            "host", "host_name");
    static final List<String> COUNTERS = List.of("calls", "input_tokens", "output_tokens", "cache_read_tokens",
            "cache_write_tokens", "reasoning_tokens", "cost_usd", "reported_cost_usd", "unpriced_calls");
    private static final String AGGREGATES = "count(*) AS calls, sum(input_tokens) AS input_tokens,"
            + " sum(output_tokens) AS output_tokens, sum(cache_read_tokens) AS cache_read_tokens,"
            + " sum(cache_write_tokens) AS cache_write_tokens, sum(reasoning_tokens) AS reasoning_tokens,"
            + " sum(cost_usd) AS cost_usd, sum(reported_cost_usd) AS reported_cost_usd,"
            + " count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_calls";

    private final LakeDatabase lake;

    UsageQuery(LakeDatabase lake) {
        this.lake = lake;
    }

    /** A parsed request: time range, group keys (in order), zone, and optional tool/model filters. */
    public record Request(TimeRange range, List<String> groupBy, ZoneId zone, String tool, String model) {
        public Request {
            for (String g : groupBy) {
                if (!GROUPS.containsKey(g)) {
                    throw new BadRequestException("'groupBy' must be a comma-separated list of day, week, month, tool,"
                            + " model, session, project, host; not '" + TimeRange.abbreviate(g) + "'");
                }
            }
            groupBy = List.copyOf(groupBy);
        }

        static ZoneId zone(String tz) {
            if (tz == null) {
                return ZoneId.of("UTC");
            }
            try {
                return ZoneId.of(tz);
            } catch (DateTimeException e) {
                throw new BadRequestException("'tz' must be an IANA time zone such as Europe/Berlin, not '"
                        + TimeRange.abbreviate(tz) + "'");
            }
        }
    }

    /** Rows (one per group, in group-key order) and the totals over all of them. */
    public Map<String, Object> run(Request r) throws SQLException {
        var keys = new ArrayList<String>();
        for (String g : r.groupBy()) {
            keys.add(GROUPS.get(g) + " AS \"" + g + "\"");
        }
        var where = new StringBuilder("timestamp >= CAST($1 AS TIMESTAMPTZ) AND timestamp < CAST($2 AS TIMESTAMPTZ)");
        var args = new ArrayList<Object>(List.of(r.range().from().toString(), r.range().to().toString()));
        if (r.tool() != null) {
            args.add(r.tool());
            where.append(" AND tool = $").append(args.size());
        }
        if (r.model() != null) {
            args.add(r.model());
            where.append(" AND model = $").append(args.size());
        }
        String sql;
        if (keys.isEmpty()) {
            sql = "SELECT " + AGGREGATES + ", true AS is_total FROM usage WHERE " + where;
        } else {
            // One pass gives the groups and the totals: GROUPING SETS ((keys…), ()).
            var names = new ArrayList<String>();
            for (String g : r.groupBy()) {
                names.add("\"" + g + "\"");
            }
            sql = "SELECT " + String.join(", ", keys) + ", " + AGGREGATES + ", grouping(" + String.join(", ", names)
                    + ") <> 0 AS is_total FROM (SELECT *, CAST(make_timestamp(epoch_us(timestamp) + "
                    + ZoneOffsets.microsExpression(r.zone(), r.range(), "epoch_us(timestamp)") + ") AS DATE) AS local_date"
                    + " FROM usage WHERE " + where + ") GROUP BY GROUPING SETS ((" + String.join(", ", names)
                    + "), ()) ORDER BY is_total, " + String.join(", ", names);
        }
        try (Connection c = lake.open(LakeScope.of(r.range().from(), r.range().to()), "usage")) {
            var all = rows(c, sql, args, r.groupBy());
            var out = new LinkedHashMap<String, Object>();
            out.put("from", r.range().from().toString());
            out.put("to", r.range().to().toString());
            out.put("tz", r.zone().getId());
            out.put("groupBy", r.groupBy());
            Map<String, Object> total = all.remove(all.size() - 1);
            r.groupBy().forEach(total::remove);
            out.put("rows", all);
            out.put("totals", total);
            return out;
        }
    }

    private static List<Map<String, Object>> rows(Connection c, String sql, List<Object> args, List<String> groupBy)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            LogsQuery.bind(ps, args);
            var rows = new ArrayList<Map<String, Object>>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var row = new LinkedHashMap<String, Object>();
                    for (String g : groupBy) {
                        Object key = rs.getObject(g);
                        row.put(g, key instanceof java.time.LocalDate d
                                ? (g.equals("month") ? d.toString().substring(0, 7) : d.toString())
                                : key == null ? null : key.toString());
                    }
                    for (String counter : COUNTERS) {
                        Object v = rs.getObject(counter);
                        Object value;
                        if (counter.endsWith("_usd")) {
                            value = v == null ? null : (Object) ((Number) v).doubleValue();
                        } else {
                            value = v == null ? 0L : ((Number) v).longValue();
                        }
                        row.put(counter, value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
