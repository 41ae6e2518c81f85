package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.testing.LakeTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agentlake export} and {@code import-bundle}: bundles that leave one lake and arrive in another. */
class BundleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static LakeTestServer lakeA;
    static LakeTestServer lakeB;

    @TempDir
    Path home;
    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        lakeA = LakeTestServer.start();
        lakeB = LakeTestServer.start();
    }

    @AfterAll
    static void stop() {
        lakeA.close();
        lakeB.close();
    }

    @BeforeEach
    void empty() throws Exception {
        lakeA.store().delete(lakeA.keys());
        lakeB.store().delete(lakeB.keys());
        FixtureHome.all(home);
        Files.writeString(home.resolve(FixtureHome.CLAUDE_FILE), "{\"parentUuid\":null,\"isSidechain\":false,"
                + "\"promptId\":\"p-mail\",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"mail the result to"
                + " dev.person@example.com please\"},\"uuid\":\"u-mail\",\"timestamp\":\"2026-11-22T18:57:10.000Z\","
                + "\"cwd\":\"/home/dev/sample/proj-claude-code-protobuf\",\"sessionId\":\"193b4fab-8599-4654-931d-65ef6669399e\","
                + "\"version\":\"2.1.330\"}\n", StandardOpenOption.APPEND);
        assertThat(Cli.run(lakeA, "import", "all", "--home", home.toString()).exitCode()).isZero();
    }

    static JsonNode json(Cli.Run run) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    @Test
    void givenALakeWhenExportedAndImportedIntoAnEmptyLakeThenBothReportTheSameUsage() throws Exception {
        Path zip = work.resolve("bundle.zip");
        JsonNode export = json(Cli.run(lakeA, "export", "--output", zip.toString(), "--json"));
        assertThat(export.get("manifest").get("rows").get("usage").asLong()).isEqualTo(6);
        assertThat(export.get("manifest").get("rows").get("logs").asLong()).isEqualTo(14);

        JsonNode merged = json(Cli.run(lakeB, "import-bundle", zip.toString(), "--json"));
        assertThat(merged.get("rows").get("usage").asLong()).isEqualTo(6);

        JsonNode a = json(Cli.run(lakeA, "report", "session", "--tz", "UTC", "--json"));
        JsonNode b = json(Cli.run(lakeB, "report", "session", "--tz", "UTC", "--json"));
        assertThat(b.get("groups")).isEqualTo(a.get("groups"));
        assertThat(b.get("totals")).isEqualTo(a.get("totals"));
        assertThat(ReportCommandTest.counters(b.get("totals"))).isEqualTo("3702/17548/350/160/46");

        // The same bundle twice: the rows are there once.
        assertThat(Cli.run(lakeB, "import-bundle", zip.toString()).exitCode()).isZero();
        assertThat(json(Cli.run(lakeB, "report", "session", "--tz", "UTC", "--json")).get("totals")).isEqualTo(a.get("totals"));
    }

    @Test
    void givenABundleFileChangedAfterExportThenImportBundleRefusesAndWritesNothing() throws Exception {
        Path dir = work.resolve("bundle");
        assertThat(Cli.run(lakeA, "export", "--output", dir.toString()).exitCode()).isZero();
        byte[] usage = Files.readAllBytes(dir.resolve("usage.parquet"));
        usage[usage.length / 2] ^= 1;
        Files.write(dir.resolve("usage.parquet"), usage);

        Cli.Run run = Cli.run(lakeB, "import-bundle", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).contains("bundle file usage.parquet does not match its SHA-256 in manifest.json");
        assertThat(lakeB.keys()).isEmpty();
    }

    @Test
    void givenAFileThatIsNoZipOrAZipWithoutAManifestThenImportBundleNamesTheUsersFileAndWritesNothing() throws Exception {
        Path garbage = Files.writeString(work.resolve("garbage.zip"), "these bytes are not a zip archive\n");
        Path notABundle = work.resolve("not-a-bundle.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(notABundle))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("notes.txt"));
            zip.write("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        Cli.Run noZip = Cli.run(lakeB, "import-bundle", garbage.toString());
        Cli.Run noManifest = Cli.run(lakeB, "import-bundle", notABundle.toString());

        assertThat(noZip.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(noZip.err()).isEqualTo("agentlake: not a zip file: " + garbage + " (no entries)\n");
        assertThat(noManifest.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(noManifest.err()).isEqualTo("agentlake: not a bundle: no manifest.json in " + notABundle + "\n");
        assertThat(lakeB.keys()).isEmpty();
    }

    @Test
    void givenABundleWhoseFilesMatchTheirChecksumsButNotTheirTablesThenImportBundleRefusesAndWritesNothing()
            throws Exception {
        // Both were accepted before: logs rows as usage merged "13 rows" and broke every later report
        // (callId is null); an unreadable logs file failed after usage had been written.
        Path wrongColumns = work.resolve("wrong-columns");
        assertThat(Cli.run(lakeA, "export", "--output", wrongColumns.toString()).exitCode()).isZero();
        Files.copy(wrongColumns.resolve("logs.parquet"), wrongColumns.resolve("usage.parquet"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        rewriteChecksum(wrongColumns, "usage.parquet");
        Path unreadable = work.resolve("unreadable");
        assertThat(Cli.run(lakeA, "export", "--output", unreadable.toString()).exitCode()).isZero();
        Files.writeString(unreadable.resolve("logs.parquet"), "not parquet at all");
        rewriteChecksum(unreadable, "logs.parquet");

        Cli.Run columns = Cli.run(lakeB, "import-bundle", wrongColumns.toString());
        Cli.Run garbage = Cli.run(lakeB, "import-bundle", unreadable.toString());

        assertThat(columns.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(columns.err().strip()).startsWith("agentlake: bundle file usage.parquet lacks the usage columns call_id");
        assertThat(garbage.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(garbage.err().strip()).isEqualTo("agentlake: bundle file logs.parquet is not a readable Parquet file");
        assertThat(lakeB.keys()).as("nothing of either bundle, usage included").isEmpty();
    }

    @Test
    void givenAZipWhoseEntryInflatesBeyondItsSizeInTheManifestThenImportBundleStopsThereAndWritesNothing() throws Exception {
        // Was: every entry unpacked in full before the checksums were compared, so a bundle from elsewhere
        // could fill the disk (64 MiB of zeros are 64 KiB zipped; the ratio has no bound).
        Path dir = work.resolve("bundle");
        assertThat(Cli.run(lakeA, "export", "--output", dir.toString()).exitCode()).isZero();
        long declared = Files.size(dir.resolve("logs.parquet"));
        Path bomb = work.resolve("bomb.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("logs.parquet"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                zip.write(zeros);
            }
            for (String name : List.of("usage.parquet", "manifest.json")) {
                zip.putNextEntry(new java.util.zip.ZipEntry(name));
                zip.write(Files.readAllBytes(dir.resolve(name)));
            }
        }

        Cli.Run run = Cli.run(lakeB, "import-bundle", bomb.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).isEqualTo("agentlake: bundle file logs.parquet of " + bomb + " holds more than the " + declared
                + " bytes manifest.json gives it\n");
        assertThat(lakeB.keys()).isEmpty();
    }

    @Test
    void givenAZipWhoseManifestNamesAFileOutsideTheBundleThenImportBundleRefusesToWriteIt() throws Exception {
        Path bundle = work.resolve("slip.zip");
        String escaping = "../../agentlake-slip-" + ProcessHandle.current().pid() + ".txt";
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(bundle))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("manifest.json"));
            zip.write(("{\"format\":1,\"files\":{\"" + escaping + "\":{\"sha256\":\"00\",\"bytes\":5}},\"rows\":{},\"redacted\":[]}")
                    .getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new java.util.zip.ZipEntry(escaping));
            zip.write("owned".getBytes(StandardCharsets.UTF_8));
        }

        Cli.Run run = Cli.run(lakeB, "import-bundle", bundle.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).isEqualTo("agentlake: bundle entry escapes its folder: " + escaping + "\n");
        assertThat(Path.of(System.getProperty("java.io.tmpdir"), escaping.substring("../../".length()))).doesNotExist();
        assertThat(lakeB.keys()).isEmpty();
    }

    /** The manifest's SHA-256 and size of {@code name}, made to match the file again. */
    private static void rewriteChecksum(Path bundle, String name) throws Exception {
        byte[] bytes = Files.readAllBytes(bundle.resolve(name));
        var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(bundle.resolve("manifest.json").toFile());
        var entry = (com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("files").get(name);
        entry.put("sha256", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
        entry.put("bytes", bytes.length);
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(bundle.resolve("manifest.json").toFile(), manifest);
    }

    @Test
    void givenRedactionThenNoPromptPathEmailOrHostIsInAnyExportedByteAndTheTokensAreUnchanged() throws Exception {
        Path dir = work.resolve("redacted");
        JsonNode export = json(Cli.run(lakeA, "export", "--output", dir.toString(), "--redact", "prompts,paths,emails,hosts",
                "--json"));
        assertThat(export.get("manifest").get("redacted")).extracting(JsonNode::asText)
                .containsExactly("emails", "hosts", "paths", "prompts");

        String host = LocalHostName.get();
        List<String> secrets = List.of("say hi", "dev.person@example.com", "/home/dev/sample", "echo hi", host);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String s : secrets) {
                    assertThat(raw).as(f.getFileName() + " holds " + s).doesNotContain(s);
                }
                if (f.toString().endsWith(".parquet")) {
                    for (String text : allText(f)) {
                        for (String s : secrets) {
                            assertThat(text).as(f.getFileName() + " decoded holds " + s).doesNotContain(s);
                        }
                    }
                }
            }
        }
        assertThat(allText(dir.resolve("logs.parquet"))).anyMatch(t -> t.contains("redacted:"));
        // Tokens are not secrets: the redacted bundle still adds up.
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sum(input_tokens), sum(cache_write_tokens), count(DISTINCT project)"
                     + " FROM read_parquet('" + dir.resolve("usage.parquet") + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3702);
            assertThat(rs.getLong(2)).isEqualTo(350);
            assertThat(rs.getLong(3)).isEqualTo(3);
        }
    }

    @Test
    void givenRealCodexSpansThatRepeatAnAttributeKeyWhenExportedRedactedThenEverySpanIsExportedWithBothValues()
            throws Exception {
        // Codex sends "thread.id" twice on a span (a number, then the conversation id); the redaction
        // used to cast attributes to a MAP, which refuses a repeated key: the export failed (exit 4).
        ingest("codex-json", FixturesApiTest.captures("codex-json"));
        Path dir = work.resolve("codex-redacted");

        JsonNode export = json(Cli.run(lakeA, "export", "--output", dir.toString(), "--redact", "prompts,paths,emails,hosts",
                "--json"));

        assertThat(export.get("manifest").get("rows").get("spans").asLong()).isEqualTo(560);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT span_attributes FROM read_parquet('" + dir.resolve("spans.parquet")
                     + "') WHERE span_name = 'codex.exec'")) {
            assertThat(rs.next()).isTrue();
            String attributes = rs.getString(1);
            String conversation = "\"01a2049f-7828-7912-81f5-580c9a1f3f15\"";
            String hashed = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(conversation.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
            assertThat(attributes).contains("\"code.line.number\":257,\"thread.id\":2,")
                    .contains("\"thread.id\":\"redacted:" + hashed + "\"")
                    .contains("\"busy_ns\":13466574,\"idle_ns\":813106447}")
                    .doesNotContain("exec/src/lib.rs").doesNotContain("codex-main");
            assertThat(rs.next()).isFalse();
        }
    }

    /** Posts the captured OTLP {@code requests} of fixture run {@code run} to a local server's ingest over lake A. */
    void ingest(String run, List<String> requests) throws Exception {
        var s = lakeA.settings();
        var http = HttpClient.newHttpClient();
        var server = dev.agentlake.cli.local.LocalServer.start(dev.agentlake.cli.local.LocalLake.external(s.endpoint(),
                s.bucket(), s.accessKey(), s.secretKey(), s.region()), "127.0.0.1", 0, 0, work.resolve("cache").toString());
        try {
            for (String request : requests) {
                JsonNode meta = JSON.readTree(dev.agentlake.lake.testing.Fixtures.text("otlp/" + run + "/" + request + ".json"));
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.ingestPort()
                                + meta.get("path").asText()))
                        .header("Content-Type", meta.get("content_type").asText())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                dev.agentlake.lake.testing.Fixtures.bytes("otlp/" + run + "/" + request + ".bin")))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(request).isEqualTo(200);
            }
        } finally {
            server.close();
            server.lake().close();
        }
    }

    @Test
    void givenALakeFileThatCannotBeReadWhenExportedThenTheExportFailsNamingItAndLeavesNoFolderBehind() throws Exception {
        // The metrics file's pages are zeroed, its footer kept: the export opens it (its schema reads) and fails
        // on its rows, and metrics are the last table written, after the other four tables' files.
        ingest("claude-code-protobuf", List.of("0004-claude-code-metrics"));
        String metrics = lakeA.keys().stream().filter(k -> k.startsWith("landing/metrics/")).findFirst().orElseThrow();
        byte[] file = lakeA.store().get(metrics).orElseThrow();
        int footer = java.nio.ByteBuffer.wrap(file, file.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        java.util.Arrays.fill(file, 4, file.length - 8 - footer, (byte) 0);
        lakeA.store().put(metrics, file);
        Path dir = work.resolve("out/bundle");
        Path zip = work.resolve("out/bundle.zip");

        Cli.Run toDir = Cli.run(lakeA, "export", "--output", dir.toString());
        Cli.Run toZip = Cli.run(lakeA, "export", "--output", zip.toString());

        for (Cli.Run run : List.of(toDir, toZip)) {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.INTERNAL.code());
            assertThat(run.err()).isEqualTo("agentlake: cannot export: " + metrics
                    + " cannot be read: Invalid Error: TProtocolException: Invalid data\n");
            assertThat(run.out()).isEmpty();
        }
        try (Stream<Path> left = Files.list(work.resolve("out"))) {
            assertThat(left).isEmpty(); // neither the bundle nor a temporary sibling
        }
    }

    @Test
    void givenAnOutputFolderThatHoldsFilesThenExportRefusesBeforeWritingAndAnEmptyFolderIsFilled() throws Exception {
        // Before: the bundle's files were written among the folder's own, replacing any of the same name.
        Path full = Files.createDirectories(work.resolve("full"));
        Files.writeString(full.resolve("README.md"), "mine");

        Cli.Run refused = Cli.run(lakeA, "export", "--output", full.toString());

        assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(refused.err()).isEqualTo("agentlake: " + full + " is not empty: export writes its bundle to a new or"
                + " empty folder, never among other files\n");
        try (Stream<Path> files = Files.list(full)) {
            assertThat(files).containsExactly(full.resolve("README.md"));
        }
        assertThat(Files.readString(full.resolve("README.md"))).isEqualTo("mine");

        Path empty = Files.createDirectories(work.resolve("empty"));
        assertThat(Cli.run(lakeA, "export", "--output", empty.toString()).exitCode()).isZero();
        try (Stream<Path> files = Files.list(empty)) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("usage.parquet",
                    "sessions.parquet", "logs.parquet", "spans.parquet", "metrics.parquet", "agentlake.duckdb", "README.md",
                    "manifest.json");
        }
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("full", "empty");
        }
    }

    /** Every value of every row of a Parquet file, as text. */
    static List<String> allText(Path parquet) throws Exception {
        var out = new ArrayList<String>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + parquet + "')")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    if (v != null) {
                        out.add(v.toString());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void givenTheBundlesDuckdbFileThenItsViewsReadTheFilesBesideIt() throws Exception {
        Path dir = work.resolve("bundle");
        assertThat(Cli.run(lakeA, "export", "--output", dir.toString(), "--tool", "codex").exitCode()).isZero();

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("agentlake.duckdb"));
             Statement st = c.createStatement()) {
            st.execute("SET file_search_path = '" + dir + "'"); // what running DuckDB from the folder does
            try (ResultSet rs = st.executeQuery("SELECT count(*), sum(input_tokens), min(tool), max(tool) FROM usage")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
                assertThat(rs.getLong(2)).isEqualTo(552);
                assertThat(rs.getString(3)).isEqualTo("codex");
                assertThat(rs.getString(4)).isEqualTo("codex");
            }
        }
        assertThat(Files.readString(dir.resolve("README.md"))).contains("duckdb agentlake.duckdb").contains("tool codex");
    }

    @Test
    void givenAWindowOfLocalDaysThatCutsASessionsUtcDaysThenTheBundlesSessionsHoldTheWindowsCallsOnly() throws Exception {
        // 2026-03-08 in New York is 05:00Z to 04:00Z the next day (summer time begins on it). The session has a call
        // on each side of either end; each UTC day of it is cut by the window.
        Path file = home.resolve(".claude/projects/-home-dev-ny/0c0c0c0c-0000-4000-8000-000000000000.jsonl");
        Files.createDirectories(file.getParent());
        var lines = new StringBuilder();
        String[] times = {"2026-03-08T04:30:00Z", "2026-03-08T05:30:00Z", "2026-03-09T03:30:00Z", "2026-03-09T04:30:00Z"};
        for (int i = 0; i < times.length; i++) {
            lines.append("{\"type\":\"assistant\",\"sessionId\":\"0c0c0c0c-0000-4000-8000-000000000000\",\"cwd\":\"/home/dev/ny\","
                    + "\"uuid\":\"u-ny-" + i + "\",\"requestId\":\"req_ny_" + i + "\",\"timestamp\":\"" + times[i] + "\","
                    + "\"message\":{\"id\":\"msg_ny_" + i + "\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"usage\":{\"input_tokens\":" + (1 << i)
                    + ",\"output_tokens\":1,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}}\n");
        }
        Files.writeString(file, lines);
        assertThat(Cli.run(lakeA, "import", "claude-code", "--home", home.toString()).exitCode()).isZero();
        Path dir = work.resolve("ny");

        json(Cli.run(lakeA, "export", "--output", dir.toString(), "--from", "2026-03-08", "--to", "2026-03-08",
                "--tz", "America/New_York", "--json"));

        assertThat(bundleRows(dir, "SELECT count(*) || '/' || sum(input_tokens) FROM 'usage.parquet'")).containsExactly("2/6");
        // Before: the row of the 8th (its first call before the window) was left out, and the row of the 9th held
        // the call after the window too: 1 session row, 2 calls, input 12.
        assertThat(bundleRows(dir, "SELECT CAST(first_seen AS VARCHAR) || '/' || model_calls || '/' || input_tokens"
                + " FROM 'sessions.parquet' ORDER BY first_seen")).containsExactly("2026-03-08 05:30:00+00/1/2",
                "2026-03-09 03:30:00+00/1/4");
    }

    private static List<String> bundleRows(Path dir, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("SET file_search_path = '" + dir + "'");
            var out = new ArrayList<String>();
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    @Test
    void givenSessionFilesWhenExportedWithoutALakeThenTheBundleHoldsTheirUsage() throws Exception {
        Path dir = work.resolve("files");

        JsonNode export = json(Cli.run("export", "--from-files", "--home", home.toString(), "--output", dir.toString(),
                "--json"));

        assertThat(export.get("manifest").get("source").asText()).isEqualTo("files");
        assertThat(export.get("manifest").get("rows").get("usage").asLong()).isEqualTo(6);
        assertThat(export.get("manifest").get("rows").get("logs").asLong()).isEqualTo(14);
        assertThat(json(Cli.run(lakeB, "import-bundle", dir.toString(), "--json")).get("rows").get("usage").asLong()).isEqualTo(6);
        assertThat(ReportCommandTest.counters(json(Cli.run(lakeB, "report", "daily", "--tz", "UTC", "--json")).get("totals")))
                .isEqualTo("3702/17548/350/160/46");
    }

    @Test
    void givenToBucketThenTheZipIsUnderExportsAndThePresignedLinkDownloadsIt() throws Exception {
        JsonNode export = json(Cli.run(lakeA, "export", "--to-bucket", "--json"));

        String key = export.get("bucket_key").asText();
        assertThat(key).startsWith("exports/agentlake-export-").endsWith(".zip");
        byte[] stored = lakeA.store().get(key).orElseThrow();
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(export.get("link").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(stored);
        assertThat(export.get("link").asText()).contains("X-Amz-Signature=").contains("X-Amz-Expires=604800");
    }

    @Test
    void givenTheEmbeddedLakeWhenExportedToTheBucketThenTheFileIsNamedInsteadOfALinkThatDiesWithTheCommand()
            throws Exception {
        Path dataDir = work.resolve("embedded");
        assertThat(Cli.run("import", "all", "--home", home.toString(), "--data-dir", dataDir.toString()).exitCode()).isZero();

        JsonNode export = json(Cli.run("export", "--to-bucket", "--data-dir", dataDir.toString(), "--json"));

        assertThat(export.has("link")).isFalse();
        Path file = Path.of(export.get("file").asText());
        assertThat(file).isEqualTo(dataDir.resolve("s3/agentlake/" + export.get("bucket_key").asText()));
        assertThat(json(Cli.run(lakeB, "import-bundle", file.toString(), "--json")).get("rows").get("usage").asLong())
                .isEqualTo(6);
    }
}
