-- Model calls found in the OpenTelemetry logs, one row each, in the usage table's single token
-- convention (see UsageRow): input = fresh input, output includes reasoning, the columns add up to
-- the tokens billed, each once. Not yet priced; usage.sql adds costs and the imported calls.
--
--   Claude Code  api_request              input excludes cache; cache_creation = 5m + 1h writes
--   Codex        codex.sse_event          response.completed with token counts; input and
--                                         output INCLUDE cached and reasoning tokens
--   Gemini CLI   gemini_cli.api_response  input includes cached tokens; thoughts are NOT in output
-- {{usage_kind}} as in usage.sql: the compactor reads these calls twice (the models to price, then
-- usage), and as a table the logs are read once.
CREATE OR REPLACE TEMP {{usage_kind}} {{usage_calls}} AS
WITH calls AS (
    SELECT
        *,
        CASE
            WHEN event_name IN ('api_request', 'claude_code.api_request') THEN 'anthropic'
            WHEN event_name = 'codex.sse_event' THEN 'openai'
            ELSE 'gemini'
        END AS convention,
        coalesce(input_tokens, 0) AS r_input,
        coalesce(output_tokens, 0) AS r_output,
        coalesce(cache_read_tokens, 0) AS r_cache_read,
        coalesce(cache_write_tokens, coalesce(cache_write_5m_tokens, 0) + coalesce(cache_write_1h_tokens, 0)) AS r_cache_write,
        coalesce(reasoning_tokens, 0) AS r_reasoning
    FROM {{logs}}
    WHERE (event_name IN ('api_request', 'claude_code.api_request') AND tool = 'claude-code')
       OR (event_name = 'codex.sse_event' AND input_tokens IS NOT NULL
           AND json_extract_string(log_attributes, '$."event.kind"') = 'response.completed')
       OR (event_name = 'gemini_cli.api_response')
)
SELECT
    CAST(timestamp AS TIMESTAMPTZ) AS timestamp,
    -- The provider's request id where the record carries one (Claude); else the record's own
    -- stable id, which is the same for every copy of the record.
    coalesce(request_id, record_id) AS call_id,
    tool,
    session_id,
    prompt_id,
    model,
    host_name,
    project,
    user_id,
    CAST(CASE convention
        WHEN 'anthropic' THEN r_input
        ELSE greatest(r_input - r_cache_read - r_cache_write, 0)
    END AS BIGINT) AS input_tokens,
    CAST(CASE convention WHEN 'gemini' THEN r_output + r_reasoning ELSE r_output END AS BIGINT) AS output_tokens,
    CAST(r_cache_read AS BIGINT) AS cache_read_tokens,
    CAST(r_cache_write AS BIGINT) AS cache_write_tokens,
    CAST(least(coalesce(cache_write_1h_tokens, 0), r_cache_write) AS BIGINT) AS cache_write_1h_tokens,
    CAST(CASE convention WHEN 'anthropic' THEN 0 ELSE least(r_reasoning, CASE convention WHEN 'gemini' THEN r_output + r_reasoning ELSE r_output END) END AS BIGINT) AS reasoning_tokens,
    CAST(coalesce(tool_tokens, 0) AS BIGINT) AS tool_tokens,
    CAST(cost_usd AS DOUBLE) AS reported_cost_usd,
    CAST(duration_ms AS DOUBLE) AS duration_ms,
    coalesce(success,
             TRY_CAST(json_extract_string(log_attributes, '$.status_code') AS INTEGER) < 400,
             true) AS success,
    -- Calls the assistant makes for itself, shown apart from user-facing totals: Claude Code's
    -- tool-routing calls (they carry no cache tokens) and Gemini CLI's utility router.
    (convention = 'anthropic' AND r_cache_read = 0 AND r_cache_write = 0)
        OR coalesce(json_extract_string(log_attributes, '$.role') = 'utility_router', false) AS routing,
    'otlp' AS source
FROM calls;
