package dev.agentlake.infra;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The lake's tables as the Glue catalog describes them to Athena: the columns of each table under
 * {@code tables/<name>/dt=YYYY-MM-DD/}. The lake library's {@code LakeSchemas} is the single definition;
 * infra keeps its own copy because the CDK app must not load the lake library (its Parquet and Hadoop
 * classes), and {@code AgentlakeGlueColumnsTest} fails, printing the lines to paste here, when a
 * table in {@code LakeSchemas} differs from this copy.
 *
 * <p>Every table here is in {@code LakeSchemas} ({@code sessions} is derived by SQL; its schema states the
 * columns the compactor writes).
 */
public final class LakeTables {
    private LakeTables() {
    }

    /** A Glue (Hive) column. */
    public record GlueColumn(String name, String type, String comment) {
        public GlueColumn {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(type, "type is null");
            Objects.requireNonNull(comment, "comment is null");
            if (!List.of("string", "bigint", "int", "double", "boolean", "timestamp").contains(type)) {
                throw new IllegalArgumentException("unsupported Glue type " + type + " for " + name);
            }
            if (comment.length() > 255) {
                throw new IllegalArgumentException("Glue column comments are at most 255 characters: " + name);
            }
        }
    }

    /** A table and its columns in file order (the {@code dt} partition column is not among them). */
    public record LakeTable(String name, List<GlueColumn> columns) {
        public LakeTable {
            Objects.requireNonNull(name, "name is null");
            columns = List.copyOf(columns);
            var names = new HashSet<String>();
            for (GlueColumn c : columns) {
                if (!names.add(c.name())) {
                    throw new IllegalArgumentException("duplicate column " + c.name() + " in " + name);
                }
            }
            if (names.contains("dt")) {
                throw new IllegalArgumentException("dt is the partition column, not a file column, in " + name);
            }
        }
    }

    public static final LakeTable LOGS = table("logs")
            .col("timestamp", "timestamp", "event time, UTC")
            .col("observed_timestamp", "timestamp", "when the SDK observed the record")
            .col("record_id", "string", "hash of the record and its resource; duplicates share it")
            .col("tool", "string", "claude-code | codex | gemini-cli | service name")
            .col("service_name", "string", "resource service.name")
            .col("service_version", "string", "resource service.version")
            .col("host_name", "string", "resource host.name")
            .col("scope_name", "string", "instrumentation scope name")
            .col("scope_version", "string", "instrumentation scope version")
            .col("severity_text", "string", "OTLP severity text")
            .col("severity_number", "int", "OTLP severity number (0 = unspecified)")
            .col("event_name", "string", "event.name attribute, else the OTLP event name")
            .col("body", "string", "the record body as text (JSON for structured bodies)")
            .col("session_id", "string", "session.id (Codex: conversation.id)")
            .col("prompt_id", "string", "prompt.id")
            .col("user_id", "string", "user.id")
            .col("project", "string", "project attribute (resource or record)")
            .col("model", "string", "model name as reported")
            .col("input_tokens", "bigint", "input tokens as the tool reports them")
            .col("output_tokens", "bigint", "output tokens as the tool reports them")
            .col("cache_read_tokens", "bigint", "tokens read from the prompt cache")
            .col("cache_write_tokens", "bigint", "tokens written to the prompt cache")
            .col("cache_write_5m_tokens", "bigint", "cache writes with 5 minute lifetime")
            .col("cache_write_1h_tokens", "bigint", "cache writes with 1 hour lifetime")
            .col("reasoning_tokens", "bigint", "reasoning / thought tokens")
            .col("tool_tokens", "bigint", "tool-use prompt tokens")
            .col("cost_usd", "double", "cost reported by the tool")
            .col("duration_ms", "double", "duration reported by the tool")
            .col("success", "boolean", "success reported by the tool")
            .col("tool_name", "string", "name of the tool the assistant ran")
            .col("decision", "string", "tool permission decision")
            .col("request_id", "string", "provider request / response id of a model call")
            .col("trace_id", "string", "trace id, lower-case hex")
            .col("span_id", "string", "span id, lower-case hex")
            .col("trace_flags", "int", "W3C trace flags")
            .col("log_attributes", "string", "all record attributes as a JSON object")
            .col("resource_attributes", "string", "all resource attributes as a JSON object")
            .col("source", "string", "otlp | import")
            .build();

