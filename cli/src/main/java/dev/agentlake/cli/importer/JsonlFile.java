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
         * @param at where the line starts in the (decompressed) file: orders the lines of a file
         * @param matches bit i set when the line contains the scan's pattern i
         * @param complete false for a last line that has no newline yet
         * @return whether the line was usable; an unusable incomplete line is left for the next run
         */
        boolean line(byte[] buf, int start, int end, long at, int matches, boolean complete) throws IOException;
    }

    /** How far a scan got: the new offset and the fingerprint of bytes {@code [0, offset)} (or null if not taken). */
    record Scan(long offset, String prefixFingerprint) {
    }

    private static final MessageDigest SHA256 = newSha256();

    /**
     * A fresh SHA-256 digest. Cloned from one made at start: {@code MessageDigest.getInstance} looks the
     * provider up each time, which cost more than the hash of a transcript row's short id seed.
     */
    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
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
     * (ASCII, each starting with a double quote, at most 31) it contains. One pass over the bytes
     * finds both: it stops at every newline and double quote ({@link ByteSearch}, eight bytes at a time)
     * and tests the patterns at the quotes only. JSON keys and string values start with a quote, so
     * every pattern worth searching for does too.
     *
     * @param digest fingerprint of bytes {@code [0, offset)}, updated with what is consumed; null to skip it
     */
    static Scan scan(SessionFile file, long offset, PrefixFingerprint digest, String[] patterns, LineHandler handler)
            throws IOException {
        byte[][] wanted = patterns(patterns);
        try (InputStream in = open(file)) {
            skipFully(in, offset);
            byte[] buf = BUFFER.get();
            int filled = 0;
            long consumed = offset;
            while (true) {
                buf = roomAfter(buf, filled);
                int n = in.read(buf, filled, buf.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
                int lineStart = 0;
                int matches = 0;
                int at = 0;
                int hit;
                // A line cut by the end of the chunk is searched again from its start with the next chunk.
                while ((hit = ByteSearch.newlineOrQuote(buf, at, filled)) >= 0) {
                    if (buf[hit] == '"') {
                        matches |= matchesAt(buf, hit, filled, wanted, matches);
                        at = hit + 1;
                        continue;
                    }
                    int end = hit > lineStart && buf[hit - 1] == '\r' ? hit - 1 : hit;
                    if (end > lineStart) {
                        handler.line(buf, lineStart, end, consumed + lineStart, matches, true);
                    }
                    lineStart = hit + 1;
                    at = lineStart;
                    matches = 0;
                }
                if (digest != null && lineStart > 0) {
                    digest.update(buf, 0, lineStart);
                }
                consumed += lineStart;
                System.arraycopy(buf, lineStart, buf, 0, filled - lineStart);
                filled -= lineStart;
            }
            if (filled > 0 && !isBlank(buf, 0, filled)
                    && handler.line(buf, 0, filled, consumed, matches(buf, filled, wanted), false)) {
                if (digest != null) {
                    digest.update(buf, 0, filled);
                }
                consumed += filled;
            }
            return new Scan(consumed, digest == null ? null : digest.hex());
        }
    }

    /** What a handler does with one line {@code buf[start, end)} that contains the pattern searched for. */
    interface MatchHandler {
        /**
         * @param at where the line starts in the (decompressed) file
         * @param complete false for a last line that has no newline yet
         * @return whether the line was usable; an unusable incomplete line is not consumed
         */
        boolean line(byte[] buf, int start, int end, long at, boolean complete) throws IOException;
    }

    /**
     * Hands on only the lines that contain {@code pattern}, for a reader that needs nothing else (a
     * report needs only Claude's usage lines, a third of the bytes). The pattern is searched for
     * across the buffer ({@link ByteSearch#indexOf}) and the line is found around each hit, so the
     * other lines are never looked at byte by byte: {@link #scan} stops at every quote of every line,
     * about one in 30 bytes of a session file.
     *
     * @return bytes consumed: up to the last complete line, and the last line if it has the pattern and
     *     the handler took it
     */
    static long linesWith(SessionFile file, String pattern, MatchHandler handler) throws IOException {
        byte[] wanted = pattern.getBytes(StandardCharsets.ISO_8859_1);
        try (InputStream in = open(file)) {
            byte[] buf = BUFFER.get();
            int filled = 0;
            long base = 0; // file offset of buf[0]
            while (true) {
                buf = roomAfter(buf, filled);
                int n = in.read(buf, filled, buf.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
                int done = 0; // bytes before it belong to lines already handed on or without the pattern
                int at = 0;
                int keep = -1; // start of a line with the pattern cut by the end of the chunk
                int hit;
                while ((hit = ByteSearch.indexOf(buf, at, filled, wanted)) >= 0) {
                    int start = lineStart(buf, done, hit);
                    int end = ByteSearch.newline(buf, hit + wanted.length, filled);
                    if (end < 0) {
                        keep = start;
                        break;
                    }
                    handler.line(buf, start, end > start && buf[end - 1] == '\r' ? end - 1 : end, base + start, true);
                    done = end + 1;
                    at = done;
                }
                if (keep < 0) {
                    keep = lineStart(buf, done, filled); // the last line, cut by the end of the chunk
                }
                System.arraycopy(buf, keep, buf, 0, filled - keep);
                filled -= keep;
                base += keep;
            }
            if (filled > 0 && !isBlank(buf, 0, filled) && ByteSearch.indexOf(buf, 0, filled, wanted) >= 0
                    && handler.line(buf, 0, filled, base, false)) {
                return base + filled;
            }
            return base;
        }
    }

    /** {@code buf}, or the thread's buffer doubled when {@code buf} is full: one line is longer than it. */
    private static byte[] roomAfter(byte[] buf, int filled) {
        if (filled < buf.length) {
            return buf;
        }
        byte[] bigger = Arrays.copyOf(buf, buf.length * 2);
        BUFFER.set(bigger);
        return bigger;
    }

    /** Start of the line that holds {@code buf[at]}, where {@code from} is a line's start. */
    private static int lineStart(byte[] buf, int from, int at) {
        int newline = ByteSearch.lastNewline(buf, from, at);
        return newline < 0 ? from : newline + 1;
    }

    private static byte[][] patterns(String[] patterns) {
        if (patterns.length > 31) {
            throw new IllegalArgumentException("at most 31 patterns");
        }
        byte[][] bytes = new byte[patterns.length][];
        for (int i = 0; i < patterns.length; i++) {
            bytes[i] = patterns[i].getBytes(StandardCharsets.ISO_8859_1);
            if (bytes[i].length == 0 || bytes[i][0] != '"') {
                throw new IllegalArgumentException("a pattern must start with a double quote: " + patterns[i]);
            }
        }
        return bytes;
    }

    /** Bits of the patterns not yet in {@code found} that start at the quote {@code buf[at]}. */
    private static int matchesAt(byte[] buf, int at, int to, byte[][] patterns, int found) {
        int bits = 0;
        for (int i = 0; i < patterns.length; i++) {
            if ((found & (1 << i)) == 0 && ByteSearch.startsWith(buf, at, to, patterns[i])) {
                bits |= 1 << i;
            }
        }
        return bits;
    }

    private static int matches(byte[] buf, int to, byte[][] patterns) {
        int matches = 0;
        int at = 0;
        while ((at = ByteSearch.quote(buf, at, to)) >= 0) {
            matches |= matchesAt(buf, at, to, patterns, matches);
            at++;
        }
        return matches;
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

    private static boolean isBlank(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
