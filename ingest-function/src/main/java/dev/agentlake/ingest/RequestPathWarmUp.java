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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and initialises the classes of a request's decode and encode steps (protobuf parsing, Parquet
 * column writers, zstd, SHA-256) on a second thread while the Lambda handler builds its application
 * context. On a cold start these ~2,000 classes are otherwise loaded one by one inside the first
 * request, on the same thread as everything else; the context (Micronaut, Jackson, the S3 client) never
 * touches them, so the two overlap. With SnapStart the constructor waits for it, so the snapshot holds
 * the loaded classes.
 *
 * <p>It works on a made-up record in memory: no store, no network, no configuration, nothing logged
 * unless it fails, and a failure costs only the time it would have saved.
 */
final class RequestPathWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPathWarmUp.class);
    /** Far longer than the warm-up takes (~0.3-1 s); only a stuck thread would hit it. */
    private static final long WAIT_SECONDS = 10;

    private RequestPathWarmUp() {
    }

    /** Starts the warm-up on a daemon thread (never keeps the JVM alive). */
    static Thread start() {
        Thread thread = new Thread(RequestPathWarmUp::run, "ingest-warm-up");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits for the warm-up, so the first request does not share the CPU with it. */
    static void await(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the warm-up here; true when every step ran (tests check it still does). */
    static boolean run() {
        try {
            byte[] body = sampleRequest().toByteArray();
            ExportLogsServiceRequest parsed = ExportLogsServiceRequest.parseFrom(body);
            RecordIds.contentHash("logs", body);
            LogRecord record = parsed.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
            return ParquetRowWriter.write(LakeSchemas.LOGS, List.of(sampleRow(record))).length > 0;
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
