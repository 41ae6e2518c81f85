package dev.agentlake.cli;

import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agentlake serve}: ingest, query and dashboard in one process, until Ctrl-C or SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run Agentlake locally: OTLP ingest, the JSON API and the dashboard, over the embedded lake or --s3-endpoint.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "${env:AGENTLAKE_HOST:-127.0.0.1}",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}; env AGENTLAKE_HOST.")
    String host;

    @Option(names = "--ingest-port", paramLabel = "PORT", defaultValue = "${env:AGENTLAKE_INGEST_PORT:-4318}",
            description = "OTLP/HTTP port. Default: ${DEFAULT-VALUE}; env AGENTLAKE_INGEST_PORT.")
    int ingestPort;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:AGENTLAKE_HTTP_PORT:-8080}",
            description = "Dashboard and API port. Default: ${DEFAULT-VALUE}; env AGENTLAKE_HTTP_PORT.")
    int httpPort;

    @Option(names = "--grpc-port", paramLabel = "PORT", defaultValue = "${env:AGENTLAKE_GRPC_PORT:-4317}",
            description = "OTLP/gRPC port (-1: no gRPC). Default: ${DEFAULT-VALUE}; env AGENTLAKE_GRPC_PORT.")
    int grpcPort;

    @Option(names = "--ingest-token", paramLabel = "TOKEN", split = ",", defaultValue = "${env:AGENTLAKE_INGEST_TOKENS}",
            description = "Bearer token ingest requires (repeat or comma-separate for several; at least 16 characters)."
                    + " Env AGENTLAKE_INGEST_TOKENS (comma separated).")
    List<String> ingestTokens;

    @Option(names = "--api-token", paramLabel = "TOKEN", split = ",", defaultValue = "${env:AGENTLAKE_QUERY_TOKENS}",
            description = "Bearer token the JSON API (and so the dashboard) requires (repeat or comma-separate for"
                    + " several; at least 16 characters). Env AGENTLAKE_QUERY_TOKENS (comma separated).")
    List<String> apiTokens;

    @Option(names = "--allow-unauthenticated", defaultValue = "${env:AGENTLAKE_ALLOW_UNAUTHENTICATED:-false}",
            description = "Listen on a non-loopback --host without --ingest-token and --api-token (a trusted network only)."
                    + " Env AGENTLAKE_ALLOW_UNAUTHENTICATED.")
    boolean allowUnauthenticated;

    @Option(names = "--allowed-host", paramLabel = "NAME", split = ",", defaultValue = "${env:AGENTLAKE_ALLOWED_HOSTS}",
            description = "Without --api-token the API answers only under localhost or an IP address (a web page can give"
                    + " its own name this machine's address); also answer under NAME, e.g. this machine's name on a trusted"
                    + " network (repeat or comma-separate). Env AGENTLAKE_ALLOWED_HOSTS.")
    List<String> allowedHosts;

    @Option(names = "--compact-every", paramLabel = "DURATION", defaultValue = "${env:AGENTLAKE_COMPACT_EVERY:-60s}",
            description = "Merge landing files into the tables this often (e.g. 60s, 5m), or off. Default:"
                    + " ${DEFAULT-VALUE}; env AGENTLAKE_COMPACT_EVERY.")
    String compactEvery;

    @Option(names = "--redact-prompts", defaultValue = "${env:AGENTLAKE_INGEST_REDACT_PROMPTS:-false}",
            description = "Store prompt and response text only as its length and SHA-256 (Claude Code, Codex, Gemini CLI"
                    + " and GenAI attributes). Env AGENTLAKE_INGEST_REDACT_PROMPTS.")
    boolean redactPrompts;

    @Spec
    CommandSpec spec;

    /** The compactor's interval, or null for {@code off}. */
    java.time.Duration compactInterval() {
        if (compactEvery.equalsIgnoreCase("off")) {
            return null;
        }
        return DurationOption.parse(spec, "--compact-every", compactEvery, false);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> tokens = ingestTokens == null ? List.of()
                : ingestTokens.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        List<String> queryTokens = apiTokens == null ? List.of()
                : apiTokens.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        String refusal = exposureRefusal(host, tokens, allowUnauthenticated);
        if (refusal == null && queryTokens.isEmpty() && !allowUnauthenticated && !isLoopback(host)) {
            refusal = "refusing to listen on " + host + " without an API token: anyone who can reach it could read"
                    + " your lake. Pass --api-token (or AGENTLAKE_QUERY_TOKENS), or --allow-unauthenticated on a"
                    + " trusted network.";
        }
        if (refusal != null) {
            throw new ParameterException(spec.commandLine(), refusal);
        }
        java.time.Duration compactInterval = compactInterval();
        LocalLake lake = storage.embedded()
                ? LocalLake.embedded(storage.dataDir.resolve("s3"), storage.bucket)
                : LocalLake.external(storage.s3Endpoint, storage.bucket, storage.accessKey, storage.secretKey,
                        storage.region);
        Path cache = storage.embedded() ? storage.dataDir.resolve("cache") : temporaryCache();
        LocalServer server;
        try {
            var ingestProperties = new java.util.HashMap<String, Object>();
            if (!tokens.isEmpty()) {
                ingestProperties.put("agentlake.ingest.tokens", tokens);
            }
            ingestProperties.put("agentlake.ingest.redact-prompts", redactPrompts);
            var queryProperties = new java.util.HashMap<String, Object>();
            if (!queryTokens.isEmpty()) {
                queryProperties.put("agentlake.query.tokens", queryTokens);
            }
            if (allowedHosts != null && !allowedHosts.isEmpty()) {
                queryProperties.put("agentlake.query.allowed-hosts", allowedHosts);
            }
            server = LocalServer.start(lake, new LocalServer.Options(host, ingestPort, grpcPort, httpPort,
                    cache.toString(), ingestProperties, queryProperties, compactInterval));
        } catch (RuntimeException e) {
            lake.close();
            throw e;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            lake.close();
            stopped.countDown();
        }, "agentlake-shutdown"));
        String shown = host.contains(":") ? "[" + host + "]" : host;
        out.printf("Agentlake is running%n");
        out.printf("  OTLP/HTTP ingest   http://%s:%d  (POST /v1/logs, /v1/metrics, /v1/traces)%n", shown,
                server.ingestPort());
        if (server.grpcPort() != LocalServer.NO_GRPC) {
            out.printf("  OTLP/gRPC ingest   http://%s:%d%n", shown, server.grpcPort());
        }
        out.printf("  ingest auth        %s%n", tokens.isEmpty() ? "none" : "bearer token (" + tokens.size() + ")");
        if (redactPrompts) {
            out.printf("  prompts            redacted (length and SHA-256 only)%n");
        }
        out.printf("  dashboard and API  http://%s:%d%n", shown, server.httpPort());
        out.printf("  API auth           %s%n", queryTokens.isEmpty() ? "none" : "bearer token (" + queryTokens.size() + ")");
        out.printf("  lake               %s%n", storage);
        out.printf("  compaction         %s%n", compactInterval == null ? "off (run: agentlake compact)"
                : "every " + compactEvery);
        out.printf("Press Ctrl-C to stop.%n");
        out.flush();
        stopped.await();
        return ExitCode.OK.code();
    }

    /**
     * Why the server must not start, or null. Anyone who can reach a non-loopback address could write
     * to the lake, so it takes a token, or an explicit {@code --allow-unauthenticated}.
     */
    static String exposureRefusal(String host, List<String> tokens, boolean allowUnauthenticated) {
        if (!tokens.isEmpty() || allowUnauthenticated || isLoopback(host)) {
            return null;
        }
        return "refusing to listen on " + host + " without an ingest token: anyone who can reach it could write to"
                + " your lake. Pass --ingest-token (or AGENTLAKE_INGEST_TOKENS), or --allow-unauthenticated on a"
                + " trusted network.";
    }

    private static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress a : addresses) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Path temporaryCache() {
        try {
            Path dir = Files.createTempDirectory("agentlake-cache");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
