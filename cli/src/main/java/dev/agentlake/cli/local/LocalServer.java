package dev.agentlake.cli.local;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The functions of the cloud deployment, run in one process: ingest on one port, query + dashboard
 * on another, each in an application context of its own so each sees only its own routes.
 */
public final class LocalServer implements AutoCloseable {
    private final LocalLake lake;
    private final EmbeddedServer ingest;
    private final EmbeddedServer query;

    private LocalServer(LocalLake lake, EmbeddedServer ingest, EmbeddedServer query) {
        this.lake = lake;
        this.ingest = ingest;
        this.query = query;
    }

    /**
     * Starts ingest and query over {@code lake}.
     *
     * @param queryCacheDir where the query function keeps its copies of the lake's objects
     */
    public static LocalServer start(LocalLake lake, String host, int ingestPort, int httpPort, String queryCacheDir) {
        var started = new ArrayList<EmbeddedServer>();
        try {
            EmbeddedServer ingest = start(started, lake, host, ingestPort, Map.of(
                    "agentlake.query.enabled", "false"));
            EmbeddedServer query = start(started, lake, host, httpPort, Map.of(
                    "agentlake.ingest.enabled", "false",
                    "agentlake.query.cache-dir", queryCacheDir));
            return new LocalServer(lake, ingest, query);
        } catch (RuntimeException e) {
            started.forEach(s -> s.getApplicationContext().close());
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

    public LocalLake lake() {
        return lake;
    }

    /**
     * Stops ingest first (in-flight requests finish; nothing more is accepted), then query, then the
     * lake: a request that was answered 200 was already stored.
     */
    @Override
    public void close() {
        ingest.getApplicationContext().close();
        query.getApplicationContext().close();
    }
}
