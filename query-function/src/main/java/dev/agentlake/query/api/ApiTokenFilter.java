package dev.agentlake.query.api;

import dev.agentlake.lake.auth.BearerTokens;
import dev.agentlake.lake.store.S3Settings;
import dev.agentlake.query.QuerySettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * When tokens are configured, every {@code /api} call needs {@code Authorization: Bearer <token>};
 * only the health check answers without one. See {@link BearerTokens} (constant-time compare, SSM
 * parameter on AWS; tokens are never logged).
 */
@ServerFilter("/api/**")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
final class ApiTokenFilter {
    private final BearerTokens tokens;

    ApiTokenFilter(QuerySettings settings, S3Settings s3) {
        this.tokens = BearerTokens.withParameter(settings.tokens(), settings.tokensParameter(), s3.region(),
                settings.ssmEndpoint());
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (!tokens.required() || request.getPath().equals("/api/health")) {
            return null;
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        try {
            if (tokens.permits(header)) {
                return null;
            }
        } catch (IllegalStateException unreadable) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "5")
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(ApiJson.write(java.util.Map.of("error", "unavailable",
                            "message", "the accepted tokens cannot be read right now; retry later")));
        }
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"agentlake\"")
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ApiJson.write(java.util.Map.of("error", "unauthorized",
                        "message", header == null ? "this API needs Authorization: Bearer <token>" : "the token is not valid")));
    }
}
