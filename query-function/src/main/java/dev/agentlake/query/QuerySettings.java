package dev.agentlake.query;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * Query configuration ({@code agentlake.query.*}, env {@code AGENTLAKE_QUERY_*}).
 *
 * @param cacheDir where copies of the lake's objects are kept for DuckDB; default: a folder under
 *     {@code java.io.tmpdir} (Lambda: {@code /tmp})
 * @param refreshInterval how long a resolved view of the lake (snapshot + landing listing) is reused
 * @param memoryLimit DuckDB's memory limit, e.g. {@code 1GB}; default DuckDB's (80% of RAM)
 * @param tokens bearer tokens that may call {@code /api}; empty: no authentication (loopback use)
 * @param tokensParameter SSM Parameter Store SecureString holding more accepted tokens (comma
 *     separated), read on first use and every 5 minutes (AWS deployments set it)
 * @param ssmEndpoint endpoint override for SSM (tests); default AWS's
 * @param ingestPort the OTLP/HTTP port the dashboard's connect snippets name, on the page's own host
 *     ({@code agentlake serve} sets the port it listens on); default 4318
 * @param ingestUrl the OTLP/HTTP endpoint the connect snippets name instead, where ingest has a host of its
 *     own (the AWS deployment sets its ingest function's URL)
 * @param allowedHosts host names, besides {@code localhost} and IP addresses, that {@code /api} answers
 *     under when no tokens are configured (see {@code ApiHostFilter}: DNS rebinding)
 */
@ConfigurationProperties("agentlake.query")
public record QuerySettings(
        @Nullable String cacheDir,
        @Bindable(defaultValue = "1s") Duration refreshInterval,
        @Nullable String memoryLimit,
        @Nullable List<String> tokens,
        @Nullable String tokensParameter,
        @Nullable String ssmEndpoint,
        @Nullable Integer ingestPort,
        @Nullable String ingestUrl,
        @Nullable List<String> allowedHosts) {

    public QuerySettings {
        if (ingestPort != null && (ingestPort < 1 || ingestPort > 65535)) {
            throw new IllegalArgumentException("agentlake.query.ingest-port must be a port number: " + ingestPort);
        }
        if (ingestUrl != null && !ingestUrl.isBlank() && !ingestUrl.matches("https?://\\S+")) {
            throw new IllegalArgumentException("agentlake.query.ingest-url must be an http(s) URL: " + ingestUrl);
        }
        ingestUrl = ingestUrl == null || ingestUrl.isBlank() ? null : ingestUrl.trim();
        if (refreshInterval.isNegative()) {
            throw new IllegalArgumentException("agentlake.query.refresh-interval must not be negative");
        }
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(h -> h.trim().toLowerCase(java.util.Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
        tokens = tokens == null ? List.of() : tokens.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        for (String t : tokens) {
            if (t.length() < 16) {
                throw new IllegalArgumentException("agentlake.query.tokens: each token needs at least 16 characters");
            }
        }
    }

    /** Never prints the tokens, only how many there are (Micronaut logs beans at debug level). */
    @Override
    public String toString() {
        return "QuerySettings[cacheDir=" + cacheDir + ", refreshInterval=" + refreshInterval + ", memoryLimit=" + memoryLimit
                + ", tokens=" + tokens.size() + " configured, tokensParameter=" + tokensParameter + ", ssmEndpoint=" + ssmEndpoint
                + ", ingestPort=" + ingestPort + ", ingestUrl=" + ingestUrl + ", allowedHosts=" + allowedHosts + "]";
    }
}
