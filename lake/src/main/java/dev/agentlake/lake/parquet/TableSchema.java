package dev.agentlake.lake.parquet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** A lake table's columns in order. */
public final class TableSchema<T> {
    private final String table;
    private final List<Column<T>> columns;

    private TableSchema(String table, List<Column<T>> columns) {
        this.table = Objects.requireNonNull(table, "table is null");
        this.columns = List.copyOf(columns);
        var names = new HashSet<String>();
        for (Column<T> c : this.columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("duplicate column " + c.name() + " in " + table);
            }
        }
    }

    public static <T> Builder<T> builder(String table) {
        return new Builder<>(table);
    }

    public String table() {
        return table;
    }

    public List<Column<T>> columns() {
        return columns;
    }

    /** Collects columns in the order they are written. */
    public static final class Builder<T> {
        private final String table;
        private final List<Column<T>> columns = new ArrayList<>();

        private Builder(String table) {
            this.table = table;
        }

        public Builder<T> required(String name, ColumnType type, String description, Function<T, ?> value) {
            columns.add(new Column<>(name, type, true, description, value));
            return this;
        }

        public Builder<T> optional(String name, ColumnType type, String description, Function<T, ?> value) {
            columns.add(new Column<>(name, type, false, description, value));
            return this;
        }

        public TableSchema<T> build() {
            return new TableSchema<>(table, columns);
        }
    }
}
