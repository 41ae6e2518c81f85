package dev.agentlake.cli.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The eight-bytes-at-a-time search finds exactly what a byte-by-byte loop finds: at every offset of a
 * word, in the tail shorter than a word, and next to the bytes that trip the bit trick (a byte one above
 * the one searched for, high bytes of UTF-8, a match right after another).
 */
class ByteSearchTest {

    @Test
    void givenOneNewlineOrQuoteAtEveryPositionWhenSearchedFromEveryStartThenTheSearchFindsItWhereALoopDoes() {
        for (byte target : new byte[] {'\n', '"'}) {
            for (int length = 1; length <= 40; length++) {
                for (int at = 0; at < length; at++) {
                    byte[] b = new byte[length];
                    Arrays.fill(b, (byte) 'a');
                    b[at] = target;
                    for (int from = 0; from <= length; from++) {
                        int expected = from <= at ? at : -1;
                        assertThat(ByteSearch.newlineOrQuote(b, from, length)).isEqualTo(expected);
                        if (target == '"') {
                            assertThat(ByteSearch.quote(b, from, length)).isEqualTo(expected);
                            assertThat(ByteSearch.newline(b, from, length)).isEqualTo(-1);
                        } else {
                            assertThat(ByteSearch.newline(b, from, length)).isEqualTo(expected);
                            assertThat(ByteSearch.quote(b, from, length)).isEqualTo(-1);
                        }
                    }
                }
            }
        }
    }

    @Test
    void givenNeighboursThatLookLikeMatchesToTheBitTrickWhenSearchedThenOnlyRealMatchesAreFound() {
        // 0x0B and 0x23 are one above '\n' and '"'; 0x8A and 0xA2 differ from them in the high bit only;
        // 0x00 and 0x01 make borrows; é is two high bytes.
        byte[] b = "\u000B#\u0000\u0001é\u00a2abc\"\"x\n\u000B".getBytes(StandardCharsets.UTF_8);
        byte[] withHighBytes = Arrays.copyOf(b, b.length + 2);
        withHighBytes[b.length] = (byte) 0x8A;
        withHighBytes[b.length + 1] = (byte) 0xA2;
        int firstQuote = indexOf(withHighBytes, '"', 0);
        assertThat(ByteSearch.newlineOrQuote(withHighBytes, 0, withHighBytes.length)).isEqualTo(firstQuote);
        assertThat(ByteSearch.quote(withHighBytes, firstQuote + 1, withHighBytes.length)).isEqualTo(firstQuote + 1);
        assertThat(ByteSearch.newlineOrQuote(withHighBytes, firstQuote + 2, withHighBytes.length))
                .isEqualTo(indexOf(withHighBytes, '\n', 0));
        assertThat(ByteSearch.newline(withHighBytes, 0, withHighBytes.length)).isEqualTo(indexOf(withHighBytes, '\n', 0));
        assertThat(ByteSearch.newlineOrQuote(withHighBytes, indexOf(withHighBytes, '\n', 0) + 1, withHighBytes.length))
                .isEqualTo(-1);
    }

    @Test
    void givenAPatternAtTheEndOfTheSearchedRangeWhenItWouldRunPastItThenItDoesNotMatch() {
        byte[] b = "{\"usage\":{".getBytes(StandardCharsets.ISO_8859_1);
        byte[] pattern = "\"usage\":{".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(ByteSearch.startsWith(b, 1, b.length, pattern)).isTrue();
        assertThat(ByteSearch.startsWith(b, 1, b.length - 1, pattern)).isFalse();
        assertThat(ByteSearch.startsWith(b, 0, b.length, pattern)).isFalse();
    }

    @Test
    void givenRandomBytesRichInThePatternsPartsWhenSearchedFromEveryStartThenIndexOfAndLastNewlineAgreeWithALoop() {
        byte[] pattern = "\"usage\":{".getBytes(StandardCharsets.ISO_8859_1);
        // Bytes of the pattern, newlines, and the bit trick's neighbours, so that partial matches,
        // matches that overlap a word's edge and false marks all occur.
        byte[] alphabet = "\"usage:{\n\u000B|z".getBytes(StandardCharsets.ISO_8859_1);
        var random = new java.util.Random(7);
        for (int round = 0; round < 3000; round++) {
            byte[] b = new byte[random.nextInt(60)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(8) == 0 ? (byte) (0x80 | random.nextInt(128)) : alphabet[random.nextInt(alphabet.length)];
            }
            if (b.length >= pattern.length && random.nextBoolean()) {
                System.arraycopy(pattern, 0, b, random.nextInt(b.length - pattern.length + 1), pattern.length);
            }
            for (int from = 0; from <= b.length; from++) {
                assertThat(ByteSearch.indexOf(b, from, b.length, pattern)).as("indexOf from %d in %s", from, Arrays.toString(b))
                        .isEqualTo(naiveIndexOf(b, from, b.length, pattern));
                assertThat(ByteSearch.lastNewline(b, from, b.length)).as("lastNewline from %d in %s", from, Arrays.toString(b))
                        .isEqualTo(naiveLastNewline(b, from, b.length));
                int to = from + (b.length - from) / 2;
                assertThat(ByteSearch.indexOf(b, from, to, pattern)).isEqualTo(naiveIndexOf(b, from, to, pattern));
                assertThat(ByteSearch.lastNewline(b, from, to)).isEqualTo(naiveLastNewline(b, from, to));
            }
        }
    }

    private static int naiveIndexOf(byte[] b, int from, int to, byte[] pattern) {
        for (int i = from; i + pattern.length <= to; i++) {
            if (Arrays.equals(b, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }

    private static int naiveLastNewline(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, char c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
