package dev.agentlake.ingest;

import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.parquet.TableSchema;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The same steps as {@link IngestThroughputBenchmark}, timed by this thread's CPU time instead of the
 * wall clock: records per CPU-second of one core. On a machine shared with other work (ours: 2 cores,
 * often a load of 10+) the wall clock mostly measures waiting for a core; CPU time measures the work.
 * Usage: {@code IngestCpuThroughput [seconds of CPU per measurement, default 5] [steps, default
 * parse,decode,encode,both]}; a step left out prints as {@code -} (handy under a profiler).
 */
public final class IngestCpuThroughput {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static java.util.Set<String> steps = java.util.Set.of("parse", "decode", "encode", "both");

    private IngestCpuThroughput() {
    }

    interface Step {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        if (args.length > 1) {
            steps = java.util.Set.of(args[1].split(","));
        }
        var b = new IngestThroughputBenchmark();
        b.setUp();
        byte[] logs = IngestThroughputBenchmark.logsBody();
        byte[] spans = IngestThroughputBenchmark.spansBody();
        byte[] metrics = IngestThroughputBenchmark.metricsBody();
        var logRows = b.logsIngestForBench().decode(OtlpEncoding.PROTOBUF, logs).rows();
        var spanRows = b.spansIngestForBench().decode(OtlpEncoding.PROTOBUF, spans).rows();
        var pointRows = b.metricsIngestForBench().decode(OtlpEncoding.PROTOBUF, metrics).rows();
        System.out.printf("records per CPU-second, one thread, %d records per request body%n", IngestThroughputBenchmark.RECORDS);
        report("logs", seconds,
                () -> ExportLogsServiceRequest.parseFrom(logs), b::logsDecode, () -> encode(LakeSchemas.LOGS, logRows),
                b::logsDecodeAndEncode);
        report("spans", seconds,
                () -> ExportTraceServiceRequest.parseFrom(spans), b::spansDecode, () -> encode(LakeSchemas.SPANS, spanRows),
                b::spansDecodeAndEncode);
        report("metric points", seconds,
                () -> ExportMetricsServiceRequest.parseFrom(metrics), b::metricsDecode,
                () -> encode(LakeSchemas.METRICS, pointRows), b::metricsDecodeAndEncode);
    }

    private static <R> byte[] encode(TableSchema<R> schema, List<R> rows) {
        return ParquetRowWriter.write(schema, rows);
    }

    private static void report(String signal, double seconds, Step parse, Step decode, Step encode, Step both)
            throws Exception {
        System.out.printf("%-14s parse %9s | decode (parse + rows) %9s | Parquet encode alone %9s |"
                        + " decode + encode %9s%n", signal, rate("parse", parse, seconds), rate("decode", decode, seconds),
                rate("encode", encode, seconds), rate("both", both, seconds));
    }

    private static String rate(String name, Step step, double seconds) throws Exception {
        return steps.contains(name) ? String.format("%.0f", rate(step, seconds)) : "-";
    }

    /** Warms up for {@code seconds} of CPU, then measures for as long again. */
    private static double rate(Step step, double seconds) throws Exception {
        long budget = (long) (seconds * 1e9);
        run(step, budget);
        long[] measured = run(step, budget);
        return measured[0] * (double) IngestThroughputBenchmark.RECORDS / (measured[1] / 1e9);
    }

    private static long[] run(Step step, long cpuNanos) throws Exception {
        long start = THREADS.getCurrentThreadCpuTime();
        long n = 0;
        long used;
        Object sink = null;
        do {
            sink = step.run();
            n++;
            used = THREADS.getCurrentThreadCpuTime() - start;
        } while (used < cpuNanos);
        if (sink == null) {
            throw new IllegalStateException("no result");
        }
        return new long[] {n, used};
    }
}
