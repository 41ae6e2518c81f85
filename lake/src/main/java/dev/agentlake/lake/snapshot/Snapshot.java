package dev.agentlake.lake.snapshot;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lake's state after a commit: every live table file, and the landing keys whose rows those
 * files already hold. Stored as {@code _lake/snapshots/<version, 20 digits>.json}; the object with
 * the highest version is the current state (see docs/lake-format.md).
 *
 * @param version 1, 2, 3, …; version N+1 is created only with put-if-absent, so one writer wins
 * @param parent the version this one was built from (0 for the first)
 * @param consumedLanding landing keys already merged into {@code files}: readers skip them, and the
 *     compactor deletes them after the commit. A key stays listed until it is seen deleted.
 * @param priceTable version of the price table that priced every row of the {@code usage} table
 * @param derivation fingerprint of how the gold tables were derived (prices, price mode, source
 *     preference, SQL); when the compactor's differs it derives every gold partition again
 */
public record Snapshot(
        @JsonProperty("format") int format,
        @JsonProperty("version") long version,
        @JsonProperty("parent") long parent,
        @JsonProperty("committed_at") Instant committedAt,
        @JsonProperty("files") List<TableFile> files,
        @JsonProperty("consumed_landing") Set<String> consumedLanding,
        @JsonProperty("price_table") String priceTable,
        @JsonProperty("derivation") String derivation) {

    public static final int FORMAT = 1;

    public Snapshot {
        if (format != FORMAT) {
            throw new IllegalArgumentException("unsupported snapshot format " + format + " (this build reads " + FORMAT + ")");
        }
        if (version < 0 || parent < 0 || (version > 0 && parent >= version)) {
            throw new IllegalArgumentException("bad snapshot version " + version + " (parent " + parent + ")");
        }
        Objects.requireNonNull(committedAt, "committedAt is null");
        files = List.copyOf(files);
        // Sorted, so the stored JSON lists keys in order and two equal snapshots serialise alike.
        consumedLanding = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(consumedLanding));
        var keys = new java.util.HashSet<String>();
        for (TableFile f : files) {
            if (!keys.add(f.key())) {
                throw new IllegalArgumentException("file listed twice: " + f.key());
            }
        }
    }

    /** A snapshot without a derivation fingerprint (writers other than the compactor, e.g. benchmarks). */
    public Snapshot(int format, long version, long parent, Instant committedAt, List<TableFile> files,
                    Set<String> consumedLanding, String priceTable) {
        this(format, version, parent, committedAt, files, consumedLanding, priceTable, null);
    }

    /** A lake's first state: no files, nothing consumed. Never stored; the base of version 1. */
    public static Snapshot empty() {
        return new Snapshot(FORMAT, 0, 0, Instant.EPOCH, List.of(), Set.of(), null, null);
    }

    /** The live files of one table. */
    public List<TableFile> files(String table) {
        return files.stream().filter(f -> f.table().equals(table)).toList();
    }
}
