package dev.agentlake.cli.importer;

import java.time.Instant;
import java.util.Objects;

/**
 * What every reader of one run shares.
 *
 * @param hostName this machine, stamped on imported rows (the files are this machine's)
 * @param from first instant to keep, or null; {@code to} last instant (exclusive), or null
 * @param redactPrompts store transcript text (prompts, responses, tool input and output) as its length and
 *     SHA-256 only, as ingest does with {@code agentlake.ingest.redact-prompts}
 */
public record ImportContext(String hostName, Instant from, Instant to, boolean redactPrompts) {
    public ImportContext {
        Objects.requireNonNull(hostName, "hostName is null");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("--from must be before --to");
        }
    }

    /** A context that keeps transcript text. */
    public ImportContext(String hostName, Instant from, Instant to) {
        this(hostName, from, to, false);
    }

    public static ImportContext unfiltered(String hostName) {
        return new ImportContext(hostName, null, null);
    }

    public boolean filtered() {
        return from != null || to != null;
    }

    /** Whether a record at {@code timeUnixNano} falls inside the window. */
    public boolean keeps(long timeUnixNano) {
        if (from != null && timeUnixNano < nanos(from)) {
            return false;
        }
        return to == null || timeUnixNano < nanos(to);
    }

    static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
