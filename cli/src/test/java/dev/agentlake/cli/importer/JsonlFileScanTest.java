package dev.agentlake.cli.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pass over a session file hands on every line with the patterns it contains, also where a pattern
 * is cut by the end of a 4 MB read (the cut line is searched again with the next read); a pattern inside
 * a JSON string (its quotes escaped) does not count; an unfinished last line the reader does not accept
 * is left for the next run.
 */
class JsonlFileScanTest {
    private static final String[] PATTERNS = {"\"usage\":{", "\"type\":\"user\""};

    @TempDir
    Path dir;

    record Seen(String line, long at, int matches, boolean complete) {
    }

    @Test
    void givenAPatternCutByTheEndOfAReadAtEachOfItsBytesWhenScannedThenItsLineStillCarriesIt() throws IOException {
        int read = 4 << 20; // JsonlFile's read size
        String tail = "\"usage\":{\"input_tokens\":7}}}";
        for (int cut = 1; cut <= 10; cut++) {
            // The usage pattern starts `cut` bytes before the end of the first read.
            var text = new StringBuilder();
            var expected = new ArrayList<Seen>();
            int patternAt = read - cut;
            String filler = "{\"type\":\"assistant\",\"text\":\"" + "x".repeat(1000) + "\"}";
            while (text.length() + filler.length() + 1 + 100 < patternAt) {
                text.append(filler).append('\n');
                expected.add(new Seen(filler, text.length() - filler.length() - 1, 0, true));
            }
            String head = "{\"message\":{\"pad\":\"";
            String pad = "y".repeat(patternAt - text.length() - head.length() - 2);
            String line = head + pad + "\"," + tail;
            assertThat(text.length() + line.indexOf("\"usage\"")).isEqualTo(patternAt);
            expected.add(new Seen(line, text.length(), 0b01, true));
            text.append(line).append('\n');
            String user = "{\"type\":\"user\",\"message\":{\"content\":\"say \\\"usage\\\":{ here\"}}";
            expected.add(new Seen(user, text.length(), 0b10, true));
            text.append(user).append("\r\n\n");
            String unfinished = "{\"type\":\"user\",\"usage\":{\"in";
            expected.add(new Seen(unfinished, text.length(), 0b11, false));
            text.append(unfinished);

            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            Path file = dir.resolve("cut-" + cut + ".jsonl");
            Files.write(file, bytes);
            var seen = new ArrayList<Seen>();
            JsonlFile.Scan scan = JsonlFile.scan(new SessionFile(SessionTool.CLAUDE_CODE, file, bytes.length, Instant.EPOCH),
                    0, null, PATTERNS, (buf, s, e, at, matches, complete) -> {
                        seen.add(new Seen(new String(buf, s, e - s, StandardCharsets.UTF_8), at, matches, complete));
                        return complete;
                    });

            assertThat(seen).as("cut %d", cut).isEqualTo(expected);
            assertThat(scan.offset()).as("the unfinished last line is left for the next run")
                    .isEqualTo(bytes.length - unfinished.length());

            // The search for one pattern hands on the same lines with usage, at the same offsets.
            var usageLines = new ArrayList<Seen>();
            long consumed = JsonlFile.linesWith(new SessionFile(SessionTool.CLAUDE_CODE, file, bytes.length, Instant.EPOCH),
                    PATTERNS[0], (buf, s, e, at, complete) -> {
                        usageLines.add(new Seen(new String(buf, s, e - s, StandardCharsets.UTF_8), at, 1, complete));
                        return complete;
                    });
            assertThat(usageLines).as("cut %d", cut)
                    .isEqualTo(expected.stream().filter(l -> (l.matches() & 1) != 0).map(l -> new Seen(l.line(), l.at(), 1, l.complete())).toList());
            assertThat(consumed).isEqualTo(bytes.length - unfinished.length());
        }
    }

    @Test
    void givenLinesOfEveryLengthUpToBeyondAReadWhenSearchedForOnePatternThenExactlyTheLinesWithItAreHandedOnWithTheirOffsets()
            throws IOException {
        var random = new java.util.Random(11);
        String usage = "\"usage\":{\"input_tokens\":1}";
        var text = new StringBuilder();
        var expected = new ArrayList<Seen>();
        for (int i = 0; i < 400; i++) {
            // Mostly short lines, some of a few MB: a read of 4 MB ends anywhere in them, in the pattern too.
            int length = random.nextInt(20) == 0 ? random.nextInt(6 << 20) : random.nextInt(3000);
            var line = new StringBuilder("{\"n\":" + i + ",\"t\":\"");
            int patternAt = random.nextInt(3) == 0 ? random.nextInt(length + 1) : -1;
            for (int c = 0; c < length; c++) {
                if (c == patternAt) {
                    line.append("\",").append(usage).append(",\"u\":\"");
                }
                line.append(c % 97 == 0 ? "{\\\"usage\\\":{" : c % 13 == 0 ? "{" : "a");
            }
            line.append("\"}");
            if (patternAt >= 0) {
                expected.add(new Seen(line.toString(), text.length(), 1, true));
            }
            text.append(line).append(random.nextBoolean() ? "\n" : "\r\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("lengths.jsonl");
        Files.write(file, bytes);

        var seen = new ArrayList<Seen>();
        long consumed = JsonlFile.linesWith(new SessionFile(SessionTool.CLAUDE_CODE, file, bytes.length, Instant.EPOCH),
                "\"usage\":{", (buf, s, e, at, complete) -> {
                    seen.add(new Seen(new String(buf, s, e - s, StandardCharsets.UTF_8), at, 1, complete));
                    return true;
                });

        assertThat(expected).hasSizeGreaterThan(100);
        assertThat(seen).hasSameSizeAs(expected);
        assertThat(seen).isEqualTo(expected);
        assertThat(consumed).isEqualTo(bytes.length);
    }

    @Test
    void givenAPatternThatDoesNotStartWithAQuoteWhenScanningThenItIsRefused() {
        Path file = dir.resolve("s.jsonl");
        var session = new SessionFile(SessionTool.CLAUDE_CODE, file, 0, Instant.EPOCH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonlFile.scan(session, 0, null, new String[] {"usage"},
                        (buf, s, e, at, matches, complete) -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a pattern must start with a double quote: usage");
    }
}
