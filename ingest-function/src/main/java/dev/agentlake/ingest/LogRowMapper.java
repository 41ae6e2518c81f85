package dev.agentlake.ingest;

import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.Tokens;
import dev.agentlake.lake.model.Tool;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;

/**
 * Turns OTLP log records into {@code logs} rows: the typed columns dashboards need, read from the
 * attribute names Claude Code, Codex and Gemini CLI actually use, plus every attribute as JSON.
 */
@Singleton
final class LogRowMapper {
    private final IngestSettings settings;
    private final PromptRedaction redaction;

    LogRowMapper(IngestSettings settings, PromptRedaction redaction) {
        this.settings = settings;
        this.redaction = redaction;
    }

    MappedRows<LogRow> map(ExportLogsServiceRequest request) {
        var rows = new ArrayList<LogRow>();
        long rejected = 0;
        long dropped = 0;
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            Resource resource = resourceLogs.getResource();
            var resourceAttributes = new AttributeValues(redaction.apply(resource.getAttributesList()));
            ResourceColumns resourceColumns = CommonColumns.resource(resourceAttributes);
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                MessageDigest idPrefix = RecordIds.prefix(resource, scopeLogs.getScope());
                String scopeName = emptyToNull(scopeLogs.getScope().getName());
                String scopeVersion = emptyToNull(scopeLogs.getScope().getVersion());
                for (LogRecord record : scopeLogs.getLogRecordsList()) {
                    var attributes = new AttributeValues(redaction.apply(record.getAttributesList()));
                    if (!keep(resourceColumns.tool(), attributes)) {
                        dropped++;
                        continue;
                    }
                    long time = eventTime(record, attributes);
                    if (time <= 0) {
                        rejected++;
                        continue;
                    }
                    rows.add(row(record, attributes, resourceAttributes, resourceColumns, scopeName, scopeVersion,
                            time, RecordIds.recordId(idPrefix, record)));
                }
            }
        }
        return new MappedRows<>(rows, rejected,
                rejected == 0 ? null : rejected + " log record(s) had no time (timeUnixNano, observedTimeUnixNano"
                        + " and event.timestamp all missing) and were not stored", dropped);
    }

    /**
     * Codex sends a {@code codex.sse_event} record for every server-sent event; only completed
     * responses that carry token counts matter (each response yields two, one without tokens).
     */
    private boolean keep(String tool, AttributeValues attributes) {
        if (settings.keepCodexSseEvents() || !"codex.sse_event".equals(attributes.string("event.name"))) {
            return true;
        }
        return "response.completed".equals(attributes.string("event.kind"))
                && attributes.has("input_token_count");
    }

    /** Event time; Codex leaves {@code timeUnixNano} 0 and puts the time in {@code event.timestamp}. */
    private static long eventTime(LogRecord record, AttributeValues attributes) {
        long time = CommonColumns.time(record.getTimeUnixNano());
        if (time != 0) {
            return time;
        }
        String stamp = attributes.string("event.timestamp");
        if (stamp != null) {
            try {
                Instant t = Instant.parse(stamp);
                return t.getEpochSecond() * 1_000_000_000L + t.getNano();
            } catch (DateTimeParseException e) {
                // fall through to the observed time
            }
        }
        return CommonColumns.time(record.getObservedTimeUnixNano());
    }

    private static LogRow row(LogRecord record, AttributeValues a, AttributeValues resource,
                              ResourceColumns resourceColumns, String scopeName, String scopeVersion,
                              long time, String recordId) {
        String eventName = a.string("event.name");
        if (eventName == null) {
            eventName = emptyToNull(record.getEventName());
        }
        boolean codex = Tool.CODEX.equals(resourceColumns.tool());
        var tokens = new Tokens(
                a.integer("input_tokens", "input_token_count"),
                a.integer("output_tokens", "output_token_count"),
                a.integer("cache_read_tokens", "cached_token_count", "cached_content_token_count"),
                a.integer("cache_creation_tokens", "cache_write_token_count"),
                a.integer("cache_creation_5m_tokens"),
                a.integer("cache_creation_1h_tokens"),
                a.integer("reasoning_token_count", "thoughts_token_count", "reasoning_tokens"),
                // Codex's tool_token_count is the call's total, not tool-prompt tokens: left in the JSON only.
                codex ? null : a.integer("tool_token_count"));
        return new LogRow(
                recordId,
                time,
                CommonColumns.time(record.getObservedTimeUnixNano()),
                resourceColumns,
                scopeName,
                scopeVersion,
                severityText(record),
                record.getSeverityNumberValue(),
                eventName,
                AttributeValues.bodyText(record.getBody()),
                CommonColumns.sessionId(a, resource),
                CommonColumns.promptId(a),
                a.string("user.id"),
                CommonColumns.project(a, resource),
                CommonColumns.model(a),
                tokens.isEmpty() ? Tokens.NONE : tokens,
                a.decimal("cost_usd"),
                a.decimal("duration_ms"),
                a.bool("success"),
                CommonColumns.toolName(a),
                a.string("decision"),
                CommonColumns.requestId(a),
                RecordIds.hexId(record.getTraceId()),
                RecordIds.hexId(record.getSpanId()),
                record.getFlags(),
                a.toJson(),
                "otlp");
    }

    /** The record's severity text, or the OTLP short name of its severity number when it sent none. */
    private static String severityText(LogRecord record) {
        String text = emptyToNull(record.getSeverityText());
        int n = record.getSeverityNumberValue();
        if (text != null || n < 1 || n > 24) {
            return text;
        }
        return SEVERITY_NAMES[(n - 1) / 4];
    }

    private static final String[] SEVERITY_NAMES = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};

    private static String emptyToNull(String s) {
        return CommonColumns.emptyToNull(s);
    }
}
