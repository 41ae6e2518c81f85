package dev.agentlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Load: N concurrent OpenTelemetry SDK exporter pipelines (logs, metrics and traces each; half
 * http/protobuf, half http/json, gzip) against the local server with the compactor running, for a
 * bounded time; then the lake must hold exactly what the exporters had acknowledged: row counts and
 * token totals through /api/usage and /api/sql. Prints records/s, export latency p50/p99, errors and
 * peak RSS of this process (server and clients share it, as `agentlake serve` and a local CLI would
 * not; the figure is an upper bound for the server).
 *
 * <p>{@code bench/run LoadRun [seconds=60] [exporters=16] [compactEverySeconds=5]}. Exits 1 when a
 * count or total differs.
 */
public final class LoadRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /**
     * The SDK's default is 10 s; on 2 cores shared with 48 exporters a request can wait longer than that
     * for a core, and a timed-out export that the server then stores would count as "failed" yet be in
     * the lake (at-least-once, as OTLP is).
     */
    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(Integer.getInteger("load.exportTimeoutSeconds", 60));

    /** Per-export outcomes, shared by every pipeline. */
    static final class Tally {
        final ConcurrentLinkedQueue<Long> latenciesNanos = new ConcurrentLinkedQueue<>();
        final AtomicLong exports = new AtomicLong();
        final AtomicLong failedExports = new AtomicLong();
        final AtomicLong logsAcked = new AtomicLong();
        final AtomicLong spansAcked = new AtomicLong();
        final AtomicLong pointsAcked = new AtomicLong();
        final AtomicLong logsFailed = new AtomicLong();
        final AtomicLong spansFailed = new AtomicLong();
        final AtomicLong pointsFailed = new AtomicLong();
        /** Exports called and not yet completed: a provider's shutdown can return (its join timed out) before. */
        final AtomicLong inFlight = new AtomicLong();

        /**
         * Calls the export and, when it completes, counts it; {@code onSuccess} adds what the caller took
         * from the batch when the export was called (the batch processor may reuse the batch's list once
         * its own wait for the export has timed out, so nothing is read from it at completion).
         */
        CompletableResultCode timed(Supplier<CompletableResultCode> export, int records, AtomicLong acked,
                                    AtomicLong failed, Runnable onSuccess) {
            long start = System.nanoTime();
            inFlight.incrementAndGet();
            CompletableResultCode result = export.get();
            result.whenComplete(() -> {
                latenciesNanos.add(System.nanoTime() - start);
                exports.incrementAndGet();
                if (result.isSuccess()) {
                    acked.addAndGet(records);
                    onSuccess.run();
                } else {
                    failedExports.incrementAndGet();
                    failed.addAndGet(records);
                }
                inFlight.decrementAndGet();
            });
            return result;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int pipelines = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int compactEvery = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Files.createTempDirectory("agentlake-load");
        LocalLake lake = LocalLake.embedded(dir.resolve("s3"), "agentlake");
        LocalServer server = LocalServer.start(lake, "127.0.0.1", 0, LocalServer.NO_GRPC, 0,
                dir.resolve("cache").toString(), List.of(), Map.of(), Duration.ofSeconds(compactEvery));
        String ingestUrl = "http://127.0.0.1:" + server.ingestPort();
        String apiUrl = "http://127.0.0.1:" + server.httpPort();
        var peakRss = new AtomicLong();
        Thread rssSampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakRss.accumulateAndGet(rssBytes(), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        rssSampler.setDaemon(true);
        rssSampler.start();

        var tally = new Tally();
        var sentInput = new AtomicLong();
        var sentOutput = new AtomicLong();
        var sentCounter = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        Instant started = Instant.now();
        List<Thread> workers = new ArrayList<>();
        for (int p = 0; p < pipelines; p++) {
            boolean json = p % 2 == 1;
            int id = p;
            Thread worker = new Thread(() -> runPipeline(id, json, ingestUrl, deadline, tally, sentInput, sentOutput,
                    sentCounter), "load-" + p);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        // A provider's shutdown gives up waiting after 60 s; the exporters may still be sending. Counted only
        // once every export has completed (else the counts would be read before the last acknowledgements).
        long waitUntil = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (tally.inFlight.get() > 0 && System.nanoTime() < waitUntil) {
            Thread.sleep(100);
        }
        if (tally.inFlight.get() > 0) {
            System.out.printf("load: %d exports still unanswered after 10 minutes%n", tally.inFlight.get());
        }
        double elapsed = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        rssSampler.interrupt();

        // Every export is finished (providers shut down); compare the lake with what was acknowledged.
        long logs = tally.logsAcked.get();
        long spans = tally.spansAcked.get();
        long records = logs + spans + tally.pointsAcked.get();
        List<Long> lat = new ArrayList<>(tally.latenciesNanos);
        Collections.sort(lat);
        System.out.printf("load: %d pipelines (%d protobuf, %d json) for %.1f s, compactor every %d s%n", pipelines,
                (pipelines + 1) / 2, pipelines / 2, elapsed, compactEvery);
        System.out.printf("load: acknowledged %d logs, %d spans, %d metric points = %d records, %.0f records/s%n",
                logs, spans, tally.pointsAcked.get(), records, records / elapsed);
        System.out.printf("load: %d exports, p50 %.1f ms, p99 %.1f ms, max %.1f ms; failed exports %d"
                        + " (records %d logs, %d spans, %d points)%n", tally.exports.get(), pct(lat, 0.50),
                pct(lat, 0.99), lat.isEmpty() ? 0 : lat.get(lat.size() - 1) / 1e6, tally.failedExports.get(),
                tally.logsFailed.get(), tally.spansFailed.get(), tally.pointsFailed.get());
        System.out.printf("load: peak RSS of the whole process (server + %d SDK pipelines) %d MiB%n", pipelines,
                peakRss.get() >> 20);

        boolean exact = tally.failedExports.get() == 0;
        // Before and after one more compaction: counts must not change when landing files are merged.
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {
                Thread.sleep(Duration.ofSeconds(compactEvery * 2L + 2).toMillis());
            }
            JsonNode sql = sql(apiUrl, "select (select count(*) from logs where event_name = 'api_request') as logs,"
                    + " (select count(*) from spans) as spans,"
                    + " (select coalesce(sum(value), 0) from metrics where metric_name = 'load.counter') as counter,"
                    + " (select coalesce(sum(input_tokens), 0) from logs where event_name = 'api_request') as input_tokens");
            JsonNode usage = get(apiUrl, "/api/usage?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
            JsonNode row = sql.get("rows").get(0);
            long lakeLogs = value(row, sql, "logs");
            long lakeSpans = value(row, sql, "spans");
            long lakeCounter = value(row, sql, "counter");
            long lakeInput = value(row, sql, "input_tokens");
            JsonNode total = usage.has("total") ? usage.get("total") : usage.get("totals");
            long usageInput = total.get("input_tokens").asLong();
            long usageOutput = total.get("output_tokens").asLong();
            String when = pass == 0 ? "right after the load" : "after another compaction";
            System.out.printf("check (%s): logs %d/%d, spans %d/%d, counter sum %d/%d, input tokens sql %d/%d,"
                            + " /api/usage input %d/%d output %d/%d (lake/sent)%n", when, lakeLogs, logs, lakeSpans,
                    spans, lakeCounter, sentCounter.get(), lakeInput, sentInput.get(), usageInput, sentInput.get(),
                    usageOutput, sentOutput.get());
            exact &= lakeLogs == logs && lakeSpans == spans && lakeCounter == sentCounter.get()
                    && lakeInput == sentInput.get() && usageInput == sentInput.get() && usageOutput == sentOutput.get();
        }
        System.out.println(exact ? "load: EXACT — every acknowledged record is in the lake once"
                : "load: MISMATCH (or failed exports, see above)");
        server.close();
        lake.close();
        System.exit(exact ? 0 : 1);
    }

    /**
     * One client process's worth of telemetry: Claude-Code-shaped api_request logs carrying tokens,
     * spans, and a delta counter, each through its own exporter. Tokens are only counted as sent once
     * the record's export was acknowledged, so a dropped batch would show as a mismatch, not hide.
     */
    private static void runPipeline(int id, boolean json, String url, long deadline, Tally tally, AtomicLong sentInput,
                                    AtomicLong sentOutput, AtomicLong sentCounter) {
        Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "claude-code",
                AttributeKey.stringKey("service.version"), "2.0.0", AttributeKey.stringKey("host.name"), "load-" + id));
        LogRecordExporter logExporter = timedLogs(logs(url, json), tally, sentInput, sentOutput);
        SpanExporter spanExporter = timedSpans(spans(url, json), tally);
        MetricExporter metricExporter = timedMetrics(metrics(url, json), tally, sentCounter);
        SdkLoggerProvider loggerProvider = SdkLoggerProvider.builder().setResource(resource)
                .addLogRecordProcessor(BatchLogRecordProcessor.builder(logExporter).setMaxQueueSize(100_000)
                        .setMaxExportBatchSize(200).setScheduleDelay(Duration.ofMillis(200)).build()).build();
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(spanExporter).setMaxQueueSize(100_000)
                        .setMaxExportBatchSize(200).setScheduleDelay(Duration.ofMillis(200)).build()).build();
        SdkMeterProvider meterProvider = SdkMeterProvider.builder().setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(metricExporter).setInterval(Duration.ofSeconds(1)).build())
                .build();
        Logger logger = loggerProvider.get("load");
        Tracer tracer = tracerProvider.get("load");
        LongCounter counter = meterProvider.get("load").counterBuilder("load.counter").build();
        long n = 0;
        String session = "load-session-" + id;
        while (System.nanoTime() < deadline) {
            n++;
            long input = 1 + (n * 7 + id) % 5000;
            long output = 1 + (n * 3 + id) % 700;
            logger.logRecordBuilder().setSeverity(Severity.INFO).setBody("claude_code.api_request")
                    .setTimestamp(Instant.now())
                    .setAllAttributes(Attributes.builder().put("event.name", "api_request").put("session.id", session)
                            .put("model", "claude-opus-5-5").put("input_tokens", input).put("output_tokens", output)
                            .put("cost_usd", 0.001).put("load.seq", n).build())
                    .emit();
            Span span = tracer.spanBuilder("load.operation").setAttribute("session.id", session)
                    .setAttribute("load.seq", n).startSpan();
            span.end();
            counter.add(1, Attributes.of(AttributeKey.stringKey("pipeline"), Integer.toString(id)));
            if (n % 50 == 0) {
                try {
                    Thread.sleep(1); // lets the batch processors keep up instead of only queueing
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        // shutdown flushes: the last batches and the last metric interval are exported before it returns.
        loggerProvider.shutdown().join(60, java.util.concurrent.TimeUnit.SECONDS);
        tracerProvider.shutdown().join(60, java.util.concurrent.TimeUnit.SECONDS);
        meterProvider.shutdown().join(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static LogRecordExporter timedLogs(LogRecordExporter delegate, Tally tally, AtomicLong sentInput,
                                               AtomicLong sentOutput) {
        return new LogRecordExporter() {
            @Override
            public CompletableResultCode export(Collection<LogRecordData> logs) {
                long input = 0;
                long output = 0;
                for (LogRecordData log : logs) {
                    input += log.getAttributes().get(AttributeKey.longKey("input_tokens"));
                    output += log.getAttributes().get(AttributeKey.longKey("output_tokens"));
                }
                long in = input;
                long out = output;
                return tally.timed(() -> delegate.export(logs), logs.size(), tally.logsAcked, tally.logsFailed, () -> {
                    sentInput.addAndGet(in);
                    sentOutput.addAndGet(out);
                });
            }

            @Override
            public CompletableResultCode flush() {
                return delegate.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return delegate.shutdown();
            }
        };
    }

    private static SpanExporter timedSpans(SpanExporter delegate, Tally tally) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return tally.timed(() -> delegate.export(spans), spans.size(), tally.spansAcked, tally.spansFailed,
                        () -> { });
            }

            @Override
            public CompletableResultCode flush() {
                return delegate.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return delegate.shutdown();
            }
        };
    }

    private static MetricExporter timedMetrics(MetricExporter delegate, Tally tally, AtomicLong sentCounter) {
        return new MetricExporter() {
            @Override
            public CompletableResultCode export(Collection<MetricData> metrics) {
                int points = 0;
                long sum = 0;
                for (MetricData m : metrics) {
                    points += m.getData().getPoints().size();
                    if (m.getName().equals("load.counter")) {
                        for (var p : m.getLongSumData().getPoints()) {
                            sum += p.getValue();
                        }
                    }
                }
                long counted = sum;
                return tally.timed(() -> delegate.export(metrics), points, tally.pointsAcked, tally.pointsFailed,
                        () -> sentCounter.addAndGet(counted));
            }

            @Override
            public AggregationTemporality getAggregationTemporality(InstrumentType type) {
                return delegate.getAggregationTemporality(type);
            }

            @Override
            public CompletableResultCode flush() {
                return delegate.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return delegate.shutdown();
            }
        };
    }

    // The SDK's own exporters; JSON through the builder's internal exportAsJson (as the ingest tests do).

    private static OtlpHttpLogRecordExporter logs(String url, boolean json) {
        OtlpHttpLogRecordExporterBuilder b = OtlpHttpLogRecordExporter.builder().setEndpoint(url + "/v1/logs")
                .setTimeout(EXPORT_TIMEOUT).setCompression("gzip");
        return asJson(b, json).build();
    }

    private static OtlpHttpSpanExporter spans(String url, boolean json) {
        OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder().setEndpoint(url + "/v1/traces")
                .setTimeout(EXPORT_TIMEOUT).setCompression("gzip");
        return asJson(b, json).build();
    }

    private static OtlpHttpMetricExporter metrics(String url, boolean json) {
        OtlpHttpMetricExporterBuilder b = OtlpHttpMetricExporter.builder().setEndpoint(url + "/v1/metrics")
                .setTimeout(EXPORT_TIMEOUT).setCompression("gzip").setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred());
        return asJson(b, json).build();
    }

    private static <B> B asJson(B builder, boolean json) {
        if (json) {
            try {
                Field delegate = builder.getClass().getDeclaredField("delegate");
                delegate.setAccessible(true);
                Object http = delegate.get(builder);
                http.getClass().getMethod("exportAsJson").invoke(http);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("this SDK version has no internal exportAsJson()", e);
            }
        }
        return builder;
    }

    // ---------------------------------------------------------------------------------------------

    private static JsonNode sql(String apiUrl, String sql) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(apiUrl + "/api/sql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("sql", sql)))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/api/sql " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static JsonNode get(String apiUrl, String path) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(apiUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A column of the first row, whether /api/sql answers rows as objects or as arrays. */
    private static long value(JsonNode row, JsonNode result, String column) {
        if (row.isObject()) {
            return row.get(column).asLong();
        }
        JsonNode columns = result.get("columns");
        for (int i = 0; i < columns.size(); i++) {
            JsonNode c = columns.get(i);
            String name = c.isTextual() ? c.asText() : c.get("name").asText();
            if (name.equals(column)) {
                return row.get(i).asLong();
            }
        }
        throw new IllegalStateException("no column " + column + " in " + result);
    }

    private static double pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1e6;
    }

    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
