package dev.agentlake.ingest;

import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.Tokens;
import dev.agentlake.lake.model.Tool;

/**
 * The typed columns logs, spans and metric points share, read from the attribute names Claude Code,
 * Codex and Gemini CLI actually use (see the captures in the fixtures), so each table fills them the
 * same way.
 */
final class CommonColumns {
    private CommonColumns() {
    }

    static ResourceColumns resource(AttributeValues resource) {
        String serviceName = resource.string("service.name");
        return new ResourceColumns(
                Tool.fromServiceName(serviceName),
                serviceName,
                resource.string("service.version"),
                resource.string("host.name"),
                resource.toJson());
    }

    /** {@code session.id}; Codex logs say {@code conversation.id}, GenAI spans {@code gen_ai.conversation.id}. */
    static String sessionId(TypedAttributes a, AttributeValues resource) {
        return firstNonNull(a.string("session.id", "gen_ai.conversation.id", "conversation.id"),
                resource.string("session.id"));
    }

    static String promptId(TypedAttributes a) {
        return a.string("prompt.id", "prompt_id");
    }

    static String userId(TypedAttributes a, AttributeValues resource) {
        return firstNonNull(a.string("user.id"), resource.string("user.id"));
    }

    static String project(TypedAttributes a, AttributeValues resource) {
        return firstNonNull(a.string("project"), resource.string("project"));
    }

    static String model(TypedAttributes a) {
        return a.string("model", "gen_ai.response.model", "gen_ai.request.model");
    }

    static String toolName(TypedAttributes a) {
        return a.string("tool_name", "function_name", "gen_ai.tool.name");
    }

    static String requestId(TypedAttributes a) {
        return a.string("request_id", "response_id", "gen_ai.response.id");
    }

    /**
     * Token counts as the span's attributes report them: Claude Code's own names, the GenAI
     * semantic conventions' {@code gen_ai.usage.*} (Codex spans), and Codex's reasoning count.
     */
    static Tokens spanTokens(TypedAttributes a, String tool) {
        var tokens = new Tokens(
                a.integer("input_tokens", "gen_ai.usage.input_tokens", "input_token_count"),
                a.integer("output_tokens", "gen_ai.usage.output_tokens", "output_token_count"),
                a.integer("cache_read_tokens", "gen_ai.usage.cache_read.input_tokens", "cached_token_count",
                        "cached_content_token_count"),
                a.integer("cache_creation_tokens", "gen_ai.usage.cache_write.input_tokens",
                        "gen_ai.usage.cache_creation.input_tokens", "cache_write_token_count"),
                a.integer("cache_creation_5m_tokens"),
                a.integer("cache_creation_1h_tokens"),
                a.integer("codex.usage.reasoning_output_tokens", "gen_ai.usage.reasoning.output_tokens",
                        "reasoning_token_count", "thoughts_token_count", "reasoning_tokens"),
                // Codex's tool_token_count is the call's total, not tool-prompt tokens: left in the JSON only.
                Tool.CODEX.equals(tool) ? null : a.integer("tool_token_count"));
        return tokens.isEmpty() ? Tokens.NONE : tokens;
    }

    static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    /**
     * An OTLP time (fixed64 nanoseconds since the epoch) as the lake stores it: a value past 2^63 ns (the
     * year 2262, negative as a Java long) is no time at all, like 0, so the record is handled as one that
     * sent none (another time field, or a partial-success rejection) instead of failing the request.
     */
    static long time(long fixed64) {
        return fixed64 < 0 ? 0 : fixed64;
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
