package dev.agentlake.lake.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Parquet files {@link ParquetRowWriter} writes, read back by DuckDB value for value: every column
 * type, nulls in runs and scattered, dictionaries kept and dropped, several pages and row groups, and
 * the statistics readers skip pages and row groups by.
 */
class ParquetFileFormatTest {
    record Row(String id, String model, String body, Long tokens, Integer count, Double cost, Boolean success,
               long micros) {
    }

    static final TableSchema<Row> SCHEMA = TableSchema.<Row>builder("format_test")
            .required("record_id", ColumnType.STRING, "plain text, unique per row", Row::id)
            .optional("model", ColumnType.STRING, "dictionary text", Row::model)
            .optional("body", ColumnType.STRING, "plain text, long", Row::body)
            .optional("tokens", ColumnType.LONG, "int64", Row::tokens)
            .optional("count", ColumnType.INT, "int32", Row::count)
            .optional("cost", ColumnType.DOUBLE, "double", Row::cost)
            .optional("success", ColumnType.BOOLEAN, "boolean", Row::success)
            .required("timestamp", ColumnType.TIMESTAMP, "micros", Row::micros)
            .build();

    @TempDir
    static Path dir;
    static Connection duckdb;

    @BeforeAll
    static void open() throws SQLException {
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterAll
    static void close() throws SQLException {
        duckdb.close();
    }

    /** Rows with every kind of value; nulls come in long runs in some stretches and scattered in others. */
    static List<Row> rows(int n, long seed, int distinctModels, int modelLength) {
        var random = new Random(seed);
        var models = new String[distinctModels];
        for (int m = 0; m < distinctModels; m++) {
            var sb = new StringBuilder("model-" + m + "-ü✓");
            while (sb.length() < modelLength) {
                sb.append((char) ('a' + (m + sb.length()) % 26));
            }
            models[m] = sb.toString();
        }
        var rows = new ArrayList<Row>(n);
        for (int i = 0; i < n; i++) {
            boolean stretchOfNulls = (i / 100) % 5 == 3; // a hundred rows in five: all optional columns null
            boolean scattered = random.nextInt(7) == 0;
            String model = stretchOfNulls || scattered ? null : models[random.nextInt(distinctModels)];
            String body = stretchOfNulls || random.nextInt(5) == 0 ? null
                    : "{\"i\":" + i + ",\"text\":\"" + "x".repeat(random.nextInt(300)) + "\\n naïve\"}";
            Long tokens = stretchOfNulls || random.nextInt(4) == 0 ? null : random.nextLong() >> random.nextInt(60);
            Integer count = stretchOfNulls || random.nextInt(3) == 0 ? null : random.nextInt() >> random.nextInt(28);
            Double cost = stretchOfNulls || random.nextInt(6) == 0 ? null : (random.nextDouble() - 0.3) * 10;
            Boolean success = stretchOfNulls || random.nextInt(9) == 0 ? null : random.nextBoolean();
            long micros = 1_795_000_000_000_000L + random.nextInt(86_400_000) * 1_000L;
            rows.add(new Row(String.format("r%07d", i), model, body, tokens, count, cost, success, micros));
        }
        return rows;
    }

    private static Path file(String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** Every value of every row as DuckDB reads it equals the row written. */
    private static void assertReadBack(Path f, List<Row> rows) throws SQLException {
        try (var st = duckdb.createStatement();
             ResultSet rs = st.executeQuery("select record_id, model, body, tokens, count, cost, success,"
                     + " epoch_us(timestamp) from read_parquet('" + f + "') order by record_id")) {
            int i = 0;
            while (rs.next()) {
                Row r = rows.get(i++);
                assertThat(rs.getString(1)).isEqualTo(r.id());
                assertThat(rs.getString(2)).as("model of %s", r.id()).isEqualTo(r.model());
                assertThat(rs.getString(3)).as("body of %s", r.id()).isEqualTo(r.body());
                assertThat((Long) rs.getObject(4)).as("tokens of %s", r.id()).isEqualTo(r.tokens());
                assertThat((Integer) rs.getObject(5)).as("count of %s", r.id()).isEqualTo(r.count());
                assertThat((Double) rs.getObject(6)).as("cost of %s", r.id()).isEqualTo(r.cost());
                assertThat((Boolean) rs.getObject(7)).as("success of %s", r.id()).isEqualTo(r.success());
                assertThat(rs.getLong(8)).as("timestamp of %s", r.id()).isEqualTo(r.micros());
            }
            assertThat(i).isEqualTo(rows.size());
        }
    }

    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {0, 1, 7, 8, 9, 17, 1000, 45_000})
    void givenRowsWhenWrittenThenDuckDbReadsEveryValueBack(int n) throws Exception {
        List<Row> rows = rows(n, n, 12, 20);
        assertReadBack(file("rows-" + n + ".parquet", ParquetRowWriter.write(SCHEMA, rows)), rows);
    }

    @Test
    void givenMoreRowsThanAPageHoldsWhenWrittenThenColumnsSpanSeveralPagesAndRowGroups() throws Exception {
        List<Row> rows = rows(45_000, 42, 30, 20);
        Path f = file("groups.parquet", ParquetRowWriter.write(SCHEMA, rows, 2 * 1024 * 1024));
        assertReadBack(f, rows);
        try (var st = duckdb.createStatement();
             ResultSet rs = st.executeQuery("select count(distinct row_group_id), sum(row_group_num_rows) filter"
                     + " (where path_in_schema = 'record_id') from parquet_metadata('" + f + "')")) {
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThan(1);
            assertThat(rs.getLong(2)).isEqualTo(45_000);
        }
    }

    @Test
    void givenADictionaryColumnPastOneMegabyteWhenWrittenThenItFallsBackToPlainValuesUnchanged() throws Exception {
        // 6,000 distinct models of ~400 bytes: the dictionary passes 1 MB part way through.
        List<Row> rows = rows(20_000, 7, 6_000, 400);
        Path f = file("fallback.parquet", ParquetRowWriter.write(SCHEMA, rows));
        assertReadBack(f, rows);
        try (var st = duckdb.createStatement();
             ResultSet rs = st.executeQuery("select encodings from parquet_metadata('" + f + "')"
                     + " where path_in_schema = 'model'")) {
            rs.next();
            assertThat(rs.getString(1)).doesNotContain("DICTIONARY");
        }
    }

    @Test
    void givenRepeatedTextWhenWrittenThenItIsDictionaryEncodedAndIdsAreNot() throws Exception {
        Path f = file("dictionary.parquet", ParquetRowWriter.write(SCHEMA, rows(1000, 3, 5, 20)));
        try (var st = duckdb.createStatement();
             ResultSet rs = st.executeQuery("select path_in_schema, encodings from parquet_metadata('" + f + "')"
                     + " where path_in_schema in ('model', 'record_id') order by 1")) {
            rs.next();
            assertThat(rs.getString(2)).contains("RLE_DICTIONARY");
            rs.next();
            assertThat(rs.getString(2)).doesNotContain("DICTIONARY");
        }
    }

    @Test
    void givenRowGroupsWhenFilteredThenStatisticsAreExactAndFiltersCountRight() throws Exception {
        List<Row> rows = rows(45_000, 11, 30, 20);
        Path f = file("stats.parquet", ParquetRowWriter.write(SCHEMA, rows, 1024 * 1024));
        // Each row group's min and max of the timestamp and of tokens, as DuckDB reads them from the footer.
        try (var st = duckdb.createStatement();
             ResultSet rs = st.executeQuery("select row_group_id, path_in_schema, stats_min_value, stats_max_value,"
                     + " stats_null_count, row_group_num_rows from parquet_metadata('" + f + "')"
                     + " where path_in_schema in ('tokens', 'cost', 'success', 'model') order by row_group_id, column_id")) {
            int first = 0;
            int groups = 0;
            while (rs.next()) {
                int groupRows = rs.getInt(6);
                List<Row> group = rows.subList(first, first + groupRows);
                assertThat(rs.getString(2)).isEqualTo("model");
                assertStats(rs, group.stream().map(Row::model).filter(v -> v != null).sorted().toList(), group, Row::model);
                rs.next();
                assertStats(rs, group.stream().map(Row::tokens).filter(v -> v != null).sorted().map(String::valueOf).toList(),
                        group, Row::tokens);
                rs.next();
                List<Double> costs = group.stream().map(Row::cost).filter(v -> v != null).sorted().toList();
                assertThat(Double.parseDouble(rs.getString(3))).isEqualTo(costs.get(0));
                assertThat(Double.parseDouble(rs.getString(4))).isEqualTo(costs.get(costs.size() - 1));
                rs.next();
                assertThat(rs.getString(3)).isEqualTo("false");
                assertThat(rs.getString(4)).isEqualTo("true");
                first += groupRows;
                groups++;
            }
            assertThat(first).isEqualTo(45_000);
            assertThat(groups).isGreaterThan(2);
        }
        // Filters that statistics could answer wrongly.
        long from = 1_795_000_000_000_000L + 3_600_000_000L;
        long to = from + 600_000_000L;
        long expected = rows.stream().filter(r -> r.micros() >= from && r.micros() < to && r.tokens() != null
                && r.tokens() > 0).count();
        try (var st = duckdb.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from read_parquet('" + f + "') where epoch_us(timestamp)"
                     + " >= " + from + " and epoch_us(timestamp) < " + to + " and tokens > 0")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(expected).isPositive();
        }
    }

