package dev.agentlake.cli.importer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What one tool's import did.
 *
 * @param filesFound session files under the tool's roots
 * @param filesUnchanged files skipped because size and time matched the bookkeeping
 * @param filesAppended files read on from their recorded offset
 * @param filesRead files read from the start (new, changed before their offset, or forced)
 * @param bytesRead bytes of session files read (decompressed)
 * @param usageLines lines or messages with usage seen; {@code calls} after merging sightings of one call
 * @param landingFiles objects written to landing/ (0 on a dry run)
 * @param purgedFiles landing objects removed by {@code --purge}
 * @param failures files that could not be read (skipped, no bookkeeping: the next run tries again)
 */
public record ImportSummary(
        @JsonProperty("tool") String tool,
        @JsonProperty("files_found") int filesFound,
        @JsonProperty("files_unchanged") int filesUnchanged,
        @JsonProperty("files_appended") int filesAppended,
        @JsonProperty("files_read") int filesRead,
        @JsonProperty("bytes_read") long bytesRead,
        @JsonProperty("usage_lines") long usageLines,
        @JsonProperty("calls") long calls,
        @JsonProperty("events") long events,
        @JsonProperty("skipped_lines") long skippedLines,
        @JsonProperty("landing_files") int landingFiles,
        @JsonProperty("landing_bytes") long landingBytes,
        @JsonProperty("purged_files") int purgedFiles,
        @JsonProperty("tokens") TokenTotals tokens,
        @JsonProperty("dry_run") boolean dryRun,
        @JsonProperty("failures") List<FailedFile> failures) {

    public ImportSummary {
        failures = List.copyOf(failures);
    }

    /** Session files that could not be read. */
    @JsonProperty("files_failed")
    public int filesFailed() {
        return failures.size();
    }

    /** A session file that could not be read, and why. */
    public record FailedFile(@JsonProperty("file") String file, @JsonProperty("reason") String reason) {
    }
}
