package dev.agentlake.cli.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.UsageRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gemini CLI's {@code tmp/<project>/chats/session-*.jsonl} (and the older whole-file {@code .json}).
 *
 * <p>Counting rules: Gemini CLI rewrites a message as it completes, appending it again with the same
 * {@code id}; the last version is the message (see {@link UsageLedger}). {@code tokens.input}
 * includes {@code cached}; {@code thoughts} are billed as output, so output here is
 * {@code output + thoughts}, with the thoughts also in {@code reasoning}.
 */
final class GeminiSessionReader implements SessionReader {

    /** Lines with token counts, the session's metadata, and {@code $set} updates (bits 0, 1, 2). */
    private static final String[] PATTERNS = {"\"tokens\":{", "\"sessionId\"", "\"$set\""};

    /** Usage of a message line without decoding its content (reports). */
    private static void skimMessage(SessionFile file, ReadStart start, ImportContext ctx, byte[] buf, int s,
                                    int e, Map<String, String> state, long lineNo, List<ImportedCall> calls)
            throws IOException {
        String[] f = new String[3]; // id, timestamp, type
        String[] model = new String[1];
        long[] t = new long[5]; // input, output, cached, thoughts, tool
        boolean[] hasTokens = {false};
        new JsonSkim(buf, s, e).object((key, json) -> {
            switch (key) {
                case "id" -> f[0] = json.stringOrNull();
                case "timestamp" -> f[1] = json.stringOrNull();
                case "type" -> f[2] = json.stringOrNull();
                case "model" -> model[0] = json.stringOrNull();
                case "tokens" -> {
                    if (!json.atObject()) {
                        json.skip();
                        return;
                    }
                    hasTokens[0] = true;
                    json.object((k, v) -> {
                        switch (k) {
                            case "input" -> t[0] = v.count();
                            case "output" -> t[1] = v.count();
                            case "cached" -> t[2] = v.count();
                            case "thoughts" -> t[3] = v.count();
                            case "tool" -> t[4] = v.count();
                            default -> v.skip();
                        }
                    });
                }
                default -> json.skip();
            }
        });
        long time = EventRows.parseTime(f[1]);
        if (f[0] == null || !"gemini".equals(f[2]) || !hasTokens[0] || time < 0 || !ctx.keeps(time)) {
            return;
        }
        UsageRow row = usage(ctx, f[0], time, state.get("session_id"), state.get("project"), model[0], t[0], t[1], t[2],
                t[3], t[4]);
        if (row != null) {
            calls.add(new ImportedCall(row, f[0], start.fileOrder(), lineNo));
        }
    }

    private static UsageRow usage(ImportContext ctx, String id, long time, String session, String project, String model,
                                  long input, long output, long cached, long thoughts, long tool) {
        long cachedPart = Math.min(cached, input);
        if (input + output + thoughts == 0) {
            return null;
        }
        return new UsageRow(time, id, SessionTool.GEMINI.lakeTool(), session, null, model, ctx.hostName(), project, null,
                input - cachedPart, output + thoughts, cachedPart, 0, 0, thoughts, tool, null, "unknown_model", null, null,
                null, false, "import");
    }

    @Override
    public boolean appendOnly(SessionFile file) {
        return file.path().getFileName().toString().endsWith(".jsonl");
    }

