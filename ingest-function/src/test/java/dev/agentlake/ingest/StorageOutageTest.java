package dev.agentlake.ingest;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import dev.agentlake.lake.testing.Fixtures;
import dev.agentlake.lake.testing.LakeSql;
import dev.agentlake.lake.testing.LakeTestServer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 server goes down and comes back (a new server on the same port over the same folder): while
 * it is down every request is answered 503 with Retry-After and nothing is written; once it is back,
 * the OpenTelemetry exporter's own retry lands the batch exactly once.
 */
class StorageOutageTest {
    private static final String CLAUDE_LOGS = "otlp/claude-code-protobuf/0001-claude-code-logs.bin";

    @TempDir
    Path folder;
    private LakeTestServer s3;
    private RunningIngest ingest;

    @BeforeEach
    void start() {
        s3 = LakeTestServer.startInFolder(folder);
        ingest = RunningIngest.start(s3, Map.of(
                // An outage is noticed within seconds instead of the default 20 s.
                "agentlake.s3.call-timeout", "3s",
                "test.count-responses", "true"));
    }

    @AfterEach
    void stop() {
        ingest.close();
    }

    @Test
    void givenTheS3ServerIsDownWhenTheClaudeCaptureIsPostedThenTheAnswerIs503WithRetryAfterAndNothingIsWritten()
            throws Exception {
        s3.stop();

        HttpResponse<byte[]> response = ingest.post("/v1/logs", "application/x-protobuf", null, Fixtures.bytes(CLAUDE_LOGS));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        CodedInputStream status = CodedInputStream.newInstance(response.body());
        assertThat(status.readTag()).isEqualTo(1 << 3);
        assertThat(status.readInt32()).as("gRPC UNAVAILABLE").isEqualTo(14);
        assertThat(status.readTag()).isEqualTo((2 << 3) | 2);
        assertThat(status.readString()).isEqualTo("storage unavailable, retry later");

        s3.restart();
        assertThat(s3.keys()).as("bucket after the outage").isEmpty();
    }

    @Test
    void givenTheBucketIsGoneWhenTheClaudeCaptureIsPostedThenTheAnswerIs503WithRetryAfterNot500() throws Exception {
        // S3 answers 404 NoSuchBucket: retrying alone will not fix it, but a 500 would make the exporter drop
        // the batch, while a 503 keeps it retrying until the bucket is back.
        Path bucket = folder.resolve(LakeTestServer.BUCKET);
        Path aside = folder.resolve("bucket-aside");
        java.nio.file.Files.move(bucket, aside);

        HttpResponse<byte[]> response = ingest.post("/v1/logs", "application/x-protobuf", null, Fixtures.bytes(CLAUDE_LOGS));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        CodedInputStream status = CodedInputStream.newInstance(response.body());
        assertThat(status.readTag()).isEqualTo(1 << 3);
        assertThat(status.readInt32()).as("gRPC UNAVAILABLE").isEqualTo(14);
        assertThat(status.readTag()).isEqualTo((2 << 3) | 2);
        // S3Proxy answers 404 NoSuchBucket before reading the upload and closes the connection, so the client
        // may only see a failed write (seen in a CI run: "Error writing request body to server"); the store then
        // asks whether the bucket is there, and the reason is the same either way.
        assertThat(status.readString()).isEqualTo("storage refused the write (check the bucket and its permissions), retry later");

        java.nio.file.Files.move(aside, bucket);
        assertThat(ingest.post("/v1/logs", "application/x-protobuf", null, Fixtures.bytes(CLAUDE_LOGS)).statusCode())
                .as("once the bucket is back").isEqualTo(200);
        assertThat(s3.keys()).hasSize(1);
    }

    @Test
    void givenTheS3ServerIsDownWhenTheSdkExporterSendsThenItsRetryAfterTheRestartLandsExactlyOnce() throws Exception {
        // S3 comes back while the first 503 is on its way to the exporter, so its retry finds S3 up however
        // its jittered backoff falls and however long the restart takes (racing the retries with a restart
        // from here could use up all five attempts on a loaded machine).
        ResponseCounter responses = ingest.server.getApplicationContext().getBean(ResponseCounter.class);
        var restarted = new CountDownLatch(1);
        var acceptedBeforeRestart = new java.util.concurrent.atomic.AtomicInteger(-1);
        responses.onceBeforeAnswering(503, () -> {
            acceptedBeforeRestart.set(responses.count(200));
            s3.restart();
            restarted.countDown();
        });
        s3.stop();
        var exporter = OtlpHttpLogRecordExporter.builder().setEndpoint(ingest.url("/v1/logs")).setCompression("gzip")
                .setTimeout(SdkExporters.TIMEOUT)
                .setRetryPolicy(RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofSeconds(2))
                        .setMaxBackoff(Duration.ofSeconds(4)).setBackoffMultiplier(2).build())
                .build();
        var provider = SdkLoggerProvider.builder()
                .setResource(Resource.create(Attributes.of(stringKey("service.name"), "claude-code")))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
                .build();
        provider.get("com.anthropic.claude_code.events").logRecordBuilder()
                .setTimestamp(Instant.parse("2026-11-22T10:00:00Z")).setBody("claude_code.api_request")
                .setAllAttributes(Attributes.of(stringKey("event.name"), "api_request", stringKey("session.id"), "s-42"))
                .emit();

        assertThat(provider.shutdown().join(120, TimeUnit.SECONDS).isSuccess()).as("the export succeeded in the end").isTrue();
        assertThat(restarted.await(0, TimeUnit.SECONDS)).as("S3 restarted on the first 503").isTrue();
        assertThat(responses.count(503)).as("the exporter was told 503 while S3 was down").isEqualTo(1);
        assertThat(acceptedBeforeRestart.get()).as("answers 200 before S3 came back").isZero();
        assertThat(responses.count(200)).as("one accepted attempt").isEqualTo(1);
        assertThat(s3.keys()).singleElement().asString().startsWith("landing/logs/dt=2026-11-22/");
        var rows = LakeSql.query(s3.store(), "landing/logs/", "select count(*) as n, max(session_id) as s from t");
        assertThat(rows.get(0)).containsEntry("n", 1L).containsEntry("s", "s-42");
    }
}
