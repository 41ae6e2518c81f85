package dev.agentlake.query.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** {@code GET /health} (and {@code /api/health}): the query function is up. Answers without auth. */
@Controller
@Requires(property = "agentlake.query.enabled", notEquals = "false")
final class HealthController {
    static final String UP = "{\"status\":\"UP\",\"service\":\"query\"}";

    @Get(uris = {"/health", "/api/health"}, produces = MediaType.APPLICATION_JSON)
    String health() {
        return UP;
    }
}
