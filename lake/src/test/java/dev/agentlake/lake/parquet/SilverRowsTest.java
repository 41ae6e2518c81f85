package dev.agentlake.lake.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentlake.lake.model.MetricPointRow;
import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.SpanRow;
import dev.agentlake.lake.model.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spans and metrics schemas written by ParquetRowWriter and read back by DuckDB. */
class SilverRowsTest {
    private static final ResourceColumns CODEX =
            new ResourceColumns("codex", "codex_exec", "0.169.0", "vm", "{\"service.name\":\"codex_exec\"}");

    static SpanRow span(String id, long start, long end, Tokens tokens) {
        return new SpanRow(id, start, end, CODEX, "codex_exec", null, "865de861d5a2c78289439d721455da8c",
                "2e2bc8c53bd9bc58", "09802d1ca05b47d8", null, "handle_responses", "SPAN_KIND_INTERNAL",
                "STATUS_CODE_UNSET", null, null, null, null, null, "gpt-5-codex", tokens, null,
                end == 0 ? null : (end - start) / 1e6, null, null, null, null, 257, "{\"busy_ns\":3021994}",
                "[]", "[]", "otlp");
    }

    static MetricPointRow sum(String id, long time, double value, String type) {
        return new MetricPointRow(id, time, time - 1_000_000_000L, CODEX, "codex", null, "codex.turn.tokens", "",
                "tokens", "sum", "delta", true, value, null, null, null, null, null, null, null, null, 0,
                "c-1", null, null, "gpt-5-codex", type, "{\"token_type\":\"" + type + "\"}", "otlp");
    }

    @Test
    void givenSpanRowsWhenWrittenThenDuckDbReadsTimesIdsTokensAndJson(@TempDir Path dir) throws Exception {
        var tokens = new Tokens(2100L, 40L, 1800L, 0L, null, null, 16L, null);
        Path file = dir.resolve("spans.parquet");
        Files.write(file, ParquetRowWriter.write(LakeSchemas.SPANS, List.of(
                span("a", 1_795_373_885_049_072_820L, 1_795_373_885_118_376_121L, tokens),
                span("b", 1_795_373_885_200_000_000L, 0, Tokens.NONE))));

        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement();
             ResultSet rs = st.executeQuery("select epoch_us(timestamp), epoch_us(end_timestamp), duration_ms,"
                     + " parent_span_id, span_kind, input_tokens, cache_read_tokens, reasoning_tokens, trace_flags,"
                     + " span_attributes, events, tool from read_parquet('" + file + "') order by record_id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1_795_373_885_049_072L);
            assertThat(rs.getLong(2)).isEqualTo(1_795_373_885_118_376L);
            assertThat(rs.getDouble(3)).isEqualTo(69.303301);
            assertThat(rs.getString(4)).isEqualTo("09802d1ca05b47d8");
            assertThat(rs.getString(5)).isEqualTo("SPAN_KIND_INTERNAL");
            assertThat(rs.getLong(6)).isEqualTo(2100L);
            assertThat(rs.getLong(7)).isEqualTo(1800L);
            assertThat(rs.getLong(8)).isEqualTo(16L);
            assertThat(rs.getInt(9)).isEqualTo(257);
            assertThat(rs.getString(10)).isEqualTo("{\"busy_ns\":3021994}");
            assertThat(rs.getString(11)).isEqualTo("[]");
            assertThat(rs.getString(12)).isEqualTo("codex");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(2)).as("no end time").isNull();
            assertThat(rs.getObject(3)).as("no duration").isNull();
            assertThat(rs.getObject(6)).as("no tokens").isNull();
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void givenMetricPointsWhenWrittenThenDuckDbSumsTheValuesByType(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.parquet");
        Files.write(file, ParquetRowWriter.write(LakeSchemas.METRICS, List.of(
                sum("a", 1_795_373_885_000_000_000L, 2100, "input"),
                sum("b", 1_795_373_885_000_000_000L, 2300, "input"),
                sum("c", 1_795_373_885_000_000_000L, 55, "output"))));

        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement();
             ResultSet rs = st.executeQuery("select type, sum(value), count(*), any_value(metric_type),"
                     + " any_value(temporality), bool_and(is_monotonic), any_value(epoch_us(start_timestamp))"
                     + " from read_parquet('" + file + "') group by type order by type")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("input");
            assertThat(rs.getDouble(2)).isEqualTo(4400.0);
            assertThat(rs.getLong(3)).isEqualTo(2);
            assertThat(rs.getString(4)).isEqualTo("sum");
            assertThat(rs.getString(5)).isEqualTo("delta");
            assertThat(rs.getBoolean(6)).isTrue();
            assertThat(rs.getLong(7)).isEqualTo(1_795_373_884_000_000L);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("output");
            assertThat(rs.getDouble(2)).isEqualTo(55.0);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void rowsCheckThemselves() {
        assertThatThrownBy(() -> span("x", 0, 0, Tokens.NONE)).hasMessage("a span row needs a start time: x");
        assertThatThrownBy(() -> new MetricPointRow("x", 1, 0, CODEX, null, null, "m", null, null, "counter",
                "delta", null, 1.0, null, null, null, null, null, null, null, null, 0, null, null, null, null, null,
                "{}", "otlp")).hasMessageContaining("metric_type must be one of");
        assertThatThrownBy(() -> new MetricPointRow("x", 1, 0, CODEX, null, null, "m", null, null, "gauge",
                "delta", true, 1.0, null, null, null, null, null, null, null, null, 0, null, null, null, null, null,
                "{}", "otlp")).hasMessage("only sums are monotonic or not: m");
        assertThatThrownBy(() -> new MetricPointRow("x", 1, 0, CODEX, null, null, "m", null, null, "sum",
                "sideways", true, 1.0, null, null, null, null, null, null, null, null, 0, null, null, null, null, null,
                "{}", "otlp")).hasMessageContaining("temporality must be one of");
    }
}
