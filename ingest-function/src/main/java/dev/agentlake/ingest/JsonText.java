package dev.agentlake.ingest;

/**
 * Appends JSON values to a {@link StringBuilder} exactly as Jackson's default {@code JsonGenerator}
 * writes them (the text the lake already holds): compact, strings with {@code \" \\ \b \t \n \f \r}
 * escaped by name and other control characters as upper-case "&#92;u00XX", everything else (non-ASCII
 * included) as is; numbers as {@link Long#toString(long)} and {@link Double#toString(double)}.
 * Attribute JSON is built for every record on the ingest path; a generator and a writer per value cost
 * more than the text itself. {@code JsonTextTest} holds it to Jackson's output.
 */
final class JsonText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** 0: as is; -1: "&#92;u00XX"; else the letter after the backslash. */
    private static final int[] ESCAPES = new int[128];

    static {
        for (int c = 0; c < 32; c++) {
            ESCAPES[c] = -1;
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    private JsonText() {
    }

    /** {@code s} as a quoted JSON string. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        int n = s.length();
        int plainFrom = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 128 || ESCAPES[c] == 0) {
                continue;
            }
            out.append(s, plainFrom, i);
            plainFrom = i + 1;
            int e = ESCAPES[c];
            out.append('\\');
            if (e < 0) {
                out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                out.append((char) e);
            }
        }
        if (plainFrom == 0) {
            out.append(s); // the common case; append(s, from, to) copies char by char
        } else {
            out.append(s, plainFrom, n);
        }
        out.append('"');
    }

    /** A double as Jackson writes it: finite values as numbers; NaN and infinities (not JSON) as strings. */
    static void number(StringBuilder out, double d) {
        if (Double.isFinite(d)) {
            out.append(Double.toString(d));
        } else {
            out.append('"').append(Double.toString(d)).append('"');
        }
    }
}
