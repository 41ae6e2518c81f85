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

/** {@code GET /api/traces} and {@code GET /api/traces/{traceId}/spans}. */
@Controller("/api/traces")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
final class TracesController {
    private final TracesQuery traces;

    TracesController(TracesQuery traces) {
        this.traces = traces;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    String list(HttpRequest<?> request) throws SQLException {
        Params p = Params.of(request.getParameters(), "from", "to", "tool", "session", "limit", "offset");
        TimeRange range = p.range();
        var out = new LinkedHashMap<String, Object>();
        out.put("from", range.from().toString());
        out.put("to", range.to().toString());
        out.put("rows", traces.list(range, p.tool(), p.text("session"), p.limit(100, 1000), p.offset()));
        return ApiJson.write(out);
    }

    @Get(uri = "/{traceId}/spans", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> spans(@PathVariable String traceId, HttpRequest<?> request) throws SQLException {
        Params.of(request.getParameters());
        return traces.spans(traceId.toLowerCase(java.util.Locale.ROOT))
                .<HttpResponse<String>>map(s -> HttpResponse.ok(ApiJson.write(Map.of("trace_id", traceId, "spans", s))))
                .orElseGet(() -> HttpResponse.<String>status(HttpStatus.NOT_FOUND)
                        .body(ApiJson.write(Map.of("error", "not_found", "message", "no spans in trace " + traceId))));
    }
}
