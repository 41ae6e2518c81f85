-- The sessions table: one row per session and UTC day it was active (a session that runs past
-- midnight has a row for each day; group by tool, session_id for whole-session figures: SUM the
-- counts, tokens and cost, MIN first_seen, MAX last_seen). Rows of one session and day are partial
-- aggregates of disjoint data, so they also combine this way with rows derived from landing data
-- that is not compacted yet.
--
-- Activity comes from the logs (prompts, tool calls, errors), the usage table (model calls,
-- tokens, cost, models; after the source preference, so imported sessions count too) and
-- {{session_metrics}} (lines of code, commits, pull requests from the metrics, where sent).
CREATE OR REPLACE TEMP VIEW {{sessions}} AS
WITH log_source_days AS (
    -- One read of the logs: counts per session, day and source, combined below.
    SELECT
        tool,
        session_id,
        source,
        CAST(timezone('UTC', timestamp) AS DATE) AS day,
        min(timestamp) AS first_seen,
        max(timestamp) AS last_seen,
        count(*) FILTER (WHERE event_name IN ('user_prompt', 'claude_code.user_prompt', 'codex.user_prompt',
                                              'gemini_cli.user_prompt')) AS prompts,
        count(*) FILTER (WHERE event_name IN ('tool_result', 'claude_code.tool_result', 'codex.tool_result',
                                              'gemini_cli.tool_call')) AS tool_calls,
        count(*) FILTER (WHERE event_name IN ('tool_result', 'claude_code.tool_result', 'codex.tool_result',
                                              'gemini_cli.tool_call')
                         AND success = false) AS tool_failures,
        count(*) FILTER (WHERE event_name IN ('api_error', 'claude_code.api_error', 'gemini_cli.api_error', 'codex.api_error')
                         OR (event_name = 'codex.api_request'
                             AND TRY_CAST(json_extract_string(log_attributes, '$."http.response.status_code"') AS INTEGER) >= 400))
            AS api_errors,
        max(host_name) AS host_name,
        max(project) AS project,
        max(user_id) AS user_id
    FROM {{logs}}
    WHERE session_id IS NOT NULL
    GROUP BY ALL
),
log_sources AS (
    -- A session whose prompts and tool calls arrived both by OTLP and in an imported transcript
    -- counts them from the preferred source ({{prefer_source}}) only, as usage counts its calls;
    -- API errors come from telemetry alone (transcripts have none), so every source counts them.
    SELECT tool, session_id, count(DISTINCT source) AS sources
    FROM log_source_days
    GROUP BY tool, session_id
),
log_days AS (
    SELECT
        d.tool,
        d.session_id,
        d.day,
        min(d.first_seen) AS first_seen,
        max(d.last_seen) AS last_seen,
        sum(d.prompts) FILTER (WHERE s.sources = 1 OR d.source = '{{prefer_source}}') AS prompts,
        sum(d.tool_calls) FILTER (WHERE s.sources = 1 OR d.source = '{{prefer_source}}') AS tool_calls,
        sum(d.tool_failures) FILTER (WHERE s.sources = 1 OR d.source = '{{prefer_source}}') AS tool_failures,
        sum(d.api_errors) AS api_errors,
        max(d.host_name) AS host_name,
        max(d.project) AS project,
        max(d.user_id) AS user_id
    FROM log_source_days d
    JOIN log_sources s ON s.tool = d.tool AND s.session_id = d.session_id
    GROUP BY d.tool, d.session_id, d.day
),
usage_days AS (
    SELECT
        tool,
        session_id,
        CAST(timezone('UTC', timestamp) AS DATE) AS day,
        min(timestamp) AS first_seen,
        max(timestamp) AS last_seen,
        count(*) AS model_calls,
        sum(input_tokens) AS input_tokens,
        sum(output_tokens) AS output_tokens,
        sum(cache_read_tokens) AS cache_read_tokens,
        sum(cache_write_tokens) AS cache_write_tokens,
        sum(reasoning_tokens) AS reasoning_tokens,
        sum(tool_tokens) AS tool_tokens,
        sum(cost_usd) AS cost_usd,
        count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_calls,
        string_agg(DISTINCT model, ',' ORDER BY model) AS models,
        string_agg(DISTINCT source, ',' ORDER BY source) AS sources,
        max(host_name) AS host_name,
        max(project) AS project,
        max(user_id) AS user_id
    FROM {{usage}}
    WHERE session_id IS NOT NULL
    GROUP BY ALL
),
metric_days AS (
    SELECT
        tool,
        session_id,
        CAST(timezone('UTC', timestamp) AS DATE) AS day,
        sum(amount) FILTER (WHERE kind = 'lines_added') AS lines_added,
        sum(amount) FILTER (WHERE kind = 'lines_removed') AS lines_removed,
        sum(amount) FILTER (WHERE kind = 'commits') AS commits,
        sum(amount) FILTER (WHERE kind = 'pull_requests') AS pull_requests
    FROM {{session_metrics}}
    WHERE session_id IS NOT NULL
    GROUP BY ALL
),
days AS (
    SELECT tool, session_id, day FROM log_days
    UNION
    SELECT tool, session_id, day FROM usage_days
)
SELECT
    d.tool,
    d.session_id,
    CAST(least(l.first_seen, u.first_seen) AS TIMESTAMPTZ) AS first_seen,
    CAST(greatest(l.last_seen, u.last_seen) AS TIMESTAMPTZ) AS last_seen,
    coalesce(l.host_name, u.host_name) AS host_name,
    coalesce(l.project, u.project) AS project,
    coalesce(l.user_id, u.user_id) AS user_id,
    CAST(coalesce(l.prompts, 0) AS BIGINT) AS prompts,
    CAST(coalesce(u.model_calls, 0) AS BIGINT) AS model_calls,
    CAST(coalesce(l.tool_calls, 0) AS BIGINT) AS tool_calls,
    CAST(coalesce(l.tool_failures, 0) AS BIGINT) AS tool_failures,
    CAST(coalesce(l.api_errors, 0) AS BIGINT) AS api_errors,
    CAST(coalesce(u.input_tokens, 0) AS BIGINT) AS input_tokens,
    CAST(coalesce(u.output_tokens, 0) AS BIGINT) AS output_tokens,
    CAST(coalesce(u.cache_read_tokens, 0) AS BIGINT) AS cache_read_tokens,
    CAST(coalesce(u.cache_write_tokens, 0) AS BIGINT) AS cache_write_tokens,
    CAST(coalesce(u.reasoning_tokens, 0) AS BIGINT) AS reasoning_tokens,
    CAST(coalesce(u.tool_tokens, 0) AS BIGINT) AS tool_tokens,
    CAST(u.cost_usd AS DOUBLE) AS cost_usd,
    CAST(coalesce(u.unpriced_calls, 0) AS BIGINT) AS unpriced_calls,
    u.models AS models,
    coalesce(u.sources, 'otlp') AS sources,
    CAST(m.lines_added AS BIGINT) AS lines_added,
    CAST(m.lines_removed AS BIGINT) AS lines_removed,
    CAST(m.commits AS BIGINT) AS commits,
    CAST(m.pull_requests AS BIGINT) AS pull_requests
FROM days d
LEFT JOIN log_days l ON l.tool = d.tool AND l.session_id = d.session_id AND l.day = d.day
LEFT JOIN usage_days u ON u.tool = d.tool AND u.session_id = d.session_id AND u.day = d.day
LEFT JOIN metric_days m ON m.tool = d.tool AND m.session_id = d.session_id AND m.day = d.day;
