package dev.agentlake.lake.model;

import java.util.Objects;

/**
 * One OTLP log record as a row of the lake's {@code logs} table. The typed columns are what
 * dashboards filter and sum; {@code attributesJson} and the resource's JSON keep everything else.
 *
 * @param recordId stable hash of the record and its resource: equal records sent twice share it,
 *     which is what compaction de-duplicates on
 * @param timeUnixNano event time; for records that carry none (Codex) the observed time or the
 *     {@code event.timestamp} attribute
 * @param traceId lower-case hex, or null
 */
public record LogRow(
        String recordId,
        long timeUnixNano,
        long observedTimeUnixNano,
        ResourceColumns resource,
        String scopeName,
        String scopeVersion,
        String severityText,
        int severityNumber,
        String eventName,
        String body,
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
        String traceId,
        String spanId,
        int traceFlags,
        String attributesJson,
        String source) {

    public LogRow {
        Objects.requireNonNull(recordId, "recordId is null");
        Objects.requireNonNull(resource, "resource is null");
        Objects.requireNonNull(tokens, "tokens is null");
        Objects.requireNonNull(attributesJson, "attributesJson is null");
        Objects.requireNonNull(source, "source is null");
    }
}
