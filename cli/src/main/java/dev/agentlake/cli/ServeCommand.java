package dev.agentlake.cli;

import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LocalLake lake = storage.embedded()
                ? LocalLake.embedded(storage.dataDir.resolve("s3"), storage.bucket)
                : LocalLake.external(storage.s3Endpoint, storage.bucket, storage.accessKey, storage.secretKey,
                        storage.region);
        Path cache = storage.embedded() ? storage.dataDir.resolve("cache") : temporaryCache();
        LocalServer server;
        try {
            server = LocalServer.start(lake, host, ingestPort, httpPort, cache.toString());
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
        out.printf("  OTLP/HTTP ingest   http://%s:%d  (POST /v1/logs)%n", shown, server.ingestPort());
        out.printf("  dashboard and API  http://%s:%d%n", shown, server.httpPort());
        out.printf("  lake               %s%n", storage);
        out.printf("Press Ctrl-C to stop.%n");
        out.flush();
        stopped.await();
        return ExitCode.OK.code();
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
