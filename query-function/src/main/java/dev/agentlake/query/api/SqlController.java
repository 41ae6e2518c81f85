package dev.agentlake.query.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.util.LinkedHashMap;

/** {@code POST /api/sql {"sql": "...", "limit": n}}: read-only SQL over the lake's views. */
@Controller("/api")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SqlController {
    private final SqlConsole console;

    SqlController(SqlConsole console) {
        this.console = console;
    }

    @Post(uri = "/sql", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    String sql(@Body String body) throws SQLException {
        com.fasterxml.jackson.databind.JsonNode request;
        try {
            request = ApiJson.mapper().readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequestException("the body must be JSON: {\"sql\": \"SELECT …\"}");
        }
        if (request == null || !request.path("sql").isTextual()) {
            throw new BadRequestException("the body must be JSON: {\"sql\": \"SELECT …\"}");
        }
        int limit = request.has("limit")
                ? Limits.parse("limit", request.path("limit").asText(), SqlConsole.MAX_ROWS, SqlConsole.MAX_ROWS)
                : SqlConsole.MAX_ROWS;
        SqlConsole.Result r = console.run(request.path("sql").asText(), limit);
        var out = new LinkedHashMap<String, Object>();
        out.put("columns", r.columns());
        out.put("rows", r.rows());
        out.put("truncated", r.truncated());
        out.put("elapsed_ms", r.millis());
        return ApiJson.write(out);
    }
}
