package dev.agentlake.compactor;

import static dev.agentlake.compactor.CompactionWorkspace.fileList;

import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.TableFile;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Finds the earlier points that the cumulative series of the derived days continue from (Gemini CLI sends
 * its counters as running totals). A series' delta on a day is its value minus its previous point, which
 * lies on the day before when the series ran past midnight, or days earlier when it was silent in
 * between (Gemini CLI left open on a laptop asleep over a weekend). Without that point the day's first
 * point would count the series' whole running total again.
 *
 * <p>For each day, the series that started before it and have no point on the day before are looked
 * for one metrics partition further back at a time, never before the day the series started nor more
 * than {@link #MAX_DAYS} days back; only those series' points are read.
 */
final class SeriesCarryOver {
    /** What makes one series of points in metric_deltas.sql. */
    static final String SERIES = "tool, metric_name, metric_type, point_attributes, resource_attributes";
    /** The metrics columns metric_deltas.sql and the sessions it feeds read. */
    static final List<String> COLUMNS = List.of("timestamp", "start_timestamp", "record_id", "tool", "session_id",
            "metric_name", "metric_type", "temporality", "is_monotonic", "value", "type", "point_attributes",
            "resource_attributes");

    /**
     * How far back a silent series is looked for. A series first seen long after its start time (a
     * counter's first increment) has no earlier point at all, and every run of the day would search
     * back to its start; a month covers a laptop asleep over any holiday.
     */
    static final int MAX_DAYS = 31;

    private final CompactionWorkspace ws;
    private final Snapshot base;
    /** Metrics partitions fetched for earlier days' series, by day (empty: the day has none). */
    private final Map<LocalDate, Collection<Path>> downloaded = new HashMap<>();

    SeriesCarryOver(CompactionWorkspace ws, Snapshot base) {
        this.ws = ws;
        this.base = base;
    }

    /**
     * Adds the points the series of {@code days} continue from to {@code into}, a table with the metrics
     * columns and {@code __dt}, read from the base snapshot's metrics partitions not in {@code loaded}.
     *
     * @param relation the metrics rows (with {@code __dt}) the days are derived from; includes {@code into}
     * @param loaded the days whose metrics {@code relation} holds whole
     * @return the days before {@code days} that hold such points, to derive the days with
     */
    Set<LocalDate> lookBack(String relation, String into, Set<LocalDate> days, Set<LocalDate> loaded) throws SQLException {
        var older = new TreeSet<LocalDate>();
        for (LocalDate day : days) {
            ws.execute("CREATE OR REPLACE TEMP TABLE silent_series AS SELECT " + SERIES + ", min(epoch_us(start_timestamp)) AS started"
                    + " FROM " + relation + " d WHERE __dt = DATE '" + day + "' AND lower(temporality) = 'cumulative'"
                    + " AND lower(metric_type) = 'sum' AND epoch_us(start_timestamp) < " + epochMicros(day)
                    + " AND NOT EXISTS (SELECT 1 FROM " + relation + " p WHERE p.__dt = DATE '" + day.minusDays(1) + "' AND "
                    + sameSeries("p", "d") + ") GROUP BY ALL");
            Object started = ws.query("SELECT min(started) FROM silent_series").get(0).get(0);
            if (started == null) {
                continue;
            }
            LocalDate seriesStart = Instant.EPOCH.plus(((Number) started).longValue(), ChronoUnit.MICROS)
                    .atOffset(ZoneOffset.UTC).toLocalDate();
            LocalDate first = seriesStart.isBefore(day.minusDays(MAX_DAYS)) ? day.minusDays(MAX_DAYS) : seriesStart;
            // Only days that hold metrics: the partitions of the snapshot, and what the caller loaded.
            var candidates = new TreeSet<LocalDate>(java.util.Comparator.reverseOrder());
            candidates.addAll(loaded);
            base.files(SilverTable.METRICS.name()).forEach(f -> candidates.add(f.dt()));
            for (LocalDate back : candidates.subSet(day.minusDays(1), true, first, true)) {
                if (!loaded.contains(back) && !read(back, into)) {
                    continue;
                }
                String onThatDay = "EXISTS (SELECT 1 FROM " + relation + " m WHERE m.__dt = DATE '" + back + "' AND "
                        + sameSeries("s", "m") + ")";
                if (((Number) ws.query("SELECT count(*) FROM silent_series s WHERE " + onThatDay).get(0).get(0)).longValue() > 0) {
                    older.add(back);
                    ws.execute("DELETE FROM silent_series s WHERE " + onThatDay);
                    if (ws.query("SELECT 1 FROM silent_series LIMIT 1").isEmpty()) {
                        break;
                    }
                }
            }
        }
        ws.execute("DROP TABLE IF EXISTS silent_series");
        older.removeAll(days);
        return older;
    }

    /**
     * Copies the silent series' points of {@code day} into {@code into} (those not copied for an earlier
     * day's series already); false when the day has no metrics partition.
     */
    private boolean read(LocalDate day, String into) throws SQLException {
        Collection<Path> local = downloaded.get(day);
        if (local == null) {
            List<TableFile> files = base.files(SilverTable.METRICS.name()).stream().filter(f -> f.dt().equals(day)).toList();
            local = files.isEmpty() ? List.of()
                    : ws.download(files.stream().map(TableFile::key).toList(), "carry-over/" + day).values();
            downloaded.put(day, local);
        }
        if (local.isEmpty()) {
            return false;
        }
        ws.execute("INSERT INTO " + into + " BY NAME SELECT m.*, DATE '" + day + "' AS __dt FROM (SELECT "
                + String.join(", ", COLUMNS) + " FROM read_parquet(" + fileList(local)
                + ", union_by_name = true, hive_partitioning = false)) m"
                + " WHERE EXISTS (SELECT 1 FROM silent_series s WHERE " + sameSeries("s", "m") + ")"
                + " AND NOT EXISTS (SELECT 1 FROM " + into + " c WHERE c.__dt = DATE '" + day + "' AND c.record_id = m.record_id)");
        return true;
    }

    private static String sameSeries(String a, String b) {
        return Arrays.stream(SERIES.split(", "))
                .map(c -> a + "." + c + " IS NOT DISTINCT FROM " + b + "." + c)
                .collect(Collectors.joining(" AND "));
    }

    private static long epochMicros(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
    }
}
