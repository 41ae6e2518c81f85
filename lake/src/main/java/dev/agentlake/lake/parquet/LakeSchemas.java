package dev.agentlake.lake.parquet;

import static dev.agentlake.lake.parquet.ColumnType.BOOLEAN;
import static dev.agentlake.lake.parquet.ColumnType.DOUBLE;
import static dev.agentlake.lake.parquet.ColumnType.INT;
import static dev.agentlake.lake.parquet.ColumnType.LONG;
import static dev.agentlake.lake.parquet.ColumnType.STRING;
import static dev.agentlake.lake.parquet.ColumnType.TIMESTAMP;

import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.MetricPointRow;
import dev.agentlake.lake.model.SessionRow;
import dev.agentlake.lake.model.SpanRow;
import dev.agentlake.lake.model.UsageRow;

/**
 * The lake's table schemas: the single definition that writers use and {@code docs/lake-format.md}
 * documents. Names follow the OpenTelemetry ClickHouse exporter's tables, in snake_case.
 */
public final class LakeSchemas {
    private LakeSchemas() {
    }

    public static final TableSchema<LogRow> LOGS = TableSchema.<LogRow>builder("logs")
            .required("timestamp", TIMESTAMP, "event time, UTC", r -> r.timeUnixNano() / 1_000L)
            .optional("observed_timestamp", TIMESTAMP, "when the SDK observed the record",
                    r -> r.observedTimeUnixNano() == 0 ? null : r.observedTimeUnixNano() / 1_000L)
            .required("record_id", STRING, "hash of the record and its resource; duplicates share it", LogRow::recordId)
            .required("tool", STRING, "claude-code | codex | gemini-cli | service name", r -> r.resource().tool())
            .optional("service_name", STRING, "resource service.name", r -> r.resource().serviceName())
            .optional("service_version", STRING, "resource service.version", r -> r.resource().serviceVersion())
            .optional("host_name", STRING, "resource host.name", r -> r.resource().hostName())
            .optional("scope_name", STRING, "instrumentation scope name", LogRow::scopeName)
            .optional("scope_version", STRING, "instrumentation scope version", LogRow::scopeVersion)
            .optional("severity_text", STRING, "OTLP severity text", LogRow::severityText)
            .required("severity_number", INT, "OTLP severity number (0 = unspecified)", LogRow::severityNumber)
            .optional("event_name", STRING, "event.name attribute, else the OTLP event name", LogRow::eventName)
            .optional("body", STRING, "the record body as text (JSON for structured bodies)", LogRow::body)
            .optional("session_id", STRING, "session.id (Codex: conversation.id)", LogRow::sessionId)
            .optional("prompt_id", STRING, "prompt.id", LogRow::promptId)
            .optional("user_id", STRING, "user.id", LogRow::userId)
            .optional("project", STRING, "project attribute (resource or record)", LogRow::project)
            .optional("model", STRING, "model name as reported", LogRow::model)
            .optional("input_tokens", LONG, "input tokens as the tool reports them", r -> r.tokens().input())
            .optional("output_tokens", LONG, "output tokens as the tool reports them", r -> r.tokens().output())
            .optional("cache_read_tokens", LONG, "tokens read from the prompt cache", r -> r.tokens().cacheRead())
            .optional("cache_write_tokens", LONG, "tokens written to the prompt cache", r -> r.tokens().cacheWrite())
            .optional("cache_write_5m_tokens", LONG, "cache writes with 5 minute lifetime", r -> r.tokens().cacheWrite5m())
            .optional("cache_write_1h_tokens", LONG, "cache writes with 1 hour lifetime", r -> r.tokens().cacheWrite1h())
            .optional("reasoning_tokens", LONG, "reasoning / thought tokens", r -> r.tokens().reasoning())
            .optional("tool_tokens", LONG, "tool-use prompt tokens", r -> r.tokens().tool())
            .optional("cost_usd", DOUBLE, "cost reported by the tool", LogRow::costUsd)
            .optional("duration_ms", DOUBLE, "duration reported by the tool", LogRow::durationMs)
            .optional("success", BOOLEAN, "success reported by the tool", LogRow::success)
            .optional("tool_name", STRING, "name of the tool the assistant ran", LogRow::toolName)
            .optional("decision", STRING, "tool permission decision", LogRow::decision)
            .optional("request_id", STRING, "provider request / response id of a model call", LogRow::requestId)
            .optional("trace_id", STRING, "trace id, lower-case hex", LogRow::traceId)
            .optional("span_id", STRING, "span id, lower-case hex", LogRow::spanId)
            .required("trace_flags", INT, "W3C trace flags", LogRow::traceFlags)
            .required("log_attributes", STRING, "all record attributes as a JSON object", LogRow::attributesJson)
            .required("resource_attributes", STRING, "all resource attributes as a JSON object",
                    r -> r.resource().attributesJson())
            .required("source", STRING, "otlp | import", LogRow::source)
            .build();

