package dev.agentlake.cli.importer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of the session-file readers that `import` and `report --from-files`
 * run over a user's home. A session file may be half-written, truncated, edited or from a newer CLI;
 * whatever its bytes, a reader returns what it could read (up to an offset within the file) and never
 * throws (a call with a negative or inconsistent token count would: {@code UsageRow} refuses it), since
 * one bad file must not abort an import of hundreds.
 *
 * <p>In a normal build each target runs its seeds ({@code SessionFileFuzzTestInputs/<target>/}: the
 * fixture sessions the real CLIs wrote, and every finding since). To fuzz one target for its
 * {@code maxDuration}: {@code JAZZER_FUZZ=1 mvn -B verify -pl cli -am -Dtest='SessionFileFuzzTest#codex'
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SessionFileFuzzTest {
    private static final Path HOME;
    private static final AtomicLong FILES = new AtomicLong();
    private static final AtomicLong CALLS = new AtomicLong();

    static {
        try {
            HOME = Files.createTempDirectory("session-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("fuzz: %d session files read, %d model calls found%n", FILES.get(), CALLS.get());
    }

    @FuzzTest(maxDuration = "60s")
    void claudeCode(byte[] content) throws IOException {
        read(SessionTool.CLAUDE_CODE, ".claude/projects/-home-dev-proj/0b9e1a52-session.jsonl", content);
    }

    @FuzzTest(maxDuration = "60s")
    void codex(byte[] content) throws IOException {
        read(SessionTool.CODEX, ".codex/sessions/2026/11/22/rollout-2026-11-22T18-58-04-01a2049f.jsonl", content);
    }

    @FuzzTest(maxDuration = "60s")
    void geminiJsonl(byte[] content) throws IOException {
        read(SessionTool.GEMINI, ".gemini/tmp/proj/chats/session-2026-11-22T18-59-ed945cd9.jsonl", content);
    }

    @FuzzTest(maxDuration = "60s")
    void geminiJson(byte[] content) throws IOException {
        read(SessionTool.GEMINI, ".gemini/tmp/proj/chats/session-2026-10-01T08-00-g0.json", content);
    }

    private static void read(SessionTool tool, String relative, byte[] content) throws IOException {
        Path path = HOME.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.write(path, content);
        var file = new SessionFile(tool, path, content.length, Instant.parse("2026-11-22T19:00:00Z"));

        FileRead read = FileReads.reader(tool).read(file, ReadStart.fromBeginning(0, true, false),
                new ImportContext("fuzz-host", null, null));

        assertThat(read.offset()).as("offset read up to").isBetween(0L, (long) content.length);
        FILES.incrementAndGet();
        CALLS.addAndGet(read.calls().size());
    }
}
