package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.agentlake.lake.testing.LakeSql;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /} (older Gemini CLI builds send every signal there) names the signal from the body. An
 * exporter built on a newer OTLP than this receiver's sends fields it does not know; such a body must
 * still be told apart, and land exactly as the same body without those fields.
 */
class SignalDetectionTest {
    private static final String PROTOBUF = "application/x-protobuf";
    /** A field number no OTLP message of this receiver's version uses, as a newer exporter would add. */
    private static final int NEWER_FIELD = 99;
    @RegisterExtension
    static final RunningIngest ingest = RunningIngest.perClass().emptiedBeforeEachTest();

    static Stream<Arguments> protobufCaptures() {
        return Stream.of("claude-code-protobuf", "codex-binary")
                .flatMap(run -> CapturedRequest.of(run).stream())
                .map(request -> Arguments.of(request.run() + "/" + request.name(), request));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("protobufCaptures")
    void givenACaptureWithAFieldFromANewerOtlpInEveryRecordWhenPostedToRootThenItLandsInItsTableWithTheSameRows(
            String name, CapturedRequest capture) throws Exception {
        byte[] asSent = capture.body();
        byte[] withNewerFields = withNewerFieldInEveryRecord(capture.signal(), asSent);
        String table = capture.signal().equals("traces") ? "spans" : capture.signal();

        HttpResponse<byte[]> plain = ingest.post("/", PROTOBUF, null, asSent);
        long rowsAsSent = rows(table);
        HttpResponse<byte[]> newer = ingest.post("/", PROTOBUF, null, withNewerFields);

        assertThat(plain.statusCode()).as("the capture as sent").isEqualTo(200);
        assertThat(newer.statusCode()).as("with a newer field in every record: " + new String(newer.body()))
                .isEqualTo(200);
        assertThat(ingest.s3.keys()).as("one object per body, both in the capture's table").hasSize(2)
                .allMatch(k -> k.startsWith("landing/" + table + "/"));
        assertThat(rowsAsSent).isPositive();
        assertThat(rows(table)).as("rows of both bodies").isEqualTo(2 * rowsAsSent);
    }

    private static long rows(String table) {
        return ((Number) LakeSql.query(ingest.s3.store(), "landing/" + table + "/", "select count(*) from t").get(0)
                .values().iterator().next()).longValue();
    }

    /** Adds {@link #NEWER_FIELD} to every log record, span or metric of the request. */
    private static byte[] withNewerFieldInEveryRecord(String signal, byte[] body) throws Exception {
        switch (signal) {
            case "logs": {
                var request = ExportLogsServiceRequest.parseFrom(body).toBuilder();
                request.getResourceLogsBuilderList().forEach(r -> r.getScopeLogsBuilderList().forEach(s ->
                        s.getLogRecordsBuilderList().forEach(SignalDetectionTest::addNewerField)));
                return request.build().toByteArray();
            }
            case "traces": {
                var request = ExportTraceServiceRequest.parseFrom(body).toBuilder();
                request.getResourceSpansBuilderList().forEach(r -> r.getScopeSpansBuilderList().forEach(s ->
                        s.getSpansBuilderList().forEach(SignalDetectionTest::addNewerField)));
                return request.build().toByteArray();
            }
            case "metrics": {
                var request = ExportMetricsServiceRequest.parseFrom(body).toBuilder();
                request.getResourceMetricsBuilderList().forEach(r -> r.getScopeMetricsBuilderList().forEach(s ->
                        s.getMetricsBuilderList().forEach(SignalDetectionTest::addNewerField)));
                return request.build().toByteArray();
            }
            default:
                throw new IllegalArgumentException(signal);
        }
    }

    private static void addNewerField(Message.Builder record) {
        record.setUnknownFields(UnknownFieldSet.newBuilder(record.getUnknownFields())
                .addField(NEWER_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build());
    }
}