    /**
     * Gold table {@code usage}: one row per model call (see {@link UsageRow} for the token convention).
     * The compactor derives it from OTLP logs; importers land it directly under {@code landing/usage/}.
     */
    public static final TableSchema<UsageRow> USAGE = TableSchema.<UsageRow>builder("usage")
            .required("timestamp", TIMESTAMP, "time of the call, UTC", r -> r.timeUnixNano() / 1_000L)
            .required("call_id", STRING, "stable key of the call; duplicates share it", UsageRow::callId)
            .required("tool", STRING, "claude-code | codex | gemini-cli | service name", UsageRow::tool)
            .optional("session_id", STRING, "session of the call", UsageRow::sessionId)
            .optional("prompt_id", STRING, "prompt the call served", UsageRow::promptId)
            .optional("model", STRING, "model as reported", UsageRow::model)
            .optional("host_name", STRING, "machine", UsageRow::hostName)
            .optional("project", STRING, "project (resource/record attribute or working directory)", UsageRow::project)
            .optional("user_id", STRING, "user", UsageRow::userId)
            .required("input_tokens", LONG, "fresh input tokens (not read from or written to cache)", UsageRow::input)
            .required("output_tokens", LONG, "output tokens including reasoning", UsageRow::output)
            .required("cache_read_tokens", LONG, "tokens read from cache", UsageRow::cacheRead)
            .required("cache_write_tokens", LONG, "tokens written to cache (5m + 1h)", UsageRow::cacheWrite)
            .required("cache_write_1h_tokens", LONG, "the 1 hour part of cache_write_tokens", UsageRow::cacheWrite1h)
            .required("reasoning_tokens", LONG, "the reasoning part of output_tokens", UsageRow::reasoning)
            .required("tool_tokens", LONG, "tool-use prompt tokens (Gemini)", UsageRow::toolTokens)
            .optional("cost_usd", DOUBLE, "cost in USD; null when the model is unknown", UsageRow::costUsd)
            .required("cost_source", STRING, "reported | calculated | unknown_model | not_reported", UsageRow::costSource)
            .optional("reported_cost_usd", DOUBLE, "cost the assistant reported itself (Claude Code)", UsageRow::reportedCostUsd)
            .optional("duration_ms", DOUBLE, "API duration", UsageRow::durationMs)
            .optional("success", BOOLEAN, "whether the call succeeded", UsageRow::success)
            .required("routing", BOOLEAN, "Claude Code tool-routing call (not user-facing)", UsageRow::routing)
            .required("source", STRING, "otlp | import", UsageRow::source)
            // Filled by the compactor from the price table whatever the mode, so a reported cost can be
            // compared with ours; importers leave it null.
            .optional("calculated_cost_usd", DOUBLE, "our price from the price table; null when the model is unknown",
                    r -> null)
            .build();

