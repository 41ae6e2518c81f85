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

    private static int indexOf(byte[] b, char c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
