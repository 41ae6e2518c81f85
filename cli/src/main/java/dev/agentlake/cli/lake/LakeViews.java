package dev.agentlake.cli.lake;

import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.sql.DerivedViews;
import dev.agentlake.lake.sql.TypedColumns;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * DuckDB views over a {@link LakeCopy}: the silver tables ({@code logs}, {@code spans},
 * {@code metrics}, {@code imported_usage}), each row once (a row repeated across a landing file and
 * a compacted file, or landed by two imports, shares its key), typed with every column of its schema;
 * and the gold {@code usage} and {@code sessions} derived from them by the same SQL the compactor
 * and the query function run ({@link DerivedViews}), so every reader counts the same calls.
 */
public final class LakeViews {
    /** Silver tables: schema and the column duplicates share. */
    private static final Map<String, Silver> SILVER = Map.of(
            "logs", new Silver(LakeSchemas.LOGS, "record_id", "timestamp"),
            "spans", new Silver(LakeSchemas.SPANS, "record_id", "timestamp"),
            "metrics", new Silver(LakeSchemas.METRICS, "record_id", "timestamp"),
            // A call landed by two imports: the most complete sighting (see UsageLedger), then the earliest.
            LakeCopy.IMPORTED_USAGE, new Silver(LakeSchemas.USAGE, "call_id",
                    "input_tokens + output_tokens + cache_read_tokens + cache_write_tokens DESC, timestamp"));

    /** @param order which of the rows sharing a key is kept (the first in this order) */
    private record Silver(TableSchema<?> schema, String key, String order) {
    }

    private LakeViews() {
    }

    /** {@code read_parquet([...])} of the files. */
    public static String readParquet(List<Path> files) {
        return "read_parquet(" + files.stream().map(p -> "'" + p.toString().replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "[", "]")) + ", union_by_name = true, hive_partitioning = false)";
    }

    /** The SELECT that shows a silver table's rows once, with every column of its schema. */
    static String silver(String table, List<Path> files) {
        Silver s = SILVER.get(table);
        String typed = TypedColumns.emptySelect(s.schema());
        if (files.isEmpty()) {
            return typed;
        }
        return "SELECT * FROM (SELECT * FROM " + readParquet(files) + " UNION ALL BY NAME " + typed + ")"
                + " QUALIFY row_number() OVER (PARTITION BY \"" + s.key() + "\" ORDER BY " + s.order() + ") = 1";
    }

    /**
     * Creates the views on {@code c}: the silver tables and the derived {@code usage} and
     * {@code sessions}, priced and merged as configured ({@link ConfiguredPricing}; by default the
     * embedded price table, {@code auto} mode, sessions taken from their import when telemetry also
     * sent them).
     */
    public static void create(Connection c, LakeCopy copy) throws SQLException {
        create(c, copy, null, null);
    }

    /**
     * Like {@link #create(Connection, LakeCopy)}, with the silver rows of {@code [from, to)} only (a null end is
     * open), so {@code usage} and {@code sessions} are derived from the window's rows: a session row (one per
     * session and UTC day) then counts the calls of the window, also where the window's ends are not UTC midnights.
     */
    public static void create(Connection c, LakeCopy copy, Instant from, Instant to) throws SQLException {
        var window = new ArrayList<String>();
        if (from != null) {
            window.add("timestamp >= TIMESTAMPTZ '" + from + "'");
        }
        if (to != null) {
            window.add("timestamp < TIMESTAMPTZ '" + to + "'");
        }
        try (Statement st = c.createStatement()) {
            for (String table : SILVER.keySet()) {
                String rows = silver(table, copy.files(table));
                st.execute("CREATE OR REPLACE TEMP VIEW " + table + " AS " + (window.isEmpty() ? rows
                        : "SELECT * FROM (" + rows + ") WHERE " + String.join(" AND ", window)));
            }
        }
        derivation().install(c, DerivedViews.Names.defaults(false));
    }

    public static DerivedViews derivation() {
        return new DerivedViews(ConfiguredPricing.table(), ConfiguredPricing.mode(), ConfiguredPricing.usage());
    }
}
