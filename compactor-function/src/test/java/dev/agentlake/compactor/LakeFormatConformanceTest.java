package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.parquet.Column;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.store.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Query the lake directly": a copy of the bucket read with plain DuckDB SQL, following only
 * docs/lake-format.md — no Agentlake class reads anything here — gives the totals the model APIs
 * returned, and the files have exactly the columns the document lists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LakeFormatConformanceTest {
    private static final Path SPEC = Path.of("..", "docs", "lake-format.md");
    @RegisterExtension
    static final TestLake lake = TestLake.perClass();
    private Path copy;
    private Connection duckdb;

    @BeforeAll
    void compactTheCapturesAndCopyTheBucket() throws Exception {
        copy = Files.createTempDirectory("lake-copy");
        for (FixtureRun run : List.of(FixtureRun.CLAUDE_CODE_PROTOBUF, FixtureRun.CODEX_BINARY, FixtureRun.GEMINI)) {
            lake.ingest(run);
        }
        lake.job().run();
        // A request that arrives after the compaction: still in landing.
        lake.ingest(FixtureRun.CLAUDE_CODE_JSON, "0001-claude-code-logs");
        // As `aws s3 sync s3://bucket dir` would: every object under its key.
        for (StoredObject o : lake.store().list("")) {
            lake.store().download(o.key(), copy.resolve(o.key()));
        }
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        execute("SET TimeZone = 'UTC'");
        // Reader rule 1: the snapshot with the highest version.
        execute("CREATE TABLE snapshot AS SELECT * FROM read_json('" + copy + "/_lake/snapshots/*.json')"
                + " ORDER BY version DESC LIMIT 1");
    }

    @AfterAll
    void stop() throws SQLException {
        duckdb.close();
        TempFolders.delete(copy);
    }

    @Test
    void givenTheSnapshotsFileListThenUsageRead_withHivePartitioningGivesTheTotalsOfEachCapture() throws Exception {
        execute("CREATE VIEW usage AS SELECT * FROM read_parquet(" + liveFiles("usage") + ", hive_partitioning = true)");

        assertThat(rows("SELECT tool, count(*) AS calls, sum(input_tokens) AS input, sum(cache_read_tokens) AS cache_read,"
                + " sum(cache_write_tokens) AS cache_write, sum(output_tokens) AS output, sum(reasoning_tokens) AS reasoning"
                + " FROM usage GROUP BY tool ORDER BY tool"))
                .containsExactly(
                        totals("claude-code", FixtureRun.CLAUDE_CODE_PROTOBUF.expected),
                        totals("codex", FixtureRun.CODEX_BINARY.expected),
                        totals("gemini-cli", FixtureRun.GEMINI.expected));
        assertThat(rows("SELECT count(*) AS wrong_partition FROM usage WHERE dt <> CAST(\"timestamp\" AS DATE)"))
                .containsExactly(Map.of("wrong_partition", 0L));
        // The same totals as Agentlake's own reader.
        assertThat(lake.usageTotals()).isEqualTo(Map.of("claude-code", FixtureRun.CLAUDE_CODE_PROTOBUF.expected,
                "codex", FixtureRun.CODEX_BINARY.expected, "gemini-cli", FixtureRun.GEMINI.expected));
    }

    @Test
    void givenACompletedCompactionThenAGlobOverTablesReadsTheSameRowsAsTheSnapshot() throws Exception {
        String glob = "SELECT count(*) AS calls, sum(input_tokens) AS input FROM read_parquet('" + copy
                + "/tables/usage/*/*.parquet', hive_partitioning = true)";
        String exact = "SELECT count(*) AS calls, sum(input_tokens) AS input FROM read_parquet(" + liveFiles("usage") + ")";
        assertThat(rows(glob)).isEqualTo(rows(exact)).containsExactly(Map.of("calls", 7L, "input", java.math.BigInteger.valueOf(3822)));
    }

    @Test
    void givenLandingNotYetCompactedThenTheSnapshotsFilesPlusUnconsumedLandingHoldEveryLogRecordOnce() throws Exception {
        // Reader rules 2 and 4: landing keys the snapshot has not consumed, plus the snapshot's files.
        List<String> landing = new ArrayList<>();
        try (var files = Files.walk(copy.resolve("landing"))) {
            files.filter(p -> p.toString().endsWith(".parquet")).forEach(p -> landing.add(copy.relativize(p).toString()));
        }
        List<Map<String, Object>> consumed = rows("SELECT unnest(consumed_landing) AS k FROM snapshot");
        landing.removeIf(k -> consumed.stream().anyMatch(c -> c.get("k").equals(k)));
        assertThat(landing).hasSize(1);

        long compacted = count("SELECT count(*) FROM read_parquet(" + liveFiles("logs") + ")");
        long pending = count("SELECT count(*) FROM read_parquet('" + copy.resolve(landing.get(0)) + "')");
        assertThat(compacted + pending).isEqualTo(count("SELECT count(DISTINCT record_id) FROM read_parquet(["
                + "'" + copy + "/tables/logs/*/*.parquet', '" + copy.resolve(landing.get(0)) + "'])"));
        assertThat(pending).isPositive();
    }

    @Test
    void givenTheGoldTablesThenTheirFilesHaveExactlyTheColumnsAndTypesTheSpecificationLists() throws Exception {
        for (TableSchema<?> schema : List.of(LakeSchemas.USAGE, LakeSchemas.SESSIONS)) {
            String table = schema.table();
            Map<String, String> documented = documentedColumns(table);
            var written = new LinkedHashMap<String, String>();
            for (Map<String, Object> r : rows("DESCRIBE SELECT * FROM read_parquet('" + copy + "/tables/" + table
                    + "/*/*.parquet', hive_partitioning = false)")) {
                written.put((String) r.get("column_name"), (String) r.get("column_type"));
            }
            assertThat(written).as("columns of " + table + " files").containsExactlyEntriesOf(documented);
            assertThat(schema.columns()).extracting(Column::name).as("LakeSchemas." + table.toUpperCase())
                    .containsExactlyElementsOf(documented.keySet());
        }
    }

    /** Reader rule 4: the snapshot's files of a table, as a DuckDB variable holding their paths. */
    private String liveFiles(String table) throws SQLException {
        execute("SET VARIABLE " + table + "_files = (SELECT list('" + copy + "/' || f.key) FROM"
                + " (SELECT unnest(files) AS f FROM snapshot) WHERE f.\"table\" = '" + table + "')");
        return "getvariable('" + table + "_files')";
    }

    /** The rows of the column table under {@code ### `table`} in docs/lake-format.md. */
    private static Map<String, String> documentedColumns(String table) throws IOException {
        String spec = Files.readString(SPEC);
        int start = spec.indexOf("### `" + table + "`");
        assertThat(start).as("section for " + table).isPositive();
        int end = spec.indexOf("\n### ", start + 5);
        String section = spec.substring(start, end < 0 ? spec.length() : end);
        var columns = new LinkedHashMap<String, String>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\| `([A-Z ]+)` \\|").matcher(section);
        while (m.find()) {
            columns.put(m.group(1), m.group(2));
        }
        return columns;
    }

    private static Map<String, Object> totals(String tool, FixtureRun.Totals t) {
        var m = new LinkedHashMap<String, Object>();
        m.put("tool", tool);
        m.put("calls", t.calls());
        m.put("input", java.math.BigInteger.valueOf(t.input()));
        m.put("cache_read", java.math.BigInteger.valueOf(t.cacheRead()));
        m.put("cache_write", java.math.BigInteger.valueOf(t.cacheWrite()));
        m.put("output", java.math.BigInteger.valueOf(t.output()));
        m.put("reasoning", java.math.BigInteger.valueOf(t.reasoning()));
        return m;
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = duckdb.createStatement()) {
            st.execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
    }

    private List<Map<String, Object>> rows(String sql) throws SQLException {
        try (Statement st = duckdb.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            var out = new ArrayList<Map<String, Object>>();
            while (rs.next()) {
                var row = new LinkedHashMap<String, Object>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(rs.getMetaData().getColumnLabel(i), v instanceof java.math.BigDecimal d ? d.toBigInteger() : v);
                }
                out.add(row);
            }
            return out;
        }
    }
}
