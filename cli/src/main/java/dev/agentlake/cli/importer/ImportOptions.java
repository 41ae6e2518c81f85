package dev.agentlake.cli.importer;

/**
 * How an import treats what earlier imports did.
 *
 * @param dryRun read and count, write nothing (not even bookkeeping)
 * @param force read every file from the start, ignoring the bookkeeping (ids keep rows unique)
 * @param purge first remove this tool's not-yet-compacted imported landing files and its
 *     bookkeeping, then import everything again
 */
public record ImportOptions(boolean dryRun, boolean force, boolean purge) {
    public static final ImportOptions DEFAULT = new ImportOptions(false, false, false);
}
