package dev.agentlake.query.api;

import dev.agentlake.lake.store.StoreUnavailableException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's one place that turns failures into responses: {@code {"error", "message"}} with 400
 * for bad parameters, 503 (+ Retry-After) when the bucket cannot be reached, else 500. A request no endpoint
 * takes is answered in the same shape by {@link UnroutedApiRequests}.
 */
final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    static MutableHttpResponse<Map<String, String>> of(HttpStatus status, String error, String message) {
        return HttpResponse.<Map<String, String>>status(status).body(Map.of("error", error, "message", message));
    }

    @Produces
    @Singleton
    @Requires(classes = {BadRequestException.class, ExceptionHandler.class})
    static final class BadRequestHandler implements ExceptionHandler<BadRequestException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, BadRequestException e) {
            return of(HttpStatus.BAD_REQUEST, "bad_request", e.getMessage());
        }
    }

    @Produces
    @Singleton
    @Requires(classes = {StoreUnavailableException.class, ExceptionHandler.class})
    static final class StoreUnavailableHandler implements ExceptionHandler<StoreUnavailableException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, StoreUnavailableException e) {
            LOG.warn("lake unavailable: {}", e.getMessage());
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "5")
                    .body(Map.of("error", "unavailable", "message", "the lake's bucket cannot be reached; retry later"));
        }
    }

    @Produces
    @Singleton
    @Requires(classes = {java.sql.SQLException.class, ExceptionHandler.class})
    static final class SqlFailureHandler implements ExceptionHandler<java.sql.SQLException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, java.sql.SQLException e) {
            LOG.error("query failed: {}", request.getPath(), e);
            return of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "the query failed; see the server log");
        }
    }

    /** Anything else a query throws: a bug or an unexpected state; the detail goes to the log only. */
    @Produces
    @Singleton
    @Requires(classes = ExceptionHandler.class)
    static final class InternalErrorHandler implements ExceptionHandler<IllegalStateException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, IllegalStateException e) {
            LOG.error("request failed: {}", request.getPath(), e);
            return of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "internal error; see the server log");
        }
    }
}
