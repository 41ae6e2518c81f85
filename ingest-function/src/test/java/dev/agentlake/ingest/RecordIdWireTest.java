package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.MetricPointRow;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.model.SpanRow;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Record ids hashed from the request body where the record lies ({@link WireRecords}) are the ids the
 * old code computed by re-serialising every record, so landing files written before and after still
 * de-duplicate against each other. The old definition is written out again here, independently of
 * {@link RecordIds}: SHA-256 over the resource's and scope's protobuf encodings, each followed by a 0
 * byte, (for metric points the metric's name, description, unit, type, temporality and monotonic flag
 * joined by 0 bytes, then a 0 byte), then the record's protobuf encoding; the first 16 bytes in hex.
 */
class RecordIdWireTest {
    /** Codex SSE events kept, so every record of a capture becomes a row and ids compare one to one. */
    private static final IngestSettings KEEP_ALL = new IngestSettings(16 * 1024 * 1024, true, List.of(), false, null, null);
    private static final PromptRedaction NO_REDACTION = new PromptRedaction(KEEP_ALL);
    private static final LogsIngest LOGS = new LogsIngest(new LogRowMapper(KEEP_ALL, NO_REDACTION));
    private static final SpansIngest SPANS = new SpansIngest(new SpanRowMapper(NO_REDACTION));
    private static final MetricsIngest METRICS = new MetricsIngest(new MetricPointRowMapper(NO_REDACTION));
    private static final HexFormat HEX = HexFormat.of();

    static Stream<CapturedRequest> requests() {
        return CapturedRequest.RUNS.keySet().stream().sorted().flatMap(run -> CapturedRequest.of(run).stream());
    }

    /**
     * Every capture, as the CLI sent it (protobuf from Claude Code's JS and Codex's Rust exporters, JSON
     * from the others) and, for the JSON ones, re-encoded as protobuf by protobuf-java.
     */
    @ParameterizedTest(name = "{0}: record ids equal the re-serialising definition")
    @MethodSource("requests")
    void givenACaptureWhenDecodedThenEveryRecordIdEqualsTheOldDefinition(CapturedRequest request) throws Exception {
        byte[] body = request.body();
        Signal signal = Signal.fromFolder(request.signal());
        if (request.encoding() == OtlpEncoding.JSON) {
            byte[] asProtobuf = protobufOf(signal, body);
            assertThat(decodedIds(signal, OtlpEncoding.PROTOBUF, asProtobuf)).as("re-encoded as protobuf")
                    .isEqualTo(oldIds(signal, asProtobuf)).isNotEmpty();
        }
        assertThat(decodedIds(signal, request.encoding(), body)).as("as sent")
                .isEqualTo(oldIds(signal, protobufOf(signal, body, request.encoding()))).isNotEmpty();
    }

