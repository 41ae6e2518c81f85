package dev.agentlake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.parquet.Column;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Glue catalog describes the tables exactly as the lake library writes them. Every table in
 * {@code LakeSchemas} (found by reflection, so new ones are checked as they land) must be in
 * {@link LakeTables} with the same columns, types, order and descriptions; on a difference the failure
 * prints the lines to paste into {@link LakeTables}.
 */
class AgentlakeGlueColumnsTest {

    @Test
    void givenEveryTableInLakeSchemasThenTheGlueCatalogHasTheSameColumns() {
        List<TableSchema<?>> schemas = lakeSchemas();
        assertThat(schemas).extracting(TableSchema::table).contains("logs", "usage");
        Map<String, LakeTables.LakeTable> glue = LakeTables.ALL.stream()
                .collect(Collectors.toMap(LakeTables.LakeTable::name, Function.identity()));
        for (TableSchema<?> schema : schemas) {
            List<LakeTables.GlueColumn> expected = schema.columns().stream()
                    .map(c -> new LakeTables.GlueColumn(c.name(), glueType(c), c.description()))
                    .collect(Collectors.toList());
            assertThat(glue).as("LakeTables has no table " + schema.table()).containsKey(schema.table());
            assertThat(glue.get(schema.table()).columns())
                    .as("LakeTables.%s differs from LakeSchemas; paste:%n%s", schema.table().toUpperCase(),
                            javaFor(schema.table(), expected))
                    .isEqualTo(expected);
        }
    }

    /** Tables not yet in LakeSchemas carry provisional columns; the list may only shrink. */
    @Test
    void givenTheCatalogThenOnlySpansMetricsAndSessionsAwaitTheirLakeSchemas() {
        Set<String> inLake = lakeSchemas().stream().map(TableSchema::table).collect(Collectors.toSet());
        Set<String> awaiting = LakeTables.ALL.stream().map(LakeTables.LakeTable::name)
                .filter(name -> !inLake.contains(name)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(Set.of("spans", "metrics", "sessions")).containsAll(awaiting);
        assertThat(LakeTables.ALL).extracting(LakeTables.LakeTable::name)
                .containsExactly("logs", "spans", "metrics", "usage", "sessions");
    }

    @Test
    void givenAGlueColumnThenOnlyTypesTheLakeWritesAndShortCommentsAreAccepted() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LakeTables.GlueColumn("x", "map<string,string>", ""))
                .hasMessage("unsupported Glue type map<string,string> for x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LakeTables.GlueColumn("x", "string", "c".repeat(256)))
                .hasMessage("Glue column comments are at most 255 characters: x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LakeTables.LakeTable("t",
                        List.of(new LakeTables.GlueColumn("dt", "string", ""))))
                .hasMessage("dt is the partition column, not a file column, in t");
    }

    /** Parquet type as written by TableSchema -> the Hive type Athena reads it as. */
    static String glueType(Column<?> column) {
        String type = column.type().name();
        switch (type) {
            case "STRING":
                return "string";
            case "LONG":
                return "bigint";
            case "INT":
                return "int";
            case "DOUBLE":
                return "double";
            case "BOOLEAN":
                return "boolean";
            case "TIMESTAMP":
                // INT64 TIMESTAMP(MICROS, UTC): Athena engine 3 reads it as timestamp.
                return "timestamp";
            default:
                throw new AssertionError("no Glue type for column type " + type + " of " + column.name()
                        + ": add it to LakeTables.GlueColumn and here");
        }
    }

    static List<TableSchema<?>> lakeSchemas() {
        List<TableSchema<?>> schemas = new ArrayList<>();
        for (Field f : LakeSchemas.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && TableSchema.class.isAssignableFrom(f.getType())) {
                try {
                    schemas.add((TableSchema<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return schemas;
    }

    private static String javaFor(String table, List<LakeTables.GlueColumn> columns) {
        StringBuilder java = new StringBuilder("    public static final LakeTable " + table.toUpperCase()
                + " = table(\"" + table + "\")\n");
        for (LakeTables.GlueColumn c : columns) {
            java.append("            .col(\"").append(c.name()).append("\", \"").append(c.type()).append("\", \"")
                    .append(c.comment().replace("\"", "\\\"")).append("\")\n");
        }
        return java.append("            .build();").toString();
    }
}
