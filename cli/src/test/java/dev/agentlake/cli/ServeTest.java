package dev.agentlake.cli;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import dev.agentlake.lake.testing.Fixtures;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agentlake serve} as a user runs it: embedded lake, ingest port, API and page port. */
class ServeTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    LocalServer server;

    @BeforeEach
    void start() {
        LocalLake lake = LocalLake.embedded(dataDir.resolve("s3"), "agentlake");
        // No compaction timer: its first run (a minute after the start) would take the landing files a test
        // looks at whenever a slow machine made the test last that long.
        server = LocalServer.start(lake, "127.0.0.1", 0, LocalServer.NO_GRPC, 0, dataDir.resolve("cache").toString(),
                java.util.List.of(), java.util.Map.of(), null);
    }

    @AfterEach
    void stop() {
        server.close();
        server.lake().close();
    }

    JsonNode api(String path) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void givenRecordsFromTheSdkExporterWhenServedThenTheApiReturnsTheSameBodiesAndAttributes() throws Exception {
        var exporter = OtlpHttpLogRecordExporter.builder()
                .setEndpoint("http://127.0.0.1:" + server.ingestPort() + "/v1/logs")
                // The first export meets a cold server; a loaded machine can take longer than the 10 s default.
                .setTimeout(java.time.Duration.ofSeconds(60)).build();
        var provider = SdkLoggerProvider.builder()
                .setResource(Resource.create(Attributes.of(stringKey("service.name"), "gemini-cli")))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
                .build();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        provider.get("gemini-cli").logRecordBuilder().setTimestamp(now.minusSeconds(2)).setBody("User prompt. Length: 6.")
                .setAllAttributes(Attributes.of(stringKey("event.name"), "gemini_cli.user_prompt",
                        stringKey("session.id"), "g-1", stringKey("prompt_id"), "p-7"))
                .emit();
        provider.get("gemini-cli").logRecordBuilder().setTimestamp(now.minusSeconds(1)).setBody("API response")
                .setAllAttributes(Attributes.of(stringKey("event.name"), "gemini_cli.api_response",
                        stringKey("session.id"), "g-1", stringKey("model"), "gemini-3.8-flash"))
                .emit();
        assertThat(provider.shutdown().join(120, TimeUnit.SECONDS).isSuccess()).isTrue();

        JsonNode rows = api("/api/logs?from=now-1h").get("rows");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("body").asText()).isEqualTo("API response");
        assertThat(rows.get(0).get("time").asText()).isEqualTo(now.minusSeconds(1).toString());
        assertThat(rows.get(0).get("tool").asText()).isEqualTo("gemini-cli");
        assertThat(rows.get(0).get("model").asText()).isEqualTo("gemini-3.8-flash");
        assertThat(rows.get(0).get("attributes").toString())
                .isEqualTo("{\"event.name\":\"gemini_cli.api_response\",\"model\":\"gemini-3.8-flash\",\"session.id\":\"g-1\"}");
        assertThat(rows.get(1).get("body").asText()).isEqualTo("User prompt. Length: 6.");
        assertThat(rows.get(1).get("prompt_id").asText()).isEqualTo("p-7");
        assertThat(rows.get(1).get("resource").get("service.name").asText()).isEqualTo("gemini-cli");
    }

    @Test
    void givenTheClaudeCodeCaptureWhenPostedThenTheApiListsItsTenRecordsWithTheSessionId() throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.ingestPort() + "/v1/logs"))
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                Fixtures.bytes("otlp/claude-code-protobuf/0001-claude-code-logs.bin")))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);

        JsonNode rows = api("/api/logs?from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z&limit=100").get("rows");
        assertThat(rows).hasSize(10);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("session_id").asText())
                .isEqualTo("193b4fab-8599-4654-931d-65ef6669399e"));
        assertThat(rows.get(0).get("event_name").asText()).isEqualTo("tool_result");
        assertThat(rows.get(9).get("event_name").asText()).isEqualTo("managed_settings_resolved");
        // The objects are plain Parquet files under the data folder: the user's data, readable without us.
        try (var files = Files.walk(dataDir.resolve("s3/agentlake/landing/logs"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet")).count()).isEqualTo(1);
        }
    }

    @Test
    void bothPortsAnswerHealthAndThePageIsServed() throws Exception {
        for (int port : new int[] {server.ingestPort(), server.httpPort()}) {
            var health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("UP");
        }
        var page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("<title>Agentlake</title>");
        // Each port serves only its own function.
        var noApiOnIngest = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.ingestPort() + "/api/logs")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noApiOnIngest.statusCode()).isEqualTo(404);
        assertThat(noApiOnIngest.body()).startsWith("no page at /api/logs: this is the OTLP ingest port");
        var noPageOnIngest = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.ingestPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noPageOnIngest.statusCode()).isEqualTo(404);
        assertThat(noPageOnIngest.body()).startsWith("no page at /: this is the OTLP ingest port");
    }
}
