package dev.agentlake.lake.model;

import java.util.Objects;

/**
 * One OTLP span as a row of the lake's {@code spans} table (modelled on the OpenTelemetry ClickHouse
 * exporter's {@code otel_traces}). The typed columns are what dashboards filter and sum; attributes,
 * resource attributes, events and links are kept as JSON text so nothing is lost.
 *
 * @param recordId stable hash of the span, its scope and its resource: the same span sent twice shares it
 * @param startTimeUnixNano the span's start, always positive (the row's event time)
 * @param endTimeUnixNano the span's end, or 0 when the exporter sent none
 * @param traceId lower-case hex, or null when the exporter sent an empty id
 * @param spanKind the OTLP enum name, e.g. {@code SPAN_KIND_INTERNAL}
 * @param statusCode the OTLP enum name, e.g. {@code STATUS_CODE_UNSET}
 * @param tokens token counts as the span's attributes report them (each tool's own convention)
 * @param durationMs end minus start in milliseconds; the {@code duration_ms} attribute when a time is missing
 * @param eventsJson the span events as a JSON array of {@code {time_unix_nano, name, attributes}}
 * @param linksJson the span links as a JSON array of {@code {trace_id, span_id, trace_state, attributes}}
 */
public record SpanRow(
        String recordId,
        long startTimeUnixNano,
        long endTimeUnixNano,
        ResourceColumns resource,
        String scopeName,
        String scopeVersion,
        String traceId,
        String spanId,
        String parentSpanId,
        String traceState,
        String spanName,
        String spanKind,
        String statusCode,
        String statusMessage,
        String sessionId,
        String promptId,
        String userId,
        String project,
        String model,
        Tokens tokens,
        Double costUsd,
        Double durationMs,
        Boolean success,
        String toolName,
        String decision,
        String requestId,
        int flags,
        String attributesJson,
        String eventsJson,
        String linksJson,
        String source) {

    public SpanRow {
        Objects.requireNonNull(recordId, "recordId is null");
        Objects.requireNonNull(resource, "resource is null");
        Objects.requireNonNull(spanName, "spanName is null");
        Objects.requireNonNull(spanKind, "spanKind is null");
        Objects.requireNonNull(statusCode, "statusCode is null");
        Objects.requireNonNull(tokens, "tokens is null");
        Objects.requireNonNull(attributesJson, "attributesJson is null");
        Objects.requireNonNull(eventsJson, "eventsJson is null");
        Objects.requireNonNull(linksJson, "linksJson is null");
        Objects.requireNonNull(source, "source is null");
        if (startTimeUnixNano <= 0) {
            throw new IllegalArgumentException("a span row needs a start time: " + recordId);
        }
        if (endTimeUnixNano < 0) {
            throw new IllegalArgumentException("negative end time in span " + recordId);
        }
    }
}
