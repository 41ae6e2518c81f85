package dev.agentlake.ingest;

import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.SpanRow;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns OTLP spans into {@code spans} rows: ids as hex, kind and status as OTLP enum names, the
 * typed columns the assistants' spans carry (Claude Code's {@code llm_request} tokens, Codex's
 * {@code gen_ai.usage.*} on {@code handle_responses}, GenAI conversation ids), and attributes,
 * events and links as JSON.
 */
@Singleton
final class SpanRowMapper {
    private static final String EMPTY_ARRAY = "[]";
    private final PromptRedaction redaction;

    SpanRowMapper(PromptRedaction redaction) {
        this.redaction = redaction;
    }

    MappedRows<SpanRow> map(ExportTraceServiceRequest request) {
        var rows = new ArrayList<SpanRow>();
        long rejected = 0;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Resource resource = resourceSpans.getResource();
            var resourceAttributes = new AttributeValues(redaction.apply(resource.getAttributesList()));
            ResourceColumns resourceColumns = CommonColumns.resource(resourceAttributes);
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                MessageDigest idPrefix = RecordIds.prefix(resource, scopeSpans.getScope());
                String scopeName = CommonColumns.emptyToNull(scopeSpans.getScope().getName());
                String scopeVersion = CommonColumns.emptyToNull(scopeSpans.getScope().getVersion());
                for (Span span : scopeSpans.getSpansList()) {
                    if (CommonColumns.time(span.getStartTimeUnixNano()) == 0
                            && CommonColumns.time(span.getEndTimeUnixNano()) == 0) {
                        rejected++;
                        continue;
                    }
                    rows.add(row(span, resourceAttributes, resourceColumns, scopeName, scopeVersion,
                            RecordIds.recordId(idPrefix, span)));
                }
            }
        }
        return new MappedRows<>(rows, rejected,
                rejected == 0 ? null : rejected + " span(s) had no time (startTimeUnixNano and endTimeUnixNano"
                        + " both missing) and were not stored", 0);
    }

    private SpanRow row(Span span, AttributeValues resource, ResourceColumns resourceColumns, String scopeName,
                        String scopeVersion, String recordId) {
        var a = new AttributeValues(redaction.apply(span.getAttributesList()));
        long start = CommonColumns.time(span.getStartTimeUnixNano());
        long end = CommonColumns.time(span.getEndTimeUnixNano());
        Double durationMs = start != 0 && end != 0 && end >= start
                // Boxed on purpose: a primitive here would unbox a missing duration_ms (null) and throw.
                ? Double.valueOf((end - start) / 1_000_000.0)
                : a.decimal("duration_ms");
        Status status = span.getStatus();
        return new SpanRow(
                recordId,
                start != 0 ? start : end,
                start != 0 ? end : 0,
                resourceColumns,
                scopeName,
                scopeVersion,
                RecordIds.hexId(span.getTraceId()),
                RecordIds.hexId(span.getSpanId()),
                RecordIds.hexId(span.getParentSpanId()),
                CommonColumns.emptyToNull(span.getTraceState()),
                span.getName(),
                spanKind(span.getKindValue()),
                statusCode(status.getCodeValue()),
                CommonColumns.emptyToNull(status.getMessage()),
                CommonColumns.sessionId(a, resource),
                CommonColumns.promptId(a),
                CommonColumns.userId(a, resource),
                CommonColumns.project(a, resource),
                CommonColumns.model(a),
                CommonColumns.spanTokens(a, resourceColumns.tool()),
                a.decimal("cost_usd"),
                durationMs,
                a.bool("success"),
                CommonColumns.toolName(a),
                a.string("decision"),
                CommonColumns.requestId(a),
                span.getFlags(),
                a.toJson(),
                span.getEventsCount() == 0 ? EMPTY_ARRAY : eventsJson(span.getEventsList()),
                span.getLinksCount() == 0 ? EMPTY_ARRAY : linksJson(span.getLinksList()),
                "otlp");
    }

    /** The OTLP name of a span kind; unknown numbers (a newer sender) keep their number. */
    static String spanKind(int value) {
        Span.SpanKind kind = Span.SpanKind.forNumber(value);
        return kind == null ? "SPAN_KIND_" + value : kind.name();
    }

    static String statusCode(int value) {
        Status.StatusCode code = Status.StatusCode.forNumber(value);
        return code == null ? "STATUS_CODE_" + value : code.name();
    }

    private String eventsJson(List<Span.Event> events) {
        var out = new StringBuilder(64 * events.size()).append('[');
        for (int i = 0; i < events.size(); i++) {
            Span.Event e = events.get(i);
            out.append(i == 0 ? "" : ",").append("{\"time_unix_nano\":").append(e.getTimeUnixNano()).append(",\"name\":");
            JsonText.string(out, e.getName());
            out.append(",\"attributes\":");
            AttributeValues.writeAttributes(out, redaction.apply(e.getAttributesList()));
            out.append('}');
        }
        return out.append(']').toString();
    }

    private String linksJson(List<Span.Link> links) {
        var out = new StringBuilder(64 * links.size()).append('[');
        for (int i = 0; i < links.size(); i++) {
            Span.Link l = links.get(i);
            out.append(i == 0 ? "" : ",").append("{\"trace_id\":");
            stringOrNull(out, RecordIds.hexId(l.getTraceId()));
            out.append(",\"span_id\":");
            stringOrNull(out, RecordIds.hexId(l.getSpanId()));
            if (!l.getTraceState().isEmpty()) {
                out.append(",\"trace_state\":");
                JsonText.string(out, l.getTraceState());
            }
            out.append(",\"attributes\":");
            AttributeValues.writeAttributes(out, redaction.apply(l.getAttributesList()));
            out.append('}');
        }
        return out.append(']').toString();
    }

    private static void stringOrNull(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
        } else {
            JsonText.string(out, s);
        }
    }
}
