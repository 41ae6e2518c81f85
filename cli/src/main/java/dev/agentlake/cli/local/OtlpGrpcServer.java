package dev.agentlake.cli.local;

import dev.agentlake.ingest.IngestAuthenticator;
import dev.agentlake.ingest.IngestPipeline;
import dev.agentlake.ingest.IngestSettings;
import dev.agentlake.ingest.InvalidOtlpException;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.store.StoreException;
import dev.agentlake.lake.store.StoreUnavailableException;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC (port 4317, Claude Code's and the Collector's default protocol) in front of the same
 * {@link IngestPipeline} as OTLP/HTTP. Requests are taken as the protobuf bytes they arrived as, so a
 * request sent over gRPC lands under the same content-hash key as the same request over HTTP.
 * gRPC itself undoes {@code grpc-encoding: gzip}, bounded by {@code agentlake.ingest.max-body-bytes}.
 *
 * <p>Local server only: the Lambda functions speak HTTP and never carry gRPC.
 */
public final class OtlpGrpcServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpGrpcServer.class);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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

    private final Server server;
    private final ExecutorService executor;

    private OtlpGrpcServer(Server server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts listening on {@code host:port} (port 0 picks a free one). */
    public static OtlpGrpcServer start(String host, int port, IngestPipeline pipeline, IngestAuthenticator authenticator,
                                       IngestSettings settings) {
        // The pipeline blocks on the landing PUT: a bounded pool, not gRPC's unbounded default.
        ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "otlp-grpc");
            t.setDaemon(true);
            return t;
        });
        ServerInterceptor auth = new BearerTokenInterceptor(authenticator);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .executor(executor)
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, settings.maxBodyBytes()))
                .addService(ServerInterceptors.intercept(service(LogsServiceGrpc.getExportMethod(), Signal.LOGS, pipeline), auth))
                .addService(ServerInterceptors.intercept(service(TraceServiceGrpc.getExportMethod(), Signal.SPANS, pipeline), auth))
                .addService(ServerInterceptors.intercept(service(MetricsServiceGrpc.getExportMethod(), Signal.METRICS, pipeline), auth))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot listen for OTLP/gRPC on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new OtlpGrpcServer(server, executor);
    }

    public int port() {
        return server.getPort();
    }

    /** One service with one unary method, {@code Export}, named as the OTLP proto names it. */
    private static ServerServiceDefinition service(MethodDescriptor<?, ?> generated, Signal signal, IngestPipeline pipeline) {
        MethodDescriptor<byte[], byte[]> export = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(generated.getFullMethodName())
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
        return ServerServiceDefinition.builder(generated.getServiceName())
                .addMethod(export, ServerCalls.asyncUnaryCall((byte[] body, StreamObserver<byte[]> response) ->
                        export(pipeline, signal, body, response)))
                .build();
    }

    /** Classifies failures as the OTLP/gRPC spec asks: retryable UNAVAILABLE for storage, else final codes. */
    private static void export(IngestPipeline pipeline, Signal signal, byte[] body, StreamObserver<byte[]> response) {
        try {
            IngestPipeline.Accepted accepted = pipeline.ingest(signal, "application/x-protobuf", null, body);
            response.onNext(accepted.response());
            response.onCompleted();
        } catch (InvalidOtlpException e) {
            Status status = e.status() == 413 ? Status.RESOURCE_EXHAUSTED : Status.INVALID_ARGUMENT;
            response.onError(status.withDescription(e.getMessage()).asRuntimeException());
        } catch (StoreUnavailableException e) {
            LOG.warn("landing write failed, answering UNAVAILABLE: {}", e.getMessage());
            response.onError(Status.UNAVAILABLE.withDescription("storage unavailable, retry later").asRuntimeException());
        } catch (StoreException e) {
            // As over HTTP: refused by the store (no bucket, access denied) is retryable, not a dropped batch.
            LOG.error("landing write refused by the store (check the bucket and its permissions), answering"
                    + " UNAVAILABLE: {}", e.getMessage());
            response.onError(Status.UNAVAILABLE.withDescription("storage refused the write (check the bucket and its"
                    + " permissions), retry later").asRuntimeException());
        } catch (RuntimeException e) {
            LOG.error("ingest over gRPC failed", e);
            response.onError(Status.INTERNAL.withDescription("internal error").asRuntimeException());
        }
    }

    /** The same bearer tokens as OTLP/HTTP, from the {@code authorization} metadata. */
    private static final class BearerTokenInterceptor implements ServerInterceptor {
        private final IngestAuthenticator authenticator;

        BearerTokenInterceptor(IngestAuthenticator authenticator) {
            this.authenticator = authenticator;
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            if (authenticator.permits(headers.get(AUTHORIZATION))) {
                return next.startCall(call, headers);
            }
            call.close(Status.UNAUTHENTICATED.withDescription(
                    "missing or invalid bearer token: send authorization: Bearer <token>"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
    }

    /** Stops taking calls, lets running ones finish (a call answered OK was stored), then stops. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(30, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor.shutdown();
    }
}