    private static <V> void assertStats(ResultSet rs, List<String> sorted, List<Row> group,
                                        java.util.function.Function<Row, V> value) throws SQLException {
        assertThat(rs.getString(5)).isEqualTo(String.valueOf(group.stream().filter(r -> value.apply(r) == null).count()));
        if (sorted.get(0).matches("-?\\d+")) {
            List<Long> numbers = sorted.stream().map(Long::parseLong).sorted().toList();
            assertThat(Long.parseLong(rs.getString(3))).isEqualTo(numbers.get(0));
            assertThat(Long.parseLong(rs.getString(4))).isEqualTo(numbers.get(numbers.size() - 1));
        } else {
            // Parquet orders text by its UTF-8 bytes; for these strings that is Java's order too.
            assertThat(rs.getString(3)).isEqualTo(sorted.get(0));
            assertThat(rs.getString(4)).isEqualTo(sorted.get(sorted.size() - 1));
        }
    }

    @Test
    void givenNegativeZeroNaNAndOnlyNullsWhenWrittenThenStatisticsFollowTheFormat() throws Exception {
        var rows = List.of(
                new Row("a", null, null, null, null, 0.0, true, 1L),
                new Row("b", null, null, null, null, Double.NaN, true, 2L),
                new Row("c", null, null, null, null, 2.5, true, 3L));
        Path f = file("edges.parquet", ParquetRowWriter.write(SCHEMA, rows));
        try (var st = duckdb.createStatement();
             ResultSet rs = st.executeQuery("select path_in_schema, stats_min_value, stats_max_value, stats_null_count"
                     + " from parquet_metadata('" + f + "') where path_in_schema in ('cost', 'model', 'success')"
                     + " order by column_id")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("model");
            assertThat(rs.getString(2)).isNull();
            assertThat(rs.getLong(4)).isEqualTo(3);
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("cost");
            assertThat(rs.getString(2)).isEqualTo("-0.0"); // a zero minimum is written as -0.0
            assertThat(rs.getString(3)).isEqualTo("2.5"); // NaN left out
            rs.next();
            assertThat(rs.getString(2)).isEqualTo("true");
            assertThat(rs.getString(3)).isEqualTo("true");
        }
        try (var st = duckdb.createStatement();
             ResultSet rs = st.executeQuery("select count(*) filter (where cost = 0), count(*) filter (where isnan(cost)),"
                     + " count(*) filter (where cost = -0.0) from read_parquet('" + f + "')")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getInt(2)).isEqualTo(1);
            assertThat(rs.getInt(3)).isEqualTo(1);
        }
    }
}
