package dev.agentlake.query.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;

/** {@code /api/dashboards}: list, create, read, replace and delete saved dashboards. */
@Controller("/api/dashboards")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
final class DashboardsController {
    private final DashboardStore dashboards;

    DashboardsController(DashboardStore dashboards) {
        this.dashboards = dashboards;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    String list() {
        return ApiJson.write(Map.of("rows", dashboards.list()));
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> create(@Nullable @Body String body) {
        return HttpResponse.status(HttpStatus.CREATED).body(ApiJson.write(dashboards.create(body)));
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> get(@PathVariable String id) {
        return dashboards.get(id).<HttpResponse<String>>map(d -> HttpResponse.ok(ApiJson.write(d))).orElseGet(() -> notFound(id));
    }

    @Put(uri = "/{id}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> replace(@PathVariable String id, @Nullable @Body String body) {
        return dashboards.replace(id, body).<HttpResponse<String>>map(d -> HttpResponse.ok(ApiJson.write(d))).orElseGet(() -> notFound(id));
    }

    @Delete(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> delete(@PathVariable String id) {
        return dashboards.delete(id) ? HttpResponse.noContent() : notFound(id);
    }

    private static HttpResponse<String> notFound(String id) {
        return HttpResponse.<String>status(HttpStatus.NOT_FOUND)
                .body(ApiJson.write(Map.of("error", "not_found", "message", "no dashboard " + id)));
    }
}
