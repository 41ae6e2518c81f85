-- The usage table: the calls derived from the logs plus the calls imported from local session
-- files, each session counted from one source only, priced.
--
-- Source preference: when a session (tool + session id) has calls from both OTLP and an import,
-- only the calls of the preferred source ({{prefer_source}}) are kept; a call id seen twice is kept once,
-- with the reported cost, duration and outcome of its telemetry copy when the kept copy lacks them.
--
-- Cost ({{price_mode}} mode): tokens × the rates of {{model_prices}}; when the request's prompt
-- (fresh input + cache read + cache write + tool tokens) exceeds the model's tier threshold, the
-- tier rates apply to every token of the request, as the providers bill. Unknown model: NULL,
-- never 0.
--
-- {{usage_kind}} is VIEW for live readers, TABLE where the result is read several times (compaction).
CREATE OR REPLACE TEMP {{usage_kind}} {{usage}} AS
WITH calls AS (
    SELECT * FROM {{usage_calls}}
    UNION ALL BY NAME
    SELECT timestamp, call_id, tool, session_id, prompt_id, model, host_name, project, user_id,
           input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
           reasoning_tokens, tool_tokens, reported_cost_usd, duration_ms, success, routing,
           'import' AS source
    FROM {{imported_usage}}
),
session_sources AS (
    SELECT tool, session_id, count(DISTINCT source) AS sources
    FROM calls
    WHERE session_id IS NOT NULL
    GROUP BY tool, session_id
),
kept AS (
    SELECT c.*
    FROM calls c
    LEFT JOIN session_sources s ON s.tool = c.tool AND s.session_id = c.session_id
    WHERE s.sources IS NULL OR s.sources = 1 OR c.source = '{{prefer_source}}'
    -- Copies of a call from one source (a record sent twice with other attributes, a call in two
    -- imports): the most complete, then a fixed order, so every reader keeps the same row.
    QUALIFY row_number() OVER (PARTITION BY c.call_id
                               ORDER BY c.source = '{{prefer_source}}' DESC,
                                        c.input_tokens + c.output_tokens + c.cache_read_tokens + c.cache_write_tokens DESC,
                                        c.output_tokens DESC, c.timestamp, c.tool, c.session_id, c.prompt_id, c.model,
                                        c.reported_cost_usd DESC NULLS LAST, c.duration_ms, c.host_name, c.project) = 1
),
-- A call both sources saw (Claude Code's request id is the call id in its telemetry and its session
-- files): an imported copy kept by the preference takes what only telemetry carries, the cost the
-- tool reported and the request's duration and outcome, from the telemetry copy of the same call.
reported AS (
    SELECT tool, call_id, max(reported_cost_usd) AS reported_cost_usd, max(duration_ms) AS duration_ms,
           bool_and(success) AS success
    FROM calls
    WHERE source = 'otlp' AND call_id IS NOT NULL
    GROUP BY tool, call_id
),
completed AS (
    SELECT k.* REPLACE (coalesce(k.reported_cost_usd, r.reported_cost_usd) AS reported_cost_usd,
                        coalesce(k.duration_ms, r.duration_ms) AS duration_ms,
                        coalesce(k.success, r.success) AS success)
    FROM kept k
    LEFT JOIN reported r ON k.source <> 'otlp' AND r.tool = k.tool AND r.call_id = k.call_id
),
priced AS (
    SELECT
        k.*,
        p.price_model IS NOT NULL AS known,
        p.tier_threshold_tokens > 0
            AND k.input_tokens + k.cache_read_tokens + k.cache_write_tokens + k.tool_tokens > p.tier_threshold_tokens AS above,
        p.* EXCLUDE (price_model)
    FROM completed k
    LEFT JOIN {{model_prices}} p ON p.price_model = k.model
),
calculated AS (
    SELECT
        *,
        CASE WHEN known THEN
              (input_tokens + tool_tokens) * CASE WHEN above THEN input_above_rate ELSE input_rate END
            + (output_tokens - reasoning_tokens) * CASE WHEN above THEN output_above_rate ELSE output_rate END
            + reasoning_tokens * CASE WHEN above THEN reasoning_above_rate ELSE reasoning_rate END
            + cache_read_tokens * CASE WHEN above THEN cache_read_above_rate ELSE cache_read_rate END
            + (cache_write_tokens - cache_write_1h_tokens) * CASE WHEN above THEN cache_write_5m_above_rate ELSE cache_write_5m_rate END
            + cache_write_1h_tokens * CASE WHEN above THEN cache_write_1h_above_rate ELSE cache_write_1h_rate END
        END AS calculated_cost
    FROM priced
)
SELECT
    timestamp, call_id, tool, session_id, prompt_id, model, host_name, project, user_id,
    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
    reasoning_tokens, tool_tokens,
    CAST(CASE '{{price_mode}}'
        WHEN 'display' THEN reported_cost_usd
        WHEN 'calculate' THEN calculated_cost
        ELSE coalesce(reported_cost_usd, calculated_cost)
    END AS DOUBLE) AS cost_usd,
    CASE '{{price_mode}}'
        WHEN 'display' THEN CASE WHEN reported_cost_usd IS NOT NULL THEN 'reported' ELSE 'not_reported' END
        WHEN 'calculate' THEN CASE WHEN known THEN 'calculated' ELSE 'unknown_model' END
        ELSE CASE WHEN reported_cost_usd IS NOT NULL THEN 'reported'
                  WHEN known THEN 'calculated' ELSE 'unknown_model' END
    END AS cost_source,
    reported_cost_usd,
    duration_ms,
    success,
    routing,
    source,
    CAST(calculated_cost AS DOUBLE) AS calculated_cost_usd
FROM calculated;
