package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder under a session root that the user cannot list (a project folder another account owns)
 * is skipped and named, like an unreadable file; before, listing the root failed and nothing at all
 * was reported or imported (exit 4).
 *
 * <p>The command runs in a child JVM: as root (CI's machines), permission bits do not bind, so the
 * child is started without the capabilities that override them ({@code setpriv}).
 */
class UnreadableFolderTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final boolean AS_ROOT = "root".equals(System.getProperty("user.name"));
    /** Runs a command as root without the capabilities that let root ignore permission bits. */
    static final List<String> WITHOUT_OVERRIDE = List.of("setpriv", "--inh-caps=-dac_override,-dac_read_search",
            "--bounding-set=-dac_override,-dac_read_search");

    @TempDir
    Path work;
    Path home;
    Path locked;

    @BeforeEach
    void lockOneProjectFolder() throws Exception {
        if (AS_ROOT) {
            // A container without the capability to drop capabilities cannot run this test as root.
            Process probe = new ProcessBuilder(concat(WITHOUT_OVERRIDE, List.of("true"))).redirectErrorStream(true).start();
            Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                    () -> "setpriv cannot drop root's permission override here");
        }
        home = work.resolve("home");
        FixtureHome.all(home);
        locked = home.resolve(".claude/projects/-home-other-secret");
        Files.createDirectories(locked);
        Files.copy(home.resolve(FixtureHome.CLAUDE_FILE), locked.resolve("0b0c0d0e-0000-4000-8000-000000000001.jsonl"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    }

    @AfterEach
    void unlock() throws IOException {
        if (locked != null) {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------")); // so @TempDir can delete it
        }
    }

    @Test
    void givenAnUnreadableProjectFolderWhenReportedFromFilesThenTheOtherSessionsAreShownAndTheFolderIsNamed() throws Exception {
        Run report = agentlake("report", "daily", "--from-files", "--home", home.toString(), "--tz", "UTC", "--json");

        assertThat(report.exit).as(report.err).isEqualTo(ExitCode.PARTIAL.code());
        assertThat(report.err).isEqualTo("agentlake: warning: skipped " + locked
                + ": permission denied (left out of this report)\n");
        assertThat(ReportCommandTest.counters(JSON.readTree(report.out).get("totals"))).isEqualTo("3702/17548/350/160/46");
    }

    @Test
    void givenAnUnreadableProjectFolderWhenImportedThenTheOtherSessionsAreImportedAndTheFolderIsTriedAgainNextRun()
            throws Exception {
        Path data = work.resolve("lake");

        Run first = agentlake("import", "all", "--home", home.toString(), "--data-dir", data.toString(), "--json");

        assertThat(first.exit).as(first.err).isEqualTo(ExitCode.PARTIAL.code());
        JsonNode claude = null;
        for (JsonNode s : JSON.readTree(first.out).get("imports")) {
            if (s.get("tool").asText().equals("claude-code")) {
                claude = s;
            }
        }
        assertThat(claude.get("files_failed").asInt()).isEqualTo(1);
        assertThat(claude.get("failures").toString()).isEqualTo(
                "[{\"file\":\"" + locked + "\",\"reason\":\"permission denied\"}]");
        assertThat(claude.get("files_read").asInt()).isEqualTo(1);
        assertThat(claude.get("calls").asInt()).isEqualTo(2);
        assertThat(claude.get("tokens").toString()).isEqualTo(
                "{\"input\":2450,\"output\":47,\"cache_read\":8300,\"cache_write\":350,\"reasoning\":0}");

        unlock();
        Run second = agentlake("import", "claude-code", "--home", home.toString(), "--data-dir", data.toString(), "--json");

        assertThat(second.exit).as(second.err).isZero();
        JsonNode again = JSON.readTree(second.out).get("imports").get(0);
        assertThat(again.get("files_unchanged").asInt()).isEqualTo(1);
        assertThat(again.get("files_read").asInt()).isEqualTo(1);
        assertThat(again.get("files_failed").asInt()).isZero();
    }

    static List<String> concat(List<String> a, List<String> b) {
        var all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    record Run(int exit, String out, String err) {
    }

    /** {@code agentlake ARGS} in a child JVM that file permissions bind, whoever runs the tests. */
    static Run agentlake(String... args) throws Exception {
        var command = new ArrayList<String>();
        if (AS_ROOT) {
            command.addAll(WITHOUT_OVERRIDE);
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                AgentlakeCommand.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("agentlake-out", ".txt");
        Path err = Files.createTempFile("agentlake-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("agentlake " + String.join(" ", args) + " did not end in 180 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
