package dev.agentlake.ingest;

import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import jakarta.inject.Singleton;

/** {@code /v1/logs}: ExportLogsServiceRequest → {@code logs} rows. */
@Singleton
final class LogsIngest implements SignalIngest<LogRow> {
    private final LogRowMapper mapper;

    LogsIngest(LogRowMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Signal signal() {
        return Signal.LOGS;
    }

    @Override
    public MappedRows<LogRow> decode(OtlpEncoding encoding, byte[] body) {
        if (encoding == OtlpEncoding.PROTOBUF) {
            try {
                return mapper.map(body, false);
            } catch (ProtobufWire.NeedsProtobufJava e) {
                // protobuf-java settles it below: refuses it with its own message, or re-encodes it
            }
        }
        byte[] reEncoded = parse(encoding, body).toByteArray();
        try {
            return mapper.map(reEncoded, true);
        } catch (ProtobufWire.NeedsProtobufJava e) {
            throw new IllegalStateException("protobuf-java's own encoding of a logs request was not readable", e);
        }
    }

    static ExportLogsServiceRequest parse(OtlpEncoding encoding, byte[] body) {
        return ProtobufChecks.parse(encoding, body, ExportLogsServiceRequest.parser(),
                ExportLogsServiceRequest::newBuilder, ExportLogsServiceRequest::getResourceLogsCount,
                "ExportLogsServiceRequest");
    }

    @Override
    public int resemblance(OtlpEncoding encoding, byte[] body) {
        return encoding == OtlpEncoding.JSON
                ? ProtobufChecks.jsonResemblance(body, "resourceLogs", "resource_logs")
                : ProtobufChecks.protobufResemblance(body, ExportLogsServiceRequest.parser());
    }

    @Override
    public TableSchema<LogRow> schema() {
        return LakeSchemas.LOGS;
    }

    @Override
    public long eventTimeNanos(LogRow row) {
        return row.timeUnixNano();
    }

    @Override
    public byte[] response(OtlpEncoding encoding, long rejected, String message) {
        if (encoding == OtlpEncoding.JSON) {
            return ProtobufChecks.jsonPartialSuccess("rejectedLogRecords", rejected, message);
        }
        var response = ExportLogsServiceResponse.newBuilder();
        if (rejected > 0) {
            response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                    .setRejectedLogRecords(rejected).setErrorMessage(message));
        }
        return response.build().toByteArray();
    }
}
