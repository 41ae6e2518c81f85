package dev.agentlake.query.duckdb;

import dev.agentlake.lake.parquet.Column;
import dev.agentlake.lake.parquet.TableSchema;
import java.util.stream.Collectors;

/** A table schema as DuckDB SQL: an empty, fully typed row set to give views every column. */
final class TypedColumns {
    private TypedColumns() {
    }

    static String emptySelect(TableSchema<?> schema) {
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
