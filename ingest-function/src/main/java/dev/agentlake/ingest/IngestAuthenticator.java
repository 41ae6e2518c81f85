package dev.agentlake.ingest;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;

/**
 * Checks the bearer token of an ingest request (OTLP/HTTP {@code Authorization} header, or the
 * gRPC {@code authorization} metadata) against {@code agentlake.ingest.tokens}. With no tokens
 * configured every request is let through.
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the same
 * time wherever the first difference is, and every configured token is compared, so the time of a
 * refusal says nothing about how close a guess was. Tokens are never logged.
 */
@Singleton
public final class IngestAuthenticator {
    private static final String SCHEME = "bearer ";
    private final List<byte[]> tokenDigests;

    IngestAuthenticator(IngestSettings settings) {
        this.tokenDigests = settings.tokens().stream().map(IngestAuthenticator::digest).toList();
    }

    /** Whether requests must carry a token at all. */
    public boolean required() {
        return !tokenDigests.isEmpty();
    }

    /**
     * Whether a request with this {@code Authorization} value may ingest.
     *
     * @param authorization the header value, e.g. {@code Bearer 3f9c…}, or null when absent
     */
    public boolean permits(String authorization) {
        if (tokenDigests.isEmpty()) {
            return true;
        }
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return false;
        }
        byte[] presented = digest(authorization.substring(SCHEME.length()).trim());
        boolean match = false;
        for (byte[] token : tokenDigests) {
            match |= MessageDigest.isEqual(presented, token);
        }
        return match;
    }

    private static byte[] digest(String token) {
        return RecordIds.sha256().digest(token.getBytes(StandardCharsets.UTF_8));
    }
}
