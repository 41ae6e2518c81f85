package dev.agentlake.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sets the keys of Codex's {@code [otel]} table in the text of a {@code config.toml}, keeping every
 * other key, table and comment as the user wrote them.
 *
 * <p>Codex reads {@code otel.log_user_prompt}, {@code otel.exporter}, {@code otel.trace_exporter}
 * and {@code otel.metrics_exporter} (its {@code OtelConfigToml}); TOML lets a user write them in
 * several forms that all define the same keys: inline in {@code [otel]}, as sub-tables
 * ({@code [otel.exporter."otlp-http"]}, {@code [otel.exporter.otlp-http.headers]}), as dotted keys
 * ({@code exporter.otlp-http.endpoint = …} in {@code [otel]}, {@code otel.exporter = …} at the top).
 * Every one of them is removed wherever it is and ours written once: a key defined twice is invalid
 * TOML, and Codex refuses to start on it.
 *
 * <p>Line based, with just enough of TOML (keys, headers, strings, brackets) to know which lines a
 * key's value spans; no TOML library is needed for that, and none would keep the comments.
 */
final class CodexOtelSettings {
    /** Our keys of {@code [otel]}, in the order written. */
    static final List<String> KEYS = List.of("log_user_prompt", "exporter", "trace_exporter", "metrics_exporter");

    private CodexOtelSettings() {
    }

