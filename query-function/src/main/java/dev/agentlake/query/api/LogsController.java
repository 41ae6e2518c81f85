package dev.agentlake.query.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/logs?from=&to=&limit=&offset=}: log records, newest first. */
@Controller("/api")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
final class LogsController {
    private final LogsQuery logs;

    LogsController(LogsQuery logs) {
        this.logs = logs;
    }

    @Get(uri = "/logs", produces = MediaType.APPLICATION_JSON)
    String logs(@Nullable @QueryValue String from, @Nullable @QueryValue String to,
                             @Nullable @QueryValue String limit, @Nullable @QueryValue String offset)
            throws SQLException {
        TimeRange range = TimeRange.parse(from, to, Instant.now());
        int n = Limits.parse("limit", limit, 100, 10_000);
        int skip = Limits.parse("offset", offset, 0, 1_000_000);
        var body = new LinkedHashMap<String, Object>();
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        body.put("limit", n);
        body.put("offset", skip);
        body.put("rows", logs.run(range, n, skip));
        return ApiJson.write(body);
    }
}
