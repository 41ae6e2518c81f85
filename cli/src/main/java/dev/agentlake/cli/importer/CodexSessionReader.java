package dev.agentlake.cli.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.UsageRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Codex CLI's {@code sessions/YYYY/MM/DD/rollout-*.jsonl[.zst]}.
 *
 * <p>Counting rule: each {@code token_count} event carries the session's cumulative
 * {@code total_token_usage}; a call's tokens are the difference from the previous event. Codex
 * repeats {@code token_count} events (and their {@code last_token_usage}) without a new call, so
 * summing {@code last_token_usage} would over-count; a cumulative total that goes down means the
 * counter restarted, and then {@code last_token_usage} is the call. Codex counts cached input inside
 * {@code input_tokens} and reasoning inside {@code output_tokens}: fresh input is input − cached.
 */
final class CodexSessionReader implements SessionReader {
    /** Lines that carry usage or its context (bits 0-3 of a line's matches); transcript lines (bit 4). */
    private static final String[] PATTERNS = {
        "\"token_count\"", "\"turn_context\"", "\"session_meta\"", "\"token_usage_record\"", "\"response_item\""};
    /** A report does not search for transcript lines: one pass over the bytes less. */
    private static final String[] USAGE_PATTERNS = java.util.Arrays.copyOf(PATTERNS, 4);
    private static final String[] COUNTERS = {"input_tokens", "cached_input_tokens", "cache_write_input_tokens",
        "output_tokens", "reasoning_output_tokens", "total_tokens"};
    private static final List<String> COUNTER_NAMES = List.of(COUNTERS);

    /** What the counting rules read from a line, by Jackson (an import) or by {@link JsonSkim} (a report). */
    private static final class Line {
        String type = "";
        String timestamp;
        String payloadType = "";
        String id;
        String sessionId;
        String cwd;
        String cliVersion;
        String model;
        String turnId;
        String responseId;
        /** The info's cumulative and last usage counters ({@link #COUNTERS}), null where not an object. */
        long[] total;
        long[] last;

        static Line of(JsonNode line) {
            var l = new Line();
            l.type = line.path("type").asText();
            l.timestamp = line.path("timestamp").asText(null);
            JsonNode payload = line.path("payload");
            l.payloadType = payload.path("type").asText();
            l.id = payload.path("id").asText(null);
            l.sessionId = payload.path("session_id").asText(null);
            l.cwd = payload.path("cwd").asText(null);
            l.cliVersion = payload.path("cli_version").asText(null);
            l.model = payload.path("model").asText(null);
            l.turnId = payload.path("turn_id").asText(null);
            l.responseId = payload.path("response_id").asText(null);
            JsonNode info = payload.path("info");
            if (info.isObject()) {
                l.total = counters(info.get("total_token_usage"));
                l.last = counters(info.get("last_token_usage"));
            }
            return l;
        }

        /**
         * The same fields without building the line's tree: a report then needs no Jackson at all for
         * Codex, whose parser would be compiled for these few lines only.
         */
        static Line skim(byte[] buf, int s, int e) throws IOException {
            var l = new Line();
            new JsonSkim(buf, s, e).object((key, json) -> {
                switch (key) {
                    case "type" -> l.type = orEmpty(json.stringOrNull());
                    case "timestamp" -> l.timestamp = json.stringOrNull();
                    case "payload" -> {
                        if (!json.atObject()) {
                            json.skip();
                            return;
                        }
                        json.object((pk, p) -> {
                            switch (pk) {
                                case "type" -> l.payloadType = orEmpty(p.stringOrNull());
                                case "id" -> l.id = p.stringOrNull();
                                case "session_id" -> l.sessionId = p.stringOrNull();
                                case "cwd" -> l.cwd = p.stringOrNull();
                                case "cli_version" -> l.cliVersion = p.stringOrNull();
                                case "model" -> l.model = p.stringOrNull();
                                case "turn_id" -> l.turnId = p.stringOrNull();
                                case "response_id" -> l.responseId = p.stringOrNull();
                                case "info" -> {
                                    if (!p.atObject()) {
                                        p.skip();
                                        return;
                                    }
                                    p.object((ik, i) -> {
                                        switch (ik) {
                                            case "total_token_usage" -> l.total = counters(i);
                                            case "last_token_usage" -> l.last = counters(i);
                                            default -> i.skip();
                                        }
                                    });
                                }
                                default -> p.skip();
                            }
                        });
                    }
                    default -> json.skip();
                }
            });
            return l;
        }

        private static String orEmpty(String s) {
            return s == null ? "" : s;
        }
    }

