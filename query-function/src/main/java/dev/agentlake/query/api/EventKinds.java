package dev.agentlake.query.api;

/**
 * The assistants name the same moments differently (Claude Code {@code user_prompt}, Codex
 * {@code codex.user_prompt}, Gemini {@code gemini_cli.user_prompt}); these SQL expressions map a
 * {@code logs} row to one vocabulary: prompt, model_call, tool_decision, tool_result, error.
 */
final class EventKinds {
    private EventKinds() {
    }

    /** The event name without its tool prefix. */
    static final String BARE = "regexp_replace(coalesce(event_name, ''), '^(claude_code|codex|gemini_cli)\\.', '')";

    /** The timeline kind of a logs row, or NULL for events the timeline leaves out. */
    static final String KIND = "CASE " + BARE
            + " WHEN 'user_prompt' THEN 'prompt'"
            // Claude Code logs a call once, when it ends, as api_request (with tokens); Codex and Gemini
            // log a request when it starts and the call as sse_event / api_response.
            + " WHEN 'api_request' THEN CASE WHEN tool = 'claude-code' THEN 'model_call' END"
            + " WHEN 'api_response' THEN 'model_call'"
            + " WHEN 'sse_event' THEN CASE WHEN input_tokens IS NOT NULL THEN 'model_call' END"
            + " WHEN 'tool_decision' THEN 'tool_decision'"
            + " WHEN 'tool_result' THEN 'tool_result'"
            + " WHEN 'tool_call' THEN 'tool_result'"
            + " WHEN 'api_error' THEN 'error'"
            + " ELSE NULL END";
}
