package dev.agentlake.query.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/sessions} and {@code GET /api/sessions/{id}} (summary + timeline). */
@Controller("/api/sessions")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SessionsController {
    private final SessionsQuery sessions;

    SessionsController(SessionsQuery sessions) {
        this.sessions = sessions;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    String list(HttpRequest<?> request) throws SQLException {
        Params p = Params.of(request.getParameters(), "from", "to", "tool", "limit", "offset");
        TimeRange range = p.range();
        var out = new LinkedHashMap<String, Object>();
        out.put("from", range.from().toString());
        out.put("to", range.to().toString());
        out.put("rows", sessions.list(range, p.tool(), p.limit(100, 1000), p.offset()));
        return ApiJson.write(out);
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> get(@PathVariable String id, HttpRequest<?> request) throws SQLException {
        Params.of(request.getParameters());
        if (id.length() > 200) {
            throw new BadRequestException("a session id is at most 200 characters");
        }
        return sessions.get(id).<HttpResponse<String>>map(s -> HttpResponse.ok(ApiJson.write(s)))
                .orElseGet(() -> HttpResponse.<String>status(HttpStatus.NOT_FOUND)
                        .body(ApiJson.write(Map.of("error", "not_found", "message", "no session " + id))));
    }
}
