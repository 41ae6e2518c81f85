package dev.agentlake.query.api;

import dev.agentlake.query.QuerySettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Without tokens, {@code /api} answers only requests addressed to {@code localhost}, an IP address or a
 * host name the user allowed. A web page can point its own name at 127.0.0.1 (DNS rebinding) and then read
 * a token-less API as its own origin: the browser sends no Origin header on such GETs, but it does send
 * the page's name as {@code Host}. With tokens configured the token is the guard, and any host is answered.
 * Not on Lambda: a function URL is public by design and the stack always configures tokens.
 */
@ServerFilter("/api/**")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
@Requires(notEnv = Environment.FUNCTION)
final class ApiHostFilter {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final boolean tokensConfigured;
    private final Set<String> allowed;

    ApiHostFilter(QuerySettings settings) {
        this.tokensConfigured = !settings.tokens().isEmpty() || settings.tokensParameter() != null;
        this.allowed = Set.copyOf(settings.allowedHosts());
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> checkHost(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.HOST);
        if (tokensConfigured || header == null) {
            return null;
        }
        String name = hostName(header);
        return answers(name) ? null : ApiErrors.of(HttpStatus.FORBIDDEN, "host_not_allowed", "this API has no token and"
                + " answers only under localhost or an IP address, not " + name + " (a web page can give its own name"
                + " this machine's address); open it at http://localhost:<port>, or start it with --allowed-host "
                + name + " or --api-token");
    }

    private boolean answers(String name) {
        return name.equals("localhost") || name.endsWith(".localhost") || IPV4.matcher(name).matches()
                || name.startsWith("[") || allowed.contains(name);
    }

    /** The name of a Host header, lower case, without its port; an IPv6 literal keeps its brackets. */
    static String hostName(String header) {
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
