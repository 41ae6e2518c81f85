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

    record Seen(String line, int matches, boolean complete) {
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
                expected.add(new Seen(filler, 0, true));
            }
            String head = "{\"message\":{\"pad\":\"";
            String pad = "y".repeat(patternAt - text.length() - head.length() - 2);
            String line = head + pad + "\"," + tail;
            assertThat(text.length() + line.indexOf("\"usage\"")).isEqualTo(patternAt);
            text.append(line).append('\n');
            expected.add(new Seen(line, 0b01, true));
            String user = "{\"type\":\"user\",\"message\":{\"content\":\"say \\\"usage\\\":{ here\"}}";
            text.append(user).append("\r\n\n");
            expected.add(new Seen(user, 0b10, true));
            String unfinished = "{\"type\":\"user\",\"usage\":{\"in";
            text.append(unfinished);
            expected.add(new Seen(unfinished, 0b11, false));

            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            Path file = dir.resolve("cut-" + cut + ".jsonl");
            Files.write(file, bytes);
            var seen = new ArrayList<Seen>();
            JsonlFile.Scan scan = JsonlFile.scan(new SessionFile(SessionTool.CLAUDE_CODE, file, bytes.length, Instant.EPOCH),
                    0, null, PATTERNS, (buf, s, e, matches, complete) -> {
                        seen.add(new Seen(new String(buf, s, e - s, StandardCharsets.UTF_8), matches, complete));
                        return complete;
                    });

            assertThat(seen).as("cut %d", cut).isEqualTo(expected);
            assertThat(scan.offset()).as("the unfinished last line is left for the next run")
                    .isEqualTo(bytes.length - unfinished.length());
        }
    }

    @Test
    void givenAPatternThatDoesNotStartWithAQuoteWhenScanningThenItIsRefused() {
        Path file = dir.resolve("s.jsonl");
        var session = new SessionFile(SessionTool.CLAUDE_CODE, file, 0, Instant.EPOCH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonlFile.scan(session, 0, null, new String[] {"usage"},
                        (buf, s, e, matches, complete) -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a pattern must start with a double quote: usage");
    }
}
