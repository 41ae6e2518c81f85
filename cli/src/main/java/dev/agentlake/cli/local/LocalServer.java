package dev.agentlake.cli.local;

import dev.agentlake.ingest.IngestAuthenticator;
import dev.agentlake.ingest.IngestPipeline;
import dev.agentlake.ingest.IngestSettings;
import dev.agentlake.query.QuerySettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions of the cloud deployment, run in one process: ingest on one port (and OTLP/gRPC on
 * another), query + dashboard on another, and the compactor on a timer, each in an application
 * context of its own so each sees only its own routes and beans.
 */
public final class LocalServer implements AutoCloseable {
    /** {@link #start} with this gRPC port runs no gRPC server. */
    public static final int NO_GRPC = -1;
    private final LocalLake lake;
    private final EmbeddedServer ingest;
    private final OtlpGrpcServer grpc;
    private final EmbeddedServer query;
    private final ApplicationContext compactor;

    private LocalServer(LocalLake lake, EmbeddedServer ingest, OtlpGrpcServer grpc, EmbeddedServer query,
                        ApplicationContext compactor) {
        this.lake = lake;
        this.ingest = ingest;
        this.grpc = grpc;
        this.query = query;
        this.compactor = compactor;
    }

    /** The compactor's timer interval {@link #start} uses unless told otherwise. */
    public static final java.time.Duration COMPACT_EVERY = java.time.Duration.ofSeconds(60);

    /** Starts OTLP/HTTP ingest and query over {@code lake}, without gRPC and without ingest tokens. */
    public static LocalServer start(LocalLake lake, String host, int ingestPort, int httpPort, String queryCacheDir) {
        return start(lake, host, ingestPort, NO_GRPC, httpPort, queryCacheDir, List.of());
    }

    /**
     * Starts ingest (OTLP/HTTP, and OTLP/gRPC unless {@code grpcPort} is {@link #NO_GRPC}) and query
     * over {@code lake}.
     *
     * @param queryCacheDir where the query function keeps its copies of the lake's objects
     * @param ingestTokens bearer tokens ingest requires (both protocols); empty for none
     */
    public static LocalServer start(LocalLake lake, String host, int ingestPort, int grpcPort, int httpPort,
                                    String queryCacheDir, List<String> ingestTokens) {
        return start(lake, host, ingestPort, grpcPort, httpPort, queryCacheDir, ingestTokens, Map.of(), COMPACT_EVERY);
    }

    /**
     * As above, with more properties for the query function's context (for example
     * {@code agentlake.query.tokens}), and the compactor run every {@code compactEvery} (as
     * EventBridge runs the compactor Lambda in AWS); null runs no compactor.
     */
    public static LocalServer start(LocalLake lake, String host, int ingestPort, int grpcPort, int httpPort,
                                    String queryCacheDir, List<String> ingestTokens, Map<String, Object> queryProperties,
                                    java.time.Duration compactEvery) {
        var ingestProperties = new HashMap<String, Object>();
        if (!ingestTokens.isEmpty()) {
            ingestProperties.put("agentlake.ingest.tokens", List.copyOf(ingestTokens));
        }
        return start(lake, new Options(host, ingestPort, grpcPort, httpPort, queryCacheDir, ingestProperties,
                queryProperties, compactEvery));
    }

    /**
     * How {@link #start(LocalLake, Options)} runs the functions.
     *
     * @param grpcPort the OTLP/gRPC port, or {@link #NO_GRPC}
     * @param queryCacheDir where the query function keeps its copies of the lake's objects
     * @param ingestProperties properties of the ingest function's context ({@code agentlake.ingest.*}: tokens,
     *     redaction, limits), applied to OTLP/HTTP and OTLP/gRPC alike
     * @param queryProperties properties of the query function's context ({@code agentlake.query.*})
     * @param compactEvery the compactor's interval, or null for no compactor
     */
    public record Options(String host, int ingestPort, int grpcPort, int httpPort, String queryCacheDir,
                          Map<String, Object> ingestProperties, Map<String, Object> queryProperties,
                          java.time.Duration compactEvery) {
        public Options {
            java.util.Objects.requireNonNull(host, "host is null");
            java.util.Objects.requireNonNull(queryCacheDir, "queryCacheDir is null");
            ingestProperties = Map.copyOf(ingestProperties);
            queryProperties = Map.copyOf(queryProperties);
        }
    }

