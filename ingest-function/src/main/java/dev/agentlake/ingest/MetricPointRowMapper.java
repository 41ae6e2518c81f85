package dev.agentlake.ingest;

import dev.agentlake.lake.model.MetricPointRow;
import dev.agentlake.lake.model.ResourceColumns;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns OTLP metrics into {@code metrics} rows, one per data point, for every metric kind: gauge,
 * sum (delta or cumulative, monotonic or not), histogram, exponential histogram and summary.
 * Exemplars are not kept. Values are stored as sent: cumulative sums stay cumulative here; turning
 * them into deltas is the compactor's job, which sees consecutive points.
 */
@Singleton
final class MetricPointRowMapper {
    private final PromptRedaction redaction;

    MetricPointRowMapper(PromptRedaction redaction) {
        this.redaction = redaction;
    }

    /** What a metric contributes to every one of its points' rows. */
    private record MetricHeader(String name, String description, String unit, String type, String temporality,
                                Boolean monotonic, MessageDigest idPrefix) {
    }

    /** What a point's resource and scope contribute, and the request's last printed histogram bounds. */
    private record Origin(AttributeValues resource, ResourceColumns columns, String scopeName, String scopeVersion,
                          PrintedBounds printed) {
    }

    /**
     * Histogram bounds printed in this request: a request holds a few sets of bounds (one per kind of
     * histogram) shared by many points and metrics, so each set is printed once per request, not per
     * point; printing doubles ({@code Double.toString}) was a tenth of decoding Codex's metrics.
     */
    private static final class PrintedBounds {
        private final java.util.Map<List<Double>, String> json = new java.util.HashMap<>();

        String of(List<Double> bounds) {
            String printed = json.get(bounds);
            if (printed == null) {
                printed = doubleArray(bounds);
                json.put(List.copyOf(bounds), printed);
            }
            return printed;
        }
    }

