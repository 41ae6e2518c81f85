package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attribute JSON the ingest path writes by hand is, character for character, what Jackson's
 * generator wrote before (and what landing files from earlier versions hold): every character from
 * U+0000 to U+00FF, surrogate pairs, doubles at the edges, nested arrays and maps, bytes, and every
 * attribute list of every captured request; log records' attribute JSON, written from their protobuf
 * bytes ({@link JsonBytes}), as well.
 */
class JsonTextTest {
    private static final JsonFactory JACKSON = new JsonFactory();
    /** Every record kept (Codex's SSE events too), so rows and records pair up. */
    private static final IngestSettings KEEP_ALL = new IngestSettings(16 * 1024 * 1024, true, List.of(), false, null, null);
    private static final LogsIngest LOGS = new LogsIngest(new LogRowMapper(KEEP_ALL, new PromptRedaction(KEEP_ALL)));

    @Test
    void givenEveryLatin1CharacterAndSurrogatePairsWhenWrittenThenTheTextIsJacksons() throws Exception {
        var all = new StringBuilder();
        for (char c = 0; c < 256; c++) {
            all.append(c);
        }
        List<KeyValue> attributes = List.of(
                kv("all", str(all.toString())),
                kv("key \"quoted\"\n\u0001", str("x")),
                kv("emoji", str("naïve ✓ \uD83D\uDE00 / \\ end")),
                kv("lone high surrogate at end", str("a\uD83D")),
                kv("empty", str("")));

        assertThat(AttributeValues.toJson(attributes)).isEqualTo(jackson(attributes));
        assertThatLogRecordJsonIsJacksons(attributes);
    }