    /**
     * {@code before} with {@code values} (key of {@code [otel]} → TOML value text, in {@link #KEYS}
     * order) set; the text ends with a newline, and keeps the file's line breaks ({@code \r\n} if its
     * first line ends so: a file edited on Windows stays as its editor wrote it).
     *
     * @throws IllegalArgumentException when {@code otel} is one inline table ({@code otel = {…}}),
     *     which cannot be changed key by key, or the file is not TOML this can follow
     */
    static String apply(String before, Map<String, String> values) {
        List<String> lines = new ArrayList<>(List.of(before.split("\r?\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        var out = new ArrayList<String>();
        List<String> table = List.of(); // path of the current [table]
        boolean droppedTable = false; // inside a [otel.exporter…] table being removed
        int otelHeader = -1; // index in out of the [otel] header line
        int lastRootOtelKey = -1; // index in out of the last top-level otel.* key kept
        int firstHeader = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                if (!(droppedTable && t.isEmpty())) {
                    out.add(line); // comments are the user's, even in a table that goes
                }
                continue;
            }
            if (t.startsWith("[")) {
                Header h = header(t, i);
                table = h.path();
                droppedTable = ours(table);
                if (droppedTable) {
                    continue;
                }
                if (firstHeader < 0) {
                    firstHeader = out.size();
                }
                if (!h.array() && table.equals(List.of("otel"))) {
                    otelHeader = out.size();
                }
                out.add(line);
                continue;
            }
            KeyLine k = keyLine(t, i);
            int end = valueEnd(lines, i, k.valueStart());
            var path = new ArrayList<>(table);
            path.addAll(k.key());
            if (path.equals(List.of("otel"))) {
                throw new IllegalArgumentException("line " + (i + 1) + " sets otel as one inline table; write it as an"
                        + " [otel] table (or remove it) and run setup again");
            }
            if (droppedTable || ours(path)) {
                i = end; // ours, or inside a table of ours: replaced
                continue;
            }
            if (table.isEmpty() && path.size() > 1 && path.get(0).equals("otel")) {
                lastRootOtelKey = out.size() + (end - i);
            }
            for (int j = i; j <= end; j++) {
                out.add(lines.get(j));
            }
            i = end;
        }
        var ours = new ArrayList<String>();
        if (otelHeader >= 0) {
            values.forEach((key, value) -> ours.add(key + " = " + value));
            out.addAll(otelHeader + 1, ours);
        } else if (lastRootOtelKey >= 0) {
            // otel is defined by dotted keys at the top: an [otel] header would define it twice.
            values.forEach((key, value) -> ours.add("otel." + key + " = " + value));
            out.addAll(lastRootOtelKey + 1, ours);
        } else {
            if (!out.isEmpty() && !out.get(out.size() - 1).isBlank()) {
                out.add("");
            }
            out.add("[otel]");
            values.forEach((key, value) -> out.add(key + " = " + value));
        }
        int firstBreak = before.indexOf('\n');
        String newline = firstBreak > 0 && before.charAt(firstBreak - 1) == '\r' ? "\r\n" : "\n";
        return String.join(newline, out) + newline;
    }

    /** Whether a key path is one of ours or inside one ({@code otel.exporter.otlp-http.endpoint}). */
    private static boolean ours(List<String> path) {
        return path.size() >= 2 && path.get(0).equals("otel") && KEYS.contains(path.get(1));
    }

    private record Header(List<String> path, boolean array) {
    }

    private record KeyLine(List<String> key, int valueStart) {
    }

    private static Header header(String t, int lineIndex) {
        boolean array = t.startsWith("[[");
        var p = new int[] {array ? 2 : 1};
        List<String> path = key(t, p, lineIndex);
        String close = array ? "]]" : "]";
        skipSpace(t, p);
        if (!t.startsWith(close, p[0])) {
            throw notToml(lineIndex, "a table header without its closing " + close);
        }
        return new Header(path, array);
    }

    private static KeyLine keyLine(String t, int lineIndex) {
        var p = new int[] {0};
        List<String> key = key(t, p, lineIndex);
        skipSpace(t, p);
        if (p[0] >= t.length() || t.charAt(p[0]) != '=') {
            throw notToml(lineIndex, "a key without '='");
        }
        return new KeyLine(key, p[0] + 1);
    }

    /** A dotted key from {@code p[0]}: bare parts and quoted ones, unquoted. */
    private static List<String> key(String t, int[] p, int lineIndex) {
        var parts = new ArrayList<String>();
        while (true) {
            skipSpace(t, p);
            if (p[0] >= t.length()) {
                throw notToml(lineIndex, "a key that ends early");
            }
            char c = t.charAt(p[0]);
            if (c == '"' || c == '\'') {
                var sb = new StringBuilder();
                int i = p[0] + 1;
                while (i < t.length() && t.charAt(i) != c) {
                    if (c == '"' && t.charAt(i) == '\\' && i + 1 < t.length()) {
                        i++;
                    }
                    sb.append(t.charAt(i++));
                }
                if (i >= t.length()) {
                    throw notToml(lineIndex, "a quoted key without its closing quote");
                }
                parts.add(sb.toString());
                p[0] = i + 1;
            } else {
                int s = p[0];
                while (p[0] < t.length() && (Character.isLetterOrDigit(t.charAt(p[0])) || t.charAt(p[0]) == '_'
                        || t.charAt(p[0]) == '-')) {
                    p[0]++;
                }
                if (s == p[0]) {
                    throw notToml(lineIndex, "an empty key");
                }
                parts.add(t.substring(s, p[0]));
            }
            skipSpace(t, p);
            if (p[0] < t.length() && t.charAt(p[0]) == '.') {
                p[0]++;
                continue;
            }
            return parts;
        }
    }

    /**
     * The index of the last line of the value that starts at {@code start} of (stripped) line
     * {@code first}: it goes on while a bracket or a multi-line string is open.
     */
    private static int valueEnd(List<String> lines, int first, int start) {
        int depth = 0;
        String openString = null; // """ or ''' while inside a multi-line string
        for (int i = first; i < lines.size(); i++) {
            String s = i == first ? lines.get(i).strip() : lines.get(i);
            int j = i == first ? start : 0;
            while (j < s.length()) {
                if (openString != null) {
                    if (s.startsWith(openString, j)) {
                        j += 3;
                        openString = null;
                    } else {
                        j += openString.equals("\"\"\"") && s.charAt(j) == '\\' ? 2 : 1;
                    }
                    continue;
                }
                char c = s.charAt(j);
                if (c == '#') {
                    break;
                }
                if (s.startsWith("\"\"\"", j) || s.startsWith("'''", j)) {
                    openString = s.substring(j, j + 3);
                    j += 3;
                } else if (c == '"' || c == '\'') {
                    j++;
                    while (j < s.length() && s.charAt(j) != c) {
                        j += c == '"' && s.charAt(j) == '\\' ? 2 : 1;
                    }
                    j++;
                } else {
                    if (c == '[' || c == '{') {
                        depth++;
                    } else if (c == ']' || c == '}') {
                        depth--;
                    }
                    j++;
                }
            }
            if (depth <= 0 && openString == null) {
                return i;
            }
        }
        throw notToml(first, "a value that is never closed");
    }

    private static void skipSpace(String t, int[] p) {
        while (p[0] < t.length() && (t.charAt(p[0]) == ' ' || t.charAt(p[0]) == '\t')) {
            p[0]++;
        }
    }

    private static IllegalArgumentException notToml(int lineIndex, String what) {
        return new IllegalArgumentException("the existing file is not TOML this can edit (line " + (lineIndex + 1)
                + ": " + what + "); fix it first");
    }
}
