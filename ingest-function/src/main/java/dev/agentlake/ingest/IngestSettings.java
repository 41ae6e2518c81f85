package dev.agentlake.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.List;

/**
 * Ingest configuration ({@code agentlake.ingest.*}, env {@code AGENTLAKE_INGEST_*}).
 *
 * @param maxBodyBytes largest request body accepted, counted after inflating gzip/deflate
 * @param keepCodexSseEvents keep every {@code codex.sse_event} record, not only the completed
 *     responses that carry tokens (Codex sends dozens per response)
 * @param tokens bearer tokens any of which a request must present ({@code Authorization: Bearer …});
 *     empty: no authentication (loopback only, see the command line). Env: comma separated.
 * @param redactPrompts replace prompt and response text by its length and SHA-256 before storing
 *     (see {@link PromptRedaction})
 * @param tokensParameter SSM Parameter Store SecureString with more accepted tokens (comma separated),
 *     read on first use and every 5 minutes; the AWS deployment sets it
 * @param ssmEndpoint endpoint override for SSM (tests); default AWS's
 */
@ConfigurationProperties("agentlake.ingest")
public record IngestSettings(
        @Bindable(defaultValue = "16777216") long maxBodyBytes,
        @Bindable(defaultValue = "false") boolean keepCodexSseEvents,
        @Nullable List<String> tokens,
        @Bindable(defaultValue = "false") boolean redactPrompts,
        @Nullable String tokensParameter,
        @Nullable String ssmEndpoint) {

    /** Short tokens can be guessed; 16 characters of a random string are not. */
    static final int MIN_TOKEN_LENGTH = 16;

    public IngestSettings {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("agentlake.ingest.max-body-bytes must be at least 1024");
        }
        tokens = tokens == null ? List.of() : tokens.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        for (String token : tokens) {
            // The message never repeats the token: configuration errors end up in logs.
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("agentlake.ingest.tokens: every token needs at least "
                        + MIN_TOKEN_LENGTH + " characters");
            }
            if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("agentlake.ingest.tokens: tokens are printable ASCII without spaces");
            }
        }
    }

    /** Never prints the tokens, only how many there are. */
    @Override
    public String toString() {
        return "IngestSettings[maxBodyBytes=" + maxBodyBytes + ", keepCodexSseEvents=" + keepCodexSseEvents
                + ", tokens=" + tokens.size() + " configured, tokensParameter=" + tokensParameter
                + ", redactPrompts=" + redactPrompts + "]";
    }
}
