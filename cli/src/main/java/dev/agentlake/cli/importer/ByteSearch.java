package dev.agentlake.cli.importer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds bytes in a buffer eight at a time. One-shot commands run with the C1 compiler only, which
 * has none of the JDK's vectorised {@code String.indexOf} intrinsics: there a byte-by-byte loop costs
 * about 1 ns per byte, while testing a whole {@code long} read through a byte-array view at once
 * (the "has zero byte" bit trick) costs about half of that, and reading hundreds of MB of session
 * files is mostly this search.
 */
final class ByteSearch {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = ONES * '\n';
    private static final long QUOTES = ONES * '"';

    private ByteSearch() {
    }

    /**
     * High bit of every byte of {@code w} that is zero. Only the lowest set bit is exact (a borrow can
     * mark a byte above a zero byte), which is the only one callers use.
     */
    private static long zeroBytes(long w) {
        return (w - ONES) & ~w & HIGHS;
    }

    /** Index of the first newline or double quote in {@code b[from, to)}, or -1. */
    static int newlineOrQuote(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i);
            long hits = zeroBytes(w ^ NEWLINES) | zeroBytes(w ^ QUOTES);
            if (hits != 0) {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '\n' || c == '"') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first double quote in {@code b[from, to)}, or -1. */
    static int quote(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long hits = zeroBytes((long) LONGS.get(b, i) ^ QUOTES);
            if (hits != 0) {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first newline in {@code b[from, to)}, or -1. */
    static int newline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long hits = zeroBytes((long) LONGS.get(b, i) ^ NEWLINES);
            if (hits != 0) {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Index of the first occurrence of {@code pattern} (at least two bytes) in {@code b[from, to)}, or -1.
     * It looks for the pattern's last byte eight bytes at a time and compares the rest only there,
     * so a pattern ending in a byte that is rare in the text ({@code "usage":{} in session files: one
     * brace in ~500 bytes) is found at the speed of {@link #newline}.
     */
    static int indexOf(byte[] b, int from, int to, byte[] pattern) {
        int last = pattern.length - 1;
        long anchor = ONES * (pattern[last] & 0xff);
        int i = from + last;
        while (true) {
            int hit = -1;
            for (; i + 8 <= to; i += 8) {
                long hits = zeroBytes((long) LONGS.get(b, i) ^ anchor);
                if (hits != 0) {
                    hit = i + (Long.numberOfTrailingZeros(hits) >>> 3);
                    break;
                }
            }
            if (hit < 0) {
                for (; i < to; i++) {
                    if (b[i] == pattern[last]) {
                        hit = i;
                        break;
                    }
                }
                if (hit < 0) {
                    return -1;
                }
            }
            int start = hit - last;
            if (startsWith(b, start, to, pattern)) {
                return start;
            }
            i = hit + 1;
        }
    }

    /** Index of the last newline in {@code b[from, to)}, or -1. */
    static int lastNewline(byte[] b, int from, int to) {
        int i = to;
        for (; i - 8 >= from; i -= 8) {
            long w = (long) LONGS.get(b, i - 8) ^ NEWLINES;
            // Exact for every byte (no borrow), so the highest mark is a newline too.
            long hits = ~(((w & ~HIGHS) + ~HIGHS) | w | ~HIGHS);
            if (hits != 0) {
                return i - 8 + ((63 - Long.numberOfLeadingZeros(hits)) >>> 3);
            }
        }
        for (i--; i >= from; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code pattern} occurs at {@code b[at]}, wholly before {@code to}. */
    static boolean startsWith(byte[] b, int at, int to, byte[] pattern) {
        if (at + pattern.length > to) {
            return false;
        }
        for (int j = 0; j < pattern.length; j++) {
            if (b[at + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }
}