    /**
     * The fast path is what the captures take: no record of any capture needs re-serialising, and what is
     * hashed instead is exactly protobuf-java's encoding. Claude Code's exporter writes zero counts out
     * ({@code dropped_attributes_count: 0}), so its records are hashed from a copy without them.
     */
    @ParameterizedTest(name = "{0}: records are hashed from the body")
    @MethodSource("requests")
    void givenACaptureWhenWalkedThenEveryRecordIsHashedFromTheBodyAsItsReEncoding(CapturedRequest request)
            throws Exception {
        Signal signal = Signal.fromFolder(request.signal());
        byte[] body = protobufOf(signal, request.body(), request.encoding());
        WireRecords wire = signal == Signal.METRICS ? WireRecords.metricPoints(body) : WireRecords.logsOrSpans(body);
        List<MessageLite> records = records(signal, body);

        assertThat(wire).isNotNull();
        assertThat(wire.count()).isEqualTo(records.size()).isPositive();
        for (int i = 0; i < records.size(); i++) {
            MessageLite record = records.get(i);
            WireRecords.Shape shape = WireRecords.shape(((com.google.protobuf.Message) record).getDescriptorForType());
            MessageDigest fromBody = MessageDigest.getInstance("SHA-256");
            assertThat(wire.digest(i, shape, fromBody)).as("record %d hashed from the body", i).isTrue();
            assertThat(fromBody.digest()).as("record %d hash", i)
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(record.toByteArray()));
            if (request.run().equals("codex-binary") || request.encoding() == OtlpEncoding.JSON) {
                assertThat(how(wire, i, shape)).as("record %d", i).isEqualTo(How.AS_IS);
            }
        }
    }

    // --- records protobuf-java would write differently: they fall back to re-serialising ------------

    private static final LogRecord RECORD = LogRecord.newBuilder()
            .setTimeUnixNano(1_763_900_000_000_000_000L)
            .setSeverityNumberValue(9)
            .setSeverityText("INFO")
            .setBody(AnyValue.newBuilder().setStringValue("claude_code.api_request"))
            .addAttributes(KeyValue.newBuilder().setKey("event.name")
                    .setValue(AnyValue.newBuilder().setStringValue("api_request")))
            .addAttributes(KeyValue.newBuilder().setKey("input_tokens").setValue(AnyValue.newBuilder().setIntValue(1200)))
            .setFlags(1)
            .setObservedTimeUnixNano(1_763_900_000_000_000_123L)
            .build();

    /** The record's fields as protobuf-java writes them, one byte array per field, in field order. */
    private static List<byte[]> recordFields() {
        return List.of(
                fixed64(1, RECORD.getTimeUnixNano()),
                concat(tag(2, 0), new byte[] {9}),
                bytesField(3, "INFO".getBytes(StandardCharsets.US_ASCII)),
                bytesField(5, RECORD.getBody().toByteArray()),
                bytesField(6, RECORD.getAttributes(0).toByteArray()),
                bytesField(6, RECORD.getAttributes(1).toByteArray()),
                concat(tag(8, 5), new byte[] {1, 0, 0, 0}),
                fixed64(11, RECORD.getObservedTimeUnixNano()));
    }

    @Test
    void givenTheRecordAsProtobufJavaWritesItWhenDecodedThenItIsHashedWhereItLiesWithTheOldId() throws Exception {
        byte[] record = concat(recordFields().toArray(byte[][]::new));
        assertThat(record).isEqualTo(RECORD.toByteArray());

        assertLogRecordId(record, How.AS_IS);
    }

    @Test
    void givenFieldsOutOfOrderWhenDecodedThenTheRecordIsReEncodedForItsOldId() throws Exception {
        List<byte[]> fields = new ArrayList<>(recordFields());
        fields.add(0, fields.remove(fields.size() - 1)); // observed time (11) first
        assertLogRecordId(concat(fields.toArray(byte[][]::new)), How.REENCODED);
    }

    @Test
    void givenADefaultValueWrittenOutWhenDecodedThenItIsHashedWithoutItForTheOldId() throws Exception {
        List<byte[]> fields = new ArrayList<>(recordFields());
        fields.add(8, concat(tag(12, 2), new byte[] {0})); // event_name = "" written explicitly
        assertLogRecordId(concat(fields.toArray(byte[][]::new)), How.WITHOUT_DEFAULTS);
        fields = new ArrayList<>(recordFields());
        fields.set(1, concat(tag(2, 0), new byte[] {0})); // severity_number = 0
        assertLogRecordId(concat(fields.toArray(byte[][]::new)), How.WITHOUT_DEFAULTS);
        fields = new ArrayList<>(recordFields());
        // inside an attribute: the key "" written out; the attribute's length shrinks
        fields.set(4, bytesField(6, concat(concat(tag(1, 2), new byte[] {0}),
                bytesField(2, RECORD.getAttributes(0).getValue().toByteArray()))));
        assertLogRecordId(concat(fields.toArray(byte[][]::new)), How.WITHOUT_DEFAULTS);
        fields = new ArrayList<>(recordFields());
        // inside an attribute, an unknown field
        fields.set(4, bytesField(6, concat(bytesField(1, "event.name".getBytes(StandardCharsets.US_ASCII)),
                bytesField(2, concat(bytesField(1, "api_request".getBytes(StandardCharsets.US_ASCII)))),
                concat(tag(15, 0), new byte[] {0})))); // KeyValue has no field 15: unknown, re-encoded
        assertLogRecordId(concat(fields.toArray(byte[][]::new)), How.REENCODED);
    }

    @Test
    void givenANonMinimalVarintWhenDecodedThenTheRecordIsReEncodedForItsOldId() throws Exception {
        List<byte[]> fields = new ArrayList<>(recordFields());
        fields.set(1, concat(tag(2, 0), new byte[] {(byte) 0x89, 0})); // 9 in two bytes
        assertLogRecordId(concat(fields.toArray(byte[][]::new)), How.REENCODED);
    }

    @Test
    void givenANegativeEnumInFiveBytesWhenDecodedThenTheRecordIsReEncodedForItsOldId() throws Exception {
        List<byte[]> fields = new ArrayList<>(recordFields());
        // -1 as a 32-bit varint; protobuf-java writes negative int32s sign-extended to 10 bytes
        fields.set(1, concat(tag(2, 0), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}));
        assertLogRecordId(concat(fields.toArray(byte[][]::new)), How.REENCODED);
    }

    @Test
    void givenAnUnknownFieldWhenDecodedThenTheRecordIsReEncodedForItsOldId() throws Exception {
        List<byte[]> fields = new ArrayList<>(recordFields());
        fields.add(3, concat(tag(4, 0), new byte[] {7})); // field 4 is reserved in LogRecord
        assertLogRecordId(concat(fields.toArray(byte[][]::new)), How.REENCODED);
    }

    @Test
    void givenARepeatedSingularFieldWhenDecodedThenTheRecordIsReEncodedForItsOldId() throws Exception {
        List<byte[]> fields = new ArrayList<>(recordFields());
        fields.add(3, bytesField(3, "WARN".getBytes(StandardCharsets.US_ASCII))); // the last one wins
        assertLogRecordId(concat(fields.toArray(byte[][]::new)), How.REENCODED);
    }

    @Test
    void givenTwoMembersOfOneOneofWhenDecodedThenTheRecordIsReEncodedForItsOldId() throws Exception {
        List<byte[]> fields = new ArrayList<>(recordFields());
        byte[] value = concat(bytesField(1, "1200".getBytes(StandardCharsets.US_ASCII)), concat(tag(3, 0), new byte[] {5}));
        fields.set(5, bytesField(6, concat(bytesField(1, "input_tokens".getBytes(StandardCharsets.US_ASCII)),
                bytesField(2, value))));
        assertLogRecordId(concat(fields.toArray(byte[][]::new)), How.REENCODED);
    }

    @Test
    void givenARepeatedFieldSplitByAnotherWhenDecodedThenTheRecordIsReEncodedForItsOldId() throws Exception {
        List<byte[]> fields = new ArrayList<>(recordFields());
        fields.add(4, fields.remove(3)); // body (5) between the two attributes (6)
        assertLogRecordId(concat(fields.toArray(byte[][]::new)), How.REENCODED);
    }

    @Test
    void givenUnpackedOrSplitBucketCountsWhenDecodedThenThePointIsReEncodedForItsOldId() throws Exception {
        HistogramDataPoint point = HistogramDataPoint.newBuilder().setTimeUnixNano(1_763_900_000_000_000_000L)
                .setCount(3).addBucketCounts(1).addBucketCounts(2).addExplicitBounds(10).build();
        byte[] packed = point.toByteArray();
        byte[] time = fixed64(3, point.getTimeUnixNano());
        byte[] count = concat(tag(4, 1), littleEndian(3));
        byte[] bounds = bytesField(7, littleEndian(Double.doubleToRawLongBits(10)));
        byte[] unpacked = concat(time, count, concat(tag(6, 1), littleEndian(1)), concat(tag(6, 1), littleEndian(2)), bounds);
        byte[] split = concat(time, count, bytesField(6, littleEndian(1)), bytesField(6, littleEndian(2)), bounds);
        assertThat(concat(time, count, bytesField(6, concat(littleEndian(1), littleEndian(2))), bounds)).isEqualTo(packed);

        assertPointId(packed, How.AS_IS);
        assertPointId(unpacked, How.REENCODED);
        assertPointId(split, How.REENCODED);
        // an empty packed run and a zero flags field written out: left out, the rest as received
        assertPointId(concat(time, count, bytesField(6, concat(littleEndian(1), littleEndian(2))), bounds,
                concat(tag(10, 0), new byte[] {0})), How.WITHOUT_DEFAULTS);
    }

    @Test
    void givenAMetricWhoseDataFieldAppearsTwiceWhenDecodedThenTheRequestFallsBackWithTheOldIds() throws Exception {
        HistogramDataPoint point = HistogramDataPoint.newBuilder().setTimeUnixNano(1_763_900_000_000_000_000L)
                .setCount(1).build();
        byte[] histogram = concat(bytesField(1, point.toByteArray()), concat(tag(2, 0), new byte[] {1}));
        // parsing merges the two histograms: two points, the first one listed first
        byte[] metric = concat(bytesField(1, "codex.latency".getBytes(StandardCharsets.US_ASCII)),
                bytesField(9, histogram), bytesField(9, histogram));
        byte[] body = metricsBody(metric);

        assertThat(WireRecords.metricPoints(body)).isNull();
        List<String> ids = decodedIds(Signal.METRICS, OtlpEncoding.PROTOBUF, body);
        assertThat(ids).hasSize(2).isEqualTo(oldIds(Signal.METRICS, body));
    }

    /** How a record's protobuf-java encoding is had. */
    enum How {
        /** the bytes as received */
        AS_IS,
        /** the bytes as received without the defaults written out */
        WITHOUT_DEFAULTS,
        /** re-serialising the parsed record */
        REENCODED
    }

    private static How how(WireRecords wire, int i, WireRecords.Shape shape) {
        int size = WireRecords.canonicalSize(shape, wire.body(), wire.start(i), wire.end(i));
        return size < 0 ? How.REENCODED : size == wire.end(i) - wire.start(i) ? How.AS_IS : How.WITHOUT_DEFAULTS;
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static void assertLogRecordId(byte[] record, How how) throws Exception {
        byte[] body = logsBody(record);
        WireRecords wire = WireRecords.logsOrSpans(body);
        assertThat(wire.count()).isEqualTo(1);
        assertThat(how(wire, 0, WireRecords.shape(LogRecord.getDescriptor()))).isEqualTo(how);
        List<String> ids = decodedIds(Signal.LOGS, OtlpEncoding.PROTOBUF, body);
        assertThat(ids).hasSize(1).isEqualTo(oldIds(Signal.LOGS, body));
    }

    private static void assertPointId(byte[] point, How how) throws Exception {
        byte[] histogram = concat(bytesField(1, point), concat(tag(2, 0), new byte[] {1}));
        byte[] body = metricsBody(concat(bytesField(1, "codex.latency".getBytes(StandardCharsets.US_ASCII)),
                bytesField(9, histogram)));
        WireRecords wire = WireRecords.metricPoints(body);
        assertThat(wire.count()).isEqualTo(1);
        assertThat(how(wire, 0, WireRecords.shape(HistogramDataPoint.getDescriptor()))).isEqualTo(how);
        assertThat(decodedIds(Signal.METRICS, OtlpEncoding.PROTOBUF, body)).hasSize(1)
                .isEqualTo(oldIds(Signal.METRICS, body));
    }

    private static final Resource RESOURCE = Resource.newBuilder().addAttributes(KeyValue.newBuilder()
            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("claude-code"))).build();
    private static final InstrumentationScope SCOPE = InstrumentationScope.newBuilder()
            .setName("com.anthropic.claude_code").setVersion("2.0.0").build();

    private static byte[] logsBody(byte[] record) {
        byte[] scopeLogs = concat(bytesField(1, SCOPE.toByteArray()), bytesField(2, record));
        return bytesField(1, concat(bytesField(1, RESOURCE.toByteArray()), bytesField(2, scopeLogs)));
    }

    private static byte[] metricsBody(byte[] metric) {
        byte[] scopeMetrics = concat(bytesField(1, SCOPE.toByteArray()), bytesField(2, metric));
        return bytesField(1, concat(bytesField(1, RESOURCE.toByteArray()), bytesField(2, scopeMetrics)));
    }

    private static List<String> decodedIds(Signal signal, OtlpEncoding encoding, byte[] body) {
        return switch (signal) {
            case LOGS -> LOGS.decode(encoding, body).rows().stream().map(LogRow::recordId).toList();
            case SPANS -> SPANS.decode(encoding, body).rows().stream().map(SpanRow::recordId).toList();
            case METRICS -> METRICS.decode(encoding, body).rows().stream().map(MetricPointRow::recordId).toList();
            case USAGE -> throw new IllegalArgumentException("usage is not an OTLP signal");
        };
    }

    private static byte[] protobufOf(Signal signal, byte[] body, OtlpEncoding encoding) {
        return encoding == OtlpEncoding.JSON ? protobufOf(signal, body) : body;
    }

    /** An OTLP/JSON body as protobuf-java encodes the same request. */
    private static byte[] protobufOf(Signal signal, byte[] json) {
        return switch (signal) {
            case LOGS -> LogsIngest.parse(OtlpEncoding.JSON, json).toByteArray();
            case SPANS -> SpansIngest.parse(OtlpEncoding.JSON, json).toByteArray();
            case METRICS -> MetricsIngest.parse(OtlpEncoding.JSON, json).toByteArray();
            case USAGE -> throw new IllegalArgumentException("usage is not an OTLP signal");
        };
    }

    /** Every record of a protobuf body in order (log records, spans or data points). */
    private static List<MessageLite> records(Signal signal, byte[] body) throws Exception {
        var out = new ArrayList<MessageLite>();
        switch (signal) {
            case LOGS -> ExportLogsServiceRequest.parseFrom(body).getResourceLogsList().forEach(r ->
                    r.getScopeLogsList().forEach(s -> out.addAll(s.getLogRecordsList())));
            case SPANS -> ExportTraceServiceRequest.parseFrom(body).getResourceSpansList().forEach(r ->
                    r.getScopeSpansList().forEach(s -> out.addAll(s.getSpansList())));
            case METRICS -> ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList().forEach(r ->
                    r.getScopeMetricsList().forEach(s -> s.getMetricsList().forEach(m -> out.addAll(points(m)))));
            case USAGE -> throw new IllegalArgumentException("usage is not an OTLP signal");
        }
        return out;
    }

    private static List<? extends MessageLite> points(Metric m) {
        return switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsList();
            case SUM -> m.getSum().getDataPointsList();
            case HISTOGRAM -> m.getHistogram().getDataPointsList();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList();
            case SUMMARY -> m.getSummary().getDataPointsList();
            case DATA_NOT_SET -> List.of();
        };
    }

    /** The ids as the code before the wire walk computed them: re-serialising every record. */
    private static List<String> oldIds(Signal signal, byte[] body) throws Exception {
        var ids = new ArrayList<String>();
        switch (signal) {
            case LOGS -> {
                for (ResourceLogs r : ExportLogsServiceRequest.parseFrom(body).getResourceLogsList()) {
                    for (ScopeLogs s : r.getScopeLogsList()) {
                        for (LogRecord record : s.getLogRecordsList()) {
                            ids.add(oldId(r.getResource(), s.getScope(), null, record));
                        }
                    }
                }
            }
            case SPANS -> ExportTraceServiceRequest.parseFrom(body).getResourceSpansList().forEach(r ->
                    r.getScopeSpansList().forEach(s -> s.getSpansList().forEach(span ->
                            ids.add(oldId(r.getResource(), s.getScope(), null, span)))));
            case METRICS -> {
                for (ResourceMetrics r : ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList()) {
                    for (ScopeMetrics s : r.getScopeMetricsList()) {
                        for (Metric m : s.getMetricsList()) {
                            String identity = metricIdentity(m);
                            for (MessageLite p : points(m)) {
                                ids.add(oldId(r.getResource(), s.getScope(), identity, p));
                            }
                        }
                    }
                }
            }
            case USAGE -> throw new IllegalArgumentException("usage is not an OTLP signal");
        }
        return ids;
    }

    private static String metricIdentity(Metric m) {
        String type;
        int temporality;
        Boolean monotonic = null;
        switch (m.getDataCase()) {
            case GAUGE -> {
                type = "gauge";
                temporality = 0;
            }
            case SUM -> {
                type = "sum";
                temporality = m.getSum().getAggregationTemporalityValue();
                monotonic = m.getSum().getIsMonotonic();
            }
            case HISTOGRAM -> {
                type = "histogram";
                temporality = m.getHistogram().getAggregationTemporalityValue();
            }
            case EXPONENTIAL_HISTOGRAM -> {
                type = "exponential_histogram";
                temporality = m.getExponentialHistogram().getAggregationTemporalityValue();
            }
            case SUMMARY -> {
                type = "summary";
                temporality = AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED_VALUE;
            }
            default -> throw new IllegalArgumentException("no data");
        }
        return m.getName() + '\0' + m.getDescription() + '\0' + m.getUnit() + '\0' + type + '\0' + temporality + '\0'
                + monotonic;
    }

    private static String oldId(Resource resource, InstrumentationScope scope, String metricIdentity, MessageLite record) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(resource.toByteArray());
            d.update((byte) 0);
            d.update(scope.toByteArray());
            d.update((byte) 0);
            if (metricIdentity != null) {
                d.update(metricIdentity.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            d.update(record.toByteArray());
            return HEX.formatHex(d.digest(), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] tag(int field, int wireType) {
        return varint((long) field << 3 | wireType);
    }

    private static byte[] varint(long v) {
        var out = new ByteArrayOutputStream();
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] bytesField(int field, byte[] payload) {
        return concat(tag(field, 2), varint(payload.length), payload);
    }

    private static byte[] fixed64(int field, long v) {
        return concat(tag(field, 1), littleEndian(v));
    }

    private static byte[] littleEndian(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
