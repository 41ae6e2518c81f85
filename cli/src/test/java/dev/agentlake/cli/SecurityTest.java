package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import dev.agentlake.lake.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local server as `agentlake serve --ingest-token … --api-token …` runs it, attacked from outside:
 * no endpoint answers data without a token, static files embed no data and refuse path traversal,
 * and the SQL console refuses every way out of the lake while leaving the lake untouched.
 */
class SecurityTest {
    private static final String INGEST_TOKEN = "ingest-token-0123456789abcdef";
    private static final String API_TOKEN = "api-token-0123456789abcdefghij";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RUNS = List.of("claude-code-protobuf", "codex-binary", "gemini");

    @TempDir
    static Path dataDir;
    static LocalServer server;
    static String sessionId;
    static String traceId;

    @BeforeAll
    static void startWithTokensAndIngestEveryCapture() throws Exception {
        server = LocalServer.start(LocalLake.embedded(dataDir.resolve("s3"), "agentlake"), "127.0.0.1", 0,
                LocalServer.NO_GRPC, 0, dataDir.resolve("cache").toString(), List.of(INGEST_TOKEN),
                Map.of("agentlake.query.tokens", List.of(API_TOKEN)), null);
        for (String run : RUNS) {
            for (String request : FixturesApiTest.captures(run)) {
                var response = ingest(run, request, INGEST_TOKEN);
                assertThat(response.statusCode()).as(run + "/" + request).isEqualTo(200);
            }
        }
        JsonNode sessions = JSON.readTree(api("GET", "/api/sessions?from=2000-01-01T00:00:00Z", null, API_TOKEN).body());
        sessionId = firstText(sessions, "session_id", "sessionId", "id");
        assertThat(sessionId).as("a session id from " + sessions).isNotBlank();
        JsonNode traces = JSON.readTree(api("GET", "/api/traces?from=2000-01-01T00:00:00Z", null, API_TOKEN).body());
        traceId = firstText(traces, "trace_id", "traceId");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            server.lake().close();
        }
    }

    /** Every /api route, with placeholders filled with ids that exist in the lake. */
    static List<String> apiGets() {
        String trace = traceId == null ? "0af7651916cd43dd8448eb211c80319c" : traceId;
        return List.of("/api/logs", "/api/logs/levels", "/api/usage", "/api/usage/blocks", "/api/sessions",
                "/api/sessions/" + sessionId, "/api/traces", "/api/traces/" + trace + "/spans", "/api/metrics/names",
                "/api/metrics/series?name=claude_code.token.usage", "/api/services", "/api/stats", "/api/live",
                "/api/pricing/unknown-models", "/api/dashboards");
    }

    @Test
    void givenApiTokens_whenAnyApiPathIsCalledWithoutOrWithAWrongToken_then401AndNoData() throws Exception {
        for (String path : apiGets()) {
            for (String token : new String[] {null, "wrong-token-0123456789abcdefgh", API_TOKEN + "x", ""}) {
                var response = api("GET", path, null, token);
                assertThat(response.statusCode()).as(path + " with token " + token).isEqualTo(401);
                assertThat(response.body()).as(path).doesNotContain(sessionId);
            }
            assertThat(api("GET", path, null, API_TOKEN).statusCode()).as(path + " with the token").isEqualTo(200);
        }
        for (String[] post : new String[][] {
            {"/api/sql", "{\"sql\":\"select session_id from logs limit 1\"}"},
            {"/api/metrics/batch-series", "{\"series\":[{\"name\":\"claude_code.token.usage\"}]}"},
            {"/api/dashboards", "{\"name\":\"x\",\"widgets\":[]}"}}) {
            var response = api("POST", post[0], post[1], null);
            assertThat(response.statusCode()).as(post[0]).isEqualTo(401);
            assertThat(response.body()).as(post[0]).doesNotContain(sessionId);
        }
        // The token only in a query string is no token.
        assertThat(api("GET", "/api/sessions?access_token=" + API_TOKEN, null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void givenIngestTokens_whenOtlpIsPostedWithoutOrWithAWrongToken_then401AndNothingWritten() throws Exception {
        Map<String, Long> before = lakeFiles();
        for (String token : new String[] {null, API_TOKEN, "wrong-token-0123456789abcdefgh"}) {
            for (String request : FixturesApiTest.captures("claude-code-protobuf")) {
                assertThat(ingest("claude-code-protobuf", request, token).statusCode()).as(request + " " + token)
                        .isEqualTo(401);
            }
        }
        assertThat(lakeFiles()).isEqualTo(before);
    }

    @Test
    void givenTokens_whenStaticFilesAreFetchedWithoutAToken_thenTheyServeButEmbedNoData() throws Exception {
        var index = api("GET", "/", null, null);
        assertThat(index.statusCode()).isEqualTo(200);
        var pages = new ArrayList<String>(List.of(index.body()));
        // The page's build refers to its files relatively (base './'): ./assets/index-….js
        Matcher assets = Pattern.compile("(?:src|href)=\"\\.?/?(assets/[^\"]+)\"").matcher(index.body());
        while (assets.find()) {
            var asset = api("GET", "/" + assets.group(1), null, null);
            assertThat(asset.statusCode()).as(assets.group(1)).isEqualTo(200);
            pages.add(asset.body());
        }
        assertThat(pages).as("index.html and its assets").hasSizeGreaterThan(1);
        for (String page : pages) {
            assertThat(page).doesNotContain(sessionId).doesNotContain("say hi");
            if (traceId != null) {
                assertThat(page).doesNotContain(traceId);
            }
        }
    }

    @Test
    void givenStaticFiles_whenPathsTraverseOutOfTheSite_then404AndNeverFileContent() throws Exception {
        Files.writeString(dataDir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        String secret = dataDir.resolve("secret.txt").toString();
        List<String> paths = List.of("/../../../../etc/passwd", "/..%2f..%2f..%2f..%2fetc%2fpasswd",
                "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "/..%5c..%5c..%5cetc%5cpasswd", "/..\\..\\..\\etc\\passwd", "/assets/../../../../etc/passwd",
                "/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/%252e%252e/etc/passwd",
                "/..%c0%af..%c0%afetc%c0%afpasswd", "//etc/passwd", "/%2fetc%2fpasswd", "/etc/passwd",
                "/file:/etc/passwd", "/C:%5cWindows%5cwin.ini", "/....//....//etc/passwd", "/.%2e/.%2e/etc/passwd",
                "/" + secret, "/%2f" + secret.substring(1).replace("/", "%2f"), "/../secret.txt",
                "/../../secret.txt", "/WEB-INF/web.xml", "/../application.properties", "/.git/config",
                "/%00/etc/passwd", "/index.html%00.png");
        for (String path : paths) {
            String raw = rawGet(path);
            assertThat(raw).as(path).startsWith("HTTP/1.1 4");
            assertThat(raw).as(path).doesNotContain("root:").doesNotContain("TOP-SECRET-CONTENT")
                    .doesNotContain("[fonts]");
        }
    }

    @Test
    void givenTheSqlConsole_whenStatementsTryToLeaveTheLake_thenEachIsRefusedAndTheLakeIsUntouched() throws Exception {
        Map<String, Long> before = lakeFiles();
        Path outside = dataDir.resolve("escaped.csv");
        List<String> attempts = List.of(
                "COPY (SELECT 1) TO '" + outside + "'",
                "COPY logs TO '" + outside + "' (FORMAT csv)",
                "ATTACH '" + dataDir.resolve("x.db") + "' AS x",
                "INSTALL httpfs", "LOAD httpfs", "INSTALL sqlite FROM 'http://127.0.0.1:1/'",
                "SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_csv_auto('/etc/passwd')",
                "SELECT * FROM read_text('/etc/passwd')", "SELECT * FROM read_blob('/etc/passwd')",
                "SELECT * FROM glob('/*')", "SELECT * FROM '/etc/passwd'",
                "SELECT * FROM read_parquet('" + dataDir.resolve("s3") + "/**/*.parquet')",
                "SET enable_external_access = true", "SET threads = 1", "PRAGMA version",
                "PRAGMA database_list", "SELECT 1; SELECT 2", "SELECT 1; DROP TABLE logs",
                "CALL pragma_version()", "EXPORT DATABASE '" + dataDir.resolve("export") + "'",
                "DROP TABLE logs", "DELETE FROM logs", "CREATE TABLE x AS SELECT 1",
                "SELECT getenv('HOME')",
                "SELECT * FROM sniff_csv('/etc/passwd')", "DETACH DATABASE memory",
                "select * from read_json('/etc/passwd')");
        for (String sql : attempts) {
            var response = api("POST", "/api/sql", JSON.writeValueAsString(Map.of("sql", sql)), API_TOKEN);
            assertThat(response.statusCode()).as(sql + " -> " + response.body()).isBetween(400, 499);
            assertThat(response.body()).as(sql).doesNotContain("root:");
        }
        assertThat(outside).doesNotExist();
        assertThat(dataDir.resolve("x.db")).doesNotExist();
        assertThat(dataDir.resolve("export")).doesNotExist();
        assertThat(lakeFiles()).as("objects in the lake").isEqualTo(before);
        // The console still answers plain reads afterwards.
        var ok = api("POST", "/api/sql", "{\"sql\":\"select count(*) as n from logs\"}", API_TOKEN);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    // ---------------------------------------------------------------------------------------------

    private static HttpResponse<String> ingest(String run, String request, String token) throws Exception {
        JsonNode meta = JSON.readTree(Fixtures.text("otlp/" + run + "/" + request + ".json"));
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.ingestPort() + meta.get("path").asText()))
                .header("Content-Type", meta.get("content_type").asText())
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("otlp/" + run + "/" + request + ".bin")));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> api(String method, String path, String body, String token) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with the path exactly as written (java.net.URI would normalise or refuse some of them). */
    private static String rawGet(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Every file of the embedded S3 server with its size: equal maps mean nothing was written. */
    private static Map<String, Long> lakeFiles() {
        try (Stream<Path> files = Files.walk(dataDir.resolve("s3"))) {
            var result = new TreeMap<String, Long>();
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    result.put(dataDir.relativize(f).toString(), Files.size(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstText(JsonNode node, String... names) {
        if (node.isObject()) {
            for (String name : names) {
                if (node.hasNonNull(name) && node.get(name).isTextual()) {
                    return node.get(name).asText();
                }
            }
        }
        for (JsonNode child : node) {
            String found = firstText(child, names);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
