package dev.agentlake.cli.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentlake.lake.model.LogRow;
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

    /** A transcript row; {@code idSeed} must name the record uniquely and stably (line uuid + block index). */
    static LogRow event(ImportContext ctx, SessionTool tool, String version, String eventName, long timeUnixNano,
                        String idSeed, String body, String sessionId, String promptId, String project, String model,
                        Boolean success, String toolName, String requestId, ObjectNode attributes) {
        String recordId = hash(tool.lakeTool() + "|" + eventName + "|" + idSeed);
        return new LogRow(recordId, timeUnixNano, 0L, resource(ctx, tool, version), "agentlake.import", null, null, 0,
                eventName, body, sessionId, promptId, null, project, model, Tokens.NONE, null, null, success, toolName,
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
        MessageDigest d = JsonlFile.sha256();
        return HexFormat.of().formatHex(d.digest(seed.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    /** Nanoseconds since the epoch of an ISO-8601 instant, or -1 if it is not one. */
    static long parseTime(String iso) {
        if (iso == null || iso.isEmpty()) {
            return -1;
        }
        try {
            Instant i = Instant.parse(iso);
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
