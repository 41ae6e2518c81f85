package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.testing.LakeTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The question before anything destructive, asked on a real terminal: the command runs in its own JVM under
 * util-linux {@code script}, which gives it a pseudo-terminal (so {@code System.console()} is there, as when a
 * person types the command), and the test types the answer once the question is on the screen.
 */
class ConfirmationOnATerminalTest {
    private static final Path SCRIPT = Path.of("/usr/bin/script");
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass().emptiedBeforeEachTest();

    @TempDir
    Path home;

    @Test
    void givenImportedUsageWhenTheUserAnswersNoThenNothingIsDeletedAndWhenYesThenTheCallsAreGone() throws Exception {
        assumeTrue(Files.isExecutable(SCRIPT), "util-linux script gives the command a terminal");
        FixtureHome.copy(home, "claude-code");
        assertThat(Cli.run(s3, "import", "claude-code", "--home", home.toString()).exitCode()).isZero();
        assertThat(claudeTotals()).isEqualTo("2450/8300/350/47/0");
        List<String> delete = new ArrayList<>(List.of("delete", "usage", "--from", "2026-11-22", "--to", "2026-11-22",
                "--tz", "UTC"));
        delete.addAll(Cli.storage(s3));

        Terminal no = Terminal.run(delete, "n");

        assertThat(no.screen()).contains("Delete these rows from ").contains("[y/N]").contains("Nothing deleted.");
        assertThat(no.exitCode()).as(no.screen()).isZero();
        assertThat(claudeTotals()).isEqualTo("2450/8300/350/47/0");

        Terminal yes = Terminal.run(delete, "y");

        assertThat(yes.screen()).contains("[y/N]").doesNotContain("Nothing deleted.");
        assertThat(yes.exitCode()).as(yes.screen()).isZero();
        assertThat(ReportCommandTest.json(Cli.run(s3, "report", "daily", "--tz", "UTC", "--json")).get("groups")).isEmpty();
    }

    @Test
    void givenSetupApplyWhenTheUserAnswersNoThenTheSettingsFileIsNotWrittenAndWhenYesThenItIs() throws Exception {
        assumeTrue(Files.isExecutable(SCRIPT), "util-linux script gives the command a terminal");
        Path settings = home.resolve(".claude/settings.json");
        List<String> setup = List.of("setup", "claude-code", "--apply", "--home", home.toString(),
                "--endpoint", "http://127.0.0.1:4318");

        Terminal no = Terminal.run(setup, "n");

        assertThat(no.screen()).contains("Write " + settings + "? [y/N]").contains("Nothing written.");
        assertThat(no.exitCode()).isZero();
        assertThat(settings).doesNotExist();

        Terminal yes = Terminal.run(setup, "y");

        assertThat(yes.exitCode()).isZero();
        assertThat(yes.screen()).contains("Wrote " + settings);
        assertThat(new ObjectMapper().readTree(settings.toFile()).get("env").get("OTEL_EXPORTER_OTLP_ENDPOINT").asText())
                .isEqualTo("http://127.0.0.1:4318");
    }

    private String claudeTotals() throws Exception {
        JsonNode r = ReportCommandTest.json(Cli.run(s3, "report", "daily", "--tz", "UTC", "--tool", "claude-code", "--json"));
        return ReportCommandTest.counters(r.get("totals"));
    }

    /** One command run on a pseudo-terminal, answered with {@code answer} once it asks {@code [y/N]}. */
    record Terminal(int exitCode, String screen) {
        static Terminal run(List<String> args, String answer) throws IOException, InterruptedException {
            var command = new StringBuilder(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()))
                    .append(" -cp \"$AGENTLAKE_TEST_CP\" dev.agentlake.cli.AgentlakeCommand");
            for (String a : args) {
                command.append(' ').append(quote(a));
            }
            var pb = new ProcessBuilder(SCRIPT.toString(), "-qec", command.toString(), "/dev/null").redirectErrorStream(true);
            pb.environment().put("AGENTLAKE_TEST_CP", System.getProperty("java.class.path"));
            pb.environment().put("SHELL", "/bin/sh");
            pb.environment().put("TERM", "dumb");
            Process p = pb.start();
            var screen = new StringBuffer();
            Thread reader = new Thread(() -> copy(p.getInputStream(), screen), "terminal-screen");
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!screen.toString().contains("[y/N]") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(screen.toString()).as("the command asked before acting").contains("[y/N]");
            OutputStream keyboard = p.getOutputStream();
            keyboard.write((answer + "\r").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            // stdin stays open until the command ends: script passes an end of input on as the terminal's EOF.
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the command did not end; it printed:\n" + screen);
            }
            reader.join(10_000);
            keyboard.close();
            return new Terminal(p.exitValue(), screen.toString().replace("\r", ""));
        }

        private static void copy(InputStream in, StringBuffer to) {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    to.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        private static String quote(String s) {
            return "'" + s.replace("'", "'\\''") + "'";
        }
    }
}
