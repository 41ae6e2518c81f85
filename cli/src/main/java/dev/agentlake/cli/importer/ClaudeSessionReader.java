package dev.agentlake.cli.importer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.UsageRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Claude Code's {@code projects/<project>/<session>.jsonl} (and {@code <session>/subagents/*.jsonl}).
 *
 * <p>Counting rules: Claude Code writes one {@code assistant} line per content block of a response,
 * each repeating the response's usage, and repeats whole responses in sidechain replays and resumed
 * sessions; every sighting carries the same {@code message.id} and {@code requestId}, which is the
 * key calls are merged on (see {@link UsageLedger}). Lines of the {@code <synthetic>} model are
 * Claude Code's own messages, not model calls. Cache write is {@code cache_creation_input_tokens}
 * even when its 5m/1h breakdown reads zero (Claude Code 2.1.330 writes such lines).
 */
final class ClaudeSessionReader implements SessionReader {
    /**
     * What usage lines have: a report reads only these, found by a search of the bytes for the
     * pattern (its closing brace is rare in session files; see {@link JsonlFile#linesWith}).
     */
    private static final String USAGE_PATTERN = "\"usage\":{";
    /** Lines with usage; lines of a transcript (bits 0, 1, 2 of a line's matches). */
    private static final String[] PATTERNS = {USAGE_PATTERN, "\"type\":\"user\"", "\"type\":\"assistant\""};
    static final String SYNTHETIC = "<synthetic>";

    /** The fields of one line this reader uses. */
    private static final class Line {
        String type;
        String uuid;
        String timestamp;
        String sessionId;
        String requestId;
        String cwd;
        String version;
        String promptId;
        boolean sidechain;
        boolean meta;
        Double costUsd;
        String messageId;
        String model;
        JsonNode content;
        boolean hasUsage;
        long input;
        long output;
        long cacheRead;
        long cacheWrite;
        long cacheWrite5m;
        long cacheWrite1h;
        long thinking;
    }

    @Override
    public FileRead read(SessionFile file, ReadStart start, ImportContext ctx) throws IOException {
        // The usage-only search reads whole files: a read from an offset (an import's) takes the one-pass scan.
        return !start.transcript() && start.offset() == 0 && start.digest() == null
                ? readUsage(file, start, ctx) : readAll(file, start, ctx);
    }

    /** Usage lines only (a report): the other lines are not even looked at. */
    private static FileRead readUsage(SessionFile file, ReadStart start, ImportContext ctx) throws IOException {
        var calls = new ArrayList<ImportedCall>();
        var state = new HashMap<>(start.context());
        int[] skipped = {0};
        long offset = JsonlFile.linesWith(file, USAGE_PATTERN, (buf, s, e, at, complete) -> {
            Line line;
            try {
                line = skim(buf, s, e);
            } catch (IOException bad) {
                if (complete) {
                    skipped[0]++;
                }
                return false;
            }
            usage(file, start, ctx, line, at, state, calls);
            return true;
        });
        return new FileRead(file, calls, List.of(), offset, null, state, skipped[0]);
    }

    /** Every line: usage, and the transcript when asked for (an import). */
    private static FileRead readAll(SessionFile file, ReadStart start, ImportContext ctx) throws IOException {
        var calls = new ArrayList<ImportedCall>();
        var events = new ArrayList<LogRow>();
        var state = new HashMap<>(start.context());
        int[] skipped = {0};
        var toolNames = new HashMap<String, String>(); // tool_use id → tool name, to name the results
        JsonlFile.Scan scan = JsonlFile.scan(file, start.offset(), start.digest(), PATTERNS, (buf, s, e, at, matches, complete) -> {
            if ((matches & 7) == 0) {
                return complete || isJson(buf, s, e);
            }
            Line line;
            try {
                line = parse(buf, s, e, true);
            } catch (IOException bad) {
                if (complete) {
                    skipped[0]++;
                }
                return false;
            }
            Long time = usage(file, start, ctx, line, at, state, calls);
            if (time != null && start.transcript()) {
                addEvents(ctx, line, time, line.promptId != null ? line.promptId : state.get("prompt_id"), events,
                        toolNames);
            }
            return true;
        });
        return new FileRead(file, calls, events, scan.offset(), scan.prefixFingerprint(), state, skipped[0]);
    }

