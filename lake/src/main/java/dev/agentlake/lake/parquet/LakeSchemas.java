package dev.agentlake.lake.parquet;

import static dev.agentlake.lake.parquet.ColumnType.BOOLEAN;
import static dev.agentlake.lake.parquet.ColumnType.DOUBLE;
import static dev.agentlake.lake.parquet.ColumnType.INT;
import static dev.agentlake.lake.parquet.ColumnType.LONG;
import static dev.agentlake.lake.parquet.ColumnType.STRING;
import static dev.agentlake.lake.parquet.ColumnType.TIMESTAMP;

import dev.agentlake.lake.model.LogRow;
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
}
