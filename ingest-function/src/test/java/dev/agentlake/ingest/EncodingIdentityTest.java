package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.Column;
import dev.agentlake.lake.parquet.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Protobuf and JSON give identical rows. The protobuf and JSON runs of one CLI are two separate runs
 * (their session ids and times differ), so identity is proven per request: each capture's body, as
 * the CLI encoded it, and its {@code .decoded.json} (the same request written as OTLP/JSON, ids hex,
 * 64-bit integers as strings) decode to the same rows, column for column, in all three tables.
 */
class EncodingIdentityTest {
    private static final IngestSettings SETTINGS = new IngestSettings(16 * 1024 * 1024, false, List.of(), false, null, null);
    private static final PromptRedaction NO_REDACTION = new PromptRedaction(SETTINGS);

    static SignalIngest<?> handler(Signal signal) {
        return switch (signal) {
            case LOGS -> new LogsIngest(new LogRowMapper(SETTINGS, NO_REDACTION));
            case SPANS -> new SpansIngest(new SpanRowMapper(NO_REDACTION));
            case METRICS -> new MetricsIngest(new MetricPointRowMapper(NO_REDACTION));
            case USAGE -> throw new IllegalArgumentException("usage is not an OTLP signal");
        };
    }

    static Stream<CapturedRequest> requests() {
        return CapturedRequest.RUNS.keySet().stream().sorted().flatMap(run -> CapturedRequest.of(run).stream());
    }

    @ParameterizedTest(name = "{0}: the captured body and its OTLP/JSON rendering give identical rows")
    @MethodSource("requests")
    void givenACaptureAndItsJsonRenderingWhenDecodedThenEveryColumnOfEveryRowIsEqual(CapturedRequest request) {
        SignalIngest<?> handler = handler(Signal.fromFolder(request.signal()));

        List<List<Object>> asSent = columns(handler, request.encoding(), request.body());
        List<List<Object>> asJson = columns(handler, OtlpEncoding.JSON, request.decodedJson());

        assertThat(asSent).as("rows").isNotEmpty();
        assertThat(asJson).hasSameSizeAs(asSent);
        List<String> names = handler.schema().columns().stream().map(Column::name).toList();
        for (int i = 0; i < asSent.size(); i++) {
            for (int c = 0; c < names.size(); c++) {
                assertThat(asJson.get(i).get(c)).as("row %d column %s", i, names.get(c)).isEqualTo(asSent.get(i).get(c));
            }
        }
    }

    /** The protobuf run's records carry the same record ids whichever encoding delivered them. */
    @Test
    void givenTheClaudeProtobufLogsWhenReEncodedAsJsonThenTheRecordIdsAreUnchanged() {
        CapturedRequest request = CapturedRequest.load("claude-code-protobuf", "0001-claude-code-logs");
        SignalIngest<?> handler = handler(Signal.LOGS);

        List<List<Object>> asSent = columns(handler, OtlpEncoding.PROTOBUF, request.body());
        List<List<Object>> asJson = columns(handler, OtlpEncoding.JSON, request.decodedJson());

        int recordId = handler.schema().columns().stream().map(Column::name).toList().indexOf("record_id");
        assertThat(asSent).hasSize(10);
        assertThat(asJson.stream().map(r -> r.get(recordId)).toList())
                .isEqualTo(asSent.stream().map(r -> r.get(recordId)).toList())
                .doesNotHaveDuplicates();
    }

    /** Each row as the list of values its table's columns take, in schema order. */
    private static <R> List<List<Object>> columns(SignalIngest<R> handler, OtlpEncoding encoding, byte[] body) {
        TableSchema<R> schema = handler.schema();
        var rows = new ArrayList<List<Object>>();
        for (R row : handler.decode(encoding, body).rows()) {
            var values = new ArrayList<Object>();
            for (Column<R> c : schema.columns()) {
                values.add(c.value().apply(row));
            }
            rows.add(values);
        }
        return rows;
    }
}
