package dev.agentlake.cli;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import dev.agentlake.lake.store.S3ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.lake.testing.Fixtures;
import dev.agentlake.lake.testing.LakeSql;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP/gRPC on the local server: the SDK's gRPC exporters (logs, traces, metrics; gzip; bearer
 * token) land in the lake; the Claude Code captures sent over gRPC land under the same keys as over
 * HTTP (the same pipeline); a call without the token is refused with UNAUTHENTICATED.
 */
class GrpcIngestTest {
    private static final String TOKEN = "grpc-test-token-5a4b3c2d";
    /** The first export meets a cold server; a loaded machine can take longer than the 10 s default. */
    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> CLAUDE = List.of("0001-claude-code-logs", "0002-claude-code-logs",
            "0003-claude-code-traces", "0004-claude-code-metrics");

    @TempDir
    static Path dataDir;
    static LocalServer server;
    static S3ObjectStore store;

    @BeforeAll
    static void start() {
        LocalLake lake = LocalLake.embedded(dataDir.resolve("s3"), "agentlake");
        // No compaction timer: a run a minute after the start (a slow machine) would move the landing files the
        // tests count, or commit into a bucket the previous test just emptied.
        server = LocalServer.start(lake, "127.0.0.1", 0, 0, 0, dataDir.resolve("cache").toString(), List.of(TOKEN),
                Map.of(), null);
        store = S3ObjectStore.create(lake.settings());
    }

    @AfterEach
    void emptyTheBucket() {
        List<String> keys = keys();
        if (!keys.isEmpty()) {
            store.delete(keys);
        }
    }

    @AfterAll
    static void stop() {
        store.close();
        server.close();
        server.lake().close();
    }

    private static String grpcEndpoint() {
        return "http://127.0.0.1:" + server.grpcPort();
    }

