package dev.agentlake.ingest;

import static dev.agentlake.ingest.ProtobufWire.FIXED32;
import static dev.agentlake.ingest.ProtobufWire.FIXED64;
import static dev.agentlake.ingest.ProtobufWire.LENGTH_DELIMITED;
import static dev.agentlake.ingest.ProtobufWire.VARINT;
import static dev.agentlake.ingest.ProtobufWire.needsProtobufJava;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.Tokens;
import dev.agentlake.lake.model.Tool;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns OTLP log records into {@code logs} rows: the typed columns dashboards need, read from the
 * attribute names Claude Code, Codex and Gemini CLI actually use, plus every attribute as JSON.
 *
 * <p>Records are read from the {@code ExportLogsServiceRequest}'s protobuf bytes, not from protobuf-java's
 * objects: attribute JSON is copied from the bytes, and a record's id hashes its bytes where they lie,
 * because they are what protobuf-java would encode (the id's definition, see {@link RecordIds}). The one
 * difference senders commonly make, a field sent with its default value (Claude Code's exporter writes
 * {@code dropped_attributes_count: 0}), is left out of the hash as protobuf-java leaves it out of its
 * encoding. Anything else {@link ProtobufWire} does not vouch for goes to protobuf-java, and its
 * encoding of the request is read instead.
 */
@Singleton
final class LogRowMapper {
    /** protobuf-java's recursion limit, counted from the request: a resource is 2 messages deep, a scope 3. */
    private static final int RECURSION_LIMIT = 100;
    private static final int RESOURCE_LOGS = 1 << 3 | LENGTH_DELIMITED;
    private static final int RESOURCE = 1 << 3 | LENGTH_DELIMITED;
    private static final int SCOPE_LOGS = 2 << 3 | LENGTH_DELIMITED;
    private static final int SCOPE = 1 << 3 | LENGTH_DELIMITED;
    private static final int LOG_RECORDS = 2 << 3 | LENGTH_DELIMITED;
    private static final int SCHEMA_URL = 3 << 3 | LENGTH_DELIMITED;

    private final IngestSettings settings;
    private final PromptRedaction redaction;

    LogRowMapper(IngestSettings settings, PromptRedaction redaction) {
        this.settings = settings;
        this.redaction = redaction;
    }

    /**
     * The rows of an {@code ExportLogsServiceRequest}'s protobuf bytes.
     *
     * @param reEncoded whether the bytes are protobuf-java's own encoding (unknown fields are then skipped)
     * @throws ProtobufWire.NeedsProtobufJava when the bytes are not as protobuf-java would encode them
     */
    MappedRows<LogRow> map(byte[] request, boolean reEncoded) {
        var reading = new RequestReading(new ProtobufWire(request, reEncoded));
        reading.request(request.length);
        long rejected = reading.rejected;
        return new MappedRows<>(reading.rows, rejected,
                rejected == 0 ? null : rejected + " log record(s) had no time (timeUnixNano, observedTimeUnixNano"
                        + " and event.timestamp all missing) and were not stored", reading.dropped);
    }

    /** One request's walk: ExportLogsServiceRequest → ResourceLogs → ScopeLogs → LogRecord. */
    private final class RequestReading {
        private final ProtobufWire in;
        private final WireAttributes attributes;
        private final List<LogRow> rows = new ArrayList<>();
        private long rejected;
        private long dropped;
        /** Fields of the current record sent with their default value: (start, end) pairs, left out of its id. */
        private int[] defaults = new int[8];
        private int defaultCount;

        RequestReading(ProtobufWire in) {
            this.in = in;
            this.attributes = new WireAttributes(in, redaction);
        }

        void request(int end) {
            while (in.pos < end) {
                int tag = in.tag(end);
                if (tag != RESOURCE_LOGS) {
                    in.unknownField(tag, end);
                    continue;
                }
                int resourceLogsEnd = in.delimitedEnd(end);
                resourceLogs(resourceLogsEnd);
                in.pos = resourceLogsEnd;
            }
        }

        private void resourceLogs(int end) {
            Resource resource = Resource.getDefaultInstance();
            AttributeValues resourceAttributes = null;
            ResourceColumns resourceColumns = null;
            int last = 0;
            while (in.pos < end) {
                int tag = in.tag(end);
                int field = tag >>> 3;
                if (!in.reEncoded && (field < last || field == last && tag != SCOPE_LOGS)) {
                    throw needsProtobufJava();
                }
                int fieldEnd;
                if (tag == RESOURCE) {
                    fieldEnd = in.delimitedEnd(end);
                    resource = nested(Resource.parser(), fieldEnd, 2);
                } else if (tag == SCOPE_LOGS) {
                    fieldEnd = in.delimitedEnd(end);
                    if (resourceColumns == null) {
                        resourceAttributes = new AttributeValues(redaction.apply(resource.getAttributesList()));
                        resourceColumns = CommonColumns.resource(resourceAttributes);
                    }
                    scopeLogs(fieldEnd, resource, resourceAttributes, resourceColumns);
                } else if (tag == SCHEMA_URL) {
                    fieldEnd = in.delimitedEnd(end);
                    in.requireUtf8(in.pos, fieldEnd);
                } else {
                    in.unknownField(tag, end);
                    continue;
                }
                in.pos = fieldEnd;
                last = field;
            }
        }

        private void scopeLogs(int end, Resource resource, AttributeValues resourceAttributes,
                               ResourceColumns resourceColumns) {
            InstrumentationScope scope = InstrumentationScope.getDefaultInstance();
            MessageDigest idPrefix = null;
            String scopeName = null;
            String scopeVersion = null;
            int last = 0;
            while (in.pos < end) {
                int tag = in.tag(end);
                int field = tag >>> 3;
                if (!in.reEncoded && (field < last || field == last && tag != LOG_RECORDS)) {
                    throw needsProtobufJava();
                }
                int fieldEnd;
                if (tag == SCOPE) {
                    fieldEnd = in.delimitedEnd(end);
                    scope = nested(InstrumentationScope.parser(), fieldEnd, 3);
                } else if (tag == LOG_RECORDS) {
                    fieldEnd = in.delimitedEnd(end);
                    if (idPrefix == null) {
                        idPrefix = RecordIds.prefix(resource, scope);
                        scopeName = CommonColumns.emptyToNull(scope.getName());
                        scopeVersion = CommonColumns.emptyToNull(scope.getVersion());
                    }
                    record(fieldEnd, idPrefix, resourceAttributes, resourceColumns, scopeName, scopeVersion);
                } else if (tag == SCHEMA_URL) {
                    fieldEnd = in.delimitedEnd(end);
                    in.requireUtf8(in.pos, fieldEnd);
                } else {
                    in.unknownField(tag, end);
                    continue;
                }
                in.pos = fieldEnd;
                last = field;
            }
        }

        /** A resource or scope, parsed by protobuf-java: once per request, and its id bytes are its encoding. */
        private <M extends MessageLite> M nested(Parser<M> parser, int end, int depth) {
            try {
                CodedInputStream input = CodedInputStream.newInstance(in.bytes, in.pos, end - in.pos);
                input.setRecursionLimit(RECURSION_LIMIT - depth);
                M message = parser.parseFrom(input);
                if (!input.isAtEnd()) {
                    throw needsProtobufJava(); // a stray end-group tag
                }
                return message;
            } catch (IOException e) {
                throw needsProtobufJava();
            }
        }

        private void record(int end, MessageDigest idPrefix, AttributeValues resource, ResourceColumns resourceColumns,
                            String scopeName, String scopeVersion) {
            int start = in.pos;
            long time = 0;
            long observedTime = 0;
            int severityNumber = 0;
            String severityText = null;
            String body = null;
            int flags = 0;
            String traceId = null;
            String spanId = null;
            String eventName = null;
            attributes.clear();
            defaultCount = 0;
            int last = 0;
            while (in.pos < end) {
                int fieldStart = in.pos;
                int tag = in.tag(end);
                int field = tag >>> 3;
                boolean sentDefault = false;
                int fieldEnd;
                switch (tag) {
                    case 1 << 3 | FIXED64 -> {
                        time = in.fixed64(end);
                        sentDefault = time == 0;
                    }
                    case 2 << 3 | VARINT -> {
                        severityNumber = in.int32(end);
                        sentDefault = severityNumber == 0;
                    }
                    case 3 << 3 | LENGTH_DELIMITED -> {
                        severityText = text(in.delimitedEnd(end));
                        sentDefault = severityText == null;
                    }
                    case 5 << 3 | LENGTH_DELIMITED -> {
                        fieldEnd = in.delimitedEnd(end);
                        body = attributes.bodyText(fieldEnd);
                        in.pos = fieldEnd;
                    }
                    case 6 << 3 | LENGTH_DELIMITED -> attributes.read(in.delimitedEnd(end));
                    case 7 << 3 | VARINT -> sentDefault = in.uint32(end) == 0; // dropped_attributes_count
                    case 8 << 3 | FIXED32 -> {
                        flags = in.fixed32(end);
                        sentDefault = flags == 0;
                    }
                    case 9 << 3 | LENGTH_DELIMITED, 10 << 3 | LENGTH_DELIMITED -> {
                        fieldEnd = in.delimitedEnd(end);
                        String id = RecordIds.hexId(in.bytes, in.pos, fieldEnd);
                        sentDefault = in.pos == fieldEnd;
                        in.pos = fieldEnd;
                        if (field == 9) {
                            traceId = id;
                        } else {
                            spanId = id;
                        }
                    }
                    case 11 << 3 | FIXED64 -> {
                        observedTime = in.fixed64(end);
                        sentDefault = observedTime == 0;
                    }
                    case 12 << 3 | LENGTH_DELIMITED -> {
                        eventName = text(in.delimitedEnd(end));
                        sentDefault = eventName == null;
                    }
                    default -> {
                        in.unknownField(tag, end);
                        continue;
                    }
                }
                if (!in.reEncoded && (field < last || field == last && field != 6)) {
                    throw needsProtobufJava(); // out of order or repeated: protobuf-java would write it otherwise
                }
                last = field;
                if (sentDefault) {
                    leaveOut(fieldStart, in.pos);
                }
            }
            if (!keep(attributes)) {
                dropped++;
                return;
            }
            long eventTime = eventTime(time, observedTime, attributes);
            if (eventTime <= 0) {
                rejected++;
                return;
            }
            rows.add(row(attributes, resource, resourceColumns, scopeName, scopeVersion, eventTime,
                    CommonColumns.time(observedTime), severityText(severityText, severityNumber), severityNumber,
                    eventName, body, traceId, spanId, flags, recordId(idPrefix, start, end)));
        }

        /** A string field's text, null when empty; the cursor is moved to {@code end}. */
        private String text(int end) {
            int from = in.pos;
            in.requireUtf8(from, end);
            in.pos = end;
            return from == end ? null : new String(in.bytes, from, end - from, StandardCharsets.UTF_8);
        }

        private void leaveOut(int from, int to) {
            if (defaultCount == defaults.length) {
                defaults = Arrays.copyOf(defaults, defaults.length * 2);
            }
            defaults[defaultCount++] = from;
            defaults[defaultCount++] = to;
        }

        /** The record's bytes without the fields sent with their default value: protobuf-java's encoding of it. */
        private String recordId(MessageDigest idPrefix, int start, int end) {
            MessageDigest id = RecordIds.copy(idPrefix);
            int from = start;
            for (int i = 0; i < defaultCount; i += 2) {
                id.update(in.bytes, from, defaults[i] - from);
                from = defaults[i + 1];
            }
            id.update(in.bytes, from, end - from);
            return RecordIds.recordId(id);
        }
    }

    /**
     * Codex sends a {@code codex.sse_event} record for every server-sent event; only completed
     * responses that carry token counts matter (each response yields two, one without tokens).
     */
    private boolean keep(TypedAttributes attributes) {
        if (settings.keepCodexSseEvents() || !"codex.sse_event".equals(attributes.string("event.name"))) {
            return true;
        }
        return "response.completed".equals(attributes.string("event.kind"))
                && attributes.has("input_token_count");
    }

    /** Event time; Codex leaves {@code timeUnixNano} 0 and puts the time in {@code event.timestamp}. */
    private static long eventTime(long timeUnixNano, long observedTimeUnixNano, TypedAttributes attributes) {
        long time = CommonColumns.time(timeUnixNano);
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
        return CommonColumns.time(observedTimeUnixNano);
    }

    private static LogRow row(WireAttributes a, AttributeValues resource, ResourceColumns resourceColumns,
                              String scopeName, String scopeVersion, long time, long observedTime,
                              String severityText, int severityNumber, String recordEventName, String body,
                              String traceId, String spanId, int flags, String recordId) {
        String eventName = a.string("event.name");
        if (eventName == null) {
            eventName = recordEventName;
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
                observedTime,
                resourceColumns,
                scopeName,
                scopeVersion,
                severityText,
                severityNumber,
                eventName,
                body,
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
                traceId,
                spanId,
                flags,
                a.toJson(),
                "otlp");
    }

    /** The record's severity text, or the OTLP short name of its severity number when it sent none. */
    private static String severityText(String text, int n) {
        if (text != null || n < 1 || n > 24) {
            return text;
        }
        return SEVERITY_NAMES[(n - 1) / 4];
    }

    private static final String[] SEVERITY_NAMES = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
}
