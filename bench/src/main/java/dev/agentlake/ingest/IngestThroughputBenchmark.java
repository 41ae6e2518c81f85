package dev.agentlake.ingest;

import com.google.protobuf.ByteString;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.MetricPointRow;
import dev.agentlake.lake.model.SpanRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.testing.Fixtures;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Records per second on one thread for each step of the ingest path, per signal, on request bodies of
 * exactly {@value #RECORDS} records built from the real captures (each copy with its own time and id):
 * <ul>
 *   <li>{@code *Parse}: protobuf parsing alone ({@code Export*ServiceRequest.parseFrom}), the reference;</li>
 *   <li>{@code *Decode}: parse + map to rows ({@link SignalIngest#decode});</li>
 *   <li>{@code *DecodeAndEncode}: parse + rows + the zstd Parquet file the landing PUT would carry.</li>
 * </ul>
 * Scores are records/s ({@link OperationsPerInvocation} = records per body).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IngestThroughputBenchmark {
    static final int RECORDS = 1000;
    private static final IngestSettings SETTINGS = new IngestSettings(16 * 1024 * 1024, false, List.of(), false, null, null);

    private byte[] logs;
    private byte[] spans;
    private byte[] metrics;
    private LogsIngest logsIngest;
    private SpansIngest spansIngest;
    private MetricsIngest metricsIngest;

    @Setup
    public void setUp() throws Exception {
        var redaction = new PromptRedaction(SETTINGS);
        logsIngest = new LogsIngest(new LogRowMapper(SETTINGS, redaction));
        spansIngest = new SpansIngest(new SpanRowMapper(redaction));
        metricsIngest = new MetricsIngest(new MetricPointRowMapper(redaction));
        logs = logsBody();
        spans = spansBody();
        metrics = metricsBody();
        check(logsIngest.decode(OtlpEncoding.PROTOBUF, logs).rows().size(), "logs");
        check(spansIngest.decode(OtlpEncoding.PROTOBUF, spans).rows().size(), "spans");
        check(metricsIngest.decode(OtlpEncoding.PROTOBUF, metrics).rows().size(), "metric points");
    }

    LogsIngest logsIngestForBench() {
        return logsIngest;
    }

    SpansIngest spansIngestForBench() {
        return spansIngest;
    }

    MetricsIngest metricsIngestForBench() {
        return metricsIngest;
    }

    private static void check(int rows, String what) {
        if (rows != RECORDS) {
            throw new IllegalStateException(what + ": " + rows + " rows, expected " + RECORDS);
        }
    }

    /** Claude Code's first logs request (10 records: api_request, tool_result, …), cycled. */
    static byte[] logsBody() throws Exception {
        var capture = ExportLogsServiceRequest.parseFrom(Fixtures.bytes("otlp/claude-code-protobuf/0001-claude-code-logs.bin"));
        var resourceLogs = capture.getResourceLogs(0);
        List<LogRecord> records = new ArrayList<>();
        resourceLogs.getScopeLogsList().forEach(s -> records.addAll(s.getLogRecordsList()));
        var scope = ScopeLogs.newBuilder().setScope(resourceLogs.getScopeLogs(0).getScope());
        for (int i = 0; i < RECORDS; i++) {
            LogRecord r = records.get(i % records.size());
            scope.addLogRecords(r.toBuilder().setTimeUnixNano(r.getTimeUnixNano() + i * 1_000_000L));
        }
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(resourceLogs.toBuilder().clearScopeLogs().addScopeLogs(scope)).build().toByteArray();
    }

    /** Codex's first traces request (512 spans), cycled with fresh span ids. */
    static byte[] spansBody() throws Exception {
        var capture = ExportTraceServiceRequest.parseFrom(Fixtures.bytes("otlp/codex-binary/0001-codex-traces.bin"));
        var resourceSpans = capture.getResourceSpans(0);
        List<Span> all = new ArrayList<>();
        resourceSpans.getScopeSpansList().forEach(s -> all.addAll(s.getSpansList()));
        var scope = ScopeSpans.newBuilder().setScope(resourceSpans.getScopeSpans(0).getScope());
        for (int i = 0; i < RECORDS; i++) {
            Span s = all.get(i % all.size());
            scope.addSpans(s.toBuilder().setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(i + 1L).array()))
                    .setStartTimeUnixNano(s.getStartTimeUnixNano() + i).setEndTimeUnixNano(s.getEndTimeUnixNano() + i));
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans.toBuilder().clearScopeSpans().addScopeSpans(scope)).build().toByteArray();
    }

    /** Codex's metrics request (201 points of sums and histograms), cycled and cut at exactly 1000 points. */
    static byte[] metricsBody() throws Exception {
        var capture = ExportMetricsServiceRequest.parseFrom(Fixtures.bytes("otlp/codex-binary/0003-codex-metrics.bin"));
        var resourceMetrics = capture.getResourceMetrics(0);
        List<Metric> all = new ArrayList<>();
        resourceMetrics.getScopeMetricsList().forEach(s -> all.addAll(s.getMetricsList()));
        var scope = ScopeMetrics.newBuilder().setScope(resourceMetrics.getScopeMetrics(0).getScope());
        int points = 0;
        for (int copy = 0; points < RECORDS; copy++) {
            for (Metric m : all) {
                Metric shifted = shift(m, copy * 60_000_000_000L);
                int n = pointCount(shifted);
                if (points + n > RECORDS) {
                    shifted = truncate(shifted, RECORDS - points);
                    n = RECORDS - points;
                }
                if (n > 0) {
                    scope.addMetrics(shifted);
                    points += n;
                }
                if (points == RECORDS) {
                    break;
                }
            }
        }
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(resourceMetrics.toBuilder().clearScopeMetrics().addScopeMetrics(scope)).build().toByteArray();
    }

    private static int pointCount(Metric m) {
        return switch (m.getDataCase()) {
            case SUM -> m.getSum().getDataPointsCount();
            case GAUGE -> m.getGauge().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            case DATA_NOT_SET -> 0;
        };
    }

    private static Metric shift(Metric m, long nanos) {
        var b = m.toBuilder();
        switch (m.getDataCase()) {
            case SUM -> b.getSumBuilder().getDataPointsBuilderList()
                    .forEach(p -> p.setTimeUnixNano(p.getTimeUnixNano() + nanos));
            case GAUGE -> b.getGaugeBuilder().getDataPointsBuilderList()
                    .forEach(p -> p.setTimeUnixNano(p.getTimeUnixNano() + nanos));
            case HISTOGRAM -> b.getHistogramBuilder().getDataPointsBuilderList()
                    .forEach(p -> p.setTimeUnixNano(p.getTimeUnixNano() + nanos));
            default -> {
            }
        }
        return b.build();
    }

    private static Metric truncate(Metric m, int keep) {
        var b = m.toBuilder();
        switch (m.getDataCase()) {
            case SUM -> {
                var points = new ArrayList<>(m.getSum().getDataPointsList().subList(0, keep));
                b.getSumBuilder().clearDataPoints().addAllDataPoints(points);
            }
            case GAUGE -> {
                var points = new ArrayList<>(m.getGauge().getDataPointsList().subList(0, keep));
                b.getGaugeBuilder().clearDataPoints().addAllDataPoints(points);
            }
            case HISTOGRAM -> {
                var points = new ArrayList<>(m.getHistogram().getDataPointsList().subList(0, keep));
                b.getHistogramBuilder().clearDataPoints().addAllDataPoints(points);
            }
            default -> throw new IllegalStateException("the Codex capture has only sums and histograms");
        }
        return b.build();
    }

    // --- logs -----------------------------------------------------------------------------------

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public ExportLogsServiceRequest logsParse() throws Exception {
        return ExportLogsServiceRequest.parseFrom(logs);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public Object logsDecode() {
        return logsIngest.decode(OtlpEncoding.PROTOBUF, logs);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public byte[] logsDecodeAndEncode() {
        return ParquetRowWriter.write(LakeSchemas.LOGS, logsIngest.decode(OtlpEncoding.PROTOBUF, logs).rows());
    }

    // --- spans ----------------------------------------------------------------------------------

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public ExportTraceServiceRequest spansParse() throws Exception {
        return ExportTraceServiceRequest.parseFrom(spans);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public Object spansDecode() {
        return spansIngest.decode(OtlpEncoding.PROTOBUF, spans);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public byte[] spansDecodeAndEncode() {
        return ParquetRowWriter.write(LakeSchemas.SPANS, spansIngest.decode(OtlpEncoding.PROTOBUF, spans).rows());
    }

    // --- metric points --------------------------------------------------------------------------

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public ExportMetricsServiceRequest metricsParse() throws Exception {
        return ExportMetricsServiceRequest.parseFrom(metrics);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public Object metricsDecode() {
        return metricsIngest.decode(OtlpEncoding.PROTOBUF, metrics);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public byte[] metricsDecodeAndEncode() {
        return ParquetRowWriter.write(LakeSchemas.METRICS, metricsIngest.decode(OtlpEncoding.PROTOBUF, metrics).rows());
    }
}
