package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.lake.testing.ChildProcess;
import dev.agentlake.lake.testing.Fixtures;
import dev.agentlake.lake.testing.LakeSql;
import dev.agentlake.lake.testing.LakeTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who asked for redaction ({@code serve --redact-prompts}, {@code import --redact-prompts}) gets a
 * lake without a byte of what they typed or what the model answered: every capture of the three CLIs is
 * sent to {@code agentlake serve} (a process of its own), their session files are imported, everything is
 * compacted, and then every object in the bucket is scanned, raw and decoded cell by cell.
 */
class PromptRedactionCliTest {
    /** What each CLI was asked in the fixtures, and the start of Codex's answer. */
    private static final List<String> SECRETS = List.of("say hi", "Hi! The command printed");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PORT = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");

    private LakeTestServer s3;
    @TempDir
    Path tmp;

    @BeforeEach
    void startS3() {
        s3 = LakeTestServer.start();
    }

    @AfterEach
    void stopS3() {
        s3.close();
    }

    @Test
    void givenRedactionAskedForWhenEveryCaptureIsServedAndEverySessionFileImportedThenNoObjectHoldsPromptOrAnswer()
            throws Exception {
        var storage = Cli.storage(s3);
        var args = new ArrayList<>(List.of("serve", "--redact-prompts", "--ingest-port", "0", "--http-port", "0",
                "--grpc-port", "-1", "--compact-every", "off"));
        args.addAll(storage);
        Files.createDirectories(tmp.resolve("work"));
        try (ChildProcess serve = ChildProcess.java(tmp.resolve("work"), "dev.agentlake.cli.AgentlakeCommand",
                args.toArray(String[]::new))) {
            int ingestPort = port(serve.awaitLine(l -> l.contains("OTLP/HTTP ingest"), 180));
            assertThat(serve.awaitLine(l -> l.contains("prompts"), 10)).contains("redacted");
            int posted = 0;
            for (String run : FixturesApiTest.RUNS) {
                for (String request : FixturesApiTest.captures(run)) {
                    assertThat(post(ingestPort, run, request)).as(run + "/" + request).isEqualTo(200);
                    posted++;
                }
            }
            assertThat(posted).isEqualTo(11);
            serve.terminate();
        }
        Path home = FixtureHome.all(tmp.resolve("home"));
        Cli.Run imported = Cli.run(s3, "import", "all", "--home", home.toString(), "--redact-prompts", "--json");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        Cli.Run compacted = Cli.run(s3, "compact", "--landing-grace", "0s");
        assertThat(compacted.exitCode()).as(compacted.err()).isZero();

        List<StoredObject> objects = s3.store().list("");
        assertThat(objects).extracting(StoredObject::key)
                .anyMatch(k -> k.startsWith("tables/logs/"))
                .anyMatch(k -> k.startsWith("tables/usage/"))
                .anyMatch(k -> k.startsWith("tables/spans/"))
                .anyMatch(k -> k.startsWith("tables/metrics/"));
        for (StoredObject o : objects) {
            byte[] bytes = s3.store().get(o.key()).orElseThrow();
            String raw = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String secret : SECRETS) {
                assertThat(raw).as(o.key()).doesNotContain(secret);
            }
            if (o.key().endsWith(".parquet")) {
                assertThat(cellsContaining(o.key(), bytes)).as(o.key()).isEmpty();
            }
        }

        // The imported prompts are there as their length and hash, so they still count and match.
        String redacted = "{\"redacted\":true,\"length\":6,\"sha256\":\"" + sha256("say hi") + "\"}";
        var prompts = LakeSql.query(s3.store(), "tables/logs/",
                "select tool, count(*) as n from t where source = 'import' and event_name = 'user_prompt' and body = '"
                        + redacted + "' group by tool order by tool");
        assertThat(prompts).extracting(r -> r.get("tool") + "=" + r.get("n"))
                .containsExactly("claude-code=1", "codex=1", "gemini-cli=1");
    }

    /** The scan above can fail: without the option, the imported transcript holds the prompts in plain text. */
    @Test
    void givenNoRedactionWhenImportedThenTheSameScanFindsThePrompts() throws Exception {
        Path home = FixtureHome.all(tmp.resolve("home"));
        assertThat(Cli.run(s3, "import", "all", "--home", home.toString()).exitCode()).isZero();

        var found = new ArrayList<String>();
        for (StoredObject o : s3.store().list("landing/logs/")) {
            found.addAll(cellsContaining(o.key(), s3.store().get(o.key()).orElseThrow()));
        }
        assertThat(found).contains("body: say hi").anyMatch(s -> s.startsWith("body: Hi! The command printed"));
    }

    /** Every string form of every cell of the Parquet object that contains a secret, as "column: value". */
    private List<String> cellsContaining(String key, byte[] bytes) throws Exception {
        Path file = Files.createTempFile(tmp, "object", ".parquet");
        Files.write(file, bytes);
        var found = new ArrayList<String>();
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            var columns = new ArrayList<String>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                while (rs.next()) {
                    columns.add(rs.getString("column_name"));
                }
            }
            assertThat(columns).as(key).isNotEmpty();
            for (String column : columns) {
                String quoted = "\"" + column.replace("\"", "\"\"") + "\"";
                var like = new ArrayList<String>();
                for (String secret : SECRETS) {
                    like.add("CAST(" + quoted + " AS VARCHAR) LIKE '%" + secret + "%'");
                }
                try (ResultSet rs = st.executeQuery("SELECT CAST(" + quoted + " AS VARCHAR) FROM read_parquet('" + file
                        + "') WHERE " + String.join(" OR ", like))) {
                    while (rs.next()) {
                        found.add(column + ": " + rs.getString(1));
                    }
                }
            }
        }
        return found;
    }

    private static int post(int port, String run, String request) throws Exception {
        JsonNode meta = JSON.readTree(Fixtures.text("otlp/" + run + "/" + request + ".json"));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + meta.get("path").asText()))
                .header("Content-Type", meta.get("content_type").asText())
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("otlp/" + run + "/" + request + ".bin")))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int port(String line) {
        Matcher m = PORT.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
