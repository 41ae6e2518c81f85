package dev.agentlake.ingest;

import java.util.List;
import java.util.Objects;

/**
 * Rows decoded from one request, and the records that could not be kept (reported to the client as
 * OTLP {@code partial_success}).
 *
 * @param dropped records deliberately not stored (e.g. Codex's token-less SSE events); not an error
 */
record MappedRows<T>(List<T> rows, long rejected, String rejectionMessage, long dropped) {
    MappedRows {
        rows = List.copyOf(rows);
        if (rejected < 0 || dropped < 0) {
            throw new IllegalArgumentException("counts are never negative");
        }
        if (rejected > 0) {
            Objects.requireNonNull(rejectionMessage, "a rejection needs a message");
        }
    }
}
