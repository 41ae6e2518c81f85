package dev.agentlake.ingest;

import dev.agentlake.lake.model.MetricPointRow;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import jakarta.inject.Singleton;

/** {@code /v1/metrics}: ExportMetricsServiceRequest → {@code metrics} rows (one per data point). */
@Singleton
final class MetricsIngest implements SignalIngest<MetricPointRow> {
    private final MetricPointRowMapper mapper;

    MetricsIngest(MetricPointRowMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Signal signal() {
        return Signal.METRICS;
    }

    @Override
    public MappedRows<MetricPointRow> decode(OtlpEncoding encoding, byte[] body) {
        return mapper.map(parse(encoding, body));
    }

    static ExportMetricsServiceRequest parse(OtlpEncoding encoding, byte[] body) {
        return ProtobufChecks.parse(encoding, body, ExportMetricsServiceRequest.parser(),
                ExportMetricsServiceRequest::newBuilder, ExportMetricsServiceRequest::getResourceMetricsCount,
                "ExportMetricsServiceRequest");
    }

    @Override
    public int resemblance(OtlpEncoding encoding, byte[] body) {
        return encoding == OtlpEncoding.JSON
                ? ProtobufChecks.jsonResemblance(body, "resourceMetrics", "resource_metrics")
                : ProtobufChecks.protobufResemblance(body, ExportMetricsServiceRequest.parser());
    }

    @Override
    public TableSchema<MetricPointRow> schema() {
        return LakeSchemas.METRICS;
    }

    @Override
    public long eventTimeNanos(MetricPointRow row) {
        return row.timeUnixNano();
    }

    @Override
    public byte[] response(OtlpEncoding encoding, long rejected, String message) {
        if (encoding == OtlpEncoding.JSON) {
            return ProtobufChecks.jsonPartialSuccess("rejectedDataPoints", rejected, message);
        }
        var response = ExportMetricsServiceResponse.newBuilder();
        if (rejected > 0) {
            response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(rejected).setErrorMessage(message));
        }
        return response.build().toByteArray();
    }
}
