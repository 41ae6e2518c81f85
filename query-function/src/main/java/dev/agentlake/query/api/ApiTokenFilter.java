package dev.agentlake.query.api;

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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * When tokens are configured, every {@code /api} call needs {@code Authorization: Bearer <token>};
 * only the health check answers without one. Tokens are compared in constant time and never logged.
 */
@ServerFilter("/api/**")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
final class ApiTokenFilter {
    private final List<byte[]> tokens;

    ApiTokenFilter(QuerySettings settings) {
        this.tokens = settings.tokens().stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (tokens.isEmpty() || request.getPath().equals("/api/health")) {
            return null;
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            boolean ok = false;
            for (byte[] token : tokens) {
                ok |= MessageDigest.isEqual(token, presented);
            }
            if (ok) {
                return null;
            }
        }
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"agentlake\"")
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ApiJson.write(java.util.Map.of("error", "unauthorized",
                        "message", header == null ? "this API needs Authorization: Bearer <token>" : "the token is not valid")));
    }
}
