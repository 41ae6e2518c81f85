package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentlake setup}: what it writes into each assistant's own config, where the assistant
 * reads it, when the user's file already holds settings of its own.
 */
class SetupCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OURS = "log_user_prompt = false\n"
            + "exporter = { otlp-http = { endpoint = \"http://127.0.0.1:4318/v1/logs\", protocol = \"binary\" } }\n"
            + "trace_exporter = { otlp-http = { endpoint = \"http://127.0.0.1:4318/v1/traces\", protocol = \"binary\" } }\n"
            + "metrics_exporter = { otlp-http = { endpoint = \"http://127.0.0.1:4318/v1/metrics\", protocol = \"binary\" } }\n";

    @TempDir
    Path home;

    private Path codexConfig(String text) throws IOException {
        Path toml = home.resolve(".codex/config.toml");
        Files.createDirectories(toml.getParent());
        Files.writeString(toml, text);
        return toml;
    }

    @Test
    void givenACodexConfigWithOtlpHttpSubTablesWhenSetupIsAppliedThenEachKeyIsDefinedOnceAndCommentsAndOtherKeysKept()
            throws Exception {
        // Before: [otel.exporter."otlp-http"] stayed and a second exporter was added to [otel] — Codex refused the file.
        Path toml = codexConfig("model = \"gpt-5-codex\"\n\n# telemetry to the old collector\n[otel]\nenvironment = \"dev\"\n"
                + "log_user_prompt = true\n\n[otel.exporter.\"otlp-http\"]\nendpoint = \"https://old.example/v1/logs\"\n"
                + "protocol = \"json\" # was json\n\n[otel.exporter.\"otlp-http\".headers]\n\"x-key\" = \"old\"\n\n"
                + "[otel.span_attributes]\nteam = \"a\"\n\n[tui]\nx = 1\n");

        Cli.Run run = Cli.run("setup", "codex", "--home", home.toString(), "--apply", "--yes");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(toml)).isEqualTo("model = \"gpt-5-codex\"\n\n# telemetry to the old collector\n[otel]\n"
                + OURS + "environment = \"dev\"\n\n[otel.span_attributes]\nteam = \"a\"\n\n[tui]\nx = 1\n");
        assertThat(run.out()).contains("- [otel.exporter.\"otlp-http\"]\n", "- endpoint = \"https://old.example/v1/logs\"\n",
                "+ exporter = { otlp-http = { endpoint = \"http://127.0.0.1:4318/v1/logs\", protocol = \"binary\" } }\n");
        assertThat(Cli.run("setup", "codex", "--home", home.toString(), "--apply", "--yes").out())
                .isEqualTo(toml + " already sends to http://127.0.0.1:4318: nothing to change.\n");
    }

    @Test
    void givenOurKeysAsDottedKeysAndAMultiLineInlineTableInOtelWhenSetupIsAppliedThenAllOfThemAreReplaced() throws Exception {
        Path toml = codexConfig("[otel]\nexporter.otlp-http.endpoint = \"https://old.example/v1/logs\"\n"
                + "exporter.otlp-http.protocol = \"binary\"\n"
                + "trace_exporter = { otlp-http = {\n  endpoint = \"https://old.example/v1/traces\",\n  protocol = \"binary\"\n}}\n"
                + "environment = \"prod\"\nspan_attributes = { team = \"a\", note = \"} not the end\" }\n");

        Cli.Run run = Cli.run("setup", "codex", "--home", home.toString(), "--apply", "--yes");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(toml)).isEqualTo("[otel]\n" + OURS
                + "environment = \"prod\"\nspan_attributes = { team = \"a\", note = \"} not the end\" }\n");
    }

    @Test
    void givenOtelDefinedByDottedKeysAtTheTopWhenSetupIsAppliedThenOursAreDottedKeysThereToo() throws Exception {
        // An [otel] header after top-level otel.* keys would define the table twice.
        Path toml = codexConfig("model = \"o3\"\notel.environment = \"dev\"\n"
                + "otel.exporter = { otlp-http = { endpoint = \"https://old.example/v1/logs\", protocol = \"json\" } }\n"
                + "\n[tui]\nx = 1\n");

        Cli.Run run = Cli.run("setup", "codex", "--home", home.toString(), "--token", "t0k", "--log-prompts", "--apply", "--yes");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String headers = ", headers = { \"Authorization\" = \"Bearer t0k\" }";
        assertThat(Files.readString(toml)).isEqualTo("model = \"o3\"\notel.environment = \"dev\"\n"
                + "otel.log_user_prompt = true\n"
                + "otel.exporter = { otlp-http = { endpoint = \"http://127.0.0.1:4318/v1/logs\", protocol = \"binary\"" + headers + " } }\n"
                + "otel.trace_exporter = { otlp-http = { endpoint = \"http://127.0.0.1:4318/v1/traces\", protocol = \"binary\"" + headers + " } }\n"
                + "otel.metrics_exporter = { otlp-http = { endpoint = \"http://127.0.0.1:4318/v1/metrics\", protocol = \"binary\"" + headers + " } }\n"
                + "\n[tui]\nx = 1\n");
    }

    @Test
    void givenACodexConfigWithWindowsLineBreaksWhenSetupIsAppliedThenItKeepsThemAndASecondRunChangesNothing() throws Exception {
        // Before: the file came back with \n line breaks, and every later run found a change to write.
        Path toml = codexConfig("model = \"o3\"\r\n\r\n[otel]\r\nenvironment = \"dev\"\r\n");

        Cli.Run run = Cli.run("setup", "codex", "--home", home.toString(), "--apply", "--yes");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(toml)).isEqualTo(("model = \"o3\"\n\n[otel]\n" + OURS + "environment = \"dev\"\n")
                .replace("\n", "\r\n"));
        assertThat(Cli.run("setup", "codex", "--home", home.toString(), "--apply", "--yes").out())
                .isEqualTo(toml + " already sends to http://127.0.0.1:4318: nothing to change.\n");
    }

    @Test
    void givenOtelAsOneInlineTableWhenSetupIsAppliedThenItSaysWhatToChangeAndWritesNothing() throws Exception {
        String text = "otel = { environment = \"dev\" }\n";
        Path toml = codexConfig(text);

        Cli.Run run = Cli.run("setup", "codex", "--home", home.toString(), "--apply", "--yes");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).isEqualTo("agentlake: line 1 sets otel as one inline table; write it as an [otel] table"
                + " (or remove it) and run setup again\n");
        assertThat(Files.readString(toml)).isEqualTo(text);
        assertThat(toml.resolveSibling("config.toml.bak")).doesNotExist();
    }

    @Test
    void givenCodexHomeAndClaudeConfigDirWhenSetupIsAppliedThenTheFilesTheAssistantsReadAreWritten() throws Exception {
        Path codexHome = home.resolve("codex-elsewhere");
        Path claudeDir = home.resolve("claude-elsewhere");

        Cli.Run codex = Cli.run("setup", "codex", "--home", home.toString(), "--codex-home", codexHome.toString(), "--apply", "--yes");
        Cli.Run claude = Cli.run("setup", "claude-code", "--home", home.toString(), "--claude-config-dir", claudeDir.toString());

        assertThat(codex.exitCode()).as(codex.err()).isZero();
        assertThat(Files.readString(codexHome.resolve("config.toml"))).isEqualTo("[otel]\n" + OURS);
        assertThat(codex.out()).contains("Wrote " + codexHome.resolve("config.toml") + ". Restart codex to use it.");
        assertThat(claude.out()).startsWith("# claude-code: merge into " + claudeDir.resolve("settings.json") + "\n");
        assertThat(home.resolve(".codex")).doesNotExist();
    }

    @Test
    void givenTheEnvironmentVariablesOfTheAssistantsThenSetupWritesWhereTheyPoint() throws Exception {
        // The real variables, in a real process: CODEX_HOME, CLAUDE_CONFIG_DIR and GEMINI_CLI_HOME.
        Path codexHome = home.resolve("c");
        Path claudeDir = home.resolve("cl");
        Path geminiHome = home.resolve("g");
        for (String tool : List.of("codex", "claude-code", "gemini")) {
            var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "dev.agentlake.cli.AgentlakeCommand", "setup", tool,
                    "--home", home.toString(), "--apply", "--yes"));
            var pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("CODEX_HOME", codexHome.toString());
            pb.environment().put("CLAUDE_CONFIG_DIR", claudeDir.toString());
            pb.environment().put("GEMINI_CLI_HOME", geminiHome.toString());
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
        }

        assertThat(Files.readString(codexHome.resolve("config.toml"))).isEqualTo("[otel]\n" + OURS);
        assertThat(JSON.readTree(claudeDir.resolve("settings.json").toFile()).get("env").get("OTEL_EXPORTER_OTLP_ENDPOINT").asText())
                .isEqualTo("http://127.0.0.1:4318");
        assertThat(JSON.readTree(geminiHome.resolve(".gemini/settings.json").toFile()).get("telemetry").get("otlpEndpoint").asText())
                .isEqualTo("http://127.0.0.1:4318");
        assertThat(home.resolve(".codex")).doesNotExist();
        assertThat(home.resolve(".claude")).doesNotExist();
        assertThat(home.resolve(".gemini")).doesNotExist();
    }

    @Test
    void givenHomeSetInTheEnvironmentThenSetupAndTheSessionFileReadersUseItNotTheAccountsHomeFolder() throws Exception {
        // The JVM's user.home is the account's folder from the password database, whatever HOME says: with
        // HOME=/tmp/x (a container, sudo -E, a test), "setup --apply" wrote into the real ~/.claude and
        // "report --from-files" read the real session files.
        Path other = FixtureHome.all(home.resolve("other-home"));
        // Printed first, writing nothing: so that, were HOME ignored, nothing outside this test is touched.
        assertThat(run(other, "setup", "claude-code")).startsWith("# claude-code: merge into "
                + other.resolve(".claude/settings.json") + "\n");

        String setup = run(other, "setup", "claude-code", "--apply", "--yes");
        String report = run(other, "report", "daily", "--from-files", "--tz", "UTC", "--json");

        assertThat(JSON.readTree(other.resolve(".claude/settings.json").toFile()).get("env").get("OTEL_EXPORTER_OTLP_ENDPOINT")
                .asText()).as(setup).isEqualTo("http://127.0.0.1:4318");
        JsonNode totals = JSON.readTree(report).get("totals");
        assertThat(ReportCommandTest.counters(totals)).isEqualTo("3702/17548/350/160/46");
        assertThat(totals.get("calls").asLong()).isEqualTo(6);
    }

    /** {@code agentlake args} in a process of its own whose HOME is {@code homeDir} (no assistant variables); its stdout. */
    private static String run(Path homeDir, String... args) throws Exception {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.agentlake.cli.AgentlakeCommand"));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("HOME", homeDir.toString());
        for (String v : List.of("CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME", "XDG_CONFIG_HOME")) {
            pb.environment().remove(v);
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void givenATokenWhenGeminiIsSetUpThenTheExportLineIsPrintedAndApplyWritesItToTheEnvFileGeminiLoads() throws Exception {
        Path env = home.resolve(".gemini/.env");
        Files.createDirectories(env.getParent());
        Files.writeString(env, "GEMINI_API_KEY=abc\nOTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer old\"\n");
        String note = "# Gemini CLI sends the token only from its environment (its settings have no headers). It loads " + env
                + " unless a .gemini/.env or .env in the working folder or above comes first; or export it in the shell that starts gemini:";
        String export = "export OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer abcdefabcdefabcdef1234\"";

        Cli.Run printed = Cli.run("setup", "gemini", "--home", home.toString(), "--token", "abcdefabcdefabcdef1234");
        Cli.Run applied = Cli.run("setup", "gemini", "--home", home.toString(), "--token", "abcdefabcdefabcdef1234",
                "--apply", "--yes");

        assertThat(printed.out().lines().toList()).endsWith("# agentlake setup gemini --apply writes it there and the token line"
                + " below to " + env + ".", note, export);
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("--- " + env + "\n", "- OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer old\"\n",
                "+ OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer abcdefabcdefabcdef1234\"\n");
        assertThat(applied.out().lines().toList()).endsWith("Wrote " + home.resolve(".gemini/settings.json") + " and " + env
                + " (previous: .env.bak). Restart gemini to use it.", note, export);
        assertThat(Files.readString(env)).isEqualTo("GEMINI_API_KEY=abc\n"
                + "OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer abcdefabcdefabcdef1234\"\n");
        JsonNode telemetry = JSON.readTree(home.resolve(".gemini/settings.json").toFile()).get("telemetry");
        assertThat(telemetry.toString()).isEqualTo("{\"enabled\":true,\"target\":\"local\",\"useCollector\":true,"
                + "\"otlpEndpoint\":\"http://127.0.0.1:4318\",\"otlpProtocol\":\"http\",\"logPrompts\":false}");
        assertThat(Cli.run("setup", "gemini", "--home", home.toString(), "--token", "abcdefabcdefabcdef1234", "--apply", "--yes")
                .out()).startsWith(home.resolve(".gemini/settings.json") + " already sends to http://127.0.0.1:4318: nothing to change.\n");
    }

    @Test
    void givenATokenWhenSetupCreatesAFileThatHoldsItThenOnlyTheOwnerCanReadIt() throws Exception {
        // Was: created with the umask's mode (rw-r--r-- under 022): every account of the machine could read the token.
        for (String tool : List.of("claude-code", "codex", "gemini")) {
            Cli.Run run = Cli.run("setup", tool, "--home", home.toString(), "--token", "abcdefabcdefabcdef1234", "--apply", "--yes");
            assertThat(run.exitCode()).as(run.err()).isZero();
        }

        for (String file : List.of(".claude/settings.json", ".codex/config.toml", ".gemini/.env")) {
            assertThat(Files.readString(home.resolve(file))).as(file).contains("abcdefabcdefabcdef1234");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
        assertThat(Files.readString(home.resolve(".gemini/settings.json"))).doesNotContain("abcdefabcdefabcdef1234");
    }

    @Test
    void givenAGeminiSettingsFileThatIsNotJsonWhenSetupIsAppliedThenOneLineNamesTheFileAndThePlace() throws Exception {
        Path settings = home.resolve(".gemini/settings.json");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, "{\n  \"theme\": \"dark\",\n  oops\n}\n");

        Cli.Run run = Cli.run("setup", "gemini", "--home", home.toString(), "--apply", "--yes");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).isEqualTo("agentlake: " + settings + ": not valid JSON at line 3, column 3: Unexpected character"
                + " ('o' (code 111)): was expecting double-quote to start field name; fix it first\n");
    }

    @Test
    void givenAChangedLineThenTheDiffShowsTheOldLineBeforeTheNewOneUnderTheFilesName() {
        assertThat(SetupCommand.diff("settings.json", "a\nold\nc", "a\nnew\nc\nd"))
                .isEqualTo("--- settings.json\n+++ settings.json (after)\n  a\n- old\n+ new\n  c\n+ d\n");
    }
}
