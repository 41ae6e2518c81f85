package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import dev.agentlake.lake.snapshot.SnapshotStore;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.testing.Fixtures;
import dev.agentlake.lake.testing.LakeTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code agentlake delete}: rows of a window (and a tool) leave the lake in one snapshot commit,
 * compacted or still in landing, and nothing else changes. The lake holds the real captures of
 * Claude Code, Codex and Gemini CLI on 2026-11-22, and Codex's logs sent again a day later.
 */
class DeleteCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long DAY_NANOS = 86_400_000_000_000L;
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass().emptiedBeforeEachTest();
    static LocalServer server;

    @TempDir
    static Path cache;

    @BeforeAll
    static void start() {
        var s = s3.settings();
        // Ingest only (no compaction timer): the tests decide when to compact.
        server = LocalServer.start(LocalLake.external(s.endpoint(), s.bucket(), s.accessKey(), s.secretKey(), s.region()),
                "127.0.0.1", 0, LocalServer.NO_GRPC, 0, cache.toString(), List.of(), Map.of(), null);
    }

    @AfterAll
    static void stop() {
        server.close();
        server.lake().close();
    }

    @BeforeEach
    void landTheCaptures() throws Exception {
        for (String run : List.of("claude-code-json", "codex-json", "gemini")) {
            for (String request : FixturesApiTest.captures(run)) {
                post(run, request, Fixtures.bytes("otlp/" + run + "/" + request + ".bin"));
            }
        }
        // The same Codex session's logs a day later (times moved by 24 h: new records, new call ids).
        post("codex-json", "0004-codex-logs", nextDay(Fixtures.bytes("otlp/codex-json/0004-codex-logs.bin")));
    }

    @Test
    void givenCompactedCapturesWhenCodexLogsOfOneDayAreDeletedThenOnlyThoseRowsGoAndUsageAndSessionsFollow() throws Exception {
        assertThat(Cli.run(s3, "compact", "--landing-grace", "0s").exitCode()).isZero();
        Map<String, Long> logsBefore = counts("select tool || ' ' || cast(cast(timestamp as date) as varchar) as k,"
                + " count(*) as n from logs group by all");
        assertThat(logsBefore).containsExactly(Map.entry("claude-code 2026-11-22", 12L), Map.entry("codex 2026-11-22", 12L),
                Map.entry("codex 2026-11-23", 12L), Map.entry("gemini-cli 2026-11-22", 20L));
        Map<String, Long> spansBefore = counts("select tool as k, count(*) as n from spans group by all");

        JsonNode r = json(Cli.run(s3, "delete", "logs", "--from", "2026-11-22", "--to", "2026-11-22", "--tz", "UTC",
                "--tool", "codex", "--yes", "--json"));

        assertThat(r.get("outcome").asText()).isEqualTo("committed");
        assertThat(r.get("version").asLong()).isEqualTo(2);
        assertThat(r.get("attempts").asInt()).isEqualTo(1);
        assertThat(r.get("landingFilesCompacted").asInt()).isZero();
        assertThat(counted(r, "logs")).isEqualTo("44/32/12/12/0");
        assertThat(counted(r, "usage")).isEqualTo("7/5/2/2/0");
        assertThat(counted(r, "sessions")).isEqualTo("3/2/1/1/0");
        assertThat(r.get("partitions")).extracting(JsonNode::asText)
                .containsExactly("logs/dt=2026-11-22", "sessions/dt=2026-11-22", "usage/dt=2026-11-22");

        assertThat(counts("select tool || ' ' || cast(cast(timestamp as date) as varchar) as k, count(*) as n from logs"
                + " group by all")).containsExactly(Map.entry("claude-code 2026-11-22", 12L),
                Map.entry("codex 2026-11-23", 12L), Map.entry("gemini-cli 2026-11-22", 20L));
        assertThat(usageByToolAndDay()).containsExactly(
                Map.entry("claude-code 2026-11-22", "2450/8300/350/47/0"),
                Map.entry("codex 2026-11-23", "552/3848/0/55/16"),
                Map.entry("gemini-cli 2026-11-22", "820/5400/0/73/35"));
        assertThat(counts("select tool as k, count(*) as n from spans group by all")).isEqualTo(spansBefore);
        assertEveryTableFileIsLiveAndLandingIsEmpty();

        // Idempotent: the same request again finds nothing.
        JsonNode again = json(Cli.run(s3, "delete", "logs", "--from", "2026-11-22", "--to", "2026-11-22", "--tz", "UTC",
                "--tool", "codex", "--yes", "--json"));
        assertThat(again.get("outcome").asText()).isEqualTo("nothing_to_do");
        assertThat(again.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void givenCapturesStillInLandingWhenGeminiUsageIsDeletedThenItsCallsAreGoneForGoodAndItsOtherLogsStay()
            throws Exception {
        JsonNode r = json(Cli.run(s3, "delete", "usage", "--from", "2026-11-22", "--to", "2026-11-23", "--tz", "UTC",
                "--tool", "gemini", "--yes", "--json"));

        assertThat(r.get("outcome").asText()).isEqualTo("committed");
        assertThat(r.get("landingFilesCompacted").asInt()).isEqualTo(12);
        assertThat(r.get("version").asLong()).isEqualTo(2);
        assertThat(counted(r, "imported_usage")).isNull();
        // Of Gemini's 20 log records, the 3 api_response calls go (the router's and two main calls).
        assertThat(counted(r, "logs")).isEqualTo("56/53/3/20/17");
        assertThat(counted(r, "usage")).isEqualTo("9/6/3/3/0");
        assertThat(usageByToolAndDay()).containsExactly(
                Map.entry("claude-code 2026-11-22", "2450/8300/350/47/0"),
                Map.entry("codex 2026-11-22", "552/3848/0/55/16"),
                Map.entry("codex 2026-11-23", "552/3848/0/55/16"));
        assertThat(counts("select tool as k, count(*) as n from logs where tool = 'gemini-cli' group by all"))
                .containsExactly(Map.entry("gemini-cli", 17L));
        assertEveryTableFileIsLiveAndLandingIsEmpty();

        // Deriving every partition again (a re-pricing) cannot bring the calls back: their records are gone.
        assertThat(Cli.run(s3, "compact", "--reprice").exitCode()).isZero();
        assertThat(usageByToolAndDay()).doesNotContainKey("gemini-cli 2026-11-22").hasSize(3);
    }

    @Test
    void givenClaudeTracesWhenDeletedWithoutJsonThenTheCountsArePrintedAsATable() throws Exception {
        long spans = counts("select 'all' as k, count(*) as n from spans").get("all");
        assertThat(counts("select tool as k, count(*) as n from spans where tool = 'claude-code' group by all"))
                .containsExactly(Map.entry("claude-code", 6L));

        Cli.Run r = Cli.run(s3, "delete", "traces", "--from", "2026-11-22", "--to", "2026-11-22", "--tz", "UTC",
                "--tool", "claude", "--yes");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Deleted traces of claude-code from 2026-11-22T00:00:00Z to 2026-11-23T00:00:00Z:"
                        + " snapshot 2\n")
                .containsPattern("\\n  spans +" + spans + " +" + (spans - 6) + " +6   6 → 0\\n")
                .contains("12 landing file(s) compacted first")
                .doesNotContainPattern("\\n  (usage|sessions|logs) +\\d");
        assertThat(counts("select tool as k, count(*) as n from spans where tool = 'claude-code' group by all")).isEmpty();
        assertEveryTableFileIsLiveAndLandingIsEmpty();
    }

    @Test
    void givenADryRunThenTheRowsInLandingAreCountedAndNothingChanges() throws Exception {
        List<String> keys = s3.keys();

        JsonNode r = json(Cli.run(s3, "delete", "all", "--from", "2026-11-23", "--to", "2026-11-23", "--tz", "UTC",
                "--dry-run", "--json"));

        assertThat(r.get("outcome").asText()).isEqualTo("dry_run");
        assertThat(r.get("dryRun").asBoolean()).isTrue();
        assertThat(counted(r, "logs")).isEqualTo("12/0/12/12/0");
        assertThat(counted(r, "usage")).isEqualTo("2/0/2/2/0");
        assertThat(r.get("partitions")).extracting(JsonNode::asText)
                .containsExactly("logs/dt=2026-11-23", "sessions/dt=2026-11-23", "usage/dt=2026-11-23");
        assertThat(s3.keys()).isEqualTo(keys);
    }

    @Test
    void givenNoTerminalAndNoYesThenTheDeletionIsRefusedWithAUsageErrorAndNothingChanges() {
        List<String> keys = s3.keys();

        Cli.Run r = Cli.run(s3, "delete", "all", "--from", "2026-11-22", "--to", "2026-11-23", "--tz", "UTC");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("Delete all from 2026-11-22T00:00:00Z to 2026-11-24T00:00:00Z from ")
                .contains("Refusing without a terminal to confirm on: add --yes.");
        assertThat(s3.keys()).isEqualTo(keys);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "logs --from 2026-11-23 --to 2026-11-22 --yes | --from must be before --to",
            "sessions --from 2026-11-22 --to 2026-11-22 --yes | unknown table 'sessions' (expected logs, metrics, traces, usage or all)",
            "logs --from 2026-11-22 --yes | Missing required option: '--to=DATE'",
            "logs --from 2026-11-22 --to 2026-11-22 --tool copilot --yes | unknown tool 'copilot'",
            "logs --from yesterday --to 2026-11-22 --yes | --from: expected YYYY-MM-DD or an ISO instant, got 'yesterday'"})
    void givenBadArgumentsThenAUsageErrorAndNothingChanges(String args, String message) {
        List<String> keys = s3.keys();
        var all = new ArrayList<>(List.of("delete"));
        all.addAll(List.of(args.split(" ")));

        Cli.Run r = Cli.run(s3, all.toArray(String[]::new));

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains(message);
        assertThat(s3.keys()).isEqualTo(keys);
    }

    @Test
    void helpNamesTheTablesAndTheOptions() {
        Cli.Run r = Cli.run("delete", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: agentlake delete", "logs, metrics, traces, usage or all", "--from=DATE",
                "--to=DATE", "--tool=TOOL", "--dry-run", "--yes", "--json", "--s3-endpoint");
    }

    // ---- helpers ----

    /** rows before / after / deleted / in the window before / after, as the report gives them. */
    private static String counted(JsonNode report, String table) {
        JsonNode c = report.get("tables").get(table);
        return c == null ? null : c.get("rowsBefore").asLong() + "/" + c.get("rowsAfter").asLong() + "/"
                + c.get("deleted").asLong() + "/" + c.get("windowRowsBefore").asLong() + "/" + c.get("windowRowsAfter").asLong();
    }

    /** input / cache read / cache write / output / reasoning per tool and UTC day, through {@code agentlake query}. */
    private static Map<String, String> usageByToolAndDay() throws Exception {
        JsonNode q = json(Cli.run(s3, "query", "select tool || ' ' || cast(cast(timestamp as date) as varchar) as k,"
                + " sum(input_tokens) as i, sum(cache_read_tokens) as cr, sum(cache_write_tokens) as cw,"
                + " sum(output_tokens) as o, sum(reasoning_tokens) as r from usage group by all order by k", "--json"));
        var out = new TreeMap<String, String>();
        q.get("rows").forEach(row -> out.put(row.get(0).asText(), row.get(1).asLong() + "/" + row.get(2).asLong() + "/"
                + row.get(3).asLong() + "/" + row.get(4).asLong() + "/" + row.get(5).asLong()));
        return out;
    }

    /** A query's rows as key → count (columns k, n), through {@code agentlake query}. */
    private static Map<String, Long> counts(String sql) throws Exception {
        JsonNode q = json(Cli.run(s3, "query", sql + " order by 1", "--json"));
        var out = new TreeMap<String, Long>();
        q.get("rows").forEach(row -> out.put(row.get(0).asText(), row.get(1).asLong()));
        return out;
    }

    /** After a committed deletion: no superseded or uncommitted file is left, and landing is empty. */
    private static void assertEveryTableFileIsLiveAndLandingIsEmpty() {
        var live = new SnapshotStore(s3.store()).latest().orElseThrow().files().stream().map(TableFile::key).sorted().toList();
        assertThat(s3.keys().stream().filter(k -> k.startsWith("tables/")).toList()).isEqualTo(live);
        assertThat(s3.keys().stream().filter(k -> k.startsWith("landing/")).toList()).isEmpty();
    }

    private static JsonNode json(Cli.Run run) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private static void post(String run, String request, byte[] body) throws Exception {
        JsonNode meta = JSON.readTree(Fixtures.text("otlp/" + run + "/" + request + ".json"));
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.ingestPort()
                        + meta.get("path").asText()))
                .header("Content-Type", meta.get("content_type").asText())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(run + "/" + request + " " + response.body()).isEqualTo(200);
    }

    /** An OTLP/JSON body with every time 24 hours later (the *TimeUnixNano fields and event.timestamp). */
    static byte[] nextDay(byte[] otlpJson) throws Exception {
        JsonNode root = JSON.readTree(otlpJson);
        shift(root);
        return JSON.writeValueAsBytes(root);
    }

    private static void shift(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("key") && o.get("key").asText().equals("event.timestamp") && o.path("value").has("stringValue")) {
                String t = o.get("value").get("stringValue").asText();
                ((ObjectNode) o.get("value")).put("stringValue", Instant.parse(t).plusSeconds(86_400).toString());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().endsWith("TimeUnixNano") && e.getValue().asLong() != 0) {
                    e.setValue(new TextNode(Long.toString(e.getValue().asLong() + DAY_NANOS)));
                } else {
                    shift(e.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(DeleteCommandTest::shift);
        }
    }
}
