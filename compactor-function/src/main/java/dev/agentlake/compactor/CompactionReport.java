package dev.agentlake.compactor;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one compaction run did; the Lambda returns it and {@code agentlake compact} prints it.
 *
 * @param outcome {@code committed} (a new snapshot is the lake's state), {@code nothing_to_do},
 *     {@code busy} (the store ignores put-if-absent and another compactor holds the commit lease),
 *     {@code unknown} (the commit's result could not be read back: nothing was deleted, the next run
 *     settles it) or {@code gave_up} (other compactors kept committing first)
 * @param version the lake's snapshot version after the run (0: never compacted)
 * @param landingFiles landing files merged by this run
 * @param rowsWritten rows written per table (whole partitions are rewritten, so this counts every
 *     row of each partition touched, not only new ones)
 * @param filesWritten new table files
 * @param unknownModels models with no price (cost NULL, {@code unknown_model}) in the partitions
 *     derived by this run, with their number of calls: add them with {@code agentlake.pricing.file}
 * @param reaped objects deleted before the run: landing files an earlier snapshot had consumed and
 *     table files no snapshot names (left by a crash or a lost race)
 * @param skipped landing files left in place because they cannot be compacted, with the reason
 */
public record CompactionReport(
        String outcome,
        long version,
        int attempts,
        int landingFiles,
        Map<String, Long> rowsWritten,
        int filesWritten,
        List<String> partitions,
        Map<String, Long> unknownModels,
        int reaped,
        Map<String, String> skipped,
        long millis) {

    public CompactionReport {
        Objects.requireNonNull(outcome, "outcome is null");
        rowsWritten = Map.copyOf(rowsWritten);
        partitions = List.copyOf(partitions);
        unknownModels = Map.copyOf(unknownModels);
        skipped = Map.copyOf(skipped);
    }

    public boolean committed() {
        return outcome.equals("committed");
    }

    /** One line for logs and the command line. */
    public String summary() {
        var b = new StringBuilder(outcome).append(": snapshot ").append(version);
        if (landingFiles > 0 || filesWritten > 0) {
            b.append(", ").append(landingFiles).append(" landing file(s) merged into ").append(filesWritten)
                    .append(" table file(s) in ").append(partitions.size()).append(" partition(s)");
        }
        if (reaped > 0) {
            b.append(", ").append(reaped).append(" leftover object(s) deleted");
        }
        b.append(" in ").append(millis).append(" ms");
        return b.toString();
    }
}
