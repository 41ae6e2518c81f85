package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.testing.LakeTestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code agentlake query}, {@code setup} and {@code doctor} against a real S3 server. */
class QuerySetupDoctorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass();

    @TempDir
    Path home;

    @BeforeAll
    static void start(@TempDir Path files) {
        FixtureHome.all(files);
        assertThat(Cli.run(s3, "import", "all", "--home", files.toString()).exitCode()).isZero();
    }

    @Test
    void givenAnImportedLakeWhenQueriedThenTheSelectRunsWithTheRulesOfApiSql() throws Exception {
        Cli.Run run = Cli.run(s3, "query", "SELECT tool, count(*) AS calls, sum(input_tokens) AS input FROM usage"
                + " GROUP BY tool ORDER BY tool", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode rows = JSON.readTree(run.out()).get("rows");
        assertThat(rows.toString()).isEqualTo("[[\"claude-code\",2,2450],[\"codex\",2,552],[\"gemini-cli\",2,700]]");

        Cli.Run csv = Cli.run(s3, "query", "SELECT event_name, body FROM logs WHERE tool = 'codex' AND event_name = 'user_prompt'", "--csv");
        assertThat(csv.out()).isEqualTo("event_name,body\nuser_prompt,say hi\n");
        assertThat(csv.err()).isEmpty();
        Cli.Run cut = Cli.run(s3, "query", "SELECT * FROM range(5)", "--csv", "--max-rows", "3");
        assertThat(cut.out()).isEqualTo("range\n0\n1\n2\n");
        assertThat(cut.err()).as("a cut CSV says so, on stderr").isEqualTo("agentlake: cut at 3 rows (--max-rows, at most 10000)\n");
        Cli.Run big = Cli.run(s3, "query", "SELECT length(repeat('x', 1000000)) AS n, repeat('x', 1000000) AS big FROM range(100)", "--csv");
        assertThat(big.out().lines().count()).as("the header and the 67 rows that fit in 64 MiB").isEqualTo(68);
        assertThat(big.err()).isEqualTo("agentlake: cut at 67 rows (the result passed 64 MiB of text)\n");
    }

    @Test
    void givenNestedValuesThenJsonNamesStructFieldsAndCsvAndTextCarryTheirJson() throws Exception {
        // Before: a STRUCT came out as its bare values ([1,"x,y"]), CSV/text printed Java's "[1, x,y]" and
        // "{k=2}", which no program can take apart again, and a BLOB was "DuckDBBlobResult{buffer=…}".
        String sql = "SELECT {'a': 1, 'b': 'x,y', 'c': [2, 3]} AS s, MAP {'k': 2} AS m, ['p', NULL] AS l,"
                + " 'a\\x00\\xFF\"'::BLOB AS b";

        Cli.Run json = Cli.run(s3, "query", sql, "--json");
        Cli.Run csv = Cli.run(s3, "query", sql, "--csv");
        Cli.Run text = Cli.run(s3, "query", sql);

        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(JSON.readTree(json.out()).get("rows").toString())
                .isEqualTo("[[{\"a\":1,\"b\":\"x,y\",\"c\":[2,3]},{\"k\":2},[\"p\",null],\"a\\\\x00\\\\xFF\\\\x22\"]]");
        assertThat(csv.out()).isEqualTo("s,m,l,b\n\"{\"\"a\"\":1,\"\"b\"\":\"\"x,y\"\",\"\"c\"\":[2,3]}\",\"{\"\"k\"\":2}\",\"[\"\"p\"\",null]\","
                + "a\\x00\\xFF\\x22\n");
        assertThat(text.out()).isEqualTo("s\tm\tl\tb\n{\"a\":1,\"b\":\"x,y\",\"c\":[2,3]}\t{\"k\":2}\t[\"p\",null]\ta\\x00\\xFF\\x22\n");
    }

    @Test
    void givenAStatementThatIsNotASelectThenItIsRefusedWithAUsageError() {
        Cli.Run run = Cli.run(s3, "query", "DELETE FROM usage");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).contains("only a single SELECT statement is allowed (read-only SQL)");
    }

    @Test
    void givenTheImportedLakeThenPricingUnknownNamesTheModelsWithoutAPriceAndUpdateChecksAPriceFile() throws Exception {
        JsonNode unknown = JSON.readTree(Cli.run(s3, "pricing", "unknown", "--json").out());
        assertThat(unknown.get("unknown_models").toString()).isEqualTo("{\"claude-opus-5-5\":2}");

        Path prices = home.resolve("model_prices.json");
        Files.writeString(prices, "{\"claude-opus-5-5\": {\"input_cost_per_token\": 5e-06, \"output_cost_per_token\": 2.5e-05}}");
        JsonNode update = JSON.readTree(Cli.run("pricing", "update", "--file", prices.toString(), "--json").out());
        assertThat(update.get("added")).extracting(a -> a.get("model").asText() + " " + a.get("input_per_mtok").asDouble())
                .containsExactly("claude-opus-5-5 5.0");

        Files.writeString(prices, "{\"claude-opus-5-5\": {\"input_cost_per_token\": 5e-06}}");
        Cli.Run bad = Cli.run("pricing", "update", "--file", prices.toString());
        assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(bad.err()).contains("claude-opus-5-5 needs input_cost_per_token and output_cost_per_token");

        JsonNode list = JSON.readTree(Cli.run("pricing", "list", "--model", "gpt-5-codex", "--json").out());
        assertThat(list.get("models")).extracting(m -> m.get("model").asText() + " " + m.get("input_per_mtok").asDouble()
                + " " + m.get("output_per_mtok").asDouble()).contains("gpt-5-codex 1.25 10.0");
    }

    @Test
    void givenAClaudeSettingsFileWhenSetupIsAppliedThenTheTelemetrySettingsAreMergedAndOthersKept() throws Exception {
        Path settings = home.resolve(".claude/settings.json");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, "{\"theme\":\"dark\",\"env\":{\"FOO\":\"bar\"}}");

        Cli.Run run = Cli.run("setup", "claude-code", "--home", home.toString(), "--endpoint", "http://127.0.0.1:14318",
                "--token", "t0k", "--apply", "--yes");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("+   \"env\" : {").contains("Wrote " + settings);
        JsonNode written = JSON.readTree(Files.readString(settings));
        assertThat(written.get("theme").asText()).isEqualTo("dark");
        assertThat(written.get("env").get("FOO").asText()).isEqualTo("bar");
        assertThat(written.get("env").get("OTEL_EXPORTER_OTLP_ENDPOINT").asText()).isEqualTo("http://127.0.0.1:14318");
        assertThat(written.get("env").get("OTEL_EXPORTER_OTLP_PROTOCOL").asText()).isEqualTo("http/protobuf");
        assertThat(written.get("env").get("OTEL_EXPORTER_OTLP_HEADERS").asText()).isEqualTo("Authorization=Bearer t0k");
        assertThat(written.get("env").get("CLAUDE_CODE_ENABLE_TELEMETRY").asText()).isEqualTo("1");
        assertThat(written.get("env").has("OTEL_LOG_USER_PROMPTS")).isFalse();
        assertThat(Files.readString(home.resolve(".claude/settings.json.bak"))).isEqualTo("{\"theme\":\"dark\",\"env\":{\"FOO\":\"bar\"}}");
    }

    @Test
    void givenSetupWithoutApplyThenTheSettingsArePrintedAndNothingIsWritten() throws Exception {
        Cli.Run run = Cli.run("setup", "gemini", "--home", home.toString());

        assertThat(run.exitCode()).isZero();
        JsonNode printed = JSON.readTree(run.out().substring(run.out().indexOf('{'), run.out().lastIndexOf('}') + 1));
        assertThat(printed.get("telemetry").get("otlpEndpoint").asText()).isEqualTo("http://127.0.0.1:4318");
        assertThat(printed.get("telemetry").get("otlpProtocol").asText()).isEqualTo("http");
        assertThat(printed.get("telemetry").get("logPrompts").asBoolean()).isFalse();
        assertThat(home.resolve(".gemini")).doesNotExist();
    }

    @Test
    void givenCodexConfigWhenSetupIsAppliedThenTheOtelTableIsSetAndOtherTablesKept() throws Exception {
        Path toml = home.resolve(".codex/config.toml");
        Files.createDirectories(toml.getParent());
        Files.writeString(toml, "model = \"gpt-5-codex\"\n\n[otel]\nenvironment = \"dev\"\nlog_user_prompt = true\n\n[tui]\nx = 1\n");

        assertThat(Cli.run("setup", "codex", "--home", home.toString(), "--apply", "--yes").exitCode()).isZero();

        assertThat(Files.readString(toml)).isEqualTo("model = \"gpt-5-codex\"\n\n[otel]\nlog_user_prompt = false\n"
                + "exporter = { otlp-http = { endpoint = \"http://127.0.0.1:4318/v1/logs\", protocol = \"binary\" } }\n"
                + "trace_exporter = { otlp-http = { endpoint = \"http://127.0.0.1:4318/v1/traces\", protocol = \"binary\" } }\n"
                + "metrics_exporter = { otlp-http = { endpoint = \"http://127.0.0.1:4318/v1/metrics\", protocol = \"binary\" } }\n"
                + "environment = \"dev\"\n\n[tui]\nx = 1\n");
        Cli.Run again = Cli.run("setup", "codex", "--home", home.toString(), "--apply", "--yes");
        assertThat(again.out()).contains("nothing to change");
    }

    @Test
    void givenApplyWithoutYesAndNoTerminalThenNothingIsWritten() {
        Cli.Run run = Cli.run("setup", "gemini", "--home", home.toString(), "--apply");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).contains("add --yes");
        assertThat(home.resolve(".gemini/settings.json")).doesNotExist();
    }

    @Test
    void givenAReachableBucketAndFreePortsThenDoctorFindsEverythingOk() throws Exception {
        int free1;
        int free2;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            free1 = a.getLocalPort();
            free2 = b.getLocalPort();
        }
        Cli.Run run = Cli.run(s3, "doctor", "--ingest-port", Integer.toString(free1), "--http-port", Integer.toString(free2), "--json");

        assertThat(run.exitCode()).as(run.out()).isZero();
        JsonNode checks = JSON.readTree(run.out()).get("checks");
        assertThat(checks).extracting(c -> c.get("check").asText() + " " + c.get("status").asText())
                .containsExactly("ingest port ok", "dashboard port ok", "bucket ok", "write permission ok", "clock ok");
        assertThat(s3.keys()).noneMatch(k -> k.startsWith("_state/doctor/"));
    }

    @Test
    void givenAPortTakenByAnotherProgramThenDoctorFailsWithExitCodeUnavailable() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Cli.Run run = Cli.run(s3, "doctor", "--ingest-port", Integer.toString(taken.getLocalPort()), "--http-port", "0");

            assertThat(run.exitCode()).isEqualTo(ExitCode.UNAVAILABLE.code());
            assertThat(run.out()).contains("fail  ingest port       127.0.0.1:" + taken.getLocalPort() + " is taken by another program");
        }
    }
}
