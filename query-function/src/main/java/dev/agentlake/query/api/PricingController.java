package dev.agentlake.query.api;

import dev.agentlake.query.duckdb.LakeDatabase;
import dev.agentlake.query.duckdb.LakeScope;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/pricing/unknown-models}: models the price table does not know, with what they
 * cost in tokens, so the user can add a price (their cost stays NULL until then, never 0).
 */
@Controller("/api/pricing")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
final class PricingController {
    private final LakeDatabase lake;

    PricingController(LakeDatabase lake) {
        this.lake = lake;
    }

    @Get(uri = "/unknown-models", produces = MediaType.APPLICATION_JSON)
    String unknownModels(HttpRequest<?> request) throws SQLException {
        Params.of(request.getParameters());
        String sql = "SELECT coalesce(model, '(none)') AS model, list(DISTINCT tool ORDER BY tool) AS tools,"
                + " count(*) AS calls, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,"
                + " sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_tokens) AS cache_write_tokens,"
                + " epoch_us(max(timestamp)) AS last_seen FROM usage WHERE cost_source = 'unknown_model'"
                + " GROUP BY ALL ORDER BY calls DESC, model";
        var rows = new ArrayList<Map<String, Object>>();
        try (Connection c = lake.open(LakeScope.ALL, "usage"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                var row = new LinkedHashMap<String, Object>();
                row.put("model", rs.getString("model"));
                row.put("tools", JsonValues.of(rs.getObject("tools")));
                for (String k : new String[] {"calls", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"}) {
                    row.put(k, rs.getLong(k));
                }
                row.put("last_seen", Times.micros(rs.getLong("last_seen")));
                rows.add(row);
            }
        }
        return ApiJson.write(Map.of("rows", rows));
    }
}
