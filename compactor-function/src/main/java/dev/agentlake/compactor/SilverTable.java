package dev.agentlake.compactor;

import dev.agentlake.lake.model.Signal;
import java.util.Objects;
import java.util.Optional;

/**
 * A table the compactor fills straight from a landing folder. Compaction knows of each only its
 * name, the column duplicates share and that rows carry a {@code timestamp}: the rest of the schema
 * is whatever the landing Parquet files hold, so new signals and new columns need no change here.
 *
 * @param folder the landing folder, {@code landing/<folder>/}
 * @param key the column that identifies a row: copies of a row (exporter retries, a landing file
 *     taken twice) share it and are kept once
 */
record SilverTable(String name, String folder, String key) {
    static final String TIME = "timestamp";
    static final SilverTable LOGS = new SilverTable("logs", Signal.LOGS.folder(), "record_id");
    static final SilverTable IMPORTED_USAGE = new SilverTable("imported_usage", Signal.USAGE.folder(), "call_id");
    static final SilverTable METRICS = new SilverTable("metrics", Signal.METRICS.folder(), "record_id");

    SilverTable {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(folder, "folder is null");
        Objects.requireNonNull(key, "key is null");
    }

    /**
     * The table a landing folder is compacted into: imported usage rows go to {@code imported_usage}
     * (the gold {@code usage} table is derived from them); any other folder to the table of its name.
     */
    static Optional<SilverTable> forFolder(String folder) {
        if (folder.equals(IMPORTED_USAGE.folder)) {
            return Optional.of(IMPORTED_USAGE);
        }
        if (!folder.matches("[a-z][a-z0-9_]{0,62}") || GoldTable.isGold(folder) || folder.equals(IMPORTED_USAGE.name)) {
            return Optional.empty();
        }
        return Optional.of(new SilverTable(folder, folder, "record_id"));
    }

    /**
     * Whether copies of a row are equal in every column, so any copy may be kept: {@code record_id}
     * hashes the record itself. An imported call ({@code call_id}) may be imported again with other
     * values, and then the newest copy wins.
     */
    boolean copiesAreEqual() {
        return key.equals("record_id");
    }

    /**
     * The order of a key's copies, the kept one first ({@code __prio}: the landing file's age rank,
     * newer higher, −1 for live rows; {@code __row}: reading order, so the choice is deterministic).
     * <ul>
     *   <li>{@code record_id} tables: copies are equal; the live one if landing and live rows have the
     *       same columns, else the newest.</li>
     *   <li>{@code imported_usage}, as the importer merges sightings of a call (UsageLedger): the most
     *       complete copy, since a session imported while a response was still streaming has fewer
     *       tokens than the same call imported later, whatever order the imports are compacted in
     *       (most tokens of input, output, cache read and write; then most output); among equals the
     *       newest. Gemini CLI rewrites a message in place, so for its calls the newest copy wins.</li>
     * </ul>
     *
     * @param columns the columns the rows have (a foreign writer may lack the token columns)
     * @param liveFirst landing and live rows have the same columns and types
     */
    String keptFirst(java.util.Set<String> columns, boolean liveFirst) {
        String newest = "__prio DESC, __row";
        if (copiesAreEqual()) {
            // With the same columns, live rows first: a landing copy of a row a partition already has is
            // then dropped, so the landing rows left are new ones, which may be appended as a file of
            // their own. A copy from a writer that added columns is newer and has more: it wins.
            return liveFirst ? "__prio < 0 DESC, " + newest : newest;
        }
        if (!columns.containsAll(java.util.List.of("tool", "input_tokens", "output_tokens",
                "cache_read_tokens", "cache_write_tokens"))) {
            return newest;
        }
        return "CASE WHEN tool = 'gemini-cli' THEN 0 ELSE coalesce(input_tokens, 0) + coalesce(output_tokens, 0)"
                + " + coalesce(cache_read_tokens, 0) + coalesce(cache_write_tokens, 0) END DESC,"
                + " CASE WHEN tool = 'gemini-cli' THEN 0 ELSE coalesce(output_tokens, 0) END DESC, " + newest;
    }

    /** Whether the gold tables are derived from this table (so its partitions are read for them). */
    boolean feedsGold() {
        return name.equals(LOGS.name) || name.equals(IMPORTED_USAGE.name) || name.equals(METRICS.name);
    }
}
