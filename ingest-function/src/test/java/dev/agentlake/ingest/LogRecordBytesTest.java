package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.testing.Fixtures;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Log records are read from the request's protobuf bytes, yet every row is what protobuf-java's objects
 * gave: a record's id hashes protobuf-java's encoding of it (fields sent with their default value left out,
 * as it leaves them out), its attribute JSON is {@link AttributeValues#toJson} of the parsed attributes, and
 * whatever the byte reader does not vouch for (fields out of order or repeated, unknown fields, long
 * varints, two values in one {@code AnyValue}, ill-formed UTF-8) is settled by protobuf-java.
 */
class LogRecordBytesTest {
    private static final IngestSettings SETTINGS = new IngestSettings(16 * 1024 * 1024, false, List.of(), false, null, null);
    private static final LogRowMapper MAPPER = new LogRowMapper(SETTINGS, new PromptRedaction(SETTINGS));
    private static final LogsIngest LOGS = new LogsIngest(MAPPER);
    private static final long TIME = 1_795_373_829_086_060_847L;
    private static final String INVALID_UTF8 = "invalid OTLP/protobuf: Protocol message had invalid UTF-8.";

    @Test
    void givenClaudeCodesRecordsWithDefaultsSentExplicitlyWhenDecodedThenEachIdHashesProtobufJavasEncodingOfIt()
            throws Exception {
        byte[] body = Fixtures.bytes("otlp/claude-code-protobuf/0001-claude-code-logs.bin");
        var parsed = ExportLogsServiceRequest.parseFrom(body);
        assertThat(parsed.toByteArray()).as("protobuf-java re-encodes the capture shorter (no dropped_attributes_count: 0)")
                .hasSize(7785).isNotEqualTo(body);

        List<LogRow> rows = MAPPER.map(body, false).rows();

        assertThat(rows).extracting(LogRow::recordId).hasSize(10).doesNotHaveDuplicates().isEqualTo(protobufJavaIds(parsed));
        assertThat(rows).extracting(LogRow::attributesJson).isEqualTo(parsed.getResourceLogs(0).getScopeLogs(0)
                .getLogRecordsList().stream().map(r -> AttributeValues.toJson(r.getAttributesList())).toList());
    }

    static Stream<Arguments> recordsProtobufJavaWritesOtherwise() {
        return Stream.of(
                Arguments.of("a field after a later one", record(r -> {
                    observedTime(r);
                    time(r, TIME);
                    attributes(r);
                })),
                Arguments.of("a field number the record does not have (4 is reserved)", record(r -> {
                    time(r, TIME);
                    r.writeUInt64(4, 7);
                    attributes(r);
                })),
                Arguments.of("the time sent twice (the last counts)", record(r -> {
                    time(r, 1);
                    time(r, TIME);
                    attributes(r);
                })),
                Arguments.of("two values in one AnyValue (the last counts)", twoValues()),
                Arguments.of("a boolean sent as 2", booleanTwo()),
                Arguments.of("an AnyValue's int field sent with a string's wire type (unknown to protobuf-java)", record(r -> {
                    time(r, TIME);
                    attributes(r);
                    attribute(r, "input_tokens".getBytes(StandardCharsets.UTF_8), value -> value.writeString(3, "7"));
                })),
                Arguments.of("a key's length in two bytes", record(r -> {
                    time(r, TIME);
                    attributes(r);
                    r.writeByteArray(6, new byte[] {0x0A, (byte) 0x81, 0x00, 'k', 0x12, 0x02, 0x18, 0x05});
                })),
                Arguments.of("an empty key sent", record(r -> {
                    time(r, TIME);
                    attributes(r);
                    r.writeByteArray(6, new byte[] {0x0A, 0x00, 0x12, 0x02, 0x18, 0x01});
                })));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordsProtobufJavaWritesOtherwise")
    void givenARecordProtobufJavaWouldWriteOtherwiseWhenDecodedThenItsRowIsWhatProtobufJavaReadAndItsIdHashesItsEncoding(
            String what, byte[] body) throws Exception {
        assertThatThrownBy(() -> MAPPER.map(body, false)).isInstanceOf(ProtobufWire.NeedsProtobufJava.class);
        var parsed = ExportLogsServiceRequest.parseFrom(body);
        LogRecord record = parsed.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);

        List<LogRow> rows = LOGS.decode(OtlpEncoding.PROTOBUF, body).rows();

        assertThat(rows).hasSize(1);
        LogRow row = rows.get(0);
        assertThat(row.recordId()).isEqualTo(protobufJavaIds(parsed).get(0));
        assertThat(row.timeUnixNano()).isEqualTo(TIME);
        assertThat(row.observedTimeUnixNano()).isEqualTo(record.getObservedTimeUnixNano());
        assertThat(row.eventName()).isEqualTo("api_request");
        assertThat(row.attributesJson()).isEqualTo(AttributeValues.toJson(record.getAttributesList()));
    }

    private static byte[] twoValues() {
        return record(r -> {
            time(r, TIME);
            attributes(r);
            attribute(r, "input_tokens".getBytes(StandardCharsets.UTF_8), value -> {
                value.writeString(1, "12");
                value.writeInt64(3, 13);
            });
        });
    }

    private static byte[] booleanTwo() {
        return record(r -> {
            time(r, TIME);
            attributes(r);
            attribute(r, "success".getBytes(StandardCharsets.UTF_8), value -> value.writeUInt64(2, 2));
        });
    }

    @Test
    void givenTwoValuesInOneAnyValueAndABooleanTwoWhenDecodedThenTheTypedColumnsTakeWhatProtobufJavaKept() {
        assertThat(LOGS.decode(OtlpEncoding.PROTOBUF, twoValues()).rows().get(0).tokens().input()).isEqualTo(13L);
        assertThat(LOGS.decode(OtlpEncoding.PROTOBUF, booleanTwo()).rows().get(0).success()).isTrue();
    }

    @Test
    void givenOnlyDefaultsSentExplicitlyWhenDecodedThenTheBytesAreReadInPlaceAndTheIdLeavesThemOut() throws Exception {
        byte[] body = record(r -> {
            time(r, TIME);
            r.writeUInt64(2, 0); // severity_number
            r.writeString(3, ""); // severity_text
            attributes(r);
            r.writeUInt32(7, 0); // dropped_attributes_count
            r.writeFixed32(8, 0); // flags
            r.writeByteArray(9, new byte[0]); // trace_id
            observedTime(r);
        });
        var parsed = ExportLogsServiceRequest.parseFrom(body);
        // 2 + 2 + 2 + 5 + 2 bytes of defaults, and one of the resource logs' length, which falls under 128
        assertThat(parsed.toByteArray()).hasSize(body.length - 14);

        List<LogRow> rows = MAPPER.map(body, false).rows();

        assertThat(rows).extracting(LogRow::recordId).isEqualTo(protobufJavaIds(parsed));
        assertThat(rows.get(0).severityText()).isNull();
        assertThat(rows.get(0).traceId()).isNull();
    }

    static Stream<Arguments> utf8() {
        return Stream.of(
                Arguments.of("C3 A9 (é)", new byte[] {(byte) 0xC3, (byte) 0xA9}, true),
                Arguments.of("E2 82 AC (€)", new byte[] {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}, true),
                Arguments.of("EF BF BF (U+FFFF)", new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}, true),
                Arguments.of("F0 9F 98 80 (U+1F600)", new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, true),
                Arguments.of("F4 8F BF BF (U+10FFFF)", new byte[] {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, true),
                Arguments.of("C0 80 (overlong NUL)", new byte[] {(byte) 0xC0, (byte) 0x80}, false),
                Arguments.of("E0 80 80 (overlong)", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, false),
                Arguments.of("ED A0 80 (a surrogate)", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, false),
                Arguments.of("F4 90 80 80 (past U+10FFFF)", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, false),
                Arguments.of("80 (a lone continuation byte)", new byte[] {(byte) 0x80}, false),
                Arguments.of("E2 82 (cut short)", new byte[] {(byte) 0xE2, (byte) 0x82}, false),
                Arguments.of("C3 28 (a lead byte before ASCII)", new byte[] {(byte) 0xC3, '('}, false));
    }

    @ParameterizedTest(name = "{0}: well-formed = {2}")
    @MethodSource("utf8")
    void givenTextInARecordsKeyAndValueWhenDecodedThenItIsStoredOrRefusedExactlyAsProtobufJavaDoes(
            String what, byte[] text, boolean wellFormed) {
        byte[] key = concat("k-".getBytes(StandardCharsets.UTF_8), text);
        for (byte[] body : List.of(
                record(r -> {
                    time(r, TIME);
                    attribute(r, key, value -> value.writeString(1, "v"));
                }),
                record(r -> {
                    time(r, TIME);
                    attribute(r, "k".getBytes(StandardCharsets.UTF_8), value -> value.writeByteArray(1, text));
                }))) {
            if (wellFormed) {
                var parsed = parse(body);
                assertThat(LOGS.decode(OtlpEncoding.PROTOBUF, body).rows()).extracting(LogRow::attributesJson)
                        .containsExactly(AttributeValues.toJson(
                                parsed.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getAttributesList()));
            } else {
                assertThatThrownBy(() -> parse(body)).hasMessageContaining("invalid UTF-8");
                assertThatThrownBy(() -> LOGS.decode(OtlpEncoding.PROTOBUF, body))
                        .isInstanceOf(InvalidOtlpException.class).hasMessage(INVALID_UTF8);
            }
        }
    }

    // --- requests written field by field ---------------------------------------------------------------

    interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    interface Write {
        void run() throws IOException;
    }

    /** One resource (service.name claude-code), one scope, one record whose fields {@code fields} writes. */
    private static byte[] record(Fields fields) {
        byte[] resource = Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("claude-code"))).build().toByteArray();
        byte[] scope = InstrumentationScope.newBuilder().setName("com.anthropic.claude_code.events").build().toByteArray();
        byte[] record = message(fields);
        byte[] scopeLogs = message(o -> {
            o.writeByteArray(1, scope);
            o.writeByteArray(2, record);
        });
        byte[] resourceLogs = message(o -> {
            o.writeByteArray(1, resource);
            o.writeByteArray(2, scopeLogs);
        });
        return message(o -> o.writeByteArray(1, resourceLogs));
    }

    private static void time(CodedOutputStream r, long nanos) {
        write(() -> r.writeFixed64(1, nanos));
    }

    private static void observedTime(CodedOutputStream r) {
        write(() -> r.writeFixed64(11, TIME + 5));
    }

    /** event.name = api_request. */
    private static void attributes(CodedOutputStream r) {
        attribute(r, "event.name".getBytes(StandardCharsets.UTF_8), value -> value.writeString(1, "api_request"));
    }

    private static void attribute(CodedOutputStream r, byte[] key, Fields value) {
        byte[] anyValue = message(value);
        write(() -> r.writeByteArray(6, message(kv -> {
            kv.writeByteArray(1, key);
            kv.writeByteArray(2, anyValue);
        })));
    }

    private static byte[] message(Fields fields) {
        var bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        write(() -> {
            fields.write(out);
            out.flush();
        });
        return bytes.toByteArray();
    }

    private static void write(Write call) {
        try {
            call.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ExportLogsServiceRequest parse(byte[] body) {
        try {
            return ExportLogsServiceRequest.parseFrom(body);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The ids as defined: SHA-256 of resource, scope and record as protobuf-java encodes them, 16 bytes as hex. */
    private static List<String> protobufJavaIds(ExportLogsServiceRequest request) throws Exception {
        var ids = new ArrayList<String>();
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (LogRecord record : scopeLogs.getLogRecordsList()) {
                    MessageDigest d = MessageDigest.getInstance("SHA-256");
                    d.update(resourceLogs.getResource().toByteArray());
                    d.update((byte) 0);
                    d.update(scopeLogs.getScope().toByteArray());
                    d.update((byte) 0);
                    d.update(record.toByteArray());
                    ids.add(HexFormat.of().formatHex(Arrays.copyOf(d.digest(), 16)));
                }
            }
        }
        return ids;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
