package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.lake.testing.LakeTestServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults, S3 side: OpenTelemetry SDK exporters (half http/protobuf, half http/json, gzip, with
 * retries) send Claude-Code-shaped logs, spans and a delta counter to the local server while its S3-compatible server
 * is, in turn, healthy, stopped, slowed to seconds per call, and failing at random (503, 500, dropped
 * before the request reaches S3, dropped after S3 stored it); the compactor runs through the same bad
 * network. Every log carries a unique {@code prompt.id}, so afterwards each record the exporters saw
 * acknowledged is looked up in the lake one by one; the counter's acknowledged deltas must add up to the
 * lake's sum exactly (a retried request is the same bytes, so it is stored once).
 *
 * <p>Phase length: {@code -Dfaults.phaseSeconds} (default 4; the {@code faults} profile runs 15).
 */
class FaultsS3UnderLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int PIPELINES = 4;
    private static final long SEED = 20261123L;
    private static final AttributeKey<String> PROMPT_ID = AttributeKey.stringKey("prompt.id");
    private static final AttributeKey<Long> INPUT = AttributeKey.longKey("input_tokens");
    private static final AttributeKey<Long> OUTPUT = AttributeKey.longKey("output_tokens");

    /** What the exporters were told: per prompt id the tokens of the log, acknowledged or given up on. */
    static final class Tally {
        final Map<String, long[]> ackedLogs = new ConcurrentHashMap<>();
        final Map<String, long[]> failedLogs = new ConcurrentHashMap<>();
        final AtomicLong exportCalls = new AtomicLong();
        final AtomicLong failedExports = new AtomicLong();
        final AtomicLong ackedSpans = new AtomicLong();
        final AtomicLong failedSpans = new AtomicLong();
        /** The counter's delta points: their values summed over acknowledged and over given-up exports. */
        final AtomicLong ackedCount = new AtomicLong();
        final AtomicLong failedCount = new AtomicLong();
    }

    @Test
    void givenS3StoppedSlowedAndFailingDuringLoadWhenTheExportersFinishThenEveryAcknowledgedRecordIsInTheLakeOnce(
            @TempDir Path tmp) throws Exception {
        long phase = Long.getLong("faults.phaseSeconds", 4) * 1000;
        var tally = new Tally();
        var compactions = new ConcurrentHashMap<Integer, AtomicLong>();
        try (LakeTestServer s3 = LakeTestServer.start();
             FaultyHttpProxy s3Proxy = FaultyHttpProxy.start(s3.server().port(), SEED)) {
            var s = s3.settings();
            List<String> storage = List.of("--s3-endpoint", s3Proxy.endpoint(), "--bucket", s.bucket(),
                    "--s3-access-key", s.accessKey(), "--s3-secret-key", s.secretKey());
            LocalLake lake = LocalLake.external(s3Proxy.endpoint(), s.bucket(), s.accessKey(), s.secretKey(), s.region());
            LocalServer server = LocalServer.start(lake, "127.0.0.1", 0, LocalServer.NO_GRPC, 0,
                    tmp.resolve("cache").toString(), List.of(), Map.of(), null);
            try (FaultyHttpProxy ingestProxy = FaultyHttpProxy.start(server.ingestPort(), SEED)) {
                // The compactor, as `agentlake compact` run every second through the same bad network.
                var compacting = new AtomicBoolean(true);
                Thread compactor = new Thread(() -> {
                    while (compacting.get()) {
                        int code = compact(storage).exitCode();
                        compactions.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
                        sleep(1000);
                    }
                }, "compactor-loop");
                compactor.start();

                var emitting = new AtomicBoolean(true);
                var workers = new ArrayList<Thread>();
                for (int p = 0; p < PIPELINES; p++) {
                    int id = p;
                    Thread w = new Thread(() -> runPipeline(id, p(id), ingestProxy.endpoint(), emitting, tally),
                            "pipeline-" + p);
                    workers.add(w);
                    w.start();
                }

                // The S3 endpoint: healthy, stopped, healthy, slowed, failing at random, healthy. Each phase
                // lasts until it has hit the flow (the machine may be slow), and at least its length.
                phase("healthy (warm-up)", phase, s3Proxy, ingestProxy,
                        () -> ingestProxy.status(200) >= 2 * PIPELINES);
                s3Proxy.stop();
                phase("stopped", phase, s3Proxy, ingestProxy, () -> ingestProxy.status(503) > 0);
                s3Proxy.resume();
                long ok = ingestProxy.status(200);
                phase("healthy", phase / 2, s3Proxy, ingestProxy, () -> ingestProxy.status(200) >= ok + PIPELINES);
                s3Proxy.slow(2000);
                long calls = s3Proxy.requests();
                phase("slowed, 2 s a call", phase, s3Proxy, ingestProxy, () -> s3Proxy.requests() >= calls + 5);
                s3Proxy.slow(0);
                s3Proxy.failAtRandom(0.3);
                phase("failing at random, 30 % of calls", phase * 2, s3Proxy, ingestProxy,
                        () -> java.util.Arrays.stream(FaultyHttpProxy.Fault.values()).skip(1)
                                .allMatch(f -> s3Proxy.faults(f) > 0));
                s3Proxy.heal();
                phase("healthy", phase / 2, s3Proxy, ingestProxy, () -> true);
                emitting.set(false);
                for (Thread w : workers) {
                    w.join(); // each pipeline's shutdown flushes its queue, retries included
                }
                compacting.set(false);
                compactor.join();
                System.out.println("faults: S3 proxy " + s3Proxy.summary());
                System.out.println("faults: ingest proxy " + ingestProxy.summary());
                System.out.printf("faults: %d export calls, %d failed; %d logs acknowledged, %d given up; %d spans"
                                + " acknowledged, %d given up; counter %d acknowledged, %d given up; compactions by exit"
                                + " code %s%n", tally.exportCalls.get(), tally.failedExports.get(), tally.ackedLogs.size(),
                        tally.failedLogs.size(), tally.ackedSpans.get(), tally.failedSpans.get(), tally.ackedCount.get(),
                        tally.failedCount.get(), compactions);

                // Then: the S3 endpoint really misbehaved, and the exporters were told 503 and retried.
                assertThat(s3Proxy.faults(FaultyHttpProxy.Fault.ANSWER_503)).isPositive();
                assertThat(s3Proxy.faults(FaultyHttpProxy.Fault.ANSWER_500)).isPositive();
                assertThat(s3Proxy.faults(FaultyHttpProxy.Fault.DROP_BEFORE)).isPositive();
                assertThat(s3Proxy.faults(FaultyHttpProxy.Fault.DROP_AFTER)).isPositive();
                long told503 = ingestProxy.status(503);
                assertThat(told503).as("exporters told 503 while S3 misbehaved").isPositive();
                // Requests without an answer are those the exporter stopped waiting for (a client-side timeout
                // while ingest was starved of CPU, seen on its cold start) and sent again.
                long unanswered = ingestProxy.requests() - ingestProxy.answers();
                System.out.printf("faults: ingest answered %d x 200, %d x 503, %d unanswered (client timed out)%n",
                        ingestProxy.status(200), told503, unanswered);
                assertThat(ingestProxy.answers()).as("ingest answers nothing but 200 and 503")
                        .isEqualTo(ingestProxy.status(200) + told503);
                assertThat(tally.failedExports.get()).as("exports given up after all retries, so every 503 was retried")
                        .isZero();
                assertThat(ingestProxy.status(200)).as("each export acknowledged exactly once")
                        .isEqualTo(tally.exportCalls.get());
                assertThat(compactions.get(0)).as("compactions that committed or had nothing to do").isNotNull();

                // When: a last compaction on a healthy network.
                Cli.Run last = compact(storage);
                assertThat(last.exitCode()).as(last.out() + last.err()).isZero();
                assertThat(s3.store().list("landing/")).extracting(StoredObject::key).as("landing after compaction")
                        .isEmpty();
                Thread.sleep(1500); // the query function re-lists the lake at most once a second

                // Then: every acknowledged log is in the lake exactly once, with its tokens.
                String api = "http://127.0.0.1:" + server.httpPort();
                Map<String, long[]> inLake = lakeLogs(api);
                assertThat(tally.ackedLogs).isNotEmpty();
                var missing = new ArrayList<String>();
                var wrong = new ArrayList<String>();
                for (var e : tally.ackedLogs.entrySet()) {
                    long[] found = inLake.get(e.getKey());
                    if (found == null) {
                        missing.add(e.getKey());
                    } else if (found[0] != 1 || found[1] != e.getValue()[0] || found[2] != e.getValue()[1]) {
                        wrong.add(e.getKey() + " x" + found[0]);
                    }
                }
                assertThat(missing).as("acknowledged, missing from the lake").isEmpty();
                assertThat(wrong).as("acknowledged, stored more than once or with other tokens").isEmpty();
                assertThat(inLake.keySet()).as("the lake holds only what was sent")
                        .allMatch(id -> tally.ackedLogs.containsKey(id) || tally.failedLogs.containsKey(id));
                assertThat(inLake).hasSize(tally.ackedLogs.size());

                long input = tally.ackedLogs.values().stream().mapToLong(t -> t[0]).sum();
                long output = tally.ackedLogs.values().stream().mapToLong(t -> t[1]).sum();
                JsonNode totals = sql(api, "select count(*) as n, count(distinct span_id) as d from spans"
                        + " where span_name = 'fault.operation'").get("rows").get(0);
                assertThat(totals.get(0).asLong()).as("spans").isEqualTo(tally.ackedSpans.get());
                assertThat(totals.get(1).asLong()).as("distinct spans").isEqualTo(tally.ackedSpans.get());
                JsonNode counter = sql(api, "select count(*), coalesce(sum(value), 0) from metrics"
                        + " where metric_name = 'fault.counter'").get("rows").get(0);
                assertThat(tally.ackedCount.get()).as("counter increments acknowledged").isPositive();
                assertThat(counter.get(1).asLong()).as("counter sum in the lake").isEqualTo(tally.ackedCount.get());
                JsonNode usage = get(api, "/api/usage?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
                JsonNode total = usage.get("totals");
                assertThat(total.get("input_tokens").asLong()).as("usage input tokens").isEqualTo(input);
                assertThat(total.get("output_tokens").asLong()).as("usage output tokens").isEqualTo(output);
                System.out.printf("faults: lake holds %d logs (input %d, output %d tokens), %d spans and %d counter"
                                + " points summing to %d, as acknowledged%n", inLake.size(), input, output,
                        tally.ackedSpans.get(), counter.get(0).asLong(), counter.get(1).asLong());
            } finally {
                server.close();
                lake.close();
            }
        }
    }

    /** Waits at least {@code millis} and until {@code hit} holds (at most three minutes), then reports. */
    private static void phase(String name, long millis, FaultyHttpProxy s3, FaultyHttpProxy ingest,
                              java.util.function.BooleanSupplier hit) throws InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(millis);
        long deadline = start + TimeUnit.MINUTES.toNanos(3);
        while (!hit.getAsBoolean()) {
            assertThat(System.nanoTime()).as("phase '" + name + "' never hit the flow: S3 " + s3.summary()
                    + "; ingest " + ingest.summary()).isLessThan(deadline);
            Thread.sleep(100);
        }
        System.out.printf("faults: %s phase done after %d ms: S3 %s; ingest %s%n", name,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), s3.summary(), ingest.summary());
    }

    private static boolean p(int id) {
        return id % 2 == 1;
    }

    private static Cli.Run compact(List<String> storage) {
        var args = new ArrayList<>(List.of("compact", "--landing-grace", "0s"));
        args.addAll(storage);
        return Cli.run(args.toArray(String[]::new));
    }

    /**
     * One client's telemetry, about 100 logs and spans a second and a counter increment with each, until told
     * to stop; then a flushing shutdown.
     */
    private static void runPipeline(int id, boolean json, String url, AtomicBoolean emitting, Tally tally) {
        Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "claude-code",
                AttributeKey.stringKey("service.version"), "2.0.0", AttributeKey.stringKey("host.name"), "fault-" + id));
        var logs = OtlpHttpLogRecordExporter.builder().setEndpoint(url + "/v1/logs").setCompression("gzip")
                .setTimeout(Duration.ofSeconds(60)).setRetryPolicy(retries());
        var spans = OtlpHttpSpanExporter.builder().setEndpoint(url + "/v1/traces").setCompression("gzip")
                .setTimeout(Duration.ofSeconds(60)).setRetryPolicy(retries());
        var metrics = OtlpHttpMetricExporter.builder().setEndpoint(url + "/v1/metrics").setCompression("gzip")
                .setTimeout(Duration.ofSeconds(60)).setRetryPolicy(retries())
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred());
        SdkMeterProvider meterProvider = SdkMeterProvider.builder().setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(tallied(json(metrics, json).build(), tally))
                        .setInterval(Duration.ofSeconds(1)).build())
                .build();
        SdkLoggerProvider loggerProvider = SdkLoggerProvider.builder().setResource(resource)
                .addLogRecordProcessor(BatchLogRecordProcessor.builder(tallied(json(logs, json).build(), tally))
                        .setMaxQueueSize(100_000).setMaxExportBatchSize(100).setScheduleDelay(Duration.ofMillis(200))
                        .setExporterTimeout(Duration.ofMinutes(5)).build())
                .build();
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(tallied(json(spans, json).build(), tally))
                        .setMaxQueueSize(100_000).setMaxExportBatchSize(100).setScheduleDelay(Duration.ofMillis(200))
                        .setExporterTimeout(Duration.ofMinutes(5)).build())
                .build();
        Logger logger = loggerProvider.get("com.anthropic.claude_code.events");
        Tracer tracer = tracerProvider.get("fault");
        var counter = meterProvider.get("fault").counterBuilder("fault.counter").build();
        var pipeline = Attributes.of(AttributeKey.stringKey("pipeline"), Integer.toString(id));
        String session = "fault-session-" + id;
        long n = 0;
        while (emitting.get()) {
            n++;
            logger.logRecordBuilder().setSeverity(Severity.INFO).setBody("claude_code.api_request")
                    .setTimestamp(Instant.now())
                    .setAllAttributes(Attributes.builder().put("event.name", "api_request").put("session.id", session)
                            .put("prompt.id", "p" + id + "-" + n).put("model", "claude-opus-5-5")
                            .put("input_tokens", 1 + (n * 7 + id) % 5000).put("output_tokens", 1 + (n * 3 + id) % 700)
                            .put("cost_usd", 0.001).build())
                    .emit();
            tracer.spanBuilder("fault.operation").setAttribute("session.id", session).startSpan().end();
            counter.add(1, pipeline);
            if (n % 10 == 0) {
                sleep(100);
            }
        }
        loggerProvider.shutdown().join(5, TimeUnit.MINUTES);
        tracerProvider.shutdown().join(5, TimeUnit.MINUTES);
        meterProvider.shutdown().join(5, TimeUnit.MINUTES);
    }

    /** Generous enough to outlast one phase of faults: 1 + 2 + 4 + 8 s between five attempts. */
    private static RetryPolicy retries() {
        return RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofSeconds(1))
                .setMaxBackoff(Duration.ofSeconds(8)).setBackoffMultiplier(2).build();
    }

    private static LogRecordExporter tallied(LogRecordExporter delegate, Tally tally) {
        return new LogRecordExporter() {
            @Override
            public CompletableResultCode export(Collection<LogRecordData> logs) {
                tally.exportCalls.incrementAndGet();
                CompletableResultCode result = delegate.export(logs);
                result.whenComplete(() -> {
                    if (!result.isSuccess()) {
                        tally.failedExports.incrementAndGet();
                    }
                    for (LogRecordData log : logs) {
                        Attributes a = log.getAttributes();
                        (result.isSuccess() ? tally.ackedLogs : tally.failedLogs)
                                .put(a.get(PROMPT_ID), new long[] {a.get(INPUT), a.get(OUTPUT)});
                    }
                });
                return result;
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

    private static SpanExporter tallied(SpanExporter delegate, Tally tally) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                tally.exportCalls.incrementAndGet();
                CompletableResultCode result = delegate.export(spans);
                result.whenComplete(() -> {
                    if (result.isSuccess()) {
                        tally.ackedSpans.addAndGet(spans.size());
                    } else {
                        tally.failedExports.incrementAndGet();
                        tally.failedSpans.addAndGet(spans.size());
                    }
                });
                return result;
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

    /** Sums the counter's points when the export is called (the reader keeps no copy), counts them when it ends. */
    private static MetricExporter tallied(MetricExporter delegate, Tally tally) {
        return new MetricExporter() {
            @Override
            public CompletableResultCode export(Collection<MetricData> data) {
                long sum = 0;
                for (MetricData m : data) {
                    if (m.getName().equals("fault.counter")) {
                        for (var point : m.getLongSumData().getPoints()) {
                            sum += point.getValue();
                        }
                    }
                }
                long exported = sum;
                tally.exportCalls.incrementAndGet();
                CompletableResultCode result = delegate.export(data);
                result.whenComplete(() -> {
                    if (result.isSuccess()) {
                        tally.ackedCount.addAndGet(exported);
                    } else {
                        tally.failedExports.incrementAndGet();
                        tally.failedCount.addAndGet(exported);
                    }
                });
                return result;
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

    /** The SDK's own JSON encoding, through the builder's internal exportAsJson (as the ingest tests do). */
    private static <B> B json(B builder, boolean json) {
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

    /** Every api_request log in the lake by prompt id: {copies, input tokens, output tokens}, paged by key. */
    private static Map<String, long[]> lakeLogs(String api) throws Exception {
        var all = new HashMap<String, long[]>();
        String after = "";
        while (true) {
            JsonNode rows = sql(api, "select prompt_id, count(*) as n, sum(input_tokens) as i, sum(output_tokens) as o"
                    + " from logs where event_name = 'api_request' and prompt_id > '" + after + "'"
                    + " group by prompt_id order by prompt_id limit 5000").get("rows");
            if (rows.isEmpty()) {
                return all;
            }
            for (JsonNode r : rows) {
                all.put(r.get(0).asText(), new long[] {r.get(1).asLong(), r.get(2).asLong(), r.get(3).asLong()});
                after = r.get(0).asText();
            }
        }
    }

    static JsonNode sql(String api, String sql) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/sql"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("sql", sql)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static JsonNode get(String api, String path) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
