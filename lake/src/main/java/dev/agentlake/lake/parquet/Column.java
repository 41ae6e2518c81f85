package dev.agentlake.lake.parquet;

import java.util.Objects;
import java.util.function.Function;

/**
 * One column of a lake table: its name, type, whether it may be null, and how a row yields it.
 *
 * @param value returns the column's value for a row, of the Java type {@link ColumnType} names, or null
 */
public record Column<T>(String name, ColumnType type, boolean required, String description, Function<T, ?> value) {

    public Column {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(description, "description is null");
        Objects.requireNonNull(value, "value is null");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("column names are snake_case: " + name);
        }
    }
}
