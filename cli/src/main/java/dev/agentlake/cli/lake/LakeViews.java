package dev.agentlake.cli.lake;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * DuckDB views over a {@link LakeCopy}, one per table, each row once: {@code usage} merged on
 * {@code call_id} (the most complete sighting, then the earliest), {@code logs} on {@code record_id}.
 * The same rule the compactor applies when it merges landing files into tables.
 */
public final class LakeViews {
    private LakeViews() {
    }

    /** {@code read_parquet([...])} of the files. */
    public static String readParquet(List<Path> files) {
        return "read_parquet(" + files.stream().map(p -> "'" + p.toString().replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "[", "]")) + ", union_by_name = true)";
    }

    /** The SELECT that shows a table's rows once, or null if it has no files. */
    public static String select(String table, List<Path> files) {
        if (files.isEmpty()) {
            return null;
        }
        String source = readParquet(files);
        switch (table) {
            case "usage":
                return "SELECT * FROM " + source + " QUALIFY row_number() OVER (PARTITION BY tool, call_id ORDER BY"
                        + " input_tokens + output_tokens + cache_read_tokens + cache_write_tokens DESC, timestamp, source) = 1";
            case "logs":
                return "SELECT * FROM " + source + " QUALIFY row_number() OVER (PARTITION BY record_id ORDER BY timestamp) = 1";
            default:
                return "SELECT * FROM " + source;
        }
    }

    /** Creates a temporary view per table of {@code copy} on {@code c}. */
    public static void create(Connection c, LakeCopy copy) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String table : copy.tables()) {
                st.execute("CREATE OR REPLACE TEMP VIEW " + table + " AS " + select(table, copy.files(table)));
            }
        }
    }
}
