package dev.agentlake.cli.importer;

import dev.agentlake.lake.model.UsageRow;
import java.util.Objects;

/**
 * One model call read from a session file, before calls seen in several places (streamed content
 * blocks, sidechain replays, resumed sessions, rewritten messages) are merged into one.
 *
 * @param dedupKey what makes two sightings the same call (Claude: message id + request id)
 * @param fileOrder position of the file in the run's sorted file list; with {@code line}, the reading order
 * @param line position of the line in its file
 */
public record ImportedCall(UsageRow row, String dedupKey, int fileOrder, long line) {
    public ImportedCall {
        Objects.requireNonNull(row, "row is null");
        Objects.requireNonNull(dedupKey, "dedupKey is null");
    }

    /** Tokens the sighting accounts for: a later streamed snapshot of the same call has at least as many. */
    public long completeness() {
        return row.input() + row.output() + row.cacheRead() + row.cacheWrite();
    }
}