    @Override
    public FileRead read(SessionFile file, ReadStart start, ImportContext ctx) throws IOException {
        var calls = new ArrayList<ImportedCall>();
        var events = new ArrayList<LogRow>();
        Map<String, String> state = new HashMap<>(start.context());
        int[] skipped = {0};
        var toolNames = new HashMap<String, String>(); // call id → tool name, to name the results
        boolean transcript = start.transcript();
        JsonlFile.Scan scan = JsonlFile.scan(file, start.offset(), start.digest(), transcript ? PATTERNS : USAGE_PATTERNS, (buf, s, e, at, matches, complete) -> {
            boolean wanted = (matches & 0b1111) != 0 || (transcript && (matches & 0b10000) != 0);
            JsonNode tree = null;
            Line line;
            try {
                if (!wanted) {
                    if (!complete) { // an unfinished last line is consumed only if it is whole JSON
                        if (transcript) {
                            EventRows.JSON.readTree(buf, s, e - s);
                        } else {
                            new JsonSkim(buf, s, e).skip();
                        }
                    }
                    return true;
                }
                if (transcript) {
                    tree = EventRows.JSON.readTree(buf, s, e - s);
                    if (tree == null || !tree.isObject()) {
                        return true;
                    }
                    line = Line.of(tree);
                } else {
                    line = Line.skim(buf, s, e);
                }
            } catch (IOException bad) {
                if (complete) {
                    skipped[0]++;
                }
                return false;
            }
            long time = EventRows.parseTime(line.timestamp);
            switch (line.type) {
                case "session_meta" -> {
                    put(state, "session_id", line.id != null ? line.id : line.sessionId);
                    put(state, "cwd", line.cwd);
                    put(state, "version", line.cliVersion);
                }
                case "turn_context" -> {
                    put(state, "model", line.model);
                    put(state, "cwd", line.cwd);
                    put(state, "turn_id", line.turnId);
                }
                case "token_usage_record" -> {
                    put(state, "response_id", line.responseId);
                    put(state, "turn_id", line.turnId);
                }
                case "event_msg" -> {
                    if (line.payloadType.equals("token_count")) {
                        ImportedCall call = tokenCount(start, ctx, line, state, time, at);
                        if (call != null) {
                            calls.add(call);
                        }
                    }
                }
                case "response_item" -> {
                    if (transcript && time >= 0 && ctx.keeps(time)) {
                        addEvent(ctx, tree.path("payload"), state, time, buf, s, e, events, toolNames);
                    }
                }
                default -> {
                }
            }
            return true;
        });
        return new FileRead(file, calls, events, scan.offset(), scan.prefixFingerprint(), state, skipped[0]);
    }

    private static void put(Map<String, String> state, String key, String value) {
        if (value != null && !value.isEmpty()) {
            state.put(key, value);
        }
    }

    private static ImportedCall tokenCount(ReadStart start, ImportContext ctx, Line line, Map<String, String> state,
                                           long time, long at) {
        long[] total = line.total;
        long[] last = line.last;
        long[] delta;
        if (total != null) {
            long[] now = total;
            long[] before = new long[COUNTERS.length];
            for (int i = 0; i < COUNTERS.length; i++) {
                before[i] = Long.parseLong(state.getOrDefault("total." + COUNTERS[i], "0"));
            }
            delta = new long[COUNTERS.length];
            boolean restarted = false;
            boolean changed = false;
            for (int i = 0; i < COUNTERS.length; i++) {
                delta[i] = now[i] - before[i];
                restarted |= delta[i] < 0;
                changed |= delta[i] != 0;
            }
            for (int i = 0; i < COUNTERS.length; i++) {
                state.put("total." + COUNTERS[i], Long.toString(now[i]));
            }
            if (!changed) {
                return null; // a repeated event: no new call
            }
            if (restarted) {
                delta = last != null ? last : now;
            }
        } else if (last != null) {
            delta = last;
        } else {
            return null;
        }
        long input = delta[0];
        long cached = Math.min(delta[1], input);
        long cacheWrite = Math.min(delta[2], input - cached);
        long output = delta[3];
        long reasoning = Math.min(delta[4], output);
        if (input == 0 && output == 0) {
            return null;
        }
        String responseId = state.remove("response_id");
        String sessionId = state.get("session_id");
        String callId = responseId != null ? responseId
                : (sessionId == null ? start.fileOrder() + "" : sessionId) + ":" + state.get("total.total_tokens");
        if (time < 0 || !ctx.keeps(time)) {
            return null;
        }
        var row = new UsageRow(time, callId, SessionTool.CODEX.lakeTool(), sessionId, state.get("turn_id"),
                state.get("model"), ctx.hostName(), state.get("cwd"), null, input - cached - cacheWrite, output, cached,
                cacheWrite, 0, reasoning, 0, null, "unknown_model", null, null, null, false, "import");
        return new ImportedCall(row, callId, start.fileOrder(), at);
    }

