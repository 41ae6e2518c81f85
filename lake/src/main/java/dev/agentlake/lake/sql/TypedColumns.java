package dev.agentlake.lake.sql;

import dev.agentlake.lake.parquet.Column;
import dev.agentlake.lake.parquet.TableSchema;
import java.util.stream.Collectors;

/**
 * A table schema as DuckDB SQL: an empty, fully typed row set, so a view over files that lack a newer
 * column (or over no file) still has every column with its type. The query function and the CLI both use it.
 */
public final class TypedColumns {
    private TypedColumns() {
    }

    public static String emptySelect(TableSchema<?> schema) {
        return schema.columns().stream()
                .map(c -> "CAST(NULL AS " + duckDbType(c) + ") AS \"" + c.name() + "\"")
                .collect(Collectors.joining(", ", "SELECT ", " WHERE false"));
    }

    private static String duckDbType(Column<?> c) {
        return switch (c.type()) {
            case STRING -> "VARCHAR";
            case LONG -> "BIGINT";
            case INT -> "INTEGER";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMPTZ";
        };
    }
}