    /**
     * Follows the prompt id and adds the line's model call, if it has one.
     *
     * @param at where the line starts in its file: the reading order of a file's sightings of a call
     * @return the line's time if it is within the run's window, else null
     */
    private static Long usage(SessionFile file, ReadStart start, ImportContext ctx, Line line, long at,
                              Map<String, String> state, List<ImportedCall> calls) {
        if (line.type == null) {
            return null;
        }
        long time = EventRows.parseTime(line.timestamp);
        if (line.promptId != null && "user".equals(line.type)) {
            state.put("prompt_id", line.promptId);
        }
        if (time < 0 || !ctx.keeps(time)) {
            return null;
        }
        if ("assistant".equals(line.type) && line.hasUsage && !SYNTHETIC.equals(line.model)) {
            String promptId = line.promptId != null ? line.promptId : state.get("prompt_id");
            calls.add(call(file, start, ctx, line, time, promptId, at));
        }
        return time;
    }

    private static ImportedCall call(SessionFile file, ReadStart start, ImportContext ctx, Line l, long time,
                                     String promptId, long at) {
        // A zero 5m/1h breakdown next to a non-zero total is still a cache write of the total.
        long cacheWrite = Math.max(l.cacheWrite, l.cacheWrite5m + l.cacheWrite1h);
        long cacheWrite1h = Math.min(l.cacheWrite1h, cacheWrite);
        long reasoning = Math.min(l.thinking, l.output);
        String key = l.messageId == null && l.requestId == null ? "uuid:" + l.uuid : l.messageId + ":" + l.requestId;
        String callId = l.requestId != null ? l.requestId : l.messageId != null ? l.messageId : l.uuid;
        boolean reported = l.costUsd != null;
        var row = new UsageRow(time, callId, SessionTool.CLAUDE_CODE.lakeTool(), l.sessionId, promptId, l.model,
                ctx.hostName(), l.cwd, null, l.input, l.output, l.cacheRead, cacheWrite, cacheWrite1h, reasoning, 0,
                reported ? l.costUsd : null, reported ? "reported" : "unknown_model", l.costUsd, null, null, false,
                "import");
        return new ImportedCall(row, key, start.fileOrder(), at);
    }

