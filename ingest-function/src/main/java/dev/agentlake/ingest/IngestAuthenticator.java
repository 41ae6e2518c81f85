package dev.agentlake.ingest;

import dev.agentlake.lake.auth.BearerTokens;
import dev.agentlake.lake.store.S3Settings;
import jakarta.inject.Singleton;

/**
 * Checks the bearer token of an ingest request (OTLP/HTTP {@code Authorization} header, or the
 * gRPC {@code authorization} metadata) against {@code agentlake.ingest.tokens} and, on AWS, the SSM
 * parameter {@code agentlake.ingest.tokens-parameter} (see {@link BearerTokens}: constant-time
 * compares, read on first use, never logged). With no tokens configured every request is let through.
 */
@Singleton
public final class IngestAuthenticator {
    private final BearerTokens tokens;

    IngestAuthenticator(IngestSettings settings, S3Settings s3) {
        this.tokens = BearerTokens.withParameter(settings.tokens(), settings.tokensParameter(), s3.region(),
                settings.ssmEndpoint());
    }

    /** Whether requests must carry a token at all. */
    public boolean required() {
        return tokens.required();
    }

    /**
     * Whether a request with this {@code Authorization} value may ingest.
     *
     * @param authorization the header value, e.g. {@code Bearer 3f9c…}, or null when absent
     * @throws IllegalStateException when the token parameter cannot be read (answer 503: retry later)
     */
    public boolean permits(String authorization) {
        return tokens.permits(authorization);
    }
}
