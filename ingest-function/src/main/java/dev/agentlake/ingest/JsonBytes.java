package dev.agentlake.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON text written as UTF-8 bytes, character for character what {@link JsonText} writes (Jackson's
 * text): log record attributes are copied from their protobuf bytes without becoming {@code String}s
 * first. Escaping works on bytes because every byte of a multi-byte UTF-8 sequence is 0x80 or above,
 * and those are written as they are, like the non-ASCII characters they encode.
 */
final class JsonBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private byte[] buffer = new byte[4096];
    private int length;

    void clear() {
        length = 0;
    }

    @Override
    public String toString() {
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    void append(char ascii) {
        room(1);
        buffer[length++] = (byte) ascii;
    }

    private void append(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void appendAscii(String ascii) {
        int n = ascii.length();
        room(n);
        for (int i = 0; i < n; i++) {
            buffer[length++] = (byte) ascii.charAt(i);
        }
    }

    void bool(boolean b) {
        append(b ? TRUE : FALSE);
    }

    void nullValue() {
        append(NULL);
    }

    void number(long n) {
        appendAscii(Long.toString(n));
    }

    /** As {@link JsonText#number}: finite values as numbers; NaN and infinities as strings. */
    void number(double d) {
        if (Double.isFinite(d)) {
            appendAscii(Double.toString(d));
        } else {
            append('"');
            appendAscii(Double.toString(d));
            append('"');
        }
    }

    void string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        string(utf8, 0, utf8.length);
    }

    /**
     * The UTF-8 text in {@code src[from, to)} as a quoted JSON string; returns whether it was all ASCII
     * (otherwise the caller, if it has not, checks that it is well-formed UTF-8).
     */
    boolean string(byte[] src, int from, int to) {
        room(to - from + 2);
        buffer[length++] = '"';
        boolean ascii = true;
        int plainFrom = from;
        int i = from;
        while (i < to) {
            if (i <= to - 8 && plain((long) WORDS.get(src, i))) {
                i += 8; // the common case: eight bytes of ASCII text with nothing to escape
                continue;
            }
            for (int stop = Math.min(i + 8, to); i < stop; i++) {
                int b = src[i];
                if (b < 0) {
                    ascii = false;
                } else if (b < 0x20 || b == '"' || b == '\\') {
                    copy(src, plainFrom, i);
                    plainFrom = i + 1;
                    escape(b);
                }
            }
        }
        copy(src, plainFrom, to);
        buffer[length++] = '"';
        return ascii;
    }

    /**
     * Whether none of the eight bytes is a control character, a quote, a backslash or non-ASCII (SWAR:
     * a byte's high bit survives {@code x - ONES * n} and {@code ~x} only where that byte is below n).
     */
    private static boolean plain(long w) {
        long belowSpace = w - ONES * 0x20;
        long quote = (w ^ ONES * '"') - ONES;
        long backslash = (w ^ ONES * '\\') - ONES;
        return ((belowSpace | quote | backslash) & ~w & HIGH_BITS) == 0
                && (w & HIGH_BITS) == 0;
    }

    private void copy(byte[] src, int from, int to) {
        int n = to - from;
        room(n + 1); // and the closing quote
        System.arraycopy(src, from, buffer, length, n);
        length += n;
    }

    private void escape(int c) {
        room(6);
        buffer[length++] = '\\';
        switch (c) {
            case '"', '\\' -> buffer[length++] = (byte) c;
            case '\b' -> buffer[length++] = 'b';
            case '\t' -> buffer[length++] = 't';
            case '\f' -> buffer[length++] = 'f';
            case '\n' -> buffer[length++] = 'n';
            case '\r' -> buffer[length++] = 'r';
            default -> {
                buffer[length++] = 'u';
                buffer[length++] = '0';
                buffer[length++] = '0';
                buffer[length++] = HEX[c >> 4];
                buffer[length++] = HEX[c & 0xF];
            }
        }
    }

    private void room(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