    private static void addEvents(ImportContext ctx, Line l, long time, String promptId, List<LogRow> events,
                                  java.util.Map<String, String> toolNames) {
        SessionTool tool = SessionTool.CLAUDE_CODE;
        if ("user".equals(l.type) && !l.meta) {
            JsonNode content = l.content;
            if (content == null) {
                return;
            }
            if (content.isTextual()) {
                events.add(EventRows.event(ctx, tool, l.version, EventRows.USER_PROMPT, time, l.uuid + "#0",
                        EventRows.cut(content.asText(), EventRows.MAX_TEXT), l.sessionId, promptId, l.cwd, null, null,
                        null, null, sidechain(l)));
                return;
            }
            int index = 0;
            var prompt = new StringBuilder();
            for (JsonNode block : content) {
                String type = block.path("type").asText();
                if (type.equals("text")) {
                    if (prompt.length() > 0) {
                        prompt.append('\n');
                    }
                    prompt.append(block.path("text").asText());
                } else if (type.equals("tool_result")) {
                    ObjectNode attrs = sidechain(l);
                    attrs.put("tool_use_id", block.path("tool_use_id").asText());
                    boolean error = block.path("is_error").asBoolean(false);
                    events.add(EventRows.event(ctx, tool, l.version, EventRows.TOOL_RESULT, time, l.uuid + "#" + index,
                            EventRows.cut(EventRows.text(block.get("content")), EventRows.MAX_TOOL_RESULT), l.sessionId,
                            promptId, l.cwd, null, !error, toolNames.get(block.path("tool_use_id").asText()), null, attrs));
                }
                index++;
            }
            if (prompt.length() > 0) {
                events.add(EventRows.event(ctx, tool, l.version, EventRows.USER_PROMPT, time, l.uuid + "#text",
                        EventRows.cut(prompt.toString(), EventRows.MAX_TEXT), l.sessionId, promptId, l.cwd, null, null,
                        null, null, sidechain(l)));
            }
        } else if ("assistant".equals(l.type) && !SYNTHETIC.equals(l.model) && l.content != null && l.content.isArray()) {
            int index = 0;
            for (JsonNode block : l.content) {
                String type = block.path("type").asText();
                if (type.equals("text")) {
                    events.add(EventRows.event(ctx, tool, l.version, EventRows.ASSISTANT_RESPONSE, time,
                            l.uuid + "#" + index, EventRows.cut(block.path("text").asText(), EventRows.MAX_TEXT),
                            l.sessionId, promptId, l.cwd, l.model, null, null, l.requestId, sidechain(l)));
                } else if (type.equals("tool_use")) {
                    ObjectNode attrs = sidechain(l);
                    attrs.put("tool_use_id", block.path("id").asText());
                    String name = block.path("name").asText(null);
                    if (name != null) {
                        toolNames.put(block.path("id").asText(), name);
                    }
                    JsonNode input = block.get("input");
                    events.add(EventRows.event(ctx, tool, l.version, EventRows.TOOL_USE, time, l.uuid + "#" + index,
                            EventRows.cut(input == null ? null : input.toString(), EventRows.MAX_TOOL_INPUT),
                            l.sessionId, promptId, l.cwd, l.model, null, name, l.requestId, attrs));
                }
                index++;
            }
        }
    }

    private static ObjectNode sidechain(Line l) {
        ObjectNode attrs = EventRows.attributes();
        if (l.uuid != null) {
            attrs.put("uuid", l.uuid);
        }
        if (l.sidechain) {
            attrs.put("is_sidechain", true);
        }
        return attrs;
    }

    private static boolean isJson(byte[] buf, int s, int e) {
        try (JsonParser p = EventRows.JSON.createParser(buf, s, e - s)) {
            while (p.nextToken() != null) {
                // walk to the end: a truncated line throws
            }
            return true;
        } catch (IOException bad) {
            return false;
        }
    }

