package dev.agentlake.ingest;

import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.parquet.TableSchema;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Bytes the lake stores per record against the OTLP/protobuf bytes of the same records, measured in one
 * run on the request bodies of {@link IngestThroughputBenchmark} (1,000 records each, from the real
 * captures; log and span attributes varied per record, see {@link #varied}): the body as sent (plain and gzip, as exporters send it), the landing file ingest writes
 * ({@link ParquetRowWriter}), and the file the compactor would write from it (DuckDB {@code COPY … ORDER BY}
 * to zstd Parquet, the compactor's settings). Every column of the lake's rows is included: typed
 * columns plus all attributes as JSON text.
 *
 * <p>Run: {@code bench/run StorageBytes}.
 */
public final class StorageBytes {
    private StorageBytes() {
    }

    public static void main(String[] args) throws Exception {
        var b = new IngestThroughputBenchmark();
        b.setUp();
        System.out.printf("bytes per record, %d records per request body%n", IngestThroughputBenchmark.RECORDS);
        System.out.println("| signal | OTLP protobuf | OTLP protobuf gzip | landing Parquet | vs protobuf | compacted Parquet | vs protobuf |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        byte[] logs = varied(ExportLogsServiceRequest.parseFrom(IngestThroughputBenchmark.logsBody()));
        report("logs (Claude Code)", logs, LakeSchemas.LOGS,
                b.logsIngestForBench().decode(OtlpEncoding.PROTOBUF, logs).rows());
        byte[] spans = varied(ExportTraceServiceRequest.parseFrom(IngestThroughputBenchmark.spansBody()));
        report("spans (Codex)", spans, LakeSchemas.SPANS,
                b.spansIngestForBench().decode(OtlpEncoding.PROTOBUF, spans).rows());
        byte[] metrics = IngestThroughputBenchmark.metricsBody();
        report("metric points (Codex)", metrics, LakeSchemas.METRICS,
                b.metricsIngestForBench().decode(OtlpEncoding.PROTOBUF, metrics).rows());
    }

    private static <R> void report(String signal, byte[] body, TableSchema<R> schema, List<R> rows)
            throws Exception {
        int n = rows.size();
        byte[] landing = ParquetRowWriter.write(schema, rows);
        long compacted = compacted(landing);
        double proto = (double) body.length / n;
        System.out.printf("| %s | %.0f | %.0f | %.0f | %.2f× | %.0f | %.2f× |%n", signal, proto,
                (double) gzip(body) / n, (double) landing.length / n, landing.length / (double) body.length,
                (double) compacted / n, compacted / (double) body.length);
    }

    /**
     * The body with what differs between real records varied per record: every id-like string attribute
     * (session, prompt, request, call ids) random, every integer attribute (tokens, durations, sizes) a
     * random value of the same order. The cycled capture records alone repeat every tenth record, which
     * every compressor turns into a few bytes and which no real lake looks like.
     */
    private static byte[] varied(ExportLogsServiceRequest request) {
        var random = new java.util.Random(20261123);
        var out = request.toBuilder();
        for (var rl : out.getResourceLogsBuilderList()) {
            for (var sl : rl.getScopeLogsBuilderList()) {
                for (var r : sl.getLogRecordsBuilderList()) {
                    vary(r.getAttributesBuilderList(), random);
                }
            }
        }
        return out.build().toByteArray();
    }

    private static byte[] varied(ExportTraceServiceRequest request) {
        var random = new java.util.Random(20261123);
        var out = request.toBuilder();
        for (var rs : out.getResourceSpansBuilderList()) {
            for (var ss : rs.getScopeSpansBuilderList()) {
                for (var span : ss.getSpansBuilderList()) {
                    vary(span.getAttributesBuilderList(), random);
                }
            }
        }
        return out.build().toByteArray();
    }

    private static void vary(List<KeyValue.Builder> attributes, java.util.Random random) {
        for (KeyValue.Builder kv : attributes) {
            AnyValue v = kv.getValue();
            String key = kv.getKey();
            if (v.hasIntValue()) {
                long base = Math.abs(v.getIntValue());
                kv.setValue(AnyValue.newBuilder().setIntValue((long) (random.nextDouble() * 2 * (base + 10))));
            } else if (v.hasStringValue() && (key.endsWith("id") || key.endsWith("_id") || key.endsWith(".id"))) {
                kv.setValue(AnyValue.newBuilder().setStringValue(new java.util.UUID(random.nextLong(), random.nextLong()).toString()));
            } else if (v.hasStringValue() && v.getStringValue().matches("\\d+")) {
                long base = Long.parseLong(v.getStringValue().length() > 15 ? "1000" : v.getStringValue());
                kv.setValue(AnyValue.newBuilder().setStringValue(Long.toString((long) (random.nextDouble() * 2 * (base + 10)))));
            }
        }
    }

    /** Bytes of the file the compactor's DuckDB COPY writes from the landing file's rows. */
    private static long compacted(byte[] landing) throws Exception {
        Path dir = Files.createTempDirectory("agentlake-storage-bytes");
        try {
            Path in = dir.resolve("landing.parquet");
            Path out = dir.resolve("compacted.parquet");
            Files.write(in, landing);
            try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
                st.execute("COPY (SELECT * FROM read_parquet('" + in + "') ORDER BY \"timestamp\") TO '" + out
                        + "' (FORMAT parquet, COMPRESSION zstd)");
            }
            return Files.size(out);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int gzip(byte[] body) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(body);
        }
        return out.size();
    }
}
