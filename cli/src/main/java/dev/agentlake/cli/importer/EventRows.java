package dev.agentlake.cli.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.RedactedText;
import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the transcript rows an import lands in {@code logs} ({@code source = import}): one row per
 * prompt, assistant text, tool use and tool result, with the event names the dashboard filters on.
 * Tool inputs and results are cut to a few KB: the transcript is for looking back at a session, and
 * whole file contents would make the lake larger than the session files.
 */
final class EventRows {
    static final String USER_PROMPT = "user_prompt";
    static final String ASSISTANT_RESPONSE = "assistant_response";
    static final String TOOL_USE = "tool_use";
    static final String TOOL_RESULT = "tool_result";

    static final int MAX_TEXT = 64 * 1024;
    static final int MAX_TOOL_INPUT = 4 * 1024;
    static final int MAX_TOOL_RESULT = 2 * 1024;

    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final Map<String, ResourceColumns> RESOURCES = new ConcurrentHashMap<>();

    private EventRows() {
    }

    /**
     * A transcript row; {@code idSeed} must name the record uniquely and stably (line uuid + block index),
     * never the text, so a redacted and an unredacted import of one line are the same record.
     */
    static LogRow event(ImportContext ctx, SessionTool tool, String version, String eventName, long timeUnixNano,
                        String idSeed, String body, String sessionId, String promptId, String project, String model,
                        Boolean success, String toolName, String requestId, ObjectNode attributes) {
        String recordId = hash(tool.lakeTool() + "|" + eventName + "|" + idSeed);
        return new LogRow(recordId, timeUnixNano, 0L, resource(ctx, tool, version), "agentlake.import", null, null, 0,
                eventName, ctx.redactPrompts() ? RedactedText.of(body) : body, sessionId, promptId, null, project, model, Tokens.NONE, null, null, success, toolName,
                null, requestId, null, null, 0, attributes == null ? "{}" : attributes.toString(), "import");
    }

    private static ResourceColumns resource(ImportContext ctx, SessionTool tool, String version) {
        String key = tool.name() + "|" + version + "|" + ctx.hostName();
        return RESOURCES.computeIfAbsent(key, k -> {
            ObjectNode attrs = JSON.createObjectNode();
            attrs.put("host.name", ctx.hostName());
            attrs.put("service.name", tool.lakeTool());
            if (version != null) {
                attrs.put("service.version", version);
            }
            return new ResourceColumns(tool.lakeTool(), tool.lakeTool(), version, ctx.hostName(), attrs.toString());
        });
    }

    static ObjectNode attributes() {
        return JSON.createObjectNode();
    }

    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "… [" + (text.length() - max) + " more characters]";
    }

    /** Text of a content value: a string, or the {@code text} of each block of an array, joined by newlines. */
    static String text(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            var sb = new StringBuilder();
            for (JsonNode block : content) {
                JsonNode t = block.isTextual() ? block : block.get("text");
                if (t != null && t.isTextual()) {
                    if (sb.length() > 0) {
                        sb.append('\n');
                    }
                    sb.append(t.asText());
                }
            }
            return sb.length() == 0 ? null : sb.toString();
        }
        return content.toString();
    }

    static String hash(String seed) {
        byte[] utf8 = seed.getBytes(StandardCharsets.UTF_8);
        return hash(utf8, 0, utf8.length);
    }

    /** {@link #hash(String)} of text given as its UTF-8 bytes. */
    static String hash(byte[] utf8, int offset, int length) {
        MessageDigest d = JsonlFile.sha256();
        d.update(utf8, offset, length);
        return HexFormat.of().formatHex(d.digest(), 0, 16);
    }

    /**
     * Nanoseconds since the epoch of an ISO-8601 instant, or -1 if it is not one. The session files'
     * form ({@code 2026-11-22T18:57:08.926Z}) is read by hand: {@code Instant.parse} was the largest
     * single cost of reading usage from hundreds of MB of files.
     */
    static long parseTime(String iso) {
        if (iso == null || iso.isEmpty()) {
            return -1;
        }
        long fast = parseUtc(iso);
        if (fast >= 0) {
            return fast;
        }
        try {
            Instant i = java.time.OffsetDateTime.parse(iso).toInstant();
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        } catch (DateTimeParseException e) {
            try {
                Instant i = Instant.parse(iso);
                return i.getEpochSecond() * 1_000_000_000L + i.getNano();
            } catch (DateTimeParseException e2) {
                return -1;
            }
        }
    }

    /** {@code YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z} → epoch nanoseconds; -1 for any other form. */
    static long parseUtc(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return -1;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 60) {
            return -1;
        }
        long nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
                return -1;
            }
            int digits = n - 21;
            int f = digits(s, 20, digits);
            if (f < 0) {
                return -1;
            }
            nanos = f;
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        } else if (s.charAt(19) != 'Z') {
            return -1;
        }
        long days = java.time.LocalDate.of(year, month, Math.min(day, 28)).toEpochDay() + Math.max(0, day - 28);
        return ((days * 24 + hour) * 60 + minute) * 60_000_000_000L + second * 1_000_000_000L + nanos;
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
