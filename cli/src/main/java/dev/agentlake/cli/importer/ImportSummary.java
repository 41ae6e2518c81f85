package dev.agentlake.cli.importer;

import com.fasterxml.jackson.annotation.JsonProperty;

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
        @JsonProperty("dry_run") boolean dryRun) {
}
