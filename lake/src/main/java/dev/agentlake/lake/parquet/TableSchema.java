package dev.agentlake.lake.parquet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/** A lake table's columns in order, and the Parquet message type written for them. */
public final class TableSchema<T> {
    private final String table;
    private final List<Column<T>> columns;
    private final MessageType messageType;

    private TableSchema(String table, List<Column<T>> columns) {
        this.table = Objects.requireNonNull(table, "table is null");
        this.columns = List.copyOf(columns);
        var names = new HashSet<String>();
        for (Column<T> c : this.columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("duplicate column " + c.name() + " in " + table);
            }
        }
        Types.MessageTypeBuilder builder = Types.buildMessage();
        for (Column<T> c : this.columns) {
            Repetition repetition = c.required() ? Repetition.REQUIRED : Repetition.OPTIONAL;
            switch (c.type()) {
                case STRING -> builder.primitive(PrimitiveTypeName.BINARY, repetition)
                        .as(LogicalTypeAnnotation.stringType()).named(c.name());
                case LONG -> builder.primitive(PrimitiveTypeName.INT64, repetition).named(c.name());
                case INT -> builder.primitive(PrimitiveTypeName.INT32, repetition).named(c.name());
                case DOUBLE -> builder.primitive(PrimitiveTypeName.DOUBLE, repetition).named(c.name());
                case BOOLEAN -> builder.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(c.name());
                case TIMESTAMP -> builder.primitive(PrimitiveTypeName.INT64, repetition)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named(c.name());
            }
        }
        this.messageType = builder.named(table);
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

    public MessageType messageType() {
        return messageType;
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
