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
import java.util.TreeSet;

/**
 * 5-hour billing windows, as ccusage's {@code blocks} report computes them: a block starts at the
 * hour of the first call after the previous block ended, lasts five hours, and holds the calls
 * within it; a block whose end is still ahead is active. The blocks of a range are those that end
 * after its start, with all their calls.
 */
@Singleton
public final class UsageBlocks {
    static final Duration BLOCK = Duration.ofHours(5);
    /**
     * How far before the range calls are read: where a block starts depends on the calls before it, back
     * to a call five hours after the one before it (which always starts a block, as the block before has
     * ended). A week of calls without such a pause is taken to start at the first call read.
     */
    static final Duration LOOK_BACK = Duration.ofDays(7);
    private final LakeDatabase lake;

    UsageBlocks(LakeDatabase lake) {
        this.lake = lake;
    }

    public List<Map<String, Object>> run(TimeRange range, String tool, Instant now) throws SQLException {
        String sql = "SELECT epoch_us(timestamp) AS ts, model, input_tokens, output_tokens, cache_read_tokens,"
                + " cache_write_tokens, reasoning_tokens, cost_usd FROM usage"
                + " WHERE timestamp >= CAST(? AS TIMESTAMPTZ) AND timestamp < CAST(? AS TIMESTAMPTZ)"
                + (tool == null ? "" : " AND tool = ?") + " ORDER BY timestamp";
        Instant readFrom = range.from().minus(LOOK_BACK);
        var blocks = new ArrayList<Map<String, Object>>();
        try (Connection c = lake.open(LakeScope.of(readFrom, range.to()), "usage"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, readFrom.toString());
            ps.setString(2, range.to().toString());
            if (tool != null) {
                ps.setString(3, tool);
            }
            Block current = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long micros = rs.getLong("ts");
                    Instant t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
                    if (current == null || !t.isBefore(current.end)) {
                        if (current != null && current.end.isAfter(range.from())) {
                            blocks.add(current.toJson(now));
                        }
                        current = new Block(t.truncatedTo(ChronoUnit.HOURS));
                    }
                    current.add(t, rs);
                }
            }
            if (current != null && current.end.isAfter(range.from())) {
                blocks.add(current.toJson(now));
            }
        }
        return blocks;
    }

    private static final class Block {
        final Instant start;
        final Instant end;
        Instant last;
        long calls;
        long input;
        long output;
        long cacheRead;
        long cacheWrite;
        long reasoning;
        Double cost;
        final TreeSet<String> models = new TreeSet<>();

        Block(Instant start) {
            this.start = start;
            this.end = start.plus(BLOCK);
        }

        void add(Instant t, ResultSet rs) throws SQLException {
            last = t;
            calls++;
            input += rs.getLong("input_tokens");
            output += rs.getLong("output_tokens");
            cacheRead += rs.getLong("cache_read_tokens");
            cacheWrite += rs.getLong("cache_write_tokens");
            reasoning += rs.getLong("reasoning_tokens");
            double c = rs.getDouble("cost_usd");
            if (!rs.wasNull()) {
                cost = cost == null ? c : cost + c;
            }
            String model = rs.getString("model");
            if (model != null) {
                models.add(model);
            }
        }

        Map<String, Object> toJson(Instant now) {
            var m = new LinkedHashMap<String, Object>();
            m.put("start", start.toString());
            m.put("end", end.toString());
            m.put("last_call", last.toString());
            m.put("active", now.isBefore(end));
            m.put("calls", calls);
            m.put("input_tokens", input);
            m.put("output_tokens", output);
            m.put("cache_read_tokens", cacheRead);
            m.put("cache_write_tokens", cacheWrite);
            m.put("reasoning_tokens", reasoning);
            m.put("total_tokens", input + output + cacheRead + cacheWrite);
            m.put("cost_usd", cost);
            m.put("models", List.copyOf(models));
            return m;
        }
    }
}