    @Test
    void givenTheSdkGrpcExportersWithTheTokenWhenTheyExportThenLogsSpansAndMetricsLand() {
        var resource = Resource.create(Attributes.of(stringKey("service.name"), "claude-code"));
        var logs = SdkLoggerProvider.builder().setResource(resource).addLogRecordProcessor(SimpleLogRecordProcessor.create(
                OtlpGrpcLogRecordExporter.builder().setEndpoint(grpcEndpoint()).setCompression("gzip")
                        .addHeader("Authorization", "Bearer " + TOKEN).setTimeout(EXPORT_TIMEOUT).build())).build();
        logs.get("test").logRecordBuilder().setTimestamp(Instant.parse("2026-11-22T10:00:00Z")).setBody("claude_code.api_request")
                .setAllAttributes(Attributes.builder().put("event.name", "api_request").put("input_tokens", 1200L).build())
                .emit();
        var traces = SdkTracerProvider.builder().setResource(resource).addSpanProcessor(SimpleSpanProcessor.create(
                OtlpGrpcSpanExporter.builder().setEndpoint(grpcEndpoint()).setCompression("gzip")
                        .addHeader("Authorization", "Bearer " + TOKEN).setTimeout(EXPORT_TIMEOUT).build())).build();
        traces.get("test").spanBuilder("claude_code.llm_request").setStartTimestamp(Instant.parse("2026-11-22T10:00:00Z"))
                .setAttribute("output_tokens", 35L).startSpan().end(Instant.parse("2026-11-22T10:00:01.5Z"));
        var metrics = SdkMeterProvider.builder().setResource(resource).registerMetricReader(PeriodicMetricReader.builder(
                OtlpGrpcMetricExporter.builder().setEndpoint(grpcEndpoint()).setCompression("gzip")
                        .addHeader("Authorization", "Bearer " + TOKEN).setTimeout(EXPORT_TIMEOUT).build()).setInterval(Duration.ofHours(1)).build())
                .build();
        metrics.get("test").counterBuilder("claude_code.token.usage").build()
                .add(8300, Attributes.of(stringKey("type"), "cacheRead"));

        assertThat(logs.shutdown().join(120, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(traces.shutdown().join(120, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(metrics.shutdown().join(120, TimeUnit.SECONDS).isSuccess()).isTrue();

        assertThat(LakeSql.query(store, "landing/logs/", "select sum(input_tokens) as n from t").get(0).get("n").toString())
                .isEqualTo("1200");
        assertThat(LakeSql.query(store, "landing/spans/", "select output_tokens, duration_ms from t").get(0))
                .containsEntry("output_tokens", 35L).containsEntry("duration_ms", 1500.0);
        assertThat(LakeSql.query(store, "landing/metrics/", "select value, type, metric_type from t").get(0))
                .containsEntry("value", 8300.0).containsEntry("type", "cacheRead").containsEntry("metric_type", "sum");
    }

    @Test
    void givenTheClaudeCapturesWhenSentOverGrpcAndThenOverHttpThenBothLandUnderTheSameFourKeys() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        try {
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
            var authed = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(auth));
            for (String name : CLAUDE) {
                byte[] response = ClientCalls.blockingUnaryCall(authed, rawExport(name), CallOptions.DEFAULT,
                        Fixtures.bytes("otlp/claude-code-protobuf/" + name + ".bin"));
                assertThat(response).as(name + ": an Export*ServiceResponse without partial_success").isEmpty();
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        List<String> overGrpc = keys();
        assertThat(overGrpc).hasSize(4);

        for (String name : CLAUDE) {
            String signal = name.substring(name.lastIndexOf('-') + 1);
            var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.ingestPort() + "/v1/" + signal))
                    .header("Content-Type", "application/x-protobuf").header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("otlp/claude-code-protobuf/" + name + ".bin")))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(keys()).isEqualTo(overGrpc);
        assertThat(LakeSql.query(store, "landing/logs/", "select count(*) as n, sum(input_tokens) as input from t").get(0))
                .satisfies(r -> assertThat(r.get("n")).isEqualTo(12L))
                .satisfies(r -> assertThat(r.get("input").toString()).isEqualTo("2450"));
    }

    @Test
    void givenNoTokenWhenTheClaudeLogsAreSentOverGrpcThenTheCallIsUnauthenticatedAndNothingIsStored() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        try {
            StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(channel, rawExport(CLAUDE.get(0)),
                            CallOptions.DEFAULT, Fixtures.bytes("otlp/claude-code-protobuf/" + CLAUDE.get(0) + ".bin")));
            assertThat(refused.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
            assertThat(refused.getStatus().getDescription())
                    .isEqualTo("missing or invalid bearer token: send authorization: Bearer <token>");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(keys()).isEmpty();
    }

    @Test
    void givenBytesThatAreNotOtlpWhenSentOverGrpcThenTheCallIsAnInvalidArgumentWithTheReason() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        try {
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
            var authed = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(auth));
            StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(authed, rawExport("0001-claude-code-logs"),
                            CallOptions.DEFAULT, "hello world".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(refused.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
            assertThat(refused.getStatus().getDescription())
                    .isEqualTo("invalid OTLP/protobuf: Protocol message end-group tag did not match expected tag.");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(keys()).isEmpty();
    }

    private static List<String> keys() {
        return store.list("").stream().map(StoredObject::key).toList();
    }

    /** The OTLP Export method of the capture's signal, carrying the request's bytes as they are. */
    private static MethodDescriptor<byte[], byte[]> rawExport(String captureName) {
        Map<String, MethodDescriptor<?, ?>> methods = Map.of("logs", LogsServiceGrpc.getExportMethod(),
                "traces", TraceServiceGrpc.getExportMethod(), "metrics", MetricsServiceGrpc.getExportMethod());
        MethodDescriptor<?, ?> generated = methods.get(captureName.substring(captureName.lastIndexOf('-') + 1));
        MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(generated.getFullMethodName()).setRequestMarshaller(bytes).setResponseMarshaller(bytes)
                .build();
    }
}
