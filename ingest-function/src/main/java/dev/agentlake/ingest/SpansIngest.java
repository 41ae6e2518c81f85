package dev.agentlake.ingest;

import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.model.SpanRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import jakarta.inject.Singleton;

/** {@code /v1/traces}: ExportTraceServiceRequest → {@code spans} rows. */
@Singleton
final class SpansIngest implements SignalIngest<SpanRow> {
    private final SpanRowMapper mapper;

    SpansIngest(SpanRowMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Signal signal() {
        return Signal.SPANS;
    }

    @Override
    public MappedRows<SpanRow> decode(OtlpEncoding encoding, byte[] body) {
        return mapper.map(parse(encoding, body));
    }

    static ExportTraceServiceRequest parse(OtlpEncoding encoding, byte[] body) {
        return ProtobufChecks.parse(encoding, body, ExportTraceServiceRequest.parser(),
                ExportTraceServiceRequest::newBuilder, ExportTraceServiceRequest::getResourceSpansCount,
                "ExportTraceServiceRequest");
    }

    @Override
    public int resemblance(OtlpEncoding encoding, byte[] body) {
        return encoding == OtlpEncoding.JSON
                ? ProtobufChecks.jsonResemblance(body, "resourceSpans", "resource_spans")
                : ProtobufChecks.protobufResemblance(body, ExportTraceServiceRequest.parser());
    }

    @Override
    public TableSchema<SpanRow> schema() {
        return LakeSchemas.SPANS;
    }

    @Override
    public long eventTimeNanos(SpanRow row) {
        return row.startTimeUnixNano();
    }

    @Override
    public byte[] response(OtlpEncoding encoding, long rejected, String message) {
        if (encoding == OtlpEncoding.JSON) {
            return ProtobufChecks.jsonPartialSuccess("rejectedSpans", rejected, message);
        }
        var response = ExportTraceServiceResponse.newBuilder();
        if (rejected > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(rejected).setErrorMessage(message));
        }
        return response.build().toByteArray();
    }
}
