package dev.agentlake.compactor;

import static dev.agentlake.compactor.CompactionWorkspace.fileList;
import static dev.agentlake.compactor.CompactionWorkspace.sqlString;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.sql.DerivedViews;
import dev.agentlake.lake.sql.TypedColumns;
import dev.agentlake.lake.store.StoredObject;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a compaction, up to (not including) the commit: merges the taken landing files
 * with the live files of every {@code dt=} partition they touch, de-duplicates on each table's key,
 * sorts by time, derives the gold tables for the touched days, uploads the new files, and builds
 * the next snapshot. It deletes nothing that is live: if it fails, the caller deletes
 * {@link #attemptedKeys()} (files no snapshot names).
 */
final class PartitionCompaction {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionCompaction.class);
    /** Columns the merge adds to every silver row and no file gets: partition day, copy priority, reading order. */
    private static final String HELPER_COLUMNS = "__dt, __prio, __row";

    private final CompactionWorkspace ws;
    private final CompactorSettings settings;
    private final DerivedViews views;
    private final PartitionWriter writer;
    private final List<String> attempted = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> skipped = new TreeMap<>();
    private final Map<String, Long> rowsWritten = new TreeMap<>();
    private final Set<String> partitions = new TreeSet<>();
    /** Silver tables whose landing rows have exactly the columns of their live files. */
    private final Set<String> sameSchema = new HashSet<>();
    /** Silver tables whose {@code silver_<table>} exists: landing rows, or live rows loaded whole. */
    private final Set<String> loaded = new HashSet<>();
    /** Per silver table, live files read in place rather than loaded, by day (local copies). */
    private final Map<String, Map<LocalDate, List<Path>>> liveFiles = new HashMap<>();
    private Map<String, Long> unknownModels = Map.of();
    private final PhaseClock clock = new PhaseClock(LOG);
    private int consumedCount;

    PartitionCompaction(CompactionWorkspace ws, CompactorSettings settings, DerivedViews views, String runId) {
        this.ws = ws;
        this.settings = settings;
        this.views = views;
        this.writer = new PartitionWriter(ws, settings, runId);
    }

    /** What the attempt produced: the snapshot to commit and what to delete once it is committed. */
    record Prepared(Snapshot next, List<String> newKeys, List<String> supersededKeys, List<String> consumedKeys) {
    }

    /**
     * Builds the next snapshot over {@code base}.
     *
     * @param taken landing files to merge (settled, not consumed by {@code base})
     * @param landingPresent every landing key listed at the start: consumed keys no longer present
     *     are dropped from the next snapshot's list
     * @param rederiveAll derive every gold partition again (prices or derivation changed)
     */
    Prepared prepare(Snapshot base, List<StoredObject> taken, Set<String> landingPresent, boolean rederiveAll,
                     Instant now) throws SQLException {
        // 1. Landing, per table.
        var byTable = new LinkedHashMap<SilverTable, List<StoredObject>>();
        for (StoredObject o : taken) {
            String folder = o.key().substring(LakeLayout.LANDING.length(), o.key().indexOf('/', LakeLayout.LANDING.length()));
            if (LakeLayout.partitionDate(o.key()).isEmpty()) {
                // Without a dt= folder a row without time would have no partition: never guess.
                skipped.put(o.key(), "landing key has no dt=YYYY-MM-DD folder");
                continue;
            }
            SilverTable.forFolder(folder).ifPresentOrElse(
                    t -> byTable.computeIfAbsent(t, k -> new ArrayList<>()).add(o),
                    () -> skipped.put(o.key(), "landing folder " + folder + " is not a table name"));
        }
        Map<String, Path> local = ws.download(byTable.values().stream().flatMap(List::stream).map(StoredObject::key).toList(),
                "landing");
        clock.lap("download");
        var consumed = new ArrayList<String>();
        var touched = new LinkedHashMap<SilverTable, Set<LocalDate>>();
        for (Map.Entry<SilverTable, List<StoredObject>> e : byTable.entrySet()) {
            List<StoredObject> loaded = loadLanding(e.getKey(), e.getValue(), local);
            if (!loaded.isEmpty()) {
                loaded.forEach(o -> consumed.add(o.key()));
                clock.lap("read " + e.getKey().name());
                touched.put(e.getKey(), dates("silver_" + e.getKey().name()));
                clock.lap("dates");
            }
        }

        consumedCount = consumed.size();

        // 2. Which days the gold tables are derived for.
        Set<LocalDate> goldDates = new TreeSet<>();
        if (rederiveAll) {
            var derivedFrom = Set.of(SilverTable.LOGS.name(), SilverTable.IMPORTED_USAGE.name(), SilverTable.METRICS.name(),
                    GoldTable.USAGE.table(), GoldTable.SESSIONS.table());
            base.files().stream().filter(f -> derivedFrom.contains(f.table())).forEach(f -> goldDates.add(f.dt()));
        }
        touched.forEach((t, days) -> {
            if (t.feedsGold()) {
                goldDates.addAll(days);
            }
        });

        // 3. Silver: merge with the live files of each touched partition, de-duplicate, write.
        var newFiles = new ArrayList<TableFile>();
        var replaced = new HashSet<String>();
        var silverTables = new LinkedHashMap<String, SilverTable>();
        touched.keySet().forEach(t -> silverTables.put(t.name(), t));
        if (!goldDates.isEmpty()) {
            for (SilverTable t : List.of(SilverTable.LOGS, SilverTable.IMPORTED_USAGE, SilverTable.METRICS)) {
                silverTables.putIfAbsent(t.name(), t);
            }
        }
        for (SilverTable t : silverTables.values()) {
            Set<LocalDate> rewrite = touched.getOrDefault(t, Set.of());
            Set<LocalDate> read = new TreeSet<>(rewrite);
            if (t.feedsGold()) {
                read.addAll(goldDates);
            }
            if (t.name().equals(SilverTable.METRICS.name())) {
                read.addAll(dayBefore(goldDates));
            }
            List<TableFile> baseFiles = base.files(t.name()).stream().filter(f -> read.contains(f.dt())).toList();
            if (!touched.containsKey(t) && baseFiles.isEmpty()) {
                continue;
            }
            Set<LocalDate> append = buildSilver(t, touched.containsKey(t), baseFiles, rewrite);
            clock.lap("merge " + t.name());
            String order = "\"" + SilverTable.TIME + "\", \"" + t.key() + "\"";
            for (LocalDate day : rewrite) {
                List<TableFile> live = base.files(t.name()).stream().filter(f -> f.dt().equals(day)).toList();
                if (append.contains(day)) {
                    // Only rows of keys the day did not have yet (copies of live rows were dropped in
                    // favour of the live ones): one more sorted file, the day's files stay live.
                    newFiles.addAll(writePartition(t.name(), day, "silver_" + t.name(), "__dt", order, HELPER_COLUMNS,
                            "__prio >= 0"));
                } else {
                    newFiles.addAll(writePartition(t.name(), day, "silver_" + t.name(), "__dt", order, HELPER_COLUMNS, null));
                    live.forEach(f -> replaced.add(f.key()));
                }
                partitions.add(t.name() + "/dt=" + day);
                clock.lap("write " + t.name());
            }
        }

        // 4. Gold: derived for the touched days from the merged silver rows.
        if (!goldDates.isEmpty()) {
            deriveGold(base, goldDates);
            clock.lap("derive gold");
            for (GoldTable g : GoldTable.values()) {
                String relation = g == GoldTable.USAGE ? "usage" : "gold_sessions";
                for (LocalDate day : goldDates) {
                    newFiles.addAll(writePartition(g.table(), day, relation, "CAST(\"" + g.timeColumn() + "\" AS DATE)",
                            g.order(), null, null));
                    base.files(g.table()).stream().filter(f -> f.dt().equals(day)).forEach(f -> replaced.add(f.key()));
                    partitions.add(g.table() + "/dt=" + day);
                    clock.lap("write " + g.table());
                }
            }
        }

        // 5. Upload, then describe the next state.
        writer.upload(newFiles, attempted);
        clock.lap("upload");
        clock.log("prepared");

        Snapshot next = PartitionWriter.nextSnapshot(base, replaced, newFiles, landingPresent, consumed, views, now);
        return new Prepared(next, newFiles.stream().map(TableFile::key).toList(), List.copyOf(replaced), consumed);
    }

    int consumedCount() {
        return consumedCount;
    }

    int filesWritten() {
        return writer.filesWritten();
    }

    List<String> attemptedKeys() {
        synchronized (attempted) {
            return List.copyOf(attempted);
        }
    }

    Map<String, String> skipped() {
        return skipped;
    }

    Map<String, Long> rowsWritten() {
        return rowsWritten;
    }

    List<String> partitions() {
        return List.copyOf(partitions);
    }

    Map<String, Long> unknownModels() {
        return unknownModels;
    }

    // ---- landing ----

    /**
     * Loads a table's landing files into {@code silver_<table>} with each row's partition day
     * ({@code __dt}: the UTC date of its time, else of its landing folder) and priority ({@code __prio}:
     * newer files win when two copies of a row differ). Files DuckDB cannot read, or whose rows lack
     * the table's key or time, are left in landing and reported; the rest are returned.
     */
    private List<StoredObject> loadLanding(SilverTable t, List<StoredObject> files, Map<String, Path> local)
            throws SQLException {
        var ordered = new ArrayList<>(files);
        ordered.sort(Comparator.comparing(StoredObject::lastModified).thenComparing(StoredObject::key));
        List<StoredObject> readable = ordered;
        try {
            createLanding(t, readable, local);
        } catch (SQLException e) {
            readable = new ArrayList<>();
            for (StoredObject o : ordered) {
                try {
                    ws.query("SELECT count(*) FROM read_parquet('" + sqlString(local.get(o.key()).toString()) + "')");
                    readable.add(o);
                } catch (SQLException bad) {
                    skipped.put(o.key(), "not readable as Parquet: " + firstLine(bad));
                }
            }
            if (readable.isEmpty()) {
                return List.of();
            }
            try {
                createLanding(t, readable, local);
            } catch (SQLException still) {
                readable.forEach(o -> skipped.put(o.key(), "cannot be merged: " + firstLine(still)));
                return List.of();
            }
        }
        Set<String> columns = columns("silver_" + t.name());
        for (String required : List.of(t.key(), SilverTable.TIME)) {
            if (!columns.contains(required)) {
                readable.forEach(o -> skipped.put(o.key(), "rows have no " + required + " column"));
                ws.execute("DROP TABLE silver_" + t.name());
                return List.of();
            }
        }
        return readable;
    }

    private void createLanding(SilverTable t, List<StoredObject> files, Map<String, Path> local) throws SQLException {
        String target = "silver_" + t.name();
        if (t.copiesAreEqual()) {
            // Copies of a row are byte-for-byte equal, so which one is kept does not matter: no per-file
            // priority, and files are read per landing folder with that folder's date as the fallback day.
            var byFolderDate = new TreeMap<String, List<Path>>();
            for (StoredObject o : files) {
                String dt = LakeLayout.partitionDate(o.key()).map(LocalDate::toString).orElse("");
                byFolderDate.computeIfAbsent(dt, d -> new ArrayList<>()).add(local.get(o.key()));
            }
            var parts = new ArrayList<String>();
            int before = 0;
            for (Map.Entry<String, List<Path>> e : byFolderDate.entrySet()) {
                String dt = e.getKey();
                parts.add("SELECT *, coalesce(CAST(\"" + SilverTable.TIME + "\" AS DATE), "
                        + (dt.isEmpty() ? "NULL" : "DATE '" + dt + "'") + ") AS __dt, 0 AS __prio, " + readingOrder(before)
                        + " AS __row FROM read_parquet(" + fileList(e.getValue()) + ", union_by_name = true, hive_partitioning = false)");
                before += e.getValue().size();
            }
            ws.executeUnordered("CREATE OR REPLACE TEMP TABLE " + target + " AS " + String.join(" UNION ALL BY NAME ", parts));
            return;
        }
        String filesTable = "landing_files_" + t.name();
        // A file's place in the list (DuckDB's file_index) is its priority: the list is oldest first.
        fileDays(filesTable, files.stream().map(o -> LakeLayout.partitionDate(o.key()).orElse(null)).toList());
        List<Path> paths = files.stream().map(o -> local.get(o.key())).toList();
        ws.executeUnordered("CREATE OR REPLACE TEMP TABLE " + target + " AS"
                + " SELECT r.*, coalesce(CAST(r.\"" + SilverTable.TIME + "\" AS DATE), f.dt) AS __dt,"
                + " CAST(r.file_index AS INTEGER) AS __prio, " + readingOrder(0) + " AS __row"
                + " FROM read_parquet(" + fileList(paths) + ", union_by_name = true, hive_partitioning = false) r"
                + " JOIN " + filesTable + " f ON f.idx = r.file_index");
    }

    // ---- silver ----

    /**
     * Completes {@code silver_<table>}: this run's landing rows (loaded already, if any) and the rows
     * of {@code baseFiles} that may change, one row per key. Rows are sorted when written, not here.
     *
     * <p>Live rows are loaded into the table (every column) only for the days rewritten whole. The other
     * live files read (days that get one more file, days read only for the gold tables) are read in
     * place, through views of the columns each statement uses ({@link #rowsOf}): the key to drop landing
     * copies of their rows, the gold SQL's columns for the gold tables. That is exact because their rows
     * are never dropped nor written again: where a day can get one more file (a {@code record_id} table
     * whose landing rows have the live files' columns) the live copy of a key is always the one kept, and
     * without landing rows nothing is de-duplicated. Otherwise (copies of a key may differ, as in
     * {@code imported_usage}, or the columns changed) every live file read is loaded, as now any copy may win.
     *
     * @param rewrite the days landing rows were loaded for
     * @return the days of {@code rewrite} whose late rows are appended as a file of their own
     */
    private Set<LocalDate> buildSilver(SilverTable t, boolean hasLanding, List<TableFile> baseFiles, Set<LocalDate> rewrite)
            throws SQLException {
        String table = "silver_" + t.name();
        if (hasLanding) {
            loaded.add(t.name());
        }
        Map<String, Path> local = baseFiles.isEmpty() ? Map.of()
                : ws.download(baseFiles.stream().map(TableFile::key).toList(), "base/" + t.name());
        if (!baseFiles.isEmpty()) {
            if (hasLanding) {
                // Columns only the live files have (a landing writer dropped one) are added first, so
                // rows are inserted by name without losing any.
                Map<String, String> have = columnTypes(table);
                Map<String, String> live = columnTypes(liveRows(t, baseFiles, local));
                for (Map.Entry<String, String> c : live.entrySet()) {
                    if (!have.containsKey(c.getKey())) {
                        ws.execute("ALTER TABLE " + table + " ADD COLUMN \"" + c.getKey() + "\" " + c.getValue());
                    }
                }
                if (live.equals(have)) {
                    sameSchema.add(t.name());
                } else if (LOG.isDebugEnabled()) {
                    var differ = new TreeSet<String>();
                    live.forEach((c, type) -> { if (!type.equals(have.get(c))) differ.add(c + " " + type + "/" + have.get(c)); });
                    have.forEach((c, type) -> { if (!live.containsKey(c)) differ.add(c + " -/" + type); });
                    LOG.debug("{}: landing and live columns differ ({}); rewriting its days", t.name(), differ);
                }
            }
        }
        var append = new TreeSet<LocalDate>();
        for (LocalDate day : rewrite) {
            if (appendableLogged(t, baseFiles.stream().filter(f -> f.dt().equals(day)).toList())) {
                append.add(day);
            }
        }
        var viewed = new ArrayList<Path>();
        if (!baseFiles.isEmpty()) {
            List<TableFile> whole = baseFiles;
            if (!hasLanding || (t.copiesAreEqual() && sameSchema.contains(t.name()))) {
                whole = baseFiles.stream().filter(f -> rewrite.contains(f.dt()) && !append.contains(f.dt())).toList();
                Set<String> wholeKeys = new HashSet<>(keysOf(whole));
                var byDay = new TreeMap<LocalDate, List<Path>>();
                for (TableFile f : baseFiles) {
                    if (!wholeKeys.contains(f.key())) {
                        byDay.computeIfAbsent(f.dt(), d -> new ArrayList<>()).add(local.get(f.key()));
                        viewed.add(local.get(f.key()));
                    }
                }
                liveFiles.put(t.name(), byDay);
            }
            if (!whole.isEmpty()) {
                String rows = liveRows(t, whole, local);
                if (hasLanding) {
                    ws.executeUnordered("INSERT INTO " + table + " BY NAME " + rows);
                } else {
                    ws.executeUnordered("CREATE OR REPLACE TEMP TABLE " + table + " AS " + rows);
                    loaded.add(t.name());
                }
            }
        }
        clock.lap("read live " + t.name());
        if (hasLanding) {
            String key = "\"" + t.key() + "\"";
            if (!viewed.isEmpty()) {
                // Landing copies of rows the files read in place hold: the live copy is the one kept (see above).
                ws.execute("DELETE FROM " + table + " WHERE __prio >= 0 AND " + key + " IN (SELECT " + key + " FROM read_parquet("
                        + fileList(viewed) + ", union_by_name = true, hive_partitioning = false))");
            }
            // Only landing rows can repeat a key (live files are de-duplicated already). Find repeated
            // keys on the narrow columns, and delete all but the copy the table's rule keeps.
            ws.execute("DELETE FROM " + table + " WHERE rowid IN (SELECT rowid FROM (SELECT rowid, row_number() OVER"
                    + " (PARTITION BY " + key + " ORDER BY " + t.keptFirst(columns(table), sameSchema.contains(t.name())) + ") AS copy FROM " + table
                    + " WHERE " + key
                    + " IN (SELECT " + key + " FROM " + table + " GROUP BY " + key + " HAVING count(*) > 1)) WHERE copy > 1)");
        }
        return append;
    }

    /** A table {@code (idx, dt)} of the files read, in their order: DuckDB's {@code file_index} joins it. */
    private void fileDays(String table, List<LocalDate> days) throws SQLException {
        ws.execute("CREATE OR REPLACE TEMP TABLE " + table + " (idx BIGINT, dt DATE)");
        try (PreparedStatement ps = ws.db().prepareStatement("INSERT INTO " + table + " VALUES (?, CAST(? AS DATE))")) {
            int idx = 0;
            for (LocalDate day : days) {
                ps.setLong(1, idx++);
                ps.setString(2, day == null ? null : day.toString());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The rows of live files {@code files} as {@code silver_<table>} holds them: with their partition
     * day and priority, after every landing row in reading order (live files never repeat a key among
     * themselves). Creates the table of the files' days it joins.
     */
    private String liveRows(SilverTable t, List<TableFile> files, Map<String, Path> local) throws SQLException {
        String filesTable = "base_files_" + t.name();
        fileDays(filesTable, files.stream().map(TableFile::dt).toList());
        return "SELECT r.*, f.dt AS __dt, -1 AS __prio, " + readingOrder(1 << 30) + " AS __row FROM read_parquet("
                + fileList(files.stream().map(f -> local.get(f.key())).toList()) + ", union_by_name = true, hive_partitioning = false) r"
                + " JOIN " + filesTable + " f ON f.idx = r.file_index";
    }

    // ---- gold ----

    private void deriveGold(Snapshot base, Set<LocalDate> days) throws SQLException {
        ws.execute("CREATE OR REPLACE TEMP VIEW logs AS " + typed(SilverTable.LOGS.name(), LakeSchemas.LOGS, days));
        ws.execute("CREATE OR REPLACE TEMP VIEW imported_usage AS " + typed(SilverTable.IMPORTED_USAGE.name(), LakeSchemas.USAGE, days));
        DerivedViews.Names names = DerivedViews.Names.defaults(false);
        Set<LocalDate> withDayBefore = new TreeSet<>(days);
        withDayBefore.addAll(dayBefore(days));
        Optional<String> metrics = rowsOf(SilverTable.METRICS.name(), withDayBefore, true);
        if (metrics.isPresent() && hasMetricColumns(metrics.get())) {
            // The days' points, and those before them that their cumulative series continue from.
            ws.execute("CREATE OR REPLACE TEMP TABLE metrics_carried AS SELECT " + String.join(", ", SeriesCarryOver.COLUMNS)
                    + ", __dt FROM (" + metrics.get() + ") LIMIT 0");
            ws.execute("CREATE OR REPLACE TEMP VIEW metrics_window AS " + metrics.get() + " UNION ALL BY NAME SELECT * FROM metrics_carried");
            new SeriesCarryOver(ws, base).lookBack("metrics_window", "metrics_carried", days, withDayBefore);
            ws.execute("CREATE OR REPLACE TEMP VIEW metrics AS SELECT * EXCLUDE (__dt) FROM metrics_window");
            names = names.withMetrics("metrics");
        }
        views.installMaterialized(ws.db(), names);
        unknownModels = views.unknownModels(ws.db(), names);
        ws.execute("CREATE OR REPLACE TEMP TABLE gold_sessions AS SELECT * FROM sessions");
    }

    /**
     * The day before each of {@code days}: a cumulative series (Gemini CLI's counters) that runs past
     * midnight continues from its last point of the day before, so that point is read with the day's
     * metrics; without it the day's first point counts the series' whole total again.
     */
    private static Set<LocalDate> dayBefore(Set<LocalDate> days) {
        return days.stream().map(d -> d.minusDays(1)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A view of a silver table for the given days, with at least the columns of its schema (empty if absent). */
    private String typed(String table, TableSchema<?> schema, Set<LocalDate> days) {
        String typed = TypedColumns.emptySelect(schema);
        return rowsOf(table, days, false).map(rows -> typed + " UNION ALL BY NAME " + rows).orElse(typed);
    }

    /**
     * The rows of a silver table for {@code days}, as it is after the merge: those loaded into
     * {@code silver_<table>}, and those of the live files read in place (DuckDB then reads only the
     * columns a statement uses), with their partition day as {@code __dt} if {@code withDay}. Empty when
     * the table has no rows read.
     */
    private Optional<String> rowsOf(String table, Set<LocalDate> days, boolean withDay) {
        var parts = new ArrayList<String>();
        if (loaded.contains(table)) {
            parts.add("SELECT * EXCLUDE (" + (withDay ? "__prio, __row" : HELPER_COLUMNS) + ") FROM silver_" + table
                    + " WHERE __dt IN " + days.stream().map(d -> "DATE '" + d + "'").collect(Collectors.joining(", ", "(", ")")));
        }
        var files = new ArrayList<Path>();
        liveFiles.getOrDefault(table, Map.of()).forEach((day, paths) -> {
            if (days.contains(day)) {
                files.addAll(paths);
                if (withDay) {
                    parts.add("SELECT *, DATE '" + day + "' AS __dt FROM read_parquet(" + fileList(paths)
                            + ", union_by_name = true, hive_partitioning = false)");
                }
            }
        });
        if (!files.isEmpty() && !withDay) {
            parts.add("SELECT * FROM read_parquet(" + fileList(files) + ", union_by_name = true, hive_partitioning = false)");
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(" UNION ALL BY NAME ", parts));
    }

    /** The metrics columns metric_deltas.sql reads; older or foreign metrics rows without them are not used. */
    private boolean hasMetricColumns(String rows) throws SQLException {
        return columns(rows).containsAll(SeriesCarryOver.COLUMNS);
    }

    // ---- writing ----

    /**
     * Writes one partition's rows of {@code relation}.
     *
     * @param only a further condition on the rows written, or null for all the day's rows
     */
    private List<TableFile> writePartition(String table, LocalDate day, String relation, String dayColumn, String order,
                                           String exclude, String only) throws SQLException {
        List<TableFile> result = writer.write(table, day, "SELECT * " + (exclude == null ? "" : "EXCLUDE (" + exclude + ") ")
                + "FROM " + relation + " WHERE " + dayColumn + " = DATE '" + day + "'" + (only == null ? "" : " AND " + only),
                order);
        result.forEach(f -> rowsWritten.merge(table, f.rows(), Long::sum));
        LOG.debug("{} dt={}: {} file(s)", table, day, result.size());
        return result;
    }

    /**
     * A row's place in reading order, {@code __row}: its file's place in the files read (after
     * {@code filesBefore} others) and its row number in the file. Tables are loaded without keeping
     * insertion order (much cheaper in DuckDB), so {@code rowid} no longer says which copy came first.
     */
    private static String readingOrder(long filesBefore) {
        return "((CAST(file_index AS BIGINT) + " + filesBefore + ") << 32) + file_row_number";
    }

    private Set<LocalDate> dates(String relation) throws SQLException {
        var out = new TreeSet<LocalDate>();
        for (List<Object> row : ws.query("SELECT DISTINCT CAST(__dt AS VARCHAR) FROM " + relation + " WHERE __dt IS NOT NULL")) {
            out.add(LocalDate.parse((String) row.get(0)));
        }
        return out;
    }

    /**
     * Whether the day's late rows may be appended as one more file rather than rewriting the day: the
     * table's copies are equal (so dropping a landing copy of a live row loses nothing), landing and
     * live rows have the same columns and types, the day is large enough for a rewrite to cost more
     * than a file, and it does not have too many files yet.
     */
    private boolean appendable(SilverTable t, List<TableFile> live) {
        if (!t.copiesAreEqual() || !sameSchema.contains(t.name()) || live.isEmpty() || settings.appendAboveRows() == 0
                || live.size() >= settings.maxPartitionFiles()) {
            return false;
        }
        return live.stream().mapToLong(TableFile::rows).sum() >= settings.appendAboveRows();
    }

    private boolean appendableLogged(SilverTable t, List<TableFile> live) {
        boolean ok = appendable(t, live);
        LOG.debug("{}: append={} (same schema {}, {} live file(s) of {} rows, append above {} rows, max {} files)", t.name(), ok,
                sameSchema.contains(t.name()), live.size(), live.stream().mapToLong(TableFile::rows).sum(),
                settings.appendAboveRows(), settings.maxPartitionFiles());
        return ok;
    }

    private Map<String, String> columnTypes(String relation) throws SQLException {
        var out = new java.util.HashMap<String, String>();
        for (List<Object> row : ws.query("SELECT column_name, column_type FROM (DESCRIBE " + relation + ")")) {
            out.put((String) row.get(0), (String) row.get(1));
        }
        return out;
    }

    private Set<String> columns(String relation) throws SQLException {
        var out = new HashSet<String>();
        for (List<Object> row : ws.query("SELECT column_name FROM (DESCRIBE " + relation + ")")) {
            out.add((String) row.get(0));
        }
        return out;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static Collection<String> keysOf(Collection<TableFile> files) {
        return files.stream().map(TableFile::key).toList();
    }
}
