package dev.agentlake.query.api;

import dev.agentlake.query.duckdb.LakeDatabase;
import dev.agentlake.query.duckdb.LakeScope;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Metric names and time series. Values per bucket: delta sums are summed; cumulative sums are
 * turned into per-point increases first (a drop means the counter restarted, so the new value is
 * the increase; a series' first point counts whole, since it is the increase since its start);
 * gauges are averaged; histograms and summaries give their sum (or count, or average); buckets
 * without points are 0.
 */
@Singleton
public final class MetricsQuery {
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_.\\-]{1,100}");
    private static final int MAX_BUCKETS = 2_000;
    private final LakeDatabase lake;

    MetricsQuery(LakeDatabase lake) {
        this.lake = lake;
    }

    public List<Map<String, Object>> names(TimeRange range) throws SQLException {
        String sql = "SELECT metric_name, any_value(metric_type) AS type, any_value(unit) AS unit,"
                + " any_value(description) AS description, any_value(temporality) AS temporality, count(*) AS points,"
                + " list(DISTINCT tool ORDER BY tool) AS tools FROM metrics"
                + " WHERE timestamp >= CAST(? AS TIMESTAMPTZ) AND timestamp < CAST(? AS TIMESTAMPTZ)"
                + " GROUP BY metric_name ORDER BY metric_name";
        try (Connection c = lake.open(LakeScope.of(range.from(), range.to()), "metrics"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, range.from().toString());
            ps.setString(2, range.to().toString());
            var rows = new ArrayList<Map<String, Object>>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var row = new LinkedHashMap<String, Object>();
                    row.put("name", rs.getString("metric_name"));
                    row.put("type", rs.getString("type"));
                    row.put("unit", rs.getString("unit"));
                    row.put("description", rs.getString("description"));
                    row.put("temporality", rs.getString("temporality"));
                    row.put("points", rs.getLong("points"));
                    row.put("tools", JsonValues.of(rs.getObject("tools")));
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** A series request. {@code interval} null: about 120 buckets over the range. */
    public record SeriesRequest(String name, TimeRange range, Duration interval, String groupBy, String stat) {
        public SeriesRequest {
            if (name == null || name.isBlank()) {
                throw new BadRequestException("'name' (the metric) is required");
            }
            if (groupBy != null && !ATTRIBUTE.matcher(groupBy).matches()) {
                throw new BadRequestException("'groupBy' must be an attribute name (letters, digits, _ . -)");
            }
            if (interval == null) {
                long seconds = Math.max(1, range.to().getEpochSecond() - range.from().getEpochSecond()) / 120;
                interval = Duration.ofSeconds(Math.max(1, seconds));
            }
            long buckets = Duration.between(range.from(), range.to()).toSeconds() / Math.max(1, interval.toSeconds());
            if (interval.toSeconds() < 1 || buckets > MAX_BUCKETS) {
                throw new BadRequestException("'interval' gives " + buckets + " buckets; at most " + MAX_BUCKETS
                        + " are allowed: widen it");
            }
            if (stat == null) {
                stat = "sum";
            }
            if (!List.of("sum", "count", "avg").contains(stat)) {
                throw new BadRequestException("'stat' must be sum, count or avg");
            }
        }

        static Duration interval(String text) {
            if (text == null) {
                return null;
            }
            var m = Pattern.compile("(\\d{1,6})([smhd])").matcher(text);
            if (!m.matches()) {
                throw new BadRequestException("'interval' must look like 30s, 5m, 1h or 1d, not '" + TimeRange.abbreviate(text) + "'");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
    }

    public Map<String, Object> series(SeriesRequest r) throws SQLException {
        String group = r.groupBy() == null ? "''"
                : "coalesce(json_extract_string(point_attributes, '$.\"' || $5 || '\"'),"
                + " json_extract_string(resource_attributes, '$.\"' || $5 || '\"'), '(none)')";
        String histogramValue = switch (r.stat()) {
            case "count" -> "CAST(count AS DOUBLE)";
            case "avg" -> "sum";
            default -> "sum";
        };
        String sql = "WITH p AS (SELECT timestamp, " + group + " AS grp, metric_type, temporality,"
                + "   CASE WHEN metric_type IN ('gauge', 'sum') THEN value ELSE " + histogramValue + " END AS raw,"
                + "   CAST(count AS DOUBLE) AS n, point_attributes || '|' || resource_attributes AS series, unit"
                + "   FROM metrics WHERE metric_name = $1"
                + "   AND timestamp >= CAST($2 AS TIMESTAMPTZ) AND timestamp < CAST($3 AS TIMESTAMPTZ)),"
                + " d AS (SELECT *, CASE WHEN temporality = 'cumulative' AND metric_type <> 'gauge' THEN"
                + "     CASE WHEN lag(raw) OVER w IS NULL OR raw < lag(raw) OVER w THEN raw ELSE raw - lag(raw) OVER w END"
                + "   ELSE raw END AS v,"
                + "   CASE WHEN temporality = 'cumulative' THEN"
                + "     CASE WHEN lag(n) OVER w IS NULL OR n < lag(n) OVER w THEN n ELSE n - lag(n) OVER w END"
                + "   ELSE n END AS dn"
                + "   FROM p WINDOW w AS (PARTITION BY series ORDER BY timestamp))"
                // Buckets start at whole seconds from the range's start (the keys below): an origin with
                // a fraction of a second gave bucket starts that the BIGINT cast rounded up from .5 on,
                // so half of all "now-7d" ranges matched no bucket and drew every series as zeros.
                + " SELECT epoch(time_bucket(to_seconds(" + r.interval().toSeconds() + "), timestamp,"
                + "   CAST($4 AS TIMESTAMPTZ)))::BIGINT AS bucket, grp,"
                + "   CASE WHEN any_value(metric_type) = 'gauge' THEN avg(v)"
                + "        WHEN " + ("avg".equals(r.stat()) ? "true" : "false") + " THEN sum(v) / nullif(sum(dn), 0)"
                + "        ELSE sum(v) END AS value, any_value(metric_type) AS type, any_value(unit) AS unit"
                + " FROM d GROUP BY ALL ORDER BY grp, bucket";
        var bucketsByGroup = new TreeMap<String, Map<Long, Double>>();
        String type = null;
        String unit = null;
        try (Connection c = lake.open(LakeScope.of(r.range().from(), r.range().to()), "metrics"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, r.name());
            ps.setString(2, r.range().from().toString());
            ps.setString(3, r.range().to().toString());
            ps.setString(4, r.range().from().truncatedTo(ChronoUnit.SECONDS).toString());
            if (r.groupBy() != null) {
                ps.setString(5, r.groupBy());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bucketsByGroup.computeIfAbsent(rs.getString("grp"), g -> new TreeMap<>())
                            .put(rs.getLong("bucket"), rs.getDouble("value"));
                    type = rs.getString("type");
                    unit = rs.getString("unit");
                }
            }
        }
        long step = r.interval().toSeconds();
        long first = r.range().from().getEpochSecond();
        long last = r.range().to().getEpochSecond();
        var series = new ArrayList<Map<String, Object>>();
        for (var e : bucketsByGroup.entrySet()) {
            var points = new ArrayList<List<Object>>();
            for (long b = first; b < last; b += step) {
                points.add(List.of(Instant.ofEpochSecond(b).toString(), e.getValue().getOrDefault(b, 0.0)));
            }
            var s = new LinkedHashMap<String, Object>();
            s.put("key", r.groupBy() == null ? r.name() : e.getKey());
            s.put("points", points);
            series.add(s);
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("name", r.name());
        out.put("type", type);
        out.put("unit", unit);
        out.put("from", r.range().from().toString());
        out.put("to", r.range().to().toString());
        out.put("interval_seconds", step);
        out.put("group_by", r.groupBy());
        out.put("series", series);
        return out;
    }
}