    public static final LakeTable USAGE = table("usage")
            .col("timestamp", "timestamp", "time of the call, UTC")
            .col("call_id", "string", "stable key of the call; duplicates share it")
            .col("tool", "string", "claude-code | codex | gemini-cli | service name")
            .col("session_id", "string", "session of the call")
            .col("prompt_id", "string", "prompt the call served")
            .col("model", "string", "model as reported")
            .col("host_name", "string", "machine")
            .col("project", "string", "project (resource/record attribute or working directory)")
            .col("user_id", "string", "user")
            .col("input_tokens", "bigint", "fresh input tokens (not read from or written to cache)")
            .col("output_tokens", "bigint", "output tokens including reasoning")
            .col("cache_read_tokens", "bigint", "tokens read from cache")
            .col("cache_write_tokens", "bigint", "tokens written to cache (5m + 1h)")
            .col("cache_write_1h_tokens", "bigint", "the 1 hour part of cache_write_tokens")
            .col("reasoning_tokens", "bigint", "the reasoning part of output_tokens")
            .col("tool_tokens", "bigint", "tool-use prompt tokens (Gemini)")
            .col("cost_usd", "double", "cost in USD; null when the model is unknown")
            .col("cost_source", "string", "reported | calculated | unknown_model | not_reported")
            .col("reported_cost_usd", "double", "cost the assistant reported itself (Claude Code)")
            .col("duration_ms", "double", "API duration")
            .col("success", "boolean", "whether the call succeeded")
            .col("routing", "boolean", "Claude Code tool-routing call (not user-facing)")
            .col("source", "string", "otlp | import")
            .col("calculated_cost_usd", "double", "our price from the price table; null when the model is unknown")
            .build();

    /** Generated from LakeSchemas.SPANS (the test prints this code when they differ). */
    public static final LakeTable SPANS = table("spans")
            .col("timestamp", "timestamp", "span start, UTC")
            .col("end_timestamp", "timestamp", "span end, UTC")
            .col("duration_ms", "double", "end minus start (else the duration_ms attribute)")
            .col("record_id", "string", "hash of the span, its scope and resource; duplicates share it")
            .col("trace_id", "string", "trace id, lower-case hex")
            .col("span_id", "string", "span id, lower-case hex")
            .col("parent_span_id", "string", "parent span id, lower-case hex; null for a root span")
            .col("trace_state", "string", "W3C trace state")
            .col("span_name", "string", "span name")
            .col("span_kind", "string", "OTLP span kind name, e.g. SPAN_KIND_INTERNAL")
            .col("status_code", "string", "STATUS_CODE_UNSET | STATUS_CODE_OK | STATUS_CODE_ERROR")
            .col("status_message", "string", "status message")
            .col("tool", "string", "claude-code | codex | gemini-cli | service name")
            .col("service_name", "string", "resource service.name")
            .col("service_version", "string", "resource service.version")
            .col("host_name", "string", "resource host.name")
            .col("scope_name", "string", "instrumentation scope name")
            .col("scope_version", "string", "instrumentation scope version")
            .col("session_id", "string", "session.id (gen_ai.conversation.id, Codex conversation.id)")
            .col("prompt_id", "string", "prompt.id")
            .col("user_id", "string", "user.id")
            .col("project", "string", "project attribute (resource or span)")
            .col("model", "string", "model name as reported")
            .col("input_tokens", "bigint", "input tokens as the tool reports them")
            .col("output_tokens", "bigint", "output tokens as the tool reports them")
            .col("cache_read_tokens", "bigint", "tokens read from the prompt cache")
            .col("cache_write_tokens", "bigint", "tokens written to the prompt cache")
            .col("cache_write_5m_tokens", "bigint", "cache writes with 5 minute lifetime")
            .col("cache_write_1h_tokens", "bigint", "cache writes with 1 hour lifetime")
            .col("reasoning_tokens", "bigint", "reasoning / thought tokens")
            .col("tool_tokens", "bigint", "tool-use prompt tokens")
            .col("cost_usd", "double", "cost reported by the tool")
            .col("success", "boolean", "success reported by the tool")
            .col("tool_name", "string", "name of the tool the assistant ran")
            .col("decision", "string", "tool permission decision")
            .col("request_id", "string", "provider request / response id of a model call")
            .col("trace_flags", "int", "OTLP span flags: W3C trace flags in the low 8 bits")
            .col("span_attributes", "string", "all span attributes as a JSON object")
            .col("resource_attributes", "string", "all resource attributes as a JSON object")
            .col("events", "string", "span events as a JSON array")
            .col("links", "string", "span links as a JSON array")
            .col("source", "string", "otlp | import")
            .build();