    /** Silver table {@code spans}: one row per OTLP span (see {@link SpanRow}). */
    public static final TableSchema<SpanRow> SPANS = TableSchema.<SpanRow>builder("spans")
            .required("timestamp", TIMESTAMP, "span start, UTC", r -> r.startTimeUnixNano() / 1_000L)
            .optional("end_timestamp", TIMESTAMP, "span end, UTC",
                    r -> r.endTimeUnixNano() == 0 ? null : r.endTimeUnixNano() / 1_000L)
            .optional("duration_ms", DOUBLE, "end minus start (else the duration_ms attribute)", SpanRow::durationMs)
            .required("record_id", STRING, "hash of the span, its scope and resource; duplicates share it", SpanRow::recordId)
            .optional("trace_id", STRING, "trace id, lower-case hex", SpanRow::traceId)
            .optional("span_id", STRING, "span id, lower-case hex", SpanRow::spanId)
            .optional("parent_span_id", STRING, "parent span id, lower-case hex; null for a root span", SpanRow::parentSpanId)
            .optional("trace_state", STRING, "W3C trace state", SpanRow::traceState)
            .required("span_name", STRING, "span name", SpanRow::spanName)
            .required("span_kind", STRING, "OTLP span kind name, e.g. SPAN_KIND_INTERNAL", SpanRow::spanKind)
            .required("status_code", STRING, "STATUS_CODE_UNSET | STATUS_CODE_OK | STATUS_CODE_ERROR", SpanRow::statusCode)
            .optional("status_message", STRING, "status message", SpanRow::statusMessage)
            .required("tool", STRING, "claude-code | codex | gemini-cli | service name", r -> r.resource().tool())
            .optional("service_name", STRING, "resource service.name", r -> r.resource().serviceName())
            .optional("service_version", STRING, "resource service.version", r -> r.resource().serviceVersion())
            .optional("host_name", STRING, "resource host.name", r -> r.resource().hostName())
            .optional("scope_name", STRING, "instrumentation scope name", SpanRow::scopeName)
            .optional("scope_version", STRING, "instrumentation scope version", SpanRow::scopeVersion)
            .optional("session_id", STRING, "session.id (gen_ai.conversation.id, Codex conversation.id)", SpanRow::sessionId)
            .optional("prompt_id", STRING, "prompt.id", SpanRow::promptId)
            .optional("user_id", STRING, "user.id", SpanRow::userId)
            .optional("project", STRING, "project attribute (resource or span)", SpanRow::project)
            .optional("model", STRING, "model name as reported", SpanRow::model)
            .optional("input_tokens", LONG, "input tokens as the tool reports them", r -> r.tokens().input())
            .optional("output_tokens", LONG, "output tokens as the tool reports them", r -> r.tokens().output())
            .optional("cache_read_tokens", LONG, "tokens read from the prompt cache", r -> r.tokens().cacheRead())
            .optional("cache_write_tokens", LONG, "tokens written to the prompt cache", r -> r.tokens().cacheWrite())
            .optional("cache_write_5m_tokens", LONG, "cache writes with 5 minute lifetime", r -> r.tokens().cacheWrite5m())
            .optional("cache_write_1h_tokens", LONG, "cache writes with 1 hour lifetime", r -> r.tokens().cacheWrite1h())
            .optional("reasoning_tokens", LONG, "reasoning / thought tokens", r -> r.tokens().reasoning())
            .optional("tool_tokens", LONG, "tool-use prompt tokens", r -> r.tokens().tool())
            .optional("cost_usd", DOUBLE, "cost reported by the tool", SpanRow::costUsd)
            .optional("success", BOOLEAN, "success reported by the tool", SpanRow::success)
            .optional("tool_name", STRING, "name of the tool the assistant ran", SpanRow::toolName)
            .optional("decision", STRING, "tool permission decision", SpanRow::decision)
            .optional("request_id", STRING, "provider request / response id of a model call", SpanRow::requestId)
            .required("trace_flags", INT, "OTLP span flags: W3C trace flags in the low 8 bits", SpanRow::flags)
            .required("span_attributes", STRING, "all span attributes as a JSON object", SpanRow::attributesJson)
            .required("resource_attributes", STRING, "all resource attributes as a JSON object",
                    r -> r.resource().attributesJson())
            .required("events", STRING, "span events as a JSON array", SpanRow::eventsJson)
            .required("links", STRING, "span links as a JSON array", SpanRow::linksJson)
            .required("source", STRING, "otlp | import", SpanRow::source)
            .build();

