package dev.agentlake.query.duckdb;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Which part of the lake a request reads: the {@code dt=} partitions that can hold rows of a time
 * range. Compacted files are partitioned by the event date exactly; a landing file's {@code dt} is
 * the date of its earliest record, so it may hold later rows and is pruned only from above.
 */
public record LakeScope(LocalDate fromDate, LocalDate toDate) {
    public static final LakeScope ALL = new LakeScope(LocalDate.MIN, LocalDate.MAX);

    /** The partitions of {@code [from, to)}, widened by a day each side for time zones and clock skew. */
    public static LakeScope of(Instant from, Instant to) {
        return new LakeScope(LocalDate.ofInstant(from, ZoneOffset.UTC).minusDays(1),
                LocalDate.ofInstant(to, ZoneOffset.UTC).plusDays(1));
    }

    boolean holdsTablePartition(LocalDate dt) {
        return !dt.isBefore(fromDate) && !dt.isAfter(toDate);
    }

    boolean mayHoldLanding(LocalDate dt) {
        return !dt.isAfter(toDate);
    }
}
