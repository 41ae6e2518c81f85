package dev.agentlake.ingest;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import java.lang.reflect.Field;
import java.time.Duration;

/**
 * The OpenTelemetry Java SDK's own OTLP/HTTP exporters, gzip on, as {@code http/protobuf} or
 * {@code http/json}. The SDK implements OTLP/JSON but its public builders expose only protobuf, so
 * JSON is switched on through the builder's internal delegate ({@code HttpExporterBuilder.exportAsJson()}):
 * the bytes on the wire are the SDK's own JSON marshalling.
 */
final class SdkExporters {
    enum Protocol {
        HTTP_PROTOBUF("http/protobuf"),
        HTTP_JSON("http/json");

        final String label;

        Protocol(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * Each export's bound (retries included). The first export meets a cold server (class loading, the
     * first Parquet file, the first S3 call); on a loaded machine that can take longer than the SDK's 10 s.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private SdkExporters() {
    }

    static OtlpHttpLogRecordExporter logs(String baseUrl, Protocol protocol, String bearerToken) {
        OtlpHttpLogRecordExporterBuilder b = OtlpHttpLogRecordExporter.builder()
                .setEndpoint(baseUrl + "/v1/logs").setCompression("gzip").setTimeout(TIMEOUT);
        if (bearerToken != null) {
            b.addHeader("Authorization", "Bearer " + bearerToken);
        }
        return json(b, protocol).build();
    }

    static OtlpHttpSpanExporter spans(String baseUrl, Protocol protocol) {
        OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder()
                .setEndpoint(baseUrl + "/v1/traces").setCompression("gzip").setTimeout(TIMEOUT);
        return json(b, protocol).build();
    }

    static OtlpHttpMetricExporter metrics(String baseUrl, Protocol protocol) {
        OtlpHttpMetricExporterBuilder b = OtlpHttpMetricExporter.builder()
                .setEndpoint(baseUrl + "/v1/metrics").setCompression("gzip").setTimeout(TIMEOUT)
                // Claude Code exports DELTA; up/down counters stay cumulative under this selector.
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred());
        return json(b, protocol).build();
    }

    private static <B> B json(B builder, Protocol protocol) {
        if (protocol == Protocol.HTTP_JSON) {
            try {
                Field delegate = builder.getClass().getDeclaredField("delegate");
                delegate.setAccessible(true);
                Object http = delegate.get(builder);
                http.getClass().getMethod("exportAsJson").invoke(http);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("this SDK version has no internal exportAsJson()", e);
            }
        }
        return builder;
    }
}
