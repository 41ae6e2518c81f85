package dev.agentlake.compactor;

import static dev.agentlake.compactor.CompactionWorkspace.fileList;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.sql.DerivedViews;
import dev.agentlake.lake.sql.TypedColumns;
import dev.agentlake.lake.store.StoredObject;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One attempt at a deletion, up to (not including) the commit, in the compactor's workspace and
 * with its file layout: reads the partitions of the window's days, drops the rows the
 * {@link RowDeletion} names, derives {@code usage} and {@code sessions} again for every day whose
 * source rows changed, uploads the new files and builds the next snapshot. Like
 * {@link PartitionCompaction} it deletes nothing that is live: if it fails, the caller deletes
 * {@link #attemptedKeys()}.
 *
 * <p>Rows still in landing are not read here in a real run: the caller compacts them first, so a
 * deletion commit only ever rewrites table partitions. A dry run reads them too, to count exactly.
 */
final class PartitionDeletion {
    /** Silver tables the gold tables are derived from. */
    static final List<String> FEEDERS = List.of(SilverTable.LOGS.name(), SilverTable.IMPORTED_USAGE.name(),
            SilverTable.METRICS.name());

    private final CompactionWorkspace ws;
    private final DerivedViews views;
    private final PartitionWriter writer;
    private final RowDeletion request;
    private final List<String> attempted = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, DeletionReport.TableCounts> counts = new TreeMap<>();
    private final Set<String> partitions = new TreeSet<>();
    private SeriesCarryOver carryOver;
    private boolean callIds;

    PartitionDeletion(CompactionWorkspace ws, CompactorSettings settings, DerivedViews views, String runId,
                      RowDeletion request) {
        this.ws = ws;
        this.views = views;
        this.writer = new PartitionWriter(ws, settings, runId);
        this.request = request;
    }

    /**
     * What the attempt produced.
     *
     * @param next the snapshot to commit; null when no row matched (nothing to commit)
     */
    record Prepared(Snapshot next, List<String> newKeys, List<String> supersededKeys) {
    }

    /**
     * The silver tables the request deletes from, as they exist in {@code base} and {@code landing}.
     * {@code all}: every silver table (the gold ones are derived again).
     */
    static Set<String> scopeTables(RowDeletion.Scope scope, Snapshot base, List<StoredObject> landing) {
        var out = new TreeSet<String>();
        switch (scope) {
            case LOGS -> out.add(SilverTable.LOGS.name());
            case METRICS -> out.add(SilverTable.METRICS.name());
            case TRACES -> out.add("spans");
            case USAGE -> {
                out.add(SilverTable.IMPORTED_USAGE.name());
                out.add(SilverTable.LOGS.name());
            }
            case ALL -> {
                base.files().stream().map(TableFile::table).filter(t -> !GoldTable.isGold(t)).forEach(out::add);
                landing.forEach(o -> tableOf(o).ifPresent(out::add));
            }
        }
        return out;
    }

    /** The tables an attempt reads: those of the scope, and the gold tables' sources when one of them changes. */
    static Set<String> tablesRead(Set<String> scope) {
        var out = new TreeSet<>(scope);
        if (scope.stream().anyMatch(FEEDERS::contains)) {
            out.addAll(FEEDERS);
        }
        return out;
    }

    /** The silver table a landing file is compacted into, if any. */
    static java.util.Optional<String> tableOf(StoredObject landing) {
        String key = landing.key();
        int slash = key.indexOf('/', LakeLayout.LANDING.length());
        if (!key.startsWith(LakeLayout.LANDING) || slash < 0) {
            return java.util.Optional.empty();
        }
        return SilverTable.forFolder(key.substring(LakeLayout.LANDING.length(), slash)).map(SilverTable::name);
    }

    /**
     * Builds the next snapshot over {@code base} without the request's rows.
     *
     * @param landing landing files not consumed by {@code base} to count with the tables (dry run);
     *     a real run passes none, having compacted them first
     * @param landingPresent every landing key listed at the start (consumed keys no longer present
     *     are dropped from the next snapshot, as the compactor does)
     * @param write false for a dry run: count only, upload nothing
     */
    Prepared prepare(Snapshot base, List<StoredObject> landing, Set<String> landingPresent, boolean write, Instant now,
                     DeletionJob.Progress progress) throws SQLException {
        LocalDate first = request.firstDay();
        LocalDate last = request.lastDay();
        carryOver = new SeriesCarryOver(ws, base);
        Set<String> scope = scopeTables(request.scope(), base, landing);
        Set<String> read = tablesRead(scope);
        boolean gold = scope.stream().anyMatch(FEEDERS::contains);

        // 1. The window's partitions of every table read, with the landing rows of a dry run.
        var baseFiles = new LinkedHashMap<String, List<TableFile>>();
        var landingFiles = new LinkedHashMap<String, List<StoredObject>>();
        long bytes = 0;
        for (String t : read) {
            List<TableFile> files = base.files(t).stream()
                    .filter(f -> !f.dt().isBefore(first) && !f.dt().isAfter(last)).toList();
            List<StoredObject> land = landing.stream().filter(o -> tableOf(o).filter(t::equals).isPresent())
                    .sorted(Comparator.comparing(StoredObject::lastModified).thenComparing(StoredObject::key)).toList();
            baseFiles.put(t, files);
            landingFiles.put(t, land);
            bytes += files.stream().mapToLong(TableFile::bytes).sum() + land.stream().mapToLong(StoredObject::size).sum();
        }
        var loaded = new LinkedHashSet<String>();
        progress.begin("Reading partitions", bytes);
        long done = 0;
        try {
            for (String t : read) {
                if (load(t, baseFiles.get(t), landingFiles.get(t), first, last)) {
                    loaded.add(t);
                }
                done += baseFiles.get(t).stream().mapToLong(TableFile::bytes).sum()
                        + landingFiles.get(t).stream().mapToLong(StoredObject::size).sum();
                progress.advance(done);
            }
        } finally {
            progress.end();
        }

        // 2. Gold before, and the call ids a usage deletion removes from the logs.
        String[] goldRelations = {"del_gold_usage", "del_gold_sessions"};
        Map<String, long[]> goldBefore = Map.of();
        if (gold) {
            goldBefore = deriveGold(loaded, goldRelations);
            if (request.scope() == RowDeletion.Scope.USAGE && loaded.contains(SilverTable.LOGS.name())) {
                ws.execute("CREATE OR REPLACE TEMP TABLE del_call_ids AS SELECT DISTINCT call_id FROM "
                        + DerivedViews.Names.defaults(false).usageCalls() + " WHERE " + request.predicate("timestamp"));
                callIds = true;
            }
        }

        // 3. Silver: count, then delete the rows of the window.
        var changedDays = new TreeMap<String, Set<LocalDate>>();
        for (String t : scope) {
            if (!loaded.contains(t)) {
                continue;
            }
            String where = predicate(t);
            String table = "del_" + t;
            long before = count(table, "true");
            long windowBefore = count(table, request.predicate(SilverTable.TIME));
            var days = new TreeSet<LocalDate>();
            for (List<Object> row : ws.query("SELECT DISTINCT CAST(__dt AS VARCHAR) FROM " + table + " WHERE " + where)) {
                days.add(LocalDate.parse((String) row.get(0)));
            }
            ws.execute("DELETE FROM " + table + " WHERE " + where);
            long after = count(table, "true");
            counts.put(t, DeletionReport.TableCounts.of(before, after, windowBefore, count(table, request.predicate(SilverTable.TIME))));
            if (!days.isEmpty()) {
                changedDays.put(t, days);
            }
        }
        if (changedDays.isEmpty()) {
            goldCounts(goldBefore, goldBefore);
            return new Prepared(null, List.of(), List.of());
        }

        // 4. Gold after: derived again for the days whose sources changed.
        var goldDays = new TreeSet<LocalDate>();
        changedDays.forEach((t, days) -> {
            if (FEEDERS.contains(t)) {
                goldDays.addAll(days);
            }
        });
        if (gold) {
            goldCounts(goldBefore, deriveGold(loaded, goldRelations));
        }

        // 5. New files: the changed silver partitions and the gold partitions of the changed days.
        var newFiles = new ArrayList<TableFile>();
        var replaced = new HashSet<String>();
        for (Map.Entry<String, Set<LocalDate>> e : changedDays.entrySet()) {
            String t = e.getKey();
            String key = keyColumn(t);
            for (LocalDate day : e.getValue()) {
                newFiles.addAll(writePartition(t, day, "SELECT * EXCLUDE (__dt, __prio) FROM del_" + t + " WHERE __dt = DATE '"
                        + day + "'", "\"" + SilverTable.TIME + "\", \"" + key + "\"", write));
                replace(base, t, day, replaced);
            }
        }
        for (LocalDate day : goldDays) {
            for (GoldTable g : GoldTable.values()) {
                String relation = g == GoldTable.USAGE ? goldRelations[0] : goldRelations[1];
                newFiles.addAll(writePartition(g.table(), day, "SELECT * FROM " + relation + " WHERE CAST(\"" + g.timeColumn()
                        + "\" AS DATE) = DATE '" + day + "'", g.order(), write));
                replace(base, g.table(), day, replaced);
            }
        }
        if (write) {
            writer.upload(newFiles, attempted);
        }

        Snapshot next = PartitionWriter.nextSnapshot(base, replaced, newFiles, landingPresent, List.of(), views, now);
        return new Prepared(next, newFiles.stream().map(TableFile::key).toList(), List.copyOf(replaced));
    }

    Map<String, DeletionReport.TableCounts> counts() {
        return Map.copyOf(counts);
    }

    List<String> partitions() {
        return List.copyOf(partitions);
    }

    int filesWritten() {
        return writer.filesWritten();
    }

    List<String> attemptedKeys() {
        synchronized (attempted) {
            return List.copyOf(attempted);
        }
    }

    private void replace(Snapshot base, String table, LocalDate day, Set<String> replaced) {
        base.files(table).stream().filter(f -> f.dt().equals(day)).forEach(f -> replaced.add(f.key()));
        partitions.add(table + "/dt=" + day);
    }

    /** The rows of {@code t} the request deletes. */
    private String predicate(String t) throws SQLException {
        String window = request.predicate(SilverTable.TIME);
        if (request.scope() == RowDeletion.Scope.USAGE && t.equals(SilverTable.LOGS.name())) {
            if (!callIds) {
                return "false";
            }
            // A call's id is its provider request id where the record has one, else the record's own id.
            String callId = columns("del_logs").contains("request_id") ? "coalesce(request_id, record_id)" : "record_id";
            return window + " AND " + callId + " IN (SELECT call_id FROM del_call_ids)";
        }
        return window;
    }

    private static String keyColumn(String table) {
        return table.equals(SilverTable.IMPORTED_USAGE.name()) ? SilverTable.IMPORTED_USAGE.key()
                : SilverTable.forFolder(table).map(SilverTable::key).orElse("record_id");
    }

    // ---- reading ----

    /**
     * Loads {@code del_<table>}: the rows of the live files (their partition day as {@code __dt}) and
     * of the landing files, one row per key (the newest landing copy wins, as when compacted), only
     * rows of the window's days. False when there is nothing to read.
     */
    private boolean load(String table, List<TableFile> files, List<StoredObject> landing, LocalDate first, LocalDate last)
            throws SQLException {
        if (files.isEmpty() && landing.isEmpty()) {
            return false;
        }
        var parts = new ArrayList<String>();
        if (!files.isEmpty()) {
            Map<String, Path> local = ws.download(files.stream().map(TableFile::key).toList(), "base/" + table);
            var byDay = new TreeMap<LocalDate, List<Path>>();
            files.forEach(f -> byDay.computeIfAbsent(f.dt(), d -> new ArrayList<>()).add(local.get(f.key())));
            byDay.forEach((day, paths) -> parts.add("SELECT *, DATE '" + day + "' AS __dt, -1 AS __prio FROM read_parquet("
                    + fileList(paths) + ", union_by_name = true, hive_partitioning = false)"));
        }
        if (!landing.isEmpty()) {
            Map<String, Path> local = ws.download(landing.stream().map(StoredObject::key).toList(), "landing/" + table);
            int prio = 0;
            for (StoredObject o : landing) {
                String fallback = LakeLayout.partitionDate(o.key()).map(d -> "DATE '" + d + "'").orElse("NULL");
                parts.add("SELECT *, coalesce(CAST(\"" + SilverTable.TIME + "\" AS DATE), " + fallback + ") AS __dt, "
                        + (prio++) + " AS __prio FROM read_parquet(" + fileList(List.of(local.get(o.key())))
                        + ", hive_partitioning = false)");
            }
        }
        String rows = "SELECT * FROM (" + String.join(" UNION ALL BY NAME ", parts) + ") WHERE __dt BETWEEN DATE '" + first
                + "' AND DATE '" + last + "'";
        if (!landing.isEmpty()) {
            // Live files hold each key once; landing may repeat one (retries, re-imports).
            rows += " QUALIFY row_number() OVER (PARTITION BY \"" + keyColumn(table) + "\" ORDER BY __prio DESC) = 1";
        }
        ws.execute("CREATE OR REPLACE TEMP TABLE del_" + table + " AS " + rows);
        return true;
    }

    // ---- gold ----

    /**
     * Derives {@code usage} and {@code sessions} from the loaded sources as the compactor does,
     * into the two relations named; returns their counts: rows, rows of the window.
     */
    private Map<String, long[]> deriveGold(Set<String> loaded, String[] into) throws SQLException {
        ws.execute("CREATE OR REPLACE TEMP VIEW logs AS " + typed("logs", LakeSchemas.LOGS, loaded));
        ws.execute("CREATE OR REPLACE TEMP VIEW imported_usage AS "
                + typed(SilverTable.IMPORTED_USAGE.name(), LakeSchemas.USAGE, loaded));
        DerivedViews.Names names = DerivedViews.Names.defaults(false);
        if (loaded.contains(SilverTable.METRICS.name()) && hasMetricColumns()) {
            // The points before the window that its cumulative series continue from, as the compactor reads them.
            ws.execute("CREATE OR REPLACE TEMP TABLE del_metrics_before AS SELECT " + String.join(", ", SeriesCarryOver.COLUMNS)
                    + ", __dt FROM del_metrics LIMIT 0");
            ws.execute("CREATE OR REPLACE TEMP VIEW del_metrics_carried AS SELECT * EXCLUDE (__prio) FROM del_metrics"
                    + " UNION ALL BY NAME SELECT * FROM del_metrics_before");
            Set<LocalDate> window = request.firstDay().datesUntil(request.lastDay().plusDays(1))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
            carryOver.lookBack("del_metrics_carried", "del_metrics_before", window, window);
            ws.execute("CREATE OR REPLACE TEMP VIEW metrics AS SELECT * EXCLUDE (__dt) FROM del_metrics_carried");
            names = names.withMetrics("metrics");
        }
        views.installMaterialized(ws.db(), names);
        ws.execute("CREATE OR REPLACE TEMP TABLE " + into[0] + " AS SELECT * FROM " + names.usage());
        ws.execute("CREATE OR REPLACE TEMP TABLE " + into[1] + " AS SELECT * FROM " + names.sessions());
        var out = new LinkedHashMap<String, long[]>();
        out.put(GoldTable.USAGE.table(), new long[] {count(into[0], "true"), count(into[0], request.predicate("timestamp"))});
        out.put(GoldTable.SESSIONS.table(), new long[] {count(into[1], "true"), count(into[1], request.predicate("first_seen"))});
        return out;
    }

    private void goldCounts(Map<String, long[]> before, Map<String, long[]> after) {
        before.forEach((t, b) -> {
            long[] a = after.get(t);
            counts.put(t, DeletionReport.TableCounts.of(b[0], a[0], b[1], a[1]));
        });
    }

    private String typed(String table, TableSchema<?> schema, Set<String> loaded) {
        String typed = TypedColumns.emptySelect(schema);
        return loaded.contains(table) ? typed + " UNION ALL BY NAME SELECT * EXCLUDE (__dt, __prio) FROM del_" + table : typed;
    }

    /** The metrics columns metric_deltas.sql reads (as the compactor checks). */
    private boolean hasMetricColumns() throws SQLException {
        return columns("del_metrics").containsAll(SeriesCarryOver.COLUMNS);
    }

    // ---- writing ----

    /** Writes one partition's rows as the compactor does; nothing but the partition's name in a dry run. */
    private List<TableFile> writePartition(String table, LocalDate day, String select, String order, boolean write)
            throws SQLException {
        if (!write) {
            partitions.add(table + "/dt=" + day);
            return List.of();
        }
        return writer.write(table, day, select, order);
    }

    private long count(String relation, String where) throws SQLException {
        return ((Number) ws.query("SELECT count(*) FROM " + relation + " WHERE " + where).get(0).get(0)).longValue();
    }

    private Set<String> columns(String relation) throws SQLException {
        var out = new HashSet<String>();
        for (List<Object> row : ws.query("SELECT column_name FROM (DESCRIBE " + relation + ")")) {
            out.add((String) row.get(0));
        }
        return out;
    }
}
