package dev.agentlake.lake.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The bearer tokens a function accepts: configured ones (local runs) and, on AWS, those in an SSM
 * Parameter Store SecureString (a comma-separated list, so a rotation can accept old and new for a
 * while). The parameter is read on the first request, not at start: under Lambda SnapStart a value
 * read during initialisation would be frozen into the snapshot and outlive every rotation. It is
 * re-read after {@link #REFRESH}.
 *
 * <p>Presented tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual} against
 * every accepted token, so the time of a refusal says nothing about how close a guess was. Tokens
 * are never logged.
 */
public final class BearerTokens {
    public static final Duration REFRESH = Duration.ofMinutes(5);
    private static final String SCHEME = "bearer ";

    private final List<byte[]> configured;
    private final Supplier<String> parameter;
    private final Clock clock;
    private volatile List<byte[]> fromParameter = List.of();
    private volatile Instant readAt = Instant.MIN;

    BearerTokens(List<String> tokens, Supplier<String> parameter, Clock clock) {
        this.configured = tokens.stream().map(BearerTokens::digest).toList();
        this.parameter = parameter;
        this.clock = clock;
    }

    /** Only the configured tokens (none: no authentication). */
    public static BearerTokens of(List<String> tokens) {
        return new BearerTokens(tokens, null, Clock.systemUTC());
    }

    /**
     * The configured tokens plus those in SSM parameter {@code parameterName} (if not null).
     *
     * @param ssmEndpoint endpoint override for the SSM client (tests), or null for AWS's
     */
    public static BearerTokens withParameter(List<String> tokens, String parameterName, String region, String ssmEndpoint) {
        if (parameterName == null || parameterName.isBlank()) {
            return of(tokens);
        }
        return new BearerTokens(tokens, new SsmParameter(parameterName, region, ssmEndpoint), Clock.systemUTC());
    }

    /** Whether requests must carry a token at all. */
    public boolean required() {
        return !configured.isEmpty() || parameter != null;
    }

    /**
     * Whether a request with this {@code Authorization} header value may pass.
     *
     * @param authorization e.g. {@code Bearer 3f9c…}, or null when absent
     * @throws IllegalStateException when the parameter cannot be read (the caller answers 503)
     */
    public boolean permits(String authorization) {
        if (!required()) {
            return true;
        }
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return false;
        }
        byte[] presented = digest(authorization.substring(SCHEME.length()).trim());
        boolean match = false;
        for (byte[] token : accepted()) {
            match |= MessageDigest.isEqual(presented, token);
        }
        return match;
    }

    private List<byte[]> accepted() {
        if (parameter == null) {
            return configured;
        }
        Instant now = clock.instant();
        if (now.isAfter(readAt.plus(REFRESH))) {
            synchronized (this) {
                if (now.isAfter(readAt.plus(REFRESH))) {
                    var read = new ArrayList<byte[]>();
                    for (String t : parameter.get().split(",")) {
                        if (!t.isBlank()) {
                            read.add(digest(t.trim()));
                        }
                    }
                    fromParameter = List.copyOf(read);
                    readAt = now;
                }
            }
        }
        var all = new ArrayList<>(configured);
        all.addAll(fromParameter);
        return all;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the SecureString parameter with decryption; the client is built on first use. */
    private static final class SsmParameter implements Supplier<String> {
        private final String name;
        private final String region;
        private final String endpoint;
        private SsmClient client;

        SsmParameter(String name, String region, String endpoint) {
            this.name = Objects.requireNonNull(name, "name is null");
            this.region = region;
            this.endpoint = endpoint;
        }

        @Override
        public synchronized String get() {
            try {
                if (client == null) {
                    var builder = SsmClient.builder().httpClient(UrlConnectionHttpClient.builder().build());
                    if (region != null) {
                        builder.region(Region.of(region));
                    }
                    if (endpoint != null) {
                        builder.endpointOverride(URI.create(endpoint));
                    }
                    client = builder.build();
                }
                return client.getParameter(b -> b.name(name).withDecryption(true)).parameter().value();
            } catch (RuntimeException e) {
                // The message names the parameter, never its value.
                throw new IllegalStateException("cannot read the token parameter " + name + ": " + e.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "BearerTokens[configured=" + configured.size() + ", parameter=" + (parameter != null) + "]";
    }
}
