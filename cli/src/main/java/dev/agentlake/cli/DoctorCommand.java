package dev.agentlake.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.store.S3Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentlake doctor}: checks what a working setup needs: the ports (free, or held by a running
 * Agentlake), the bucket reachable, writable, and this machine's clock close to the S3 server's
 * (S3 refuses requests signed more than 15 minutes off).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check ports, bucket reachability, write permission and clock skew against the S3 server.")
final class DoctorCommand implements Callable<Integer> {
    /** Beyond this, warn; S3 rejects requests signed more than 15 minutes off. */
    static final Duration SKEW_WARN = Duration.ofMinutes(1);
    static final Duration SKEW_FAIL = Duration.ofMinutes(10);

    @Mixin
    StorageOptions storage;
    @Mixin
    OutputOptions output;
    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "${env:AGENTLAKE_HOST:-127.0.0.1}", description = "Address serve listens on. Default: ${DEFAULT-VALUE}.")
    String host;
    @Option(names = "--ingest-port", paramLabel = "PORT", defaultValue = "${env:AGENTLAKE_INGEST_PORT:-4318}", description = "Default: ${DEFAULT-VALUE}.")
    int ingestPort;
    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:AGENTLAKE_HTTP_PORT:-8080}", description = "Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Spec
    CommandSpec spec;

    /** One check's outcome: {@code ok}, {@code warn} or {@code fail}. */
    record Check(@JsonProperty("check") String check, @JsonProperty("status") String status, @JsonProperty("detail") String detail) {
    }

    @Override
    public Integer call() {
        var checks = new ArrayList<Check>();
        boolean usage = false;
        checks.add(port("ingest port", ingestPort));
        checks.add(port("dashboard port", httpPort));
        try (OpenedLake lake = OpenedLake.existing(storage)) {
            checks.add(new Check("bucket", "ok", storage + " reachable ("
                    + lake.store().list(LakeLayout.SNAPSHOTS).size() + " snapshots)"));
            String key = LakeLayout.STATE + "doctor/" + UUID.randomUUID() + ".txt";
            try {
                lake.store().put(key, "agentlake doctor".getBytes(StandardCharsets.UTF_8));
                boolean read = lake.store().get(key).isPresent();
                lake.store().delete(List.of(key));
                checks.add(new Check("write permission", read ? "ok" : "fail",
                        read ? "wrote, read back and deleted " + key : "wrote " + key + " but could not read it back"));
            } catch (RuntimeException e) {
                checks.add(new Check("write permission", "fail", oneLine(e)));
            }
            checks.add(clock(lake.lake().settings()));
        } catch (IllegalArgumentException noLake) {
            // A --data-dir without a lake: said as the bucket check, and a usage error (doctor creates nothing).
            usage = true;
            checks.add(new Check("bucket", "fail", noLake.getMessage()));
        } catch (RuntimeException e) {
            checks.add(new Check("bucket", "fail", storage + ": " + oneLine(e)));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputOptions.printJson(out, Map.of("checks", checks));
        } else {
            for (Check c : checks) {
                out.printf("%-5s %-17s %s%n", c.status(), c.check(), c.detail());
            }
            out.flush();
        }
        if (usage) {
            return ExitCode.USAGE.code();
        }
        return checks.stream().anyMatch(c -> c.status().equals("fail")) ? ExitCode.UNAVAILABLE.code() : ExitCode.OK.code();
    }

    private Check port(String name, int port) {
        String shown = host + ":" + port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return new Check(name, "ok", shown + " is free for agentlake serve");
        } catch (IOException taken) {
            try {
                var response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                        HttpRequest.newBuilder(URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/health"))
                                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("UP")) {
                    return new Check(name, "ok", shown + " is served by a running Agentlake");
                }
            } catch (IOException | InterruptedException other) {
                // not an Agentlake: fall through
            }
            return new Check(name, "fail", shown + " is taken by another program (" + taken.getMessage() + ")");
        }
    }

    private static Check clock(S3Settings s) {
        String endpoint = s.endpoint() != null ? s.endpoint() : "https://s3." + s.region() + ".amazonaws.com";
        try {
            HttpResponse<Void> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "") + "/")).method("HEAD",
                            HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            Instant local = Instant.now();
            var date = response.headers().firstValue("Date");
            if (date.isEmpty()) {
                return new Check("clock", "warn", endpoint + " sent no Date header to compare with");
            }
            Instant server = ZonedDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration skew = Duration.between(server, local).abs();
            String detail = "this machine is " + skew.toSeconds() + " s " + (local.isAfter(server) ? "ahead of" : "behind")
                    + " the S3 server (Date: " + date.get() + ")";
            // The Date header has whole seconds: up to 1 s is no skew at all.
            String status = skew.compareTo(SKEW_FAIL) > 0 ? "fail" : skew.compareTo(SKEW_WARN) > 0 ? "warn" : "ok";
            return new Check("clock", status, detail);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return new Check("clock", "warn", "could not read the S3 server's clock: " + oneLine(e));
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.split("\n", 2)[0];
    }
}
