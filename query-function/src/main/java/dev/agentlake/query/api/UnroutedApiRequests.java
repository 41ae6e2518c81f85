package dev.agentlake.query.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * An {@code /api} request that no endpoint takes is answered in the API's {@code {error, message}} shape
 * instead of the framework's own body: 404 {@code no_endpoint} naming the method and path and listing the
 * endpoints, or 405 {@code method_not_allowed} naming the methods the path takes. The codes differ from an
 * endpoint's own 404 ({@code not_found}, "no session …"), which passes through: the page tells "this server
 * lacks the endpoint" from "the thing asked for is missing" by them. A filter rather than a global
 * {@code @Error(status = …)} route, which would also replace those endpoint 404s and the site's.
 */
@ServerFilter("/api/**")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
final class UnroutedApiRequests {
    private final Router router;

    UnroutedApiRequests(Router router) {
        this.router = router;
    }

    @ResponseFilter
    @Nullable
    HttpResponse<?> answer(HttpRequest<?> request, HttpResponse<?> response) {
        int status = response.code();
        if (RouteAttributes.getRouteMatch(request).isPresent()
                || (status != HttpStatus.NOT_FOUND.getCode() && status != HttpStatus.METHOD_NOT_ALLOWED.getCode())) {
            return null;
        }
        TreeSet<String> methods = router.findAny(request).stream()
                .map(match -> match.getHttpMethod().name())
                .collect(Collectors.toCollection(TreeSet::new));
        if (methods.isEmpty()) {
            return ApiErrors.of(HttpStatus.NOT_FOUND, "no_endpoint", "no endpoint " + request.getMethodName() + " "
                    + request.getPath() + "; the API has: " + endpoints());
        }
        return ApiErrors.of(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", request.getPath() + " takes "
                + String.join(", ", methods) + ", not " + request.getMethodName())
                .header(HttpHeaders.ALLOW, String.join(", ", methods));
    }

    /** Every {@code /api} route as {@code METHOD /path}, by path. */
    private String endpoints() {
        return router.uriRoutes()
                .filter(route -> route.getUriMatchTemplate().toString().startsWith("/api/") && route.getHttpMethod() != HttpMethod.HEAD)
                .sorted(Comparator.<UriRouteInfo<?, ?>, String>comparing(route -> route.getUriMatchTemplate().toString())
                        .thenComparing(UriRouteInfo::getHttpMethodName))
                .map(route -> route.getHttpMethodName() + " " + route.getUriMatchTemplate())
                .distinct() // the router can list a route more than once
                .collect(Collectors.joining(", "));
    }
}
