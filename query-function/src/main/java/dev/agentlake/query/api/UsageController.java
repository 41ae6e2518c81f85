package dev.agentlake.query.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/** {@code GET /api/usage} (totals grouped by day/week/month/tool/model/session/project/host) and {@code /api/usage/blocks}. */
@Controller("/api/usage")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
final class UsageController {
    private final UsageQuery usage;
    private final UsageBlocks blocks;

    UsageController(UsageQuery usage, UsageBlocks blocks) {
        this.usage = usage;
        this.blocks = blocks;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    String usage(HttpRequest<?> request) throws SQLException {
        Params p = Params.of(request.getParameters(), "from", "to", "groupBy", "tz", "tool", "model");
        String groupBy = p.text("groupBy");
        List<String> groups = groupBy == null ? List.of()
                : Arrays.stream(groupBy.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return ApiJson.write(usage.run(new UsageQuery.Request(p.range(), groups, UsageQuery.Request.zone(p.text("tz")),
                p.tool(), p.text("model"))));
    }

    @Get(uri = "/blocks", produces = MediaType.APPLICATION_JSON)
    String blocks(HttpRequest<?> request) throws SQLException {
        Params p = Params.of(request.getParameters(), "from", "to", "tool");
        TimeRange range = p.range();
        var out = new LinkedHashMap<String, Object>();
        out.put("from", range.from().toString());
        out.put("to", range.to().toString());
        out.put("rows", blocks.run(range, p.tool(), Instant.now()));
        return ApiJson.write(out);
    }
}