    /** The usage fields of a line without decoding its content (reports: most bytes are message text). */
    private static Line skim(byte[] buf, int s, int e) throws IOException {
        var l = new Line();
        new JsonSkim(buf, s, e).object((key, json) -> {
            switch (key) {
                case "type" -> l.type = json.stringOrNull();
                case "uuid" -> l.uuid = json.stringOrNull();
                case "timestamp" -> l.timestamp = json.stringOrNull();
                case "sessionId" -> l.sessionId = json.stringOrNull();
                case "requestId" -> l.requestId = json.stringOrNull();
                case "cwd" -> l.cwd = json.stringOrNull();
                case "version" -> l.version = json.stringOrNull();
                case "promptId" -> l.promptId = json.stringOrNull();
                case "isSidechain" -> l.sidechain = json.isTrue();
                case "isMeta" -> l.meta = json.isTrue();
                case "costUSD" -> l.costUsd = json.number();
                case "message" -> {
                    if (!json.atObject()) {
                        json.skip();
                        return;
                    }
                    json.object((mk, m) -> {
                        switch (mk) {
                            case "id" -> l.messageId = m.stringOrNull();
                            case "model" -> l.model = m.stringOrNull();
                            case "usage" -> {
                                if (!m.atObject()) {
                                    m.skip();
                                    return;
                                }
                                l.hasUsage = true;
                                m.object((uk, u) -> {
                                    switch (uk) {
                                        case "input_tokens" -> l.input = u.count();
                                        case "output_tokens" -> l.output = u.count();
                                        case "cache_read_input_tokens" -> l.cacheRead = u.count();
                                        case "cache_creation_input_tokens" -> l.cacheWrite = u.count();
                                        case "cache_creation" -> {
                                            if (!u.atObject()) {
                                                u.skip();
                                                return;
                                            }
                                            u.object((ck, c) -> {
                                                if (ck.equals("ephemeral_5m_input_tokens")) {
                                                    l.cacheWrite5m = c.count();
                                                } else if (ck.equals("ephemeral_1h_input_tokens")) {
                                                    l.cacheWrite1h = c.count();
                                                } else {
                                                    c.skip();
                                                }
                                            });
                                        }
                                        case "output_tokens_details" -> {
                                            if (!u.atObject()) {
                                                u.skip();
                                                return;
                                            }
                                            u.object((dk, d) -> {
                                                if (dk.equals("thinking_tokens")) {
                                                    l.thinking = d.count();
                                                } else {
                                                    d.skip();
                                                }
                                            });
                                        }
                                        default -> u.skip();
                                    }
                                });
                            }
                            default -> m.skip();
                        }
                    });
                }
                default -> json.skip();
            }
        });
        return l;
    }

    private static Line parse(byte[] buf, int s, int e, boolean withContent) throws IOException {
        var l = new Line();
        try (JsonParser p = EventRows.JSON.createParser(buf, s, e - s)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "type" -> l.type = text(p, t);
                    case "uuid" -> l.uuid = text(p, t);
                    case "timestamp" -> l.timestamp = text(p, t);
                    case "sessionId" -> l.sessionId = text(p, t);
                    case "requestId" -> l.requestId = text(p, t);
                    case "cwd" -> l.cwd = text(p, t);
                    case "version" -> l.version = text(p, t);
                    case "promptId" -> l.promptId = text(p, t);
                    case "isSidechain" -> l.sidechain = t == JsonToken.VALUE_TRUE;
                    case "isMeta" -> l.meta = t == JsonToken.VALUE_TRUE;
                    case "costUSD" -> l.costUsd = t.isNumeric() ? p.getDoubleValue() : null;
                    case "message" -> {
                        if (t == JsonToken.START_OBJECT) {
                            message(p, l, withContent);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        return l;
    }

    private static void message(JsonParser p, Line l, boolean withContent) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> l.messageId = text(p, t);
                case "model" -> l.model = text(p, t);
                case "content" -> {
                    if (withContent) {
                        l.content = p.readValueAsTree();
                    } else {
                        p.skipChildren();
                    }
                }
                case "usage" -> {
                    if (t == JsonToken.START_OBJECT) {
                        l.hasUsage = true;
                        usage(p, l);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static void usage(JsonParser p, Line l) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "input_tokens" -> l.input = count(p, t);
                case "output_tokens" -> l.output = count(p, t);
                case "cache_read_input_tokens" -> l.cacheRead = count(p, t);
                case "cache_creation_input_tokens" -> l.cacheWrite = count(p, t);
                case "cache_creation" -> {
                    if (t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            JsonToken v = p.nextToken();
                            if (k.equals("ephemeral_5m_input_tokens")) {
                                l.cacheWrite5m = count(p, v);
                            } else if (k.equals("ephemeral_1h_input_tokens")) {
                                l.cacheWrite1h = count(p, v);
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "output_tokens_details" -> {
                    if (t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            JsonToken v = p.nextToken();
                            if (k.equals("thinking_tokens")) {
                                l.thinking = count(p, v);
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    static long count(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return Math.max(0, p.getLongValue());
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Math.max(0, Long.parseLong(p.getText().trim()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        p.skipChildren();
        return 0;
    }
}