    /** Provisional: modelled on the OpenTelemetry ClickHouse exporter's otel_metrics, one row per point. */
    public static final LakeTable METRICS = table("metrics")
            .col("timestamp", "timestamp", "time of the point, UTC")
            .col("start_timestamp", "timestamp", "start of the aggregation window, UTC")
            .col("record_id", "string", "hash of the point, its metric, scope and resource; duplicates share it")
            .col("metric_name", "string", "metric name")
            .col("description", "string", "metric description")
            .col("unit", "string", "metric unit")
            .col("metric_type", "string", "gauge | sum | histogram | exponential_histogram | summary")
            .col("temporality", "string", "delta | cumulative | unspecified")
            .col("is_monotonic", "boolean", "sums only: whether the sum only grows")
            .col("value", "double", "gauge and sum value")
            .col("count", "bigint", "histogram / summary count")
            .col("sum", "double", "histogram / summary sum")
            .col("min", "double", "histogram minimum")
            .col("max", "double", "histogram maximum")
            .col("bucket_counts", "string", "histogram bucket counts, JSON array")
            .col("explicit_bounds", "string", "histogram bucket bounds, JSON array")
            .col("quantiles", "string", "summary quantiles, JSON array of {quantile, value}")
            .col("exponential_buckets", "string", "exponential histogram scale, zero count and buckets, JSON")
            .col("flags", "int", "OTLP data point flags (1 = no recorded value)")
            .col("tool", "string", "claude-code | codex | gemini-cli | service name")
            .col("service_name", "string", "resource service.name")
            .col("service_version", "string", "resource service.version")
            .col("host_name", "string", "resource host.name")
            .col("scope_name", "string", "instrumentation scope name")
            .col("scope_version", "string", "instrumentation scope version")
            .col("session_id", "string", "session.id of the point (or its resource)")
            .col("user_id", "string", "user.id")
            .col("project", "string", "project attribute (resource or point)")
            .col("model", "string", "model attribute")
            .col("type", "string", "the point's type attribute (token_type, gen_ai.token.type)")
            .col("point_attributes", "string", "all point attributes as a JSON object")
            .col("resource_attributes", "string", "all resource attributes as a JSON object")
            .col("source", "string", "otlp | import")
            .build();

    /** Provisional: per session, partitioned by the date of its first event. */
    public static final LakeTable SESSIONS = table("sessions")
            .col("tool", "string", "claude-code | codex | gemini-cli | service name")
            .col("session_id", "string", "session id (Codex: conversation id)")
            .col("first_seen", "timestamp", "the session's first event that day, UTC")
            .col("last_seen", "timestamp", "the session's last event that day, UTC")
            .col("host_name", "string", "machine")
            .col("project", "string", "project")
            .col("user_id", "string", "user")
            .col("prompts", "bigint", "user prompts")
            .col("model_calls", "bigint", "model calls (rows of usage)")
            .col("tool_calls", "bigint", "tools the assistant ran")
            .col("tool_failures", "bigint", "tool runs that failed")
            .col("api_errors", "bigint", "model API errors")
            .col("input_tokens", "bigint", "fresh input tokens")
            .col("output_tokens", "bigint", "output tokens including reasoning")
            .col("cache_read_tokens", "bigint", "tokens read from cache")
            .col("cache_write_tokens", "bigint", "tokens written to cache")
            .col("reasoning_tokens", "bigint", "the reasoning part of output_tokens")
            .col("tool_tokens", "bigint", "tool-use prompt tokens")
            .col("cost_usd", "double", "sum of the calls' costs; unpriced calls add nothing")
            .col("unpriced_calls", "bigint", "calls whose cost is NULL (unknown model or not reported)")
            .col("models", "string", "models of the calls, sorted, comma-separated")
            .col("sources", "string", "otlp | import (comma-separated if both)")
            .col("lines_added", "bigint", "lines of code added (from metrics, where sent)")
            .col("lines_removed", "bigint", "lines of code removed (from metrics, where sent)")
            .col("commits", "bigint", "commits made (from metrics, where sent)")
            .col("pull_requests", "bigint", "pull requests opened (from metrics, where sent)")
            .build();

    /** Every table the catalog describes. */
    public static final List<LakeTable> ALL = List.of(LOGS, SPANS, METRICS, USAGE, SESSIONS);

    private static Builder table(String name) {
        return new Builder(name);
    }

    private static final class Builder {
        private final String name;
        private final List<GlueColumn> columns = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        Builder col(String column, String type, String comment) {
            columns.add(new GlueColumn(column, type, comment));
            return this;
        }

        LakeTable build() {
            return new LakeTable(name, columns);
        }
    }
}
