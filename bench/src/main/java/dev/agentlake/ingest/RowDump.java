package dev.agentlake.ingest;

import dev.agentlake.lake.parquet.Column;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.testing.Fixtures;
import java.io.PrintStream;
import java.util.List;

/**
 * Every column value of every row ingest makes of the benchmark bodies and of every capture (as sent and
 * as its {@code .decoded.json}), one row per line, to a file: run it with two builds' class paths and
 * {@code cmp} the files to prove a change leaves the stored rows (record ids included) as they were.
 * Usage: {@code bench/run RowDump <output file>}.
 */
public final class RowDump {
    private RowDump() {
    }

    public static void main(String[] args) throws Exception {
        var out = new PrintStream(args[0], "UTF-8");
        var b = new IngestThroughputBenchmark();
        b.setUp();
        dump(out, "bench-logs", b.logsIngestForBench(), OtlpEncoding.PROTOBUF, IngestThroughputBenchmark.logsBody());
        dump(out, "bench-spans", b.spansIngestForBench(), OtlpEncoding.PROTOBUF, IngestThroughputBenchmark.spansBody());
        dump(out, "bench-metrics", b.metricsIngestForBench(), OtlpEncoding.PROTOBUF, IngestThroughputBenchmark.metricsBody());
        String[][] caps = {
            {"claude-code-protobuf/0001-claude-code-logs", "P"}, {"claude-code-protobuf/0002-claude-code-logs", "P"},
            {"claude-code-protobuf/0003-claude-code-traces", "P"}, {"claude-code-protobuf/0004-claude-code-metrics", "P"},
            {"claude-code-json/0001-claude-code-logs", "J"}, {"claude-code-json/0002-claude-code-logs", "J"},
            {"claude-code-json/0003-claude-code-traces", "J"}, {"claude-code-json/0004-claude-code-metrics", "J"},
            {"codex-binary/0001-codex-traces", "P"}, {"codex-binary/0002-codex-traces", "P"},
            {"codex-binary/0003-codex-metrics", "P"}, {"codex-binary/0004-codex-logs", "P"},
            {"codex-json/0001-codex-traces", "J"}, {"codex-json/0002-codex-traces", "J"},
            {"codex-json/0003-codex-metrics", "J"}, {"codex-json/0004-codex-logs", "J"},
            {"gemini/0001-gemini-logs", "J"}, {"gemini/0002-gemini-metrics", "J"}, {"gemini/0003-gemini-traces", "J"}};
        for (String[] c : caps) {
            byte[] body = Fixtures.bytes("otlp/" + c[0] + ".bin");
            OtlpEncoding enc = c[1].equals("P") ? OtlpEncoding.PROTOBUF : OtlpEncoding.JSON;
            SignalIngest<?> h = c[0].contains("logs") ? b.logsIngestForBench() : c[0].contains("traces") ? b.spansIngestForBench() : b.metricsIngestForBench();
            dump(out, c[0], h, enc, body);
            dump(out, c[0] + ".decoded", h, OtlpEncoding.JSON, Fixtures.bytes("otlp/" + c[0] + ".decoded.json"));
        }
        out.close();
    }

    static <R> void dump(PrintStream out, String name, SignalIngest<R> h, OtlpEncoding enc, byte[] body) {
        List<R> rows = h.decode(enc, body).rows();
        TableSchema<R> schema = h.schema();
        out.println("== " + name + " " + rows.size());
        for (R r : rows) {
            StringBuilder sb = new StringBuilder();
            for (Column<R> col : schema.columns()) {
                sb.append(col.name()).append('=').append(col.value().apply(r)).append('\t');
            }
            out.println(sb);
        }
    }
}
