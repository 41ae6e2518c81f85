package dev.agentlake.lake.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetRowWriterTest {
    private static final ResourceColumns RESOURCE =
            new ResourceColumns("claude-code", "claude-code", "2.1.330", "box", "{\"service.name\":\"claude-code\"}");

    static LogRow row(String id, long nanos, String body, Tokens tokens, Double cost) {
        return new LogRow(id, nanos, 0, RESOURCE, "scope", "1", null, 0, "api_request", body, "s-1", "p-1",
                null, "demo", "claude-opus-5-5", tokens, cost, 12.5, true, null, null, "req-1",
                "0102030405060708090a0b0c0d0e0f10", null, 0, "{}", "otlp");
    }

    @Test
    void givenLogRowsWhenWrittenThenDuckDbReadsTheSameValues(@TempDir Path dir) throws Exception {
        var tokens = new Tokens(1200L, 35L, 4000L, 300L, 300L, 0L, null, null);
        byte[] bytes = ParquetRowWriter.write(LakeSchemas.LOGS, List.of(
                row("a", 1_795_373_828_503_000_000L, "claude_code.api_request", tokens, 0.0123),
                row("b", 1_795_373_829_000_001_000L, "naïve ✓", Tokens.NONE, null)));
        Path file = dir.resolve("logs.parquet");
        Files.write(file, bytes);

        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement();
             var rs = st.executeQuery("select record_id, epoch_us(timestamp), body, input_tokens, cache_read_tokens,"
                     + " reasoning_tokens, cost_usd, success, tool, resource_attributes from read_parquet('" + file
                     + "') order by record_id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("a");
            assertThat(rs.getLong(2)).isEqualTo(1_795_373_828_503_000L);
            assertThat(rs.getString(3)).isEqualTo("claude_code.api_request");
            assertThat(rs.getLong(4)).isEqualTo(1200L);
            assertThat(rs.getLong(5)).isEqualTo(4000L);
            assertThat(rs.getObject(6)).isNull();
            assertThat(rs.getDouble(7)).isEqualTo(0.0123);
            assertThat(rs.getBoolean(8)).isTrue();
            assertThat(rs.getString(9)).isEqualTo("claude-code");
            assertThat(rs.getString(10)).isEqualTo("{\"service.name\":\"claude-code\"}");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(2)).isEqualTo(1_795_373_829_000_001L);
            assertThat(rs.getString(3)).isEqualTo("naïve ✓");
            assertThat(rs.getObject(4)).isNull();
            assertThat(rs.getObject(7)).isNull();
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void aRequiredColumnWithoutAValueIsRefused() {
        var schema = TableSchema.<String>builder("t")
                .required("name", ColumnType.STRING, "n", s -> s)
                .build();
        assertThatThrownBy(() -> ParquetRowWriter.write(schema, java.util.Arrays.asList("x", null)))
                .hasMessageContaining("t.name is required");
    }
}
