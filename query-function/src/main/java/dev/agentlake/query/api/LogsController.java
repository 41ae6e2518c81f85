package dev.agentlake.query.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/logs} (records, newest first, filtered) and {@code GET /api/logs/levels}. */
@Controller("/api")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
final class LogsController {
    private final LogsQuery logs;

    LogsController(LogsQuery logs) {
        this.logs = logs;
    }

    @Get(uri = "/logs", produces = MediaType.APPLICATION_JSON)
    String logs(HttpRequest<?> request) throws SQLException {
        Params p = Params.of(request.getParameters(), "from", "to", "limit", "offset", "tool", "service", "severity",
                "event", "session", "trace", "search");
        TimeRange range = p.range();
        int limit = p.limit(100, 10_000);
        int offset = p.offset();
        var filter = new LogsQuery.Filter(p.tool(), p.text("service"), p.text("severity"), p.text("event"),
                p.text("session"), p.text("trace"), p.text("search"));
        var body = new LinkedHashMap<String, Object>();
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        body.put("limit", limit);
        body.put("offset", offset);
        body.put("rows", logs.run(range, filter, limit, offset));
        return ApiJson.write(body);
    }

    @Get(uri = "/logs/levels", produces = MediaType.APPLICATION_JSON)
    String levels(HttpRequest<?> request) throws SQLException {
        TimeRange range = Params.of(request.getParameters(), "from", "to").range();
        return ApiJson.write(Map.of("rows", logs.levels(range)));
    }
}
