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
                "--bucket", "--s3-access-key", "--s3-secret-key", "--s3-region"}) {
            assertThat(r.out()).contains(option);
        }
        for (String env : new String[] {"AGENTLAKE_DATA_DIR", "AGENTLAKE_HOST", "AGENTLAKE_INGEST_PORT",
                "AGENTLAKE_HTTP_PORT", "AGENTLAKE_S3_ENDPOINT", "AGENTLAKE_BUCKET", "AGENTLAKE_S3_ACCESS_KEY",
                "AGENTLAKE_S3_SECRET_KEY", "AGENTLAKE_S3_REGION"}) {
            assertThat(r.out()).contains(env);
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Run r = run("serve", "--no-such-option");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("Unknown option: '--no-such-option'");
    }
}