    MappedRows<MetricPointRow> map(ExportMetricsServiceRequest request) {
        var printed = new PrintedBounds();
        var rows = new ArrayList<MetricPointRow>();
        long rejected = 0;
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            Resource resource = resourceMetrics.getResource();
            var resourceAttributes = new AttributeValues(redaction.apply(resource.getAttributesList()));
            ResourceColumns resourceColumns = CommonColumns.resource(resourceAttributes);
            for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
                MessageDigest scopePrefix = RecordIds.prefix(resource, scopeMetrics.getScope());
                var origin = new Origin(resourceAttributes, resourceColumns,
                        CommonColumns.emptyToNull(scopeMetrics.getScope().getName()),
                        CommonColumns.emptyToNull(scopeMetrics.getScope().getVersion()), printed);
                for (Metric metric : scopeMetrics.getMetricsList()) {
                    rejected += mapMetric(metric, scopePrefix, origin, rows);
                }
            }
        }
        return new MappedRows<>(rows, rejected,
                rejected == 0 ? null : rejected + " data point(s) had no time (timeUnixNano missing) and were not stored",
                0);
    }

    /** Adds the metric's points to {@code rows}; returns how many were rejected. */
    private long mapMetric(Metric metric, MessageDigest scopePrefix, Origin origin, List<MetricPointRow> rows) {
        long rejected = 0;
        switch (metric.getDataCase()) {
            case GAUGE: {
                MetricHeader h = header(metric, "gauge", AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED_VALUE,
                        null, scopePrefix);
                for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
                    rejected += add(rows, numberRow(h, origin, p));
                }
                break;
            }
            case SUM: {
                MetricHeader h = header(metric, "sum", metric.getSum().getAggregationTemporalityValue(),
                        metric.getSum().getIsMonotonic(), scopePrefix);
                for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
                    rejected += add(rows, numberRow(h, origin, p));
                }
                break;
            }
            case HISTOGRAM: {
                MetricHeader h = header(metric, "histogram", metric.getHistogram().getAggregationTemporalityValue(),
                        null, scopePrefix);
                for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
                    rejected += add(rows, histogramRow(h, origin, p, origin.printed().of(p.getExplicitBoundsList())));
                }
                break;
            }
            case EXPONENTIAL_HISTOGRAM: {
                MetricHeader h = header(metric, "exponential_histogram",
                        metric.getExponentialHistogram().getAggregationTemporalityValue(), null, scopePrefix);
                for (ExponentialHistogramDataPoint p : metric.getExponentialHistogram().getDataPointsList()) {
                    rejected += add(rows, exponentialRow(h, origin, p));
                }
                break;
            }
            case SUMMARY: {
                MetricHeader h = header(metric, "summary", AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED_VALUE,
                        null, scopePrefix);
                for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
                    rejected += add(rows, summaryRow(h, origin, p));
                }
                break;
            }
            case DATA_NOT_SET:
                // A metric without data has no points to store.
                break;
        }
        return rejected;
    }

    private static long add(List<MetricPointRow> rows, MetricPointRow row) {
        if (row == null) {
            return 1;
        }
        rows.add(row);
        return 0;
    }

    /**
     * The metric's identity goes into every point's record id: two metrics may carry byte-identical
     * points, which are still different records.
     */
    private static MetricHeader header(Metric metric, String type, int temporality, Boolean monotonic,
                                       MessageDigest scopePrefix) {
        MessageDigest prefix = RecordIds.extend(scopePrefix, (metric.getName() + '\0' + metric.getDescription() + '\0'
                + metric.getUnit() + '\0' + type + '\0' + temporality + '\0' + monotonic)
                .getBytes(StandardCharsets.UTF_8));
        return new MetricHeader(metric.getName(), CommonColumns.emptyToNull(metric.getDescription()),
                CommonColumns.emptyToNull(metric.getUnit()), type, temporality(temporality), monotonic, prefix);
    }

    static String temporality(int value) {
        if (value == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA_VALUE) {
            return "delta";
        }
        if (value == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE_VALUE) {
            return "cumulative";
        }
        return "unspecified";
    }

    private MetricPointRow numberRow(MetricHeader h, Origin o, NumberDataPoint p) {
        if (CommonColumns.time(p.getTimeUnixNano()) == 0) {
            return null;
        }
        Double value = switch (p.getValueCase()) {
            case AS_DOUBLE -> p.getAsDouble();
            case AS_INT -> (double) p.getAsInt();
            case VALUE_NOT_SET -> null;
        };
        return row(h, o, p.getTimeUnixNano(), p.getStartTimeUnixNano(), p.getAttributesList(), p.getFlags(),
                value, null, null, null, null, null, null, null, null, RecordIds.recordId(h.idPrefix(), p));
    }

    private MetricPointRow histogramRow(MetricHeader h, Origin o, HistogramDataPoint p, String explicitBoundsJson) {
        if (CommonColumns.time(p.getTimeUnixNano()) == 0) {
            return null;
        }
        return row(h, o, p.getTimeUnixNano(), p.getStartTimeUnixNano(), p.getAttributesList(), p.getFlags(),
                null, p.getCount(), p.hasSum() ? p.getSum() : null, p.hasMin() ? p.getMin() : null,
                p.hasMax() ? p.getMax() : null, unsignedArray(p.getBucketCountsCount(), p::getBucketCounts),
                explicitBoundsJson, null, null, RecordIds.recordId(h.idPrefix(), p));
    }

    private MetricPointRow exponentialRow(MetricHeader h, Origin o, ExponentialHistogramDataPoint p) {
        if (CommonColumns.time(p.getTimeUnixNano()) == 0) {
            return null;
        }
        return row(h, o, p.getTimeUnixNano(), p.getStartTimeUnixNano(), p.getAttributesList(), p.getFlags(),
                null, p.getCount(), p.hasSum() ? p.getSum() : null, p.hasMin() ? p.getMin() : null,
                p.hasMax() ? p.getMax() : null, null, null, null, exponentialBuckets(p),
                RecordIds.recordId(h.idPrefix(), p));
    }

    private MetricPointRow summaryRow(MetricHeader h, Origin o, SummaryDataPoint p) {
        if (CommonColumns.time(p.getTimeUnixNano()) == 0) {
            return null;
        }
        return row(h, o, p.getTimeUnixNano(), p.getStartTimeUnixNano(), p.getAttributesList(), p.getFlags(),
                null, p.getCount(), p.getSum(), null, null, null, null, quantiles(p.getQuantileValuesList()), null,
                RecordIds.recordId(h.idPrefix(), p));
    }

    private MetricPointRow row(MetricHeader h, Origin o, long time, long start, List<KeyValue> rawAttributes,
                               int flags, Double value, Long count, Double sum, Double min, Double max,
                               String bucketCounts, String explicitBounds, String quantiles, String exponential,
                               String recordId) {
        var a = new AttributeValues(redaction.apply(rawAttributes));
        return new MetricPointRow(
                recordId,
                CommonColumns.time(time),
                CommonColumns.time(start),
                o.columns(),
                o.scopeName(),
                o.scopeVersion(),
                h.name(),
                h.description(),
                h.unit(),
                h.type(),
                h.temporality(),
                h.monotonic(),
                value,
                count,
                sum,
                min,
                max,
                bucketCounts,
                explicitBounds,
                quantiles,
                exponential,
                flags,
                CommonColumns.sessionId(a, o.resource()),
                CommonColumns.userId(a, o.resource()),
                CommonColumns.project(a, o.resource()),
                CommonColumns.model(a),
                // Claude Code and Gemini CLI say "type", Codex "token_type", GenAI metrics "gen_ai.token.type".
                a.string("type", "token_type", "gen_ai.token.type"),
                a.toJson(),
                "otlp");
    }

    /** OTLP bucket counts are uint64: printed unsigned. */
    private static String unsignedArray(int count, java.util.function.IntToLongFunction values) {
        var sb = new StringBuilder(2 + count * 4);
        unsignedArray(sb, count, values);
        return sb.toString();
    }

    private static void unsignedArray(StringBuilder sb, int count, java.util.function.IntToLongFunction values) {
        sb.append('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(',');
            }
            long v = values.applyAsLong(i);
            if (v >= 0) {
                sb.append(v);
            } else {
                sb.append(Long.toUnsignedString(v));
            }
        }
        sb.append(']');
    }

    private static String doubleArray(List<Double> values) {
        var out = new StringBuilder(2 + values.size() * 8).append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            JsonText.number(out, values.get(i));
        }
        return out.append(']').toString();
    }

    private static String quantiles(List<SummaryDataPoint.ValueAtQuantile> values) {
        var out = new StringBuilder(2 + values.size() * 32).append('[');
        for (int i = 0; i < values.size(); i++) {
            SummaryDataPoint.ValueAtQuantile q = values.get(i);
            out.append(i == 0 ? "{\"quantile\":" : ",{\"quantile\":");
            JsonText.number(out, q.getQuantile());
            out.append(",\"value\":");
            JsonText.number(out, q.getValue());
            out.append('}');
        }
        return out.append(']').toString();
    }

    private static String exponentialBuckets(ExponentialHistogramDataPoint p) {
        var out = new StringBuilder(128).append("{\"scale\":").append(p.getScale())
                .append(",\"zero_count\":").append(Long.toUnsignedString(p.getZeroCount()))
                .append(",\"zero_threshold\":");
        JsonText.number(out, p.getZeroThreshold());
        out.append(",\"positive\":");
        buckets(out, p.getPositive());
        out.append(",\"negative\":");
        buckets(out, p.getNegative());
        return out.append('}').toString();
    }

    private static void buckets(StringBuilder out, ExponentialHistogramDataPoint.Buckets b) {
        out.append("{\"offset\":").append(b.getOffset()).append(",\"bucket_counts\":");
        unsignedArray(out, b.getBucketCountsCount(), b::getBucketCounts);
        out.append('}');
    }
}
