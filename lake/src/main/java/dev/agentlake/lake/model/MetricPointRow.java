package dev.agentlake.lake.model;

import java.util.Objects;
import java.util.Set;

/**
 * One OTLP metric data point as a row of the lake's {@code metrics} table (modelled on the
 * OpenTelemetry ClickHouse exporter's {@code otel_metrics_*} tables, folded into one table with a
 * {@code metric_type} column). Exemplars are not kept.
 *
 * @param recordId stable hash of the point, its metric's identity, its scope and its resource
 * @param timeUnixNano the point's time, always positive (the row's event time)
 * @param startTimeUnixNano start of the point's aggregation window, or 0 when not sent
 * @param metricType {@code gauge | sum | histogram | exponential_histogram | summary}
 * @param temporality {@code delta | cumulative | unspecified} (gauges and summaries have none: unspecified)
 * @param isMonotonic for sums only, else null
 * @param value gauge and sum points (integers as doubles), else null
 * @param count histogram, exponential histogram and summary points, else null
 * @param sum histogram, exponential histogram and summary points when sent, else null
 * @param bucketCountsJson histogram bucket counts as a JSON array, else null
 * @param explicitBoundsJson histogram bucket bounds as a JSON array, else null
 * @param quantilesJson summary quantiles as a JSON array of {@code {quantile, value}}, else null
 * @param exponentialBucketsJson exponential histogram buckets as JSON
 *     ({@code scale, zero_count, zero_threshold, positive:{offset, bucket_counts}, negative:{…}}), else null
 * @param type the point's {@code type} attribute (Codex: {@code token_type}; GenAI: {@code gen_ai.token.type})
 */
public record MetricPointRow(
        String recordId,
        long timeUnixNano,
        long startTimeUnixNano,
        ResourceColumns resource,
        String scopeName,
        String scopeVersion,
        String metricName,
        String description,
        String unit,
        String metricType,
        String temporality,
        Boolean isMonotonic,
        Double value,
        Long count,
        Double sum,
        Double min,
        Double max,
        String bucketCountsJson,
        String explicitBoundsJson,
        String quantilesJson,
        String exponentialBucketsJson,
        int flags,
        String sessionId,
        String userId,
        String project,
        String model,
        String type,
        String attributesJson,
        String source) {

    public static final Set<String> METRIC_TYPES = Set.of("gauge", "sum", "histogram", "exponential_histogram", "summary");
    public static final Set<String> TEMPORALITIES = Set.of("delta", "cumulative", "unspecified");

    public MetricPointRow {
        Objects.requireNonNull(recordId, "recordId is null");
        Objects.requireNonNull(resource, "resource is null");
        Objects.requireNonNull(metricName, "metricName is null");
        Objects.requireNonNull(attributesJson, "attributesJson is null");
        Objects.requireNonNull(source, "source is null");
        if (!METRIC_TYPES.contains(metricType)) {
            throw new IllegalArgumentException("metric_type must be one of " + METRIC_TYPES + ": " + metricType);
        }
        if (!TEMPORALITIES.contains(temporality)) {
            throw new IllegalArgumentException("temporality must be one of " + TEMPORALITIES + ": " + temporality);
        }
        if (timeUnixNano <= 0) {
            throw new IllegalArgumentException("a metric point row needs a time: " + recordId);
        }
        if (startTimeUnixNano < 0) {
            throw new IllegalArgumentException("negative start time in point " + recordId);
        }
        if (isMonotonic != null && !metricType.equals("sum")) {
            throw new IllegalArgumentException("only sums are monotonic or not: " + metricName);
        }
    }
}
