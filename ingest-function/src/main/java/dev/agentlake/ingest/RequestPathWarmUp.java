package dev.agentlake.ingest;

import com.google.protobuf.ByteString;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.Tokens;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.warmup.SdkWarmUp;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Primes the request path when the JVM's initialisation is not what a user waits for: a SnapStart
 * snapshot (Lambda sets {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}) or provisioned concurrency.
 * It loads and initialises the classes of a request's decode, encode and S3 call (protobuf parsing,
 * Parquet column writers, zstd, SHA-256, the SDK's request pipeline for S3 and for SSM, whose client
 * reads the token parameter on first use): ~3,000 classes that a cold start otherwise loads inside the
 * first request. In a snapshot they are already loaded after a restore. The token itself is never read
 * here (it must not be in the snapshot).
 *
 * <p>On an on-demand cold start it does nothing: there it would only add CPU before the first answer
 * (measured: +0.3 CPU-s, and no gain in wall time on a busy 2-core machine even on a second thread;
 * see docs/benchmarks.md).
 *
 * <p>It works on a made-up record in memory and the SDK's own warm-up, whose client answers from canned
 * responses: no store, no network, no configuration, nothing logged unless it fails, and a failure costs
 * only the time it would have saved.
 */
final class RequestPathWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPathWarmUp.class);

    private RequestPathWarmUp() {
    }

    /** Whether to prime, given Lambda's {@code AWS_LAMBDA_INITIALIZATION_TYPE} (null outside Lambda). */
    static boolean wanted(String initializationType) {
        return "snap-start".equals(initializationType) || "provisioned-concurrency".equals(initializationType);
    }

    /** Primes when {@link #wanted} says so. */
    static void primeIfWanted(String initializationType) {
        if (wanted(initializationType)) {
            run();
        }
    }

    /** Runs the warm-up here; true when every step ran (tests check it still does). */
    static boolean run() {
        try {
            byte[] body = sampleRequest().toByteArray();
            ExportLogsServiceRequest parsed = ExportLogsServiceRequest.parseFrom(body);
            RecordIds.contentHash("logs", body);
            LogRecord record = parsed.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
            boolean encoded = ParquetRowWriter.write(LakeSchemas.LOGS, List.of(sampleRow(record))).length > 0;
            SdkWarmUp.warmUp(S3Client.class, SsmClient.class);
            return encoded;
        } catch (Exception | LinkageError e) {
            LOG.debug("request path warm-up failed; the first request loads the classes itself", e);
            return false;
        }
    }

    private static ExportLogsServiceRequest sampleRequest() {
        LogRecord record = LogRecord.newBuilder()
                .setTimeUnixNano(1_795_373_828_503_000_000L)
                .setBody(AnyValue.newBuilder().setStringValue("claude_code.api_request"))
                .addAttributes(attribute("event.name", AnyValue.newBuilder().setStringValue("api_request")))
                .addAttributes(attribute("input_tokens", AnyValue.newBuilder().setIntValue(1200)))
                .addAttributes(attribute("cost_usd", AnyValue.newBuilder().setDoubleValue(0.0123)))
                .addAttributes(attribute("success", AnyValue.newBuilder().setBoolValue(true)))
                .setTraceId(ByteString.copyFrom(new byte[16]))
                .build();
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(attribute("service.name", AnyValue.newBuilder().setStringValue("warm-up"))))
                        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record)))
                .build();
    }

    private static KeyValue attribute(String key, AnyValue.Builder value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    /** A row with every kind of column filled (text, long, int, double, boolean, null). */
    private static LogRow sampleRow(LogRecord record) {
        var resource = new ResourceColumns("warm-up", "warm-up", "1", "host", "{\"service.name\":\"warm-up\"}");
        var tokens = new Tokens(1200L, 35L, 4000L, 300L, 300L, 0L, null, null);
        return new LogRow("warm-up", record.getTimeUnixNano(), 0, resource, "scope", "1", null, 0, "api_request",
                record.getBody().getStringValue(), "s-1", "p-1", null, null, "model", tokens, 0.0123, 12.5, true,
                null, null, "req-1", "0102030405060708090a0b0c0d0e0f10", null, 0, "{}", "otlp");
    }
}
