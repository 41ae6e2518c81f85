package dev.agentlake.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Ingest configuration ({@code agentlake.ingest.*}, env {@code AGENTLAKE_INGEST_*}).
 *
 * @param maxBodyBytes largest request body accepted, counted after inflating gzip/deflate
 * @param keepCodexSseEvents keep every {@code codex.sse_event} record, not only the completed
 *     responses that carry tokens (Codex sends dozens per response)
 */
@ConfigurationProperties("agentlake.ingest")
public record IngestSettings(
        @Bindable(defaultValue = "16777216") long maxBodyBytes,
        @Bindable(defaultValue = "false") boolean keepCodexSseEvents) {

    public IngestSettings {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("agentlake.ingest.max-body-bytes must be at least 1024");
        }
    }
}
