package dev.agentlake.cli.importer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.model.UsageRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of the session-file readers that `import` and `report --from-files`
 * run over a user's home. A session file may be half-written, truncated, edited or from a newer CLI;
 * whatever its bytes, a reader returns what it could read (up to an offset within the file) and never
 * throws (a call with a negative or inconsistent token count would: {@code UsageRow} refuses it), since
 * one bad file must not abort an import of hundreds. A report reads the same file its own, faster way
 * (usage lines only, skimmed instead of parsed): where every line is valid JSON it finds exactly the
 * calls an import finds, token for token.
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

    /**
     * What a report counts of a call, in reading order (an import also follows prompt ids through user
     * lines; Gemini's readers number the messages they see, which differ).
     */
    private static List<Object> counted(ImportedCall c) {
        UsageRow r = c.row();
        return List.of(c.dedupKey(), c.fileOrder(), r.timeUnixNano(), r.callId(), String.valueOf(r.sessionId()),
                String.valueOf(r.model()), String.valueOf(r.project()), r.input(), r.output(), r.cacheRead(),
                r.cacheWrite(), r.cacheWrite1h(), r.reasoning(), String.valueOf(r.reportedCostUsd()));
    }

    /** Whether the whole file (.json) or each of its lines is valid JSON. */
    private static boolean validJson(byte[] content, boolean wholeFile) {
        var mapper = new ObjectMapper();
        try {
            if (wholeFile) {
                mapper.readTree(content);
                return true;
            }
            // Bytes, not a decoded String: invalid UTF-8 in a string makes a line invalid, as for the readers.
            int start = 0;
            for (int i = 0; i <= content.length; i++) {
                if (i == content.length || content[i] == '\n') {
                    if (!new String(content, start, i - start, StandardCharsets.ISO_8859_1).isBlank()
                            && mapper.readTree(content, start, i - start) == null) {
                        return false;
                    }
                    start = i + 1;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void read(SessionTool tool, String relative, byte[] content) throws IOException {
        Path path = HOME.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.write(path, content);
        var file = new SessionFile(tool, path, content.length, Instant.parse("2026-11-22T19:00:00Z"));

        FileRead read = FileReads.reader(tool).read(file, ReadStart.fromBeginning(0, true, false),
                new ImportContext("fuzz-host", null, null));

        assertThat(read.offset()).as("offset read up to").isBetween(0L, (long) content.length);

        FileRead report = FileReads.reader(tool).read(file, ReadStart.fromBeginning(0, false, false),
                new ImportContext("fuzz-host", null, null));
        assertThat(report.offset()).as("offset a report read up to").isBetween(0L, (long) content.length);
        if (validJson(content, relative.endsWith(".json"))) {
            assertThat(report.calls().stream().map(SessionFileFuzzTest::counted).toList())
                    .as("the calls a report finds")
                    .isEqualTo(read.calls().stream().map(SessionFileFuzzTest::counted).toList());
        }
        FILES.incrementAndGet();
        CALLS.addAndGet(read.calls().size());
    }
}
