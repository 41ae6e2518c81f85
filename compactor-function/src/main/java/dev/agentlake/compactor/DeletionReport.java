package dev.agentlake.compactor;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@code agentlake delete} did (or, for a dry run, would do).
 *
 * @param outcome {@code committed} (the rows are gone in a new snapshot), {@code dry_run},
 *     {@code nothing_to_do} (no row matched), {@code unknown} (the commit's result could not be read
 *     back: nothing was cleaned up, run the deletion again) or {@code gave_up} (other writers kept
 *     committing first, or rows of the window kept arriving in landing)
 * @param version the lake's snapshot version after the run
 * @param tables per table, rows of the window's days before and after (gold tables: as derived)
 * @param partitions the {@code table/dt=…} partitions rewritten (a dry run: that would be)
 * @param landingFilesCompacted landing files compacted first, so the deletion sees their rows
 * @param leftInLanding landing files the compactor cannot read, with the reason: their rows were not deleted
 */
public record DeletionReport(
        String outcome,
        boolean dryRun,
        String deletion,
        long version,
        int attempts,
        Map<String, TableCounts> tables,
        List<String> partitions,
        int filesWritten,
        int landingFilesCompacted,
        Map<String, String> leftInLanding,
        long millis) {

    public DeletionReport {
        Objects.requireNonNull(outcome, "outcome is null");
        Objects.requireNonNull(deletion, "deletion is null");
        tables = Map.copyOf(tables);
        partitions = List.copyOf(partitions);
        leftInLanding = Map.copyOf(leftInLanding);
    }

    /**
     * Row counts of one table over the days of the window.
     *
     * @param rowsBefore rows in the window's days before the deletion
     * @param rowsAfter the same after it
     * @param deleted {@code rowsBefore - rowsAfter}
     * @param windowRowsBefore rows inside the window (and of the tool, if one was named) before
     * @param windowRowsAfter the same after: 0 for the tables deleted from, except the logs of a
     *     {@code usage} deletion (only the model-call records go)
     */
    public record TableCounts(long rowsBefore, long rowsAfter, long deleted, long windowRowsBefore, long windowRowsAfter) {
        public TableCounts {
            if (deleted != rowsBefore - rowsAfter || rowsBefore < 0 || rowsAfter < 0 || windowRowsBefore < 0
                    || windowRowsAfter < 0) {
                throw new IllegalArgumentException("inconsistent counts " + rowsBefore + " → " + rowsAfter + " (" + deleted
                        + " deleted)");
            }
        }

        static TableCounts of(long before, long after, long windowBefore, long windowAfter) {
            return new TableCounts(before, after, before - after, windowBefore, windowAfter);
        }
    }

    public boolean committed() {
        return outcome.equals("committed");
    }
}
