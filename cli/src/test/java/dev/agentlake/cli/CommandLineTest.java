package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cmd = AgentlakeCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: agentlake").contains("serve");
    }

    @Test
    void serveHelpListsEveryStorageAndPortOptionWithItsEnvironmentVariable() {
        Run r = run("serve", "--help");
        assertThat(r.exitCode()).isZero();
        for (String option : new String[] {"--data-dir", "--host", "--ingest-port", "--http-port", "--s3-endpoint",
                "--bucket", "--s3-access-key", "--s3-secret-key", "--s3-region", "--grpc-port", "--ingest-token",
                "--allow-unauthenticated", "--allowed-host"}) {
            assertThat(r.out()).contains(option);
        }
        for (String env : new String[] {"AGENTLAKE_DATA_DIR", "AGENTLAKE_HOST", "AGENTLAKE_INGEST_PORT",
                "AGENTLAKE_HTTP_PORT", "AGENTLAKE_S3_ENDPOINT", "AGENTLAKE_BUCKET", "AGENTLAKE_S3_ACCESS_KEY",
                "AGENTLAKE_S3_SECRET_KEY", "AGENTLAKE_S3_REGION", "AGENTLAKE_GRPC_PORT", "AGENTLAKE_INGEST_TOKENS",
                "AGENTLAKE_ALLOW_UNAUTHENTICATED", "AGENTLAKE_ALLOWED_HOSTS"}) {
            assertThat(r.out()).contains(env);
        }
    }

    @Test
    void givenANonLoopbackHostWithoutATokenWhenServeStartsThenItRefusesWithAUsageErrorBeforeListening(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDir) {
        Run r = run("serve", "--host", "0.0.0.0", "--data-dir", dataDir.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("refusing to listen on 0.0.0.0 without an ingest token: anyone who can reach it"
                + " could write to your lake. Pass --ingest-token (or AGENTLAKE_INGEST_TOKENS), or"
                + " --allow-unauthenticated on a trusted network.");
        assertThat(dataDir.resolve("s3")).as("nothing was started").doesNotExist();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "host {0}, tokens {1}, allow-unauthenticated {2}: refused = {3}")
    @org.junit.jupiter.params.provider.CsvSource({
            "127.0.0.1, '', false, false",
            "localhost, '', false, false",
            "::1, '', false, false",
            "0.0.0.0, '', false, true",
            "::, '', false, true",
            "0.0.0.0, a-token-of-16-chars, false, false",
            "0.0.0.0, '', true, false",
    })
    void onlyLoopbackMayListenWithoutAToken(String host, String token, boolean allow, boolean refused) {
        java.util.List<String> tokens = token.isEmpty() ? java.util.List.of() : java.util.List.of(token);
        assertThat(ServeCommand.exposureRefusal(host, tokens, allow) != null).isEqualTo(refused);
    }

    @Test
    void anUnknownOptionIsAUsageErrorOfOneLineAndAHint() {
        Run r = run("serve", "--no-such-option");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().lines().toList()).containsExactly(
                "agentlake: Unknown option: '--no-such-option'",
                "Run 'agentlake serve --help' for its options.");
    }

    @Test
    void givenAFileTheUserNamedThatIsNotThereThenTheReasonIsSaidAndItIsAUsageError(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path missing = dir.resolve("no-such-prices.json");
        Run r = run("pricing", "list", "--file", missing.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip()).isEqualTo("agentlake: " + missing + ": no such file or folder");
    }

    @Test
    void givenATokenShorterThan16CharactersWhenServeStartsThenItRefusesInOneLineInsteadOfAnswering500Later(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDir) {
        // Without gRPC too: then nothing made the ingest settings at start, and every request failed.
        for (String[] tokens : new String[][] {{"--ingest-token", "short"}, {"--api-token", "alsoshort"}}) {
            Run r = run("serve", "--data-dir", dataDir.toString(), "--ingest-port", "0", "--http-port", "0",
                    "--grpc-port", "-1", tokens[0], tokens[1]);

            assertThat(r.exitCode()).as(tokens[0]).isEqualTo(ExitCode.USAGE.code());
            assertThat(r.err().strip()).as(tokens[0]).isEqualTo(tokens[0].equals("--ingest-token")
                    ? "agentlake: agentlake.ingest.tokens: every token needs at least 16 characters"
                    : "agentlake: agentlake.query.tokens: each token needs at least 16 characters");
            assertThat(r.out()).as(tokens[0]).doesNotContain("Agentlake is running");
        }
    }

    @Test
    void givenAOneShotCommandThenTheFunctionsProgressLinesAreOffAndForServeTheyStayOn() {
        String before = System.getProperty(AgentlakeCommand.ONE_SHOT_LOG_LEVEL);
        String keepAlive = System.getProperty("http.keepAlive");
        try {
            System.clearProperty(AgentlakeCommand.ONE_SHOT_LOG_LEVEL);
            AgentlakeCommand.configureProcess(new String[] {"serve", "--data-dir", "x"});
            assertThat(System.getProperty(AgentlakeCommand.ONE_SHOT_LOG_LEVEL)).as("serve logs each compaction").isNull();

            AgentlakeCommand.configureProcess(new String[] {"compact", "--landing-grace", "0s"});
            assertThat(System.getProperty(AgentlakeCommand.ONE_SHOT_LOG_LEVEL)).as("compact prints its own result").isEqualTo("warn");

            System.setProperty(AgentlakeCommand.ONE_SHOT_LOG_LEVEL, "debug");
            AgentlakeCommand.configureProcess(new String[] {"delete", "logs"});
            assertThat(System.getProperty(AgentlakeCommand.ONE_SHOT_LOG_LEVEL)).as("a level the user set").isEqualTo("debug");
        } finally {
            if (before == null) {
                System.clearProperty(AgentlakeCommand.ONE_SHOT_LOG_LEVEL);
            } else {
                System.setProperty(AgentlakeCommand.ONE_SHOT_LOG_LEVEL, before);
            }
            if (keepAlive == null) {
                System.clearProperty("http.keepAlive");
            } else {
                System.setProperty("http.keepAlive", keepAlive);
            }
        }
    }
}
