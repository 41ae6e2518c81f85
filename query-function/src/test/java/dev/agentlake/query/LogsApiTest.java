package dev.agentlake.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.model.Tokens;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.testing.LakeTestServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

class LogsApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceColumns CLAUDE = new ResourceColumns("claude-code", "claude-code", "2.1.330", "laptop",
            "{\"service.name\":\"claude-code\"}");
    static final ResourceColumns CODEX = new ResourceColumns("codex", "codex_exec", "0.169.0", "vm",
            "{\"service.name\":\"codex_exec\"}");

    @TempDir
    static Path cache;
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass();
    static EmbeddedServer server;

    static LogRow row(String id, String time, ResourceColumns resource, String event, String session, String body) {
        Instant t = Instant.parse(time);
        return new LogRow(id, t.getEpochSecond() * 1_000_000_000L + t.getNano(), 0, resource, null, null, null, 0,
                event, body, session, null, null, null, null, Tokens.NONE, null, null, null, null, null, null,
                null, null, 0, "{\"event.name\":\"" + event + "\"}", "otlp");
    }

    @BeforeAll
    static void start() {
        // Two landing files, as two ingest requests would leave them.
        s3.store().put(LakeLayout.landingKey(Signal.LOGS, LocalDate.parse("2026-11-20"), "aaaaaaaaaaaaaaaa"),
                ParquetRowWriter.write(LakeSchemas.LOGS, List.of(
                        row("r1", "2026-11-20T08:00:00Z", CLAUDE, "user_prompt", "s-1", "claude_code.user_prompt"),
                        row("r2", "2026-11-20T08:00:02Z", CLAUDE, "api_request", "s-1", "claude_code.api_request"))));
        s3.store().put(LakeLayout.landingKey(Signal.LOGS, LocalDate.parse("2026-11-21"), "bbbbbbbbbbbbbbbb"),
                ParquetRowWriter.write(LakeSchemas.LOGS, List.of(
                        row("r3", "2026-11-21T09:30:00.123456Z", CODEX, "codex.sse_event", "c-9", null))));
        var props = new HashMap<String, Object>(s3.properties());
        props.put("micronaut.server.port", -1);
        props.put("agentlake.query.cache-dir", cache.toString());
        server = ApplicationContext.builder().properties(props).start().getBean(EmbeddedServer.class).start();
    }

    @AfterAll
    static void stop() {
        server.getApplicationContext().close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void givenLandingFilesWhenLogsAreRequestedThenTheyComeNewestFirstWithTheirColumns() throws Exception {
        var response = get("/api/logs?from=2026-11-19T00:00:00Z&to=2026-11-22T00:00:00Z");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("rows")).hasSize(3);
        JsonNode first = body.get("rows").get(0);
        assertThat(first.get("time").asText()).isEqualTo("2026-11-21T09:30:00.123456Z");
        assertThat(first.get("tool").asText()).isEqualTo("codex");
        assertThat(first.get("service_name").asText()).isEqualTo("codex_exec");
        assertThat(first.get("session_id").asText()).isEqualTo("c-9");
        assertThat(first.get("body").isNull()).isTrue();
        assertThat(first.get("attributes").get("event.name").asText()).isEqualTo("codex.sse_event");
        assertThat(body.get("rows").get(1).get("event_name").asText()).isEqualTo("api_request");
        assertThat(body.get("rows").get(2).get("body").asText()).isEqualTo("claude_code.user_prompt");
        assertThat(body.get("from").asText()).isEqualTo("2026-11-19T00:00:00Z");
    }

    @Test
    void givenATimeRangeAndLimitThenOnlyThoseRowsAreReturned() throws Exception {
        JsonNode body = JSON.readTree(get("/api/logs?from=2026-11-20T08:00:01Z&to=2026-11-21T00:00:00Z").body());
        assertThat(body.get("rows")).hasSize(1);
        assertThat(body.get("rows").get(0).get("event_name").asText()).isEqualTo("api_request");

        JsonNode limited = JSON.readTree(get("/api/logs?from=2026-11-01T00:00:00Z&to=2026-11-22T00:00:00Z&limit=2&offset=1").body());
        assertThat(limited.get("rows")).extracting(r -> r.get("event_name").asText())
                .containsExactly("api_request", "user_prompt");
    }

    @Test
    void givenBadParametersThenA400ExplainsWhich() throws Exception {
        var badTime = get("/api/logs?from=yesterday");
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badTime.body()).get("error").asText()).isEqualTo("bad_request");
        assertThat(JSON.readTree(badTime.body()).get("message").asText()).contains("'from' must be an RFC 3339 time");

        var badLimit = get("/api/logs?limit=lots");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badLimit.body()).get("message").asText()).isEqualTo("'limit' must be a whole number, not 'lots'");

        var reversed = get("/api/logs?from=2026-11-22T00:00:00Z&to=2026-11-21T00:00:00Z");
        assertThat(reversed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(reversed.body()).get("message").asText()).contains("must be before 'to'");
    }

    @Test
    void theDashboardIsServedAtTheRootAndNoPathEscapesTheSite() throws Exception {
        var page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<title>Agentlake</title>");
        // The built page loads one hashed script from assets/ (served cacheable for a year).
        var script = java.util.regex.Pattern.compile("src=\"\\./(assets/index-[\\w-]+\\.js)\"").matcher(page.body());
        assertThat(script.find()).as(page.body()).isTrue();
        var js = get("/" + script.group(1));
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(js.body()).contains("/api/logs");
        for (String path : List.of("/../pom.xml", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fetc%2fpasswd", "/nope.html")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void theApiAnswersClientsThatAcceptAnything() throws Exception {
        // curl and most scripts send Accept: */*; the dashboard's catch-all route must not take /api.
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort()
                        + "/api/logs?from=2026-11-19T00:00:00Z&to=2026-11-22T00:00:00Z")).header("Accept", "*/*").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("rows")).hasSize(3);
        var unknown = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/api/nope"))
                .header("Accept", "*/*").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void healthAnswersClientsThatAcceptAnything() throws Exception {
        // Load balancers, `curl` and `agentlake doctor` ask /health with Accept: */* (or nothing).
        for (String path : List.of("/health", "/api/health")) {
            for (String accept : List.of("*/*", "application/json")) {
                var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                        .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path + " " + accept).isEqualTo(200);
                assertThat(response.body()).as(path + " " + accept).isEqualTo("{\"status\":\"UP\",\"service\":\"query\"}");
            }
        }
    }
}
