package dev.agentlake.cli;

import java.time.Instant;
import java.util.List;

/**
 * OTLP/JSON bodies of Claude-Code-shaped {@code api_request} logs made up by a test, each with a
 * {@code prompt.id} of its own so that it can be looked up in the lake one by one.
 */
final class GeneratedLogs {
    private GeneratedLogs() {
    }

    record Log(String promptId, Instant at, long inputTokens, long outputTokens) {
    }

    /** The n-th made-up log: tokens follow n, so equal n means equal record. */
    static Log log(String prefix, long n, Instant at) {
        return new Log(prefix + n, at, 1 + (n * 7) % 5000, 1 + (n * 3) % 700);
    }

    static String body(String sessionId, List<Log> logs) {
        var records = new StringBuilder();
        for (Log log : logs) {
            if (!records.isEmpty()) {
                records.append(',');
            }
            records.append("{\"timeUnixNano\":\"").append(log.at().getEpochSecond() * 1_000_000_000L + log.at().getNano())
                    .append("\",\"body\":{\"stringValue\":\"claude_code.api_request\"},\"attributes\":[")
                    .append(attr("event.name", "api_request")).append(',')
                    .append(attr("session.id", sessionId)).append(',')
                    .append(attr("prompt.id", log.promptId())).append(',')
                    .append(attr("model", "claude-opus-5-5")).append(',')
                    .append("{\"key\":\"input_tokens\",\"value\":{\"intValue\":\"").append(log.inputTokens()).append("\"}},")
                    .append("{\"key\":\"output_tokens\",\"value\":{\"intValue\":\"").append(log.outputTokens())
                    .append("\"}}]}");
        }
        return "{\"resourceLogs\":[{\"resource\":{\"attributes\":[" + attr("service.name", "claude-code")
                + "]},\"scopeLogs\":[{\"scope\":{\"name\":\"com.anthropic.claude_code.events\"},\"logRecords\":["
                + records + "]}]}]}";
    }

    private static String attr(String key, String value) {
        return "{\"key\":\"" + key + "\",\"value\":{\"stringValue\":\"" + value + "\"}}";
    }
}