    /** Silver table {@code metrics}: one row per OTLP data point, every metric kind (see {@link MetricPointRow}). */
    public static final TableSchema<MetricPointRow> METRICS = TableSchema.<MetricPointRow>builder("metrics")
            .required("timestamp", TIMESTAMP, "time of the point, UTC", r -> r.timeUnixNano() / 1_000L)
            .optional("start_timestamp", TIMESTAMP, "start of the aggregation window, UTC",
                    r -> r.startTimeUnixNano() == 0 ? null : r.startTimeUnixNano() / 1_000L)
            .required("record_id", STRING, "hash of the point, its metric, scope and resource; duplicates share it",
                    MetricPointRow::recordId)
            .required("metric_name", STRING, "metric name", MetricPointRow::metricName)
            .optional("description", STRING, "metric description", MetricPointRow::description)
            .optional("unit", STRING, "metric unit", MetricPointRow::unit)
            .required("metric_type", STRING, "gauge | sum | histogram | exponential_histogram | summary",
                    MetricPointRow::metricType)
            .required("temporality", STRING, "delta | cumulative | unspecified", MetricPointRow::temporality)
            .optional("is_monotonic", BOOLEAN, "sums only: whether the sum only grows", MetricPointRow::isMonotonic)
            .optional("value", DOUBLE, "gauge and sum value", MetricPointRow::value)
            .optional("count", LONG, "histogram / summary count", MetricPointRow::count)
            .optional("sum", DOUBLE, "histogram / summary sum", MetricPointRow::sum)
            .optional("min", DOUBLE, "histogram minimum", MetricPointRow::min)
            .optional("max", DOUBLE, "histogram maximum", MetricPointRow::max)
            .optional("bucket_counts", STRING, "histogram bucket counts, JSON array", MetricPointRow::bucketCountsJson)
            .optional("explicit_bounds", STRING, "histogram bucket bounds, JSON array", MetricPointRow::explicitBoundsJson)
            .optional("quantiles", STRING, "summary quantiles, JSON array of {quantile, value}", MetricPointRow::quantilesJson)
            .optional("exponential_buckets", STRING, "exponential histogram scale, zero count and buckets, JSON",
                    MetricPointRow::exponentialBucketsJson)
            .required("flags", INT, "OTLP data point flags (1 = no recorded value)", MetricPointRow::flags)
            .required("tool", STRING, "claude-code | codex | gemini-cli | service name", r -> r.resource().tool())
            .optional("service_name", STRING, "resource service.name", r -> r.resource().serviceName())
            .optional("service_version", STRING, "resource service.version", r -> r.resource().serviceVersion())
            .optional("host_name", STRING, "resource host.name", r -> r.resource().hostName())
            .optional("scope_name", STRING, "instrumentation scope name", MetricPointRow::scopeName)
            .optional("scope_version", STRING, "instrumentation scope version", MetricPointRow::scopeVersion)
            .optional("session_id", STRING, "session.id of the point (or its resource)", MetricPointRow::sessionId)
            .optional("user_id", STRING, "user.id", MetricPointRow::userId)
            .optional("project", STRING, "project attribute (resource or point)", MetricPointRow::project)
            .optional("model", STRING, "model attribute", MetricPointRow::model)
            .optional("type", STRING, "the point's type attribute (token_type, gen_ai.token.type)", MetricPointRow::type)
            .required("point_attributes", STRING, "all point attributes as a JSON object", MetricPointRow::attributesJson)
            .required("resource_attributes", STRING, "all resource attributes as a JSON object",
                    r -> r.resource().attributesJson())
            .required("source", STRING, "otlp | import", MetricPointRow::source)
            .build();

    /**
     * Gold table {@code sessions}: one row per session and UTC day it was active (see {@link SessionRow}).
     * Derived by the compactor with {@code sessions.sql}; the files it writes have these columns.
     */
    public static final TableSchema<SessionRow> SESSIONS = TableSchema.<SessionRow>builder("sessions")
            .required("tool", STRING, "claude-code | codex | gemini-cli | service name", SessionRow::tool)
            .required("session_id", STRING, "session id (Codex: conversation id)", SessionRow::sessionId)
            .required("first_seen", TIMESTAMP, "the session's first event that day, UTC", SessionRow::firstSeenMicros)
            .required("last_seen", TIMESTAMP, "the session's last event that day, UTC", SessionRow::lastSeenMicros)
            .optional("host_name", STRING, "machine", SessionRow::hostName)
            .optional("project", STRING, "project", SessionRow::project)
            .optional("user_id", STRING, "user", SessionRow::userId)
            .required("prompts", LONG, "user prompts", SessionRow::prompts)
            .required("model_calls", LONG, "model calls (rows of usage)", SessionRow::modelCalls)
            .required("tool_calls", LONG, "tools the assistant ran", SessionRow::toolCalls)
            .required("tool_failures", LONG, "tool runs that failed", SessionRow::toolFailures)
            .required("api_errors", LONG, "model API errors", SessionRow::apiErrors)
            .required("input_tokens", LONG, "fresh input tokens", SessionRow::input)
            .required("output_tokens", LONG, "output tokens including reasoning", SessionRow::output)
            .required("cache_read_tokens", LONG, "tokens read from cache", SessionRow::cacheRead)
            .required("cache_write_tokens", LONG, "tokens written to cache", SessionRow::cacheWrite)
            .required("reasoning_tokens", LONG, "the reasoning part of output_tokens", SessionRow::reasoning)
            .required("tool_tokens", LONG, "tool-use prompt tokens", SessionRow::toolTokens)
            .optional("cost_usd", DOUBLE, "sum of the calls' costs; unpriced calls add nothing", SessionRow::costUsd)
            .required("unpriced_calls", LONG, "calls whose cost is NULL (unknown model or not reported)",
                    SessionRow::unpricedCalls)
            .optional("models", STRING, "models of the calls, sorted, comma-separated", SessionRow::models)
            .required("sources", STRING, "otlp | import (comma-separated if both)", SessionRow::sources)
            .optional("lines_added", LONG, "lines of code added (from metrics, where sent)", SessionRow::linesAdded)
            .optional("lines_removed", LONG, "lines of code removed (from metrics, where sent)", SessionRow::linesRemoved)
            .optional("commits", LONG, "commits made (from metrics, where sent)", SessionRow::commits)
            .optional("pull_requests", LONG, "pull requests opened (from metrics, where sent)", SessionRow::pullRequests)
            .build();
}
