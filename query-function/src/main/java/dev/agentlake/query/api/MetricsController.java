package dev.agentlake.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;

/** {@code GET /api/metrics/names}, {@code GET /api/metrics/series}, {@code POST /api/metrics/batch-series}. */
@Controller("/api/metrics")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
final class MetricsController {
    static final int MAX_BATCH = 50;
    private final MetricsQuery metrics;

    MetricsController(MetricsQuery metrics) {
        this.metrics = metrics;
    }

    @Get(uri = "/names", produces = MediaType.APPLICATION_JSON)
    String names(HttpRequest<?> request) throws SQLException {
        return ApiJson.write(Map.of("rows", metrics.names(Params.of(request.getParameters(), "from", "to").range())));
    }

    @Get(uri = "/series", produces = MediaType.APPLICATION_JSON)
    String series(HttpRequest<?> request) throws SQLException {
        Params p = Params.of(request.getParameters(), "name", "from", "to", "interval", "groupBy", "stat");
        return ApiJson.write(metrics.series(new MetricsQuery.SeriesRequest(p.text("name"), p.range(),
                MetricsQuery.SeriesRequest.interval(p.text("interval")), p.text("groupBy"), p.text("stat"))));
    }

    @Post(uri = "/batch-series", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    String batch(@Nullable @Body String body) throws SQLException {
        JsonNode request;
        try {
            request = body == null ? null : ApiJson.mapper().readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            request = null;
        }
        if (request == null || !request.path("queries").isArray()) {
            throw new BadRequestException("the body must be JSON: {\"queries\": [{\"name\": …, \"from\": …}, …]}");
        }
        if (request.path("queries").size() > MAX_BATCH) {
            throw new BadRequestException("at most " + MAX_BATCH + " queries per batch, not " + request.path("queries").size());
        }
        var results = new ArrayList<Object>();
        for (JsonNode q : request.path("queries")) {
            for (Iterator<String> it = q.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!java.util.Set.of("name", "from", "to", "interval", "groupBy", "stat").contains(f)) {
                    throw new BadRequestException("unknown field '" + TimeRange.abbreviate(f) + "' in a batch query");
                }
            }
            TimeRange range = TimeRange.parse(text(q, "from"), text(q, "to"), Instant.now());
            results.add(metrics.series(new MetricsQuery.SeriesRequest(text(q, "name"), range,
                    MetricsQuery.SeriesRequest.interval(text(q, "interval")), text(q, "groupBy"), text(q, "stat"))));
        }
        return ApiJson.write(Map.of("results", results));
    }

    private static String text(JsonNode q, String field) {
        return q.path(field).isTextual() ? q.path(field).asText() : null;
    }
}
