package dev.agentlake.cli.importer;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Reads a JSON-lines session file as bytes, line by line, from a byte offset, digesting what it
 * consumed. Offsets count bytes of the decompressed content ({@code .zst} files are decompressed on
 * the fly). A last line without its newline is consumed only if the handler accepts it as complete:
 * an assistant may be half-way through writing it.
 */
final class JsonlFile {
    private static final int CHUNK = 4 << 20;
    /** One read buffer per thread: allocating 4 MB per file would keep the garbage collector busy. */
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[CHUNK]);

    private JsonlFile() {
    }

    /** What a handler does with one line {@code buf[start, end)} (no newline). */
    interface LineHandler {
        /**
         * @param text {@code buf} as Latin-1 (same indices), for vectorised searches within the line
         * @param matches bit i set when the line contains the scan's pattern i
         * @param complete false for a last line that has no newline yet
         * @return whether the line was usable; an unusable incomplete line is left for the next run
         */
        boolean line(byte[] buf, String text, int start, int end, int matches, boolean complete) throws IOException;
    }

    /** How far a scan got: the new offset and the fingerprint of bytes {@code [0, offset)} (or null if not taken). */
    record Scan(long offset, String prefixFingerprint) {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static InputStream open(SessionFile file) throws IOException {
        InputStream in = Files.newInputStream(file.path());
        if (file.compressed()) {
            return new ZstdInputStream(new BufferedInputStream(in, 1 << 16));
        }
        return in;
    }

    /**
     * Hands every line from {@code offset} on to {@code handler}, with which of {@code patterns}
     * (ASCII, at most 31) it contains. Lines and patterns are found with the JDK's vectorised
     * {@code String.indexOf} over a Latin-1 view of each chunk: every byte is looked at a few times
     * at most, which is what makes reading hundreds of MB of session files fast.
     *
     * @param digest fingerprint of bytes {@code [0, offset)}, updated with what is consumed; null to skip it
     */
    static Scan scan(SessionFile file, long offset, PrefixFingerprint digest, String[] patterns, LineHandler handler)
            throws IOException {
        if (patterns.length > 31) {
            throw new IllegalArgumentException("at most 31 patterns");
        }
        try (InputStream in = open(file)) {
            skipFully(in, offset);
            byte[] buf = BUFFER.get();
            int filled = 0;
            long consumed = offset;
            while (true) {
                if (filled == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2); // one line longer than the buffer
                    BUFFER.set(buf);
                }
                int n = in.read(buf, filled, buf.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
                int lineStart = 0;
                int nl;
                String text = new String(buf, 0, filled, StandardCharsets.ISO_8859_1);
                int[] next = new int[patterns.length];
                Arrays.fill(next, -2); // -2: not searched yet, -1: not in the rest of this chunk
                while ((nl = text.indexOf('\n', lineStart)) >= 0) {
                    int end = nl > lineStart && buf[nl - 1] == '\r' ? nl - 1 : nl;
                    if (end > lineStart) {
                        int matches = 0;
                        for (int i = 0; i < patterns.length; i++) {
                            if (next[i] == -2 || (next[i] >= 0 && next[i] < lineStart)) {
                                next[i] = text.indexOf(patterns[i], lineStart);
                            }
                            if (next[i] >= 0 && next[i] < end) {
                                matches |= 1 << i;
                            }
                        }
                        handler.line(buf, text, lineStart, end, matches, true);
                    }
                    lineStart = nl + 1;
                }
                if (digest != null && lineStart > 0) {
                    digest.update(buf, 0, lineStart);
                }
                consumed += lineStart;
                System.arraycopy(buf, lineStart, buf, 0, filled - lineStart);
                filled -= lineStart;
            }
            String rest = new String(buf, 0, filled, StandardCharsets.ISO_8859_1);
            if (filled > 0 && !isBlank(buf, 0, filled)
                    && handler.line(buf, rest, 0, filled, matches(rest, patterns), false)) {
                if (digest != null) {
                    digest.update(buf, 0, filled);
                }
                consumed += filled;
            }
            return new Scan(consumed, digest == null ? null : digest.hex());
        }
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        long left = n;
        byte[] scratch = null;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (scratch == null) {
                    scratch = new byte[1 << 16];
                }
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                if (r < 0) {
                    throw new IOException("file is shorter than its recorded offset " + n);
                }
                skipped = r;
            }
            left -= skipped;
        }
    }

    private static int matches(String text, String[] patterns) {
        int matches = 0;
        for (int i = 0; i < patterns.length; i++) {
            if (text.contains(patterns[i])) {
                matches |= 1 << i;
            }
        }
        return matches;
    }

    static int indexOf(byte[] buf, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code pattern} occurs in {@code buf[from, to)}. */
    static boolean contains(byte[] buf, int from, int to, byte[] pattern) {
        byte first = pattern[0];
        int last = to - pattern.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (buf[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean isBlank(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