    @Override
    public FileRead read(SessionFile file, ReadStart start, ImportContext ctx) throws IOException {
        var calls = new ArrayList<ImportedCall>();
        var events = new ArrayList<LogRow>();
        Map<String, String> state = new HashMap<>(start.context());
        if (!state.containsKey("project")) {
            state.put("project", project(file.path()));
        }
        long[] lineNo = {0};
        if (!appendOnly(file)) {
            byte[] all;
            try (InputStream in = JsonlFile.open(file)) {
                all = in.readAllBytes();
            }
            PrefixFingerprint digest = start.digest();
            if (digest != null) {
                digest.update(all);
            }
            JsonNode root;
            try {
                root = EventRows.JSON.readTree(all);
            } catch (IOException bad) {
                return new FileRead(file, List.of(), List.of(), 0, null, Map.of(), 1);
            }
            put(state, "session_id", root.path("sessionId").asText(null));
            for (JsonNode m : root.path("messages")) {
                message(file, start, ctx, m, state, ++lineNo[0], calls, events);
            }
            return new FileRead(file, calls, events, all.length, digest == null ? null : digest.hex(), state, 0);
        }
        int[] skipped = {0};
        JsonlFile.Scan scan = JsonlFile.scan(file, start.offset(), start.digest(), PATTERNS, (buf, s, e, at, matches, complete) -> {
            JsonNode line;
            try {
                if (!start.transcript() && complete) {
                    if ((matches & 3) == 0) {
                        return true; // neither a message with tokens nor the session's metadata
                    }
                    if ((matches & 4) == 0 && (matches & 1) != 0) {
                        skimMessage(file, start, ctx, buf, s, e, state, ++lineNo[0], calls);
                        return true;
                    }
                }
                line = EventRows.JSON.readTree(buf, s, e - s);
            } catch (IOException bad) {
                if (complete) {
                    skipped[0]++;
                }
                return false;
            }
            if (line == null || !line.isObject()) {
                return true;
            }
            if (line.has("$set")) {
                for (JsonNode m : line.path("$set").path("messages")) {
                    message(file, start, ctx, m, state, ++lineNo[0], calls, events);
                }
            } else if (line.has("sessionId") && !line.has("type")) {
                put(state, "session_id", line.path("sessionId").asText(null));
            } else if (line.has("id") && line.has("type")) {
                message(file, start, ctx, line, state, ++lineNo[0], calls, events);
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

    /** The project folder Gemini CLI recorded beside the chats ({@code .project_root}), else the folder name. */
    static String project(Path sessionFile) {
        Path projectDir = sessionFile.getParent() == null ? null : sessionFile.getParent().getParent();
        if (projectDir == null) {
            return null;
        }
        Path root = projectDir.resolve(".project_root");
        try {
            if (Files.isRegularFile(root)) {
                String text = Files.readString(root, StandardCharsets.UTF_8).strip();
                if (!text.isEmpty()) {
                    return text;
                }
            }
        } catch (IOException ignored) {
            // fall back to the folder name
        }
        return projectDir.getFileName().toString();
    }

    private static void message(SessionFile file, ReadStart start, ImportContext ctx, JsonNode m,
                                Map<String, String> state, long lineNo, List<ImportedCall> calls, List<LogRow> events) {
        String id = m.path("id").asText(null);
        String type = m.path("type").asText();
        long time = EventRows.parseTime(m.path("timestamp").asText(null));
        if (id == null || time < 0 || !ctx.keeps(time)) {
            return;
        }
        String session = state.get("session_id");
        String project = state.get("project");
        String model = m.path("model").asText(null);
        JsonNode tokens = m.get("tokens");
        if (type.equals("gemini") && tokens != null && tokens.isObject()) {
            UsageRow row = usage(ctx, id, time, session, project, model, Math.max(0, tokens.path("input").asLong(0)),
                    Math.max(0, tokens.path("output").asLong(0)), Math.max(0, tokens.path("cached").asLong(0)),
                    Math.max(0, tokens.path("thoughts").asLong(0)), Math.max(0, tokens.path("tool").asLong(0)));
            if (row != null) {
                calls.add(new ImportedCall(row, id, start.fileOrder(), lineNo));
            }
        }
        if (!start.transcript()) {
            return;
        }
        SessionTool tool = SessionTool.GEMINI;
        if (type.equals("user")) {
            var prompt = new StringBuilder();
            JsonNode content = m.get("content");
            if (content != null && content.isTextual()) {
                prompt.append(content.asText());
            } else if (content != null) {
                for (JsonNode part : content) {
                    if (part.has("text")) {
                        if (prompt.length() > 0) {
                            prompt.append('\n');
                        }
                        prompt.append(part.path("text").asText());
                    }
                }
            }
            String text = prompt.toString();
            if (!text.isBlank() && !text.startsWith("<session_context>")) {
                events.add(EventRows.event(ctx, tool, null, EventRows.USER_PROMPT, time, id + "#text",
                        EventRows.cut(text, EventRows.MAX_TEXT), session, null, project, null, null, null, null,
                        EventRows.attributes()));
            }
        } else if (type.equals("gemini")) {
            String text = EventRows.text(m.get("content"));
            if (text != null && !text.isBlank()) {
                events.add(EventRows.event(ctx, tool, null, EventRows.ASSISTANT_RESPONSE, time, id + "#text",
                        EventRows.cut(text, EventRows.MAX_TEXT), session, null, project, model, null, null, id,
                        EventRows.attributes()));
            }
            for (JsonNode call : m.path("toolCalls")) {
                String callId = call.path("id").asText("");
                String name = call.path("name").asText(null);
                long callTime = EventRows.parseTime(call.path("timestamp").asText(null));
                ObjectNode attrs = EventRows.attributes();
                attrs.put("call_id", callId);
                JsonNode args = call.get("args");
                events.add(EventRows.event(ctx, tool, null, EventRows.TOOL_USE, time, id + "#use#" + callId,
                        EventRows.cut(args == null ? null : args.toString(), EventRows.MAX_TOOL_INPUT), session, null,
                        project, model, null, name, id, attrs));
                if (call.has("result") || call.has("status")) {
                    String status = call.path("status").asText("");
                    String output = null;
                    for (JsonNode r : call.path("result")) {
                        JsonNode response = r.path("functionResponse").path("response");
                        JsonNode out = response.has("output") ? response.get("output") : response.get("error");
                        if (out != null) {
                            output = out.isTextual() ? out.asText() : out.toString();
                        }
                    }
                    ObjectNode resultAttrs = EventRows.attributes();
                    resultAttrs.put("call_id", callId);
                    resultAttrs.put("status", status);
                    events.add(EventRows.event(ctx, tool, null, EventRows.TOOL_RESULT, callTime < 0 ? time : callTime,
                            id + "#result#" + callId, EventRows.cut(output, EventRows.MAX_TOOL_RESULT), session, null,
                            project, null, status.isEmpty() ? null : status.equals("success"), name, null, resultAttrs));
                }
            }
        }
    }
}
