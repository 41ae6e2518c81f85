-- Per-point deltas of the metrics' sum series, whatever their temporality. Claude Code and Codex
-- send DELTA sums (each point is already an increment); Gemini CLI sends CUMULATIVE sums (each
-- point is the total since the series' start), which cannot be summed over time as they are.
--
-- Columns: those of the metrics table, plus delta (DOUBLE) and reset (BOOLEAN). Evaluated over
-- the whole metrics table (a series may span days), so it is a view, not a compacted column.
--
-- A series is one metric of one tool with one set of point and resource attributes. For a
-- cumulative point, delta = value − the previous point's value, except:
--   * the first point of a series: delta = value (the series counted from 0 at its start time);
--   * a reset: the start time changed or a monotonic value went down (the process restarted):
--     delta = value, and reset = true.
-- Delta points keep their value; gauges and histograms get NULL.
CREATE OR REPLACE TEMP VIEW {{metric_deltas}} AS
WITH points AS (
    SELECT
        *,
        lower(temporality) = 'cumulative' AS cumulative,
        lag(value) OVER series AS previous_value,
        lag(start_timestamp) OVER series AS previous_start
    FROM {{metrics}}
    WINDOW series AS (PARTITION BY tool, metric_name, metric_type, point_attributes, resource_attributes
                      ORDER BY timestamp, record_id)
)
SELECT
    * EXCLUDE (cumulative, previous_value, previous_start),
    CAST(CASE
        WHEN lower(metric_type) <> 'sum' THEN NULL
        WHEN NOT cumulative THEN value
        WHEN previous_value IS NULL THEN value
        WHEN start_timestamp IS DISTINCT FROM previous_start THEN value
        WHEN coalesce(is_monotonic, true) AND value < previous_value THEN value
        ELSE value - previous_value
    END AS DOUBLE) AS delta,
    coalesce(lower(metric_type) = 'sum' AND cumulative AND previous_value IS NOT NULL
             AND (start_timestamp IS DISTINCT FROM previous_start
                  OR (coalesce(is_monotonic, true) AND value < previous_value)), false) AS reset
FROM points;

-- What the sessions table takes from the metrics: lines of code, commits and pull requests.
CREATE OR REPLACE TEMP VIEW {{session_metrics}} AS
SELECT
    tool,
    session_id,
    timestamp,
    CASE
        WHEN metric_name IN ('claude_code.lines_of_code.count', 'gemini_cli.lines.changed')
            THEN CASE coalesce(type, json_extract_string(point_attributes, '$.type'))
                     WHEN 'added' THEN 'lines_added' WHEN 'removed' THEN 'lines_removed' END
        WHEN metric_name = 'claude_code.commit.count' THEN 'commits'
        WHEN metric_name = 'claude_code.pull_request.count' THEN 'pull_requests'
    END AS kind,
    delta AS amount
FROM {{metric_deltas}}
WHERE metric_name IN ('claude_code.lines_of_code.count', 'gemini_cli.lines.changed',
                      'claude_code.commit.count', 'claude_code.pull_request.count')
  AND delta IS NOT NULL;