    /** The usage counters of an object, or null when it is not one. */
    private static long[] counters(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long[] c = new long[COUNTERS.length];
        for (int i = 0; i < COUNTERS.length; i++) {
            c[i] = Math.max(0, usage.path(COUNTERS[i]).asLong(0));
        }
        return c;
    }

    private static long[] counters(JsonSkim usage) throws IOException {
        if (!usage.atObject()) {
            usage.skip();
            return null;
        }
        long[] c = new long[COUNTERS.length];
        usage.object((key, value) -> {
            int i = COUNTER_NAMES.indexOf(key);
            if (i >= 0) {
                c[i] = value.count();
            } else {
                value.skip();
            }
        });
        return c;
    }

    /**
     * {@link EventRows#hash} of the line's text. An ASCII line is its own UTF-8 encoding, so its bytes are
     * hashed as they are; others go through a String as always (a malformed byte sequence becomes U+FFFD
     * there, and the ids of rows imported before must not change).
     */
    private static String lineHash(byte[] buf, int s, int e) {
        for (int i = s; i < e; i++) {
            if (buf[i] < 0) {
                return EventRows.hash(new String(buf, s, e - s, StandardCharsets.UTF_8));
            }
        }
        return EventRows.hash(buf, s, e - s);
    }

    private static void addEvent(ImportContext ctx, JsonNode payload, Map<String, String> state, long time,
                                 byte[] buf, int s, int e, List<LogRow> events, Map<String, String> toolNames) {
        SessionTool tool = SessionTool.CODEX;
        String kind = payload.path("type").asText();
        String version = state.get("version");
        String session = state.get("session_id");
        String turn = state.get("turn_id");
        String cwd = state.get("cwd");
        String seed = payload.path("id").asText(null);
        if (seed == null) {
            seed = payload.path("call_id").asText("") + "|" + kind + "|" + lineHash(buf, s, e);
        }
        ObjectNode attrs = EventRows.attributes();
        switch (kind) {
            case "message" -> {
                String role = payload.path("role").asText();
                String text = EventRows.text(payload.get("content"));
                if (text == null || text.isBlank()) {
                    return;
                }
                if (role.equals("user")) {
                    String t = text.strip();
                    if (t.startsWith("<") && t.endsWith(">")) {
                        return; // context Codex injects (environment, instructions), not something the user typed
                    }
                    events.add(EventRows.event(ctx, tool, version, EventRows.USER_PROMPT, time, seed,
                            EventRows.cut(text, EventRows.MAX_TEXT), session, turn, cwd, null, null, null, null, attrs));
                } else if (role.equals("assistant")) {
                    events.add(EventRows.event(ctx, tool, version, EventRows.ASSISTANT_RESPONSE, time, seed,
                            EventRows.cut(text, EventRows.MAX_TEXT), session, turn, cwd, state.get("model"), null, null,
                            null, attrs));
                }
            }
            case "function_call", "custom_tool_call", "local_shell_call" -> {
                attrs.put("call_id", payload.path("call_id").asText());
                JsonNode args = payload.has("arguments") ? payload.get("arguments")
                        : payload.has("input") ? payload.get("input") : payload.get("action");
                String body = args == null ? null : args.isTextual() ? args.asText() : args.toString();
                String name = payload.path("name").asText(kind.equals("local_shell_call") ? "local_shell" : null);
                if (name != null) {
                    toolNames.put(payload.path("call_id").asText(), name);
                }
                events.add(EventRows.event(ctx, tool, version, EventRows.TOOL_USE, time, seed,
                        EventRows.cut(body, EventRows.MAX_TOOL_INPUT), session, turn, cwd, state.get("model"), null,
                        name, null, attrs));
            }
            case "function_call_output", "custom_tool_call_output" -> {
                attrs.put("call_id", payload.path("call_id").asText());
                JsonNode output = payload.get("output");
                String body = output == null ? null : output.isTextual() ? output.asText()
                        : output.has("content") ? EventRows.text(output.get("content")) : output.toString();
                Boolean success = null;
                if (output != null && output.isObject() && output.has("success")) {
                    success = output.get("success").asBoolean();
                }
                events.add(EventRows.event(ctx, tool, version, EventRows.TOOL_RESULT, time, seed,
                        EventRows.cut(body, EventRows.MAX_TOOL_RESULT), session, turn, cwd, null, success,
                        toolNames.get(payload.path("call_id").asText()), null, attrs));
            }
            default -> {
            }
        }
    }
}
