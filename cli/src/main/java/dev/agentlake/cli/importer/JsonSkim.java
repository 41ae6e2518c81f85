package dev.agentlake.cli.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A forward-only reader of one JSON value in a byte buffer that visits only the keys asked for and
 * skips everything else without decoding it: strings are skipped by searching for their closing
 * quote eight bytes at a time ({@link ByteSearch}). What makes reading the usage of
 * hundreds of MB of assistant lines, most of whose bytes are message text, cheap. Malformed input
 * throws {@link IOException}; callers then fall back to a full parser or skip the line.
 */
final class JsonSkim {
    private final byte[] b;
    private final int end;
    private int pos;

    JsonSkim(byte[] b, int start, int end) {
        this.b = b;
        this.pos = start;
        this.end = end;
    }

    /** Visits the members of an object: called with each key, positioned at its value, which it must consume. */
    interface Members {
        void member(String key, JsonSkim json) throws IOException;
    }

    void object(Members members) throws IOException {
        ws();
        expect('{');
        ws();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            ws();
            String key = key();
            ws();
            expect(':');
            ws();
            members.member(key, this);
            ws();
            byte c = next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw new IOException("expected , or } at " + (pos - 1));
            }
        }
    }

    /** Whether the value here is an object (without consuming it). */
    boolean atObject() throws IOException {
        ws();
        return peek() == '{';
    }

    /** A string value (decoded), or null for any other value (consumed either way). */
    String stringOrNull() throws IOException {
        ws();
        if (peek() != '"') {
            skip();
            return null;
        }
        return string();
    }

    /** An integer value (a numeric string too), else 0; never negative. */
    long count() throws IOException {
        ws();
        byte c = peek();
        if (c == '-' || (c >= '0' && c <= '9')) {
            int start = pos;
            long v = 0;
            boolean negative = c == '-';
            if (negative) {
                pos++;
            }
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                v = v * 10 + (b[pos++] - '0');
            }
            if (pos < end && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) {
                skipScalar();
                return Math.max(0, (long) decimal(start, pos));
            }
            return negative ? 0 : v;
        }
        String s = stringOrNull();
        if (s == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A number value, or null for anything else. */
    Double number() throws IOException {
        ws();
        byte c = peek();
        if (c == '-' || (c >= '0' && c <= '9')) {
            int start = pos;
            skipScalar();
            return decimal(start, pos);
        }
        skip();
        return null;
    }

    /** The number in {@code b[from, to)}; a malformed one makes the line malformed, like any other bad JSON. */
    private double decimal(int from, int to) throws IOException {
        try {
            return Double.parseDouble(latin1(from, to));
        } catch (NumberFormatException e) {
            throw new IOException("not a number at " + from);
        }
    }

    /** True for {@code true}, false for anything else. */
    boolean isTrue() throws IOException {
        ws();
        boolean t = peek() == 't';
        skip();
        return t;
    }

    /** Skips one value of any kind. */
    void skip() throws IOException {
        ws();
        byte c = peek();
        if (c == '"') {
            skipString();
        } else if (c == '{' || c == '[') {
            skipNested();
        } else {
            skipScalar();
        }
    }

    private void skipNested() throws IOException {
        int depth = 0;
        while (pos < end) {
            byte c = b[pos];
            if (c == '"') {
                skipString();
                continue;
            }
            pos++;
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return;
                }
            }
        }
        throw new IOException("unterminated object or array");
    }

    private void skipScalar() throws IOException {
        int start = pos;
        while (pos < end) {
            byte c = b[pos];
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                break;
            }
            pos++;
        }
        if (pos == start) {
            throw new IOException("expected a value at " + start);
        }
    }

    private void skipString() throws IOException {
        int close = closingQuote(pos + 1);
        pos = close + 1;
    }

    private String string() throws IOException {
        if (peek() != '"') {
            throw new IOException("expected a string at " + pos);
        }
        int start = pos + 1;
        int close = closingQuote(start);
        pos = close + 1;
        boolean plain = true;
        for (int i = start; i < close; i++) {
            byte c = b[i];
            if (c == '\\' || c < 0) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return latin1(start, close); // ASCII: Latin-1 and UTF-8 agree
        }
        return EventRows.JSON.readValue(b, start - 1, close - start + 2, String.class);
    }

    /**
     * A key: looked up among the keys seen before (files repeat the same few dozen keys on every line),
     * so that reading one costs neither a new String nor hashing it again in the caller's switch.
     */
    private String key() throws IOException {
        if (peek() != '"') {
            throw new IOException("expected a string at " + pos);
        }
        int start = pos + 1;
        int close = closingQuote(start);
        int length = close - start;
        int hash = length;
        for (int i = start; i < close; i++) {
            hash = 31 * hash + b[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (KEYS.length() - 1);
        KnownKey known = KEYS.get(slot);
        if (known != null && known.matches(b, start, close)) {
            pos = close + 1;
            return known.name;
        }
        String name = string();
        if (length <= 64 && name.length() == length) { // ASCII without escapes: its bytes are its name
            KEYS.set(slot, new KnownKey(java.util.Arrays.copyOfRange(b, start, close), name));
        }
        return name;
    }

    /** Recently seen keys by hash of their bytes (a newer key takes a taken slot: only speed depends on it). */
    private static final java.util.concurrent.atomic.AtomicReferenceArray<KnownKey> KEYS =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(1024);

    private record KnownKey(byte[] bytes, String name) {
        boolean matches(byte[] b, int from, int to) {
            if (to - from != bytes.length) {
                return false;
            }
            for (int i = 0; i < bytes.length; i++) {
                if (b[from + i] != bytes[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Index of the quote that closes a string whose content starts at {@code from}. */
    private int closingQuote(int from) throws IOException {
        int p = from;
        while (true) {
            int q = ByteSearch.quote(b, p, end);
            if (q < 0) {
                throw new IOException("unterminated string");
            }
            int backslashes = 0;
            for (int k = q - 1; k >= from && b[k] == '\\'; k--) {
                backslashes++;
            }
            if ((backslashes & 1) == 0) {
                return q;
            }
            p = q + 1;
        }
    }

    private void ws() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private byte peek() throws IOException {
        if (pos >= end) {
            throw new IOException("unexpected end");
        }
        return b[pos];
    }

    private byte next() throws IOException {
        byte c = peek();
        pos++;
        return c;
    }

    private void expect(char c) throws IOException {
        if (next() != c) {
            throw new IOException("expected " + c + " at " + (pos - 1));
        }
    }

    private String latin1(int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    static String utf8(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
}