    @Test
    void givenNumbersBooleansBytesAndNestingWhenWrittenThenTheTextIsJacksons() throws Exception {
        List<KeyValue> attributes = new ArrayList<>();
        double[] doubles = {0.0, -0.0, 0.1, 1.0, 12.5, 1e7, 1.0e-7, 1e21, 123456789.123, Double.MIN_VALUE,
                Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double d : doubles) {
            attributes.add(kv("d" + d, AnyValue.newBuilder().setDoubleValue(d).build()));
        }
        for (long l : new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, 4400}) {
            attributes.add(kv("l" + l, AnyValue.newBuilder().setIntValue(l).build()));
        }
        attributes.add(kv("t", AnyValue.newBuilder().setBoolValue(true).build()));
        attributes.add(kv("f", AnyValue.newBuilder().setBoolValue(false).build()));
        attributes.add(kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, 1, -1, 42})).build()));
        attributes.add(kv("unset", AnyValue.getDefaultInstance()));
        attributes.add(kv("array", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(str("a")).addValues(AnyValue.newBuilder().setIntValue(2))
                .addValues(AnyValue.newBuilder().setArrayValue(ArrayValue.getDefaultInstance()))).build()));
        attributes.add(kv("map", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(kv("inner", str("v\t"))).addValues(kv("empty", AnyValue.newBuilder()
                        .setKvlistValue(KeyValueList.getDefaultInstance()).build()))).build()));

        assertThat(AttributeValues.toJson(attributes)).isEqualTo(jackson(attributes));
        assertThat(AttributeValues.toJson(List.of())).isEqualTo("{}").isEqualTo(jackson(List.of()));
        assertThatLogRecordJsonIsJacksons(attributes);
        assertThatLogRecordJsonIsJacksons(List.of());
    }

    /**
     * A log record carrying the attributes, sent as protobuf and stored: its attribute JSON is Jackson's
     * text of the attributes protobuf-java reads back (a lone surrogate does not survive UTF-8 encoding).
     */
    private static void assertThatLogRecordJsonIsJacksons(List<KeyValue> attributes) throws Exception {
        byte[] body = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
                        .setTimeUnixNano(1).addAllAttributes(attributes)))).build().toByteArray();
        List<KeyValue> readBack = ExportLogsServiceRequest.parseFrom(body).getResourceLogs(0).getScopeLogs(0)
                .getLogRecords(0).getAttributesList();

        assertThat(LOGS.decode(OtlpEncoding.PROTOBUF, body).rows()).extracting(LogRow::attributesJson)
                .containsExactly(jackson(readBack));
    }

    @Test
    void givenEveryCapturedRequestWhenItsAttributesAreWrittenThenTheTextIsJacksons() throws Exception {
        int lists = 0;
        int logRecords = 0;
        for (CapturedRequest request : EncodingIdentityTest.requests().toList()) {
            byte[] body = request.body();
            List<List<KeyValue>> all = new ArrayList<>();
            switch (Signal.fromFolder(request.signal())) {
                case LOGS -> LogsIngest.parse(request.encoding(), body).getResourceLogsList().forEach(r -> {
                    all.add(r.getResource().getAttributesList());
                    r.getScopeLogsList().forEach(s -> s.getLogRecordsList().forEach(l -> all.add(l.getAttributesList())));
                });
                case SPANS -> SpansIngest.parse(request.encoding(), body).getResourceSpansList().forEach(r -> {
                    all.add(r.getResource().getAttributesList());
                    r.getScopeSpansList().forEach(s -> s.getSpansList().forEach(sp -> {
                        all.add(sp.getAttributesList());
                        sp.getEventsList().forEach(e -> all.add(e.getAttributesList()));
                    }));
                });
                case METRICS -> MetricsIngest.parse(request.encoding(), body).getResourceMetricsList()
                        .forEach(r -> all.add(r.getResource().getAttributesList()));
                case USAGE -> throw new IllegalStateException("not an OTLP signal");
            }
            for (List<KeyValue> attributes : all) {
                assertThat(AttributeValues.toJson(attributes)).as(request.toString()).isEqualTo(jackson(attributes));
                lists++;
            }
            if (Signal.fromFolder(request.signal()) == Signal.LOGS) {
                var records = new ArrayList<String>();
                LogsIngest.parse(request.encoding(), body).getResourceLogsList().forEach(r -> r.getScopeLogsList()
                        .forEach(s -> s.getLogRecordsList().forEach(l -> records.add(jacksonUnchecked(l.getAttributesList())))));
                assertThat(LOGS.decode(request.encoding(), body).rows()).as(request.toString())
                        .extracting(LogRow::attributesJson).isEqualTo(records);
                logRecords += records.size();
            }
        }
        assertThat(lists).isGreaterThan(100);
        assertThat(logRecords).isEqualTo(108); // Claude Code 2 × 12, Codex 2 × 32, Gemini 20
    }

    private static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    // --- the reference: the Jackson code the ingest path used before --------------------------------

    private static String jacksonUnchecked(List<KeyValue> attributes) {
        try {
            return jackson(attributes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String jackson(List<KeyValue> attributes) throws IOException {
        var out = new StringWriter();
        try (JsonGenerator g = JACKSON.createGenerator(out)) {
            writeObject(g, attributes);
        }
        return out.toString();
    }

    private static void writeObject(JsonGenerator g, List<KeyValue> attributes) throws IOException {
        g.writeStartObject();
        for (KeyValue kv : attributes) {
            g.writeFieldName(kv.getKey());
            writeValue(g, kv.getValue());
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, AnyValue v) throws IOException {
        switch (v.getValueCase()) {
            case STRING_VALUE -> g.writeString(v.getStringValue());
            case BOOL_VALUE -> g.writeBoolean(v.getBoolValue());
            case INT_VALUE -> g.writeNumber(v.getIntValue());
            case DOUBLE_VALUE -> {
                double d = v.getDoubleValue();
                if (Double.isFinite(d)) {
                    g.writeNumber(d);
                } else {
                    g.writeString(Double.toString(d));
                }
            }
            case BYTES_VALUE -> g.writeString(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                g.writeStartArray();
                for (AnyValue item : v.getArrayValue().getValuesList()) {
                    writeValue(g, item);
                }
                g.writeEndArray();
            }
            case KVLIST_VALUE -> writeObject(g, v.getKvlistValue().getValuesList());
            case VALUE_NOT_SET -> g.writeNull();
        }
    }
}
