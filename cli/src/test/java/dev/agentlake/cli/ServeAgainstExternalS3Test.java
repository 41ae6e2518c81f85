package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.testing.ChildProcess;
import dev.agentlake.lake.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Against MinIO": an S3-compatible server in a process of its own (S3Proxy standing in for MinIO,
 * as no Docker engine runs here) and {@code agentlake serve --s3-endpoint} in another.
 */
class ServeAgainstExternalS3Test {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern PORT = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");

    @Test
    void givenAnExternalEndpointWhenServedThenTheRoundTripWorksAndNothingIsWrittenLocally(@TempDir Path tmp)
            throws Exception {
        Path s3Folder = tmp.resolve("minio-data");
        Path dataDir = tmp.resolve("agentlake-data");
        Files.createDirectories(tmp.resolve("work"));
        try (ChildProcess s3 = ChildProcess.java(tmp, "dev.agentlake.lake.testing.StandaloneS3Server",
                s3Folder.toString(), "minio-user", "minio-secret-key")) {
            String endpoint = "http://127.0.0.1:" + s3.awaitLine(l -> l.startsWith("READY "), 180).substring(6);
            try (ChildProcess serve = ChildProcess.java(tmp.resolve("work"), "dev.agentlake.cli.AgentlakeCommand",
                    "serve", "--data-dir", dataDir.toString(), "--ingest-port", "0", "--http-port", "0",
                    "--s3-endpoint", endpoint, "--bucket", "team-lake", "--s3-access-key", "minio-user",
                    "--s3-secret-key", "minio-secret-key", "--s3-region", "eu-west-1", "--allowed-host", "team-box.lan")) {
                int ingestPort = port(serve.awaitLine(l -> l.contains("OTLP/HTTP ingest"), 180));
                int httpPort = port(serve.awaitLine(l -> l.contains("dashboard and API"), 10));
                assertThat(serve.output()).doesNotContain("minio-secret-key");

                var post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingestPort + "/v1/logs"))
                                .header("Content-Type", "application/x-protobuf")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(
                                        Fixtures.bytes("otlp/claude-code-protobuf/0001-claude-code-logs.bin")))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(post.statusCode()).isEqualTo(200);

                var logs = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                                + "/api/logs?from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode rows = new ObjectMapper().readTree(logs.body()).get("rows");
                assertThat(rows).hasSize(10);
                assertThat(rows.get(0).get("session_id").asText()).isEqualTo("193b4fab-8599-4654-931d-65ef6669399e");
                // Without a token the API answers under the name --allowed-host gives, and not under another.
                assertThat(statusUnder(httpPort, "team-box.lan:" + httpPort)).isEqualTo("HTTP/1.1 200 OK");
                assertThat(statusUnder(httpPort, "evil.example:" + httpPort)).isEqualTo("HTTP/1.1 403 Forbidden");

                serve.terminate();
            }
        }
        // The object is in the external server's storage, and the local data folder was never created.
        try (var files = Files.walk(s3Folder.resolve("team-lake"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet")).map(p -> s3Folder.relativize(p).toString()))
                    .singleElement().asString().startsWith("team-lake/landing/logs/dt=2026-11-22/");
        }
        assertThat(dataDir).doesNotExist();
    }

    /** The status line of {@code GET /api/health} sent with {@code Host: host} (Java's clients do not let one set it). */
    private static String statusUnder(int port, String host) throws java.io.IOException {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET /api/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return answer.substring(0, answer.indexOf("\r\n"));
        }
    }

    private static int port(String line) {
        Matcher m = PORT.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