    /** Starts the functions over {@code lake} as {@code options} say. */
    public static LocalServer start(LocalLake lake, Options options) {
        var started = new ArrayList<EmbeddedServer>();
        OtlpGrpcServer grpc = null;
        ApplicationContext compactor = null;
        try {
            var ingestRole = new HashMap<String, Object>(options.ingestProperties());
            ingestRole.put("agentlake.query.enabled", "false");
            EmbeddedServer ingest = start(started, lake, options.host(), options.ingestPort(), ingestRole);
            IngestSettings ingestSettings = configured(ingest.getApplicationContext(), IngestSettings.class);
            if (options.grpcPort() != NO_GRPC) {
                ApplicationContext context = ingest.getApplicationContext();
                grpc = OtlpGrpcServer.start(options.host(), options.grpcPort(), context.getBean(IngestPipeline.class),
                        context.getBean(IngestAuthenticator.class), ingestSettings);
            }
            var queryRole = new HashMap<String, Object>(options.queryProperties());
            queryRole.put("agentlake.ingest.enabled", "false");
            queryRole.put("agentlake.query.cache-dir", options.queryCacheDir());
            queryRole.putIfAbsent("agentlake.query.ingest-port", ingest.getPort());
            EmbeddedServer query = start(started, lake, options.host(), options.httpPort(), queryRole);
            configured(query.getApplicationContext(), QuerySettings.class);
            if (options.compactEvery() != null) {
                var props = new HashMap<String, Object>(lake.properties());
                props.put("agentlake.ingest.enabled", "false");
                props.put("agentlake.query.enabled", "false");
                props.put("agentlake.compactor.timer", "true");
                props.put("agentlake.compactor.interval", options.compactEvery().toMillis() + "ms");
                compactor = ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
            }
            return new LocalServer(lake, ingest, grpc, query, compactor);
        } catch (RuntimeException e) {
            if (compactor != null) {
                compactor.close();
            }
            if (grpc != null) {
                grpc.close();
            }
            started.forEach(s -> s.getApplicationContext().close());
            throw e;
        }
    }

    /**
     * A function's settings, made now: Micronaut makes them on first use, so a bad setting (a token
     * shorter than 16 characters) would start a server that answers every request with 500. Its
     * reason comes out as an {@link IllegalArgumentException} of one line.
     */
    private static <T> T configured(ApplicationContext context, Class<T> settings) {
        try {
            return context.getBean(settings);
        } catch (io.micronaut.context.exceptions.BeanContextException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException bad) {
                    throw new IllegalArgumentException(bad.getMessage(), e);
                }
            }
            throw e;
        }
    }

    private static EmbeddedServer start(List<EmbeddedServer> started, LocalLake lake, String host, int port,
                                        Map<String, Object> role) {
        var props = new java.util.HashMap<String, Object>(lake.properties());
        props.putAll(role);
        props.put("micronaut.server.host", host);
        props.put("micronaut.server.port", port == 0 ? -1 : port); // Micronaut picks a free port for -1
        props.put("micronaut.banner.enabled", false);
        ApplicationContext context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
        try {
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            started.add(server);
            return server;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    public int ingestPort() {
        return ingest.getPort();
    }

    public int httpPort() {
        return query.getPort();
    }

    /** The OTLP/gRPC port, or {@link #NO_GRPC} when gRPC is off. */
    public int grpcPort() {
        return grpc == null ? NO_GRPC : grpc.port();
    }

    public LocalLake lake() {
        return lake;
    }

    /**
     * Stops ingest first, gRPC then HTTP (in-flight requests finish; nothing more is accepted), then the
     * compactor (a run in progress may finish), then query, then the lake: a request that was answered
     * 200 was already stored.
     */
    @Override
    public void close() {
        if (grpc != null) {
            grpc.close();
        }
        ingest.getApplicationContext().close();
        if (compactor != null) {
            compactor.close();
        }
        query.getApplicationContext().close();
    }
}
