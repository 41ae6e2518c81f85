package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import dev.agentlake.lake.testing.Fixtures;
import dev.agentlake.lake.testing.LakeSql;
import dev.agentlake.lake.testing.LakeTestServer;
import dev.agentlake.lake.testing.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Lambda handler in-process: an API Gateway HTTP API (payload format 2.0) event in, an
 * {@link APIGatewayV2HTTPResponse} out, objects in a real S3-compatible bucket.
 */
class IngestFunctionTest {
    private static final String CLAUDE_LOGS = "otlp/claude-code-protobuf/0001-claude-code-logs.bin";
    private static final String EVENT = "/apigw-v2-otlp-logs.json";
    private static final String CLAUDE_SESSION = "193b4fab-8599-4654-931d-65ef6669399e";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private LakeTestServer s3;
    private ApplicationContext context;
    private IngestFunction function;

    @BeforeEach
    void start() {
        s3 = LakeTestServer.start();
        context = ApplicationContext.builder()
                .properties(s3.properties())
                .environments(Environment.FUNCTION)
                .start();
        function = new IngestFunction(context);
    }

    @AfterEach
    void stop() {
        context.close();
        s3.close();
    }

    @Test
    void givenTheApiGatewayEventTemplateWhenParsedThenTheFieldsTheHandlerReadsSurvive() throws IOException {
        APIGatewayV2HTTPEvent event = event(Fixtures.bytes(CLAUDE_LOGS));

        assertThat(event.getVersion()).isEqualTo("2.0");
        assertThat(event.getRouteKey()).isEqualTo("$default");
        assertThat(event.getRawPath()).isEqualTo("/v1/logs");
        assertThat(event.getRawQueryString()).isEmpty();
        assertThat(event.getIsBase64Encoded()).isTrue();
        assertThat(event.getHeaders()).containsEntry("content-type", "application/x-protobuf");
        assertThat(event.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
        assertThat(event.getRequestContext().getHttp().getPath()).isEqualTo("/v1/logs");
        assertThat(event.getRequestContext().getTimeEpoch()).isEqualTo(1795373834214L);
        assertThat(Base64.getDecoder().decode(event.getBody())).isEqualTo(Fixtures.bytes(CLAUDE_LOGS));
    }

    @Test
    void givenTheClaudeCaptureInAnApiGatewayEventWhenHandledThenTheTenRecordsAreStored() throws IOException {
        APIGatewayV2HTTPEvent event = event(Fixtures.bytes(CLAUDE_LOGS));

        APIGatewayV2HTTPResponse response = function.handleRequest(event, new TestLambdaContext("agentlake-ingest"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/x-protobuf");
        assertThat(deliveredBody(response)).as("an ExportLogsServiceResponse without partial_success is 0 bytes")
                .isEmpty();
        assertThat(ExportLogsServiceResponse.parseFrom(deliveredBody(response)))
                .isEqualTo(ExportLogsServiceResponse.getDefaultInstance());
        assertThat(s3.keys()).singleElement().asString()
                .matches("landing/logs/dt=2026-11-22/[0-9a-f]{32}\\.parquet");
        var rows = LakeSql.query(s3.store(), "landing/logs/",
                "select count(*) as n, count(distinct record_id) as ids, min(session_id) as s, max(session_id) as s2"
                        + " from t");
        assertThat(rows).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("n", 10L)
                .containsEntry("ids", 10L)
                .containsEntry("s", CLAUDE_SESSION)
                .containsEntry("s2", CLAUDE_SESSION));
    }

    @Test
    void givenBytesThatAreNotProtobufInAnApiGatewayEventWhenHandledThenTheAnswerIs400AndNothingIsStored()
            throws IOException {
        APIGatewayV2HTTPEvent event = event("hello world".getBytes(StandardCharsets.UTF_8));

        APIGatewayV2HTTPResponse response = function.handleRequest(event, new TestLambdaContext("agentlake-ingest"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/x-protobuf");
        assertThat(Status.parse(deliveredBody(response))).isEqualTo(new Status(3,
                "invalid OTLP/protobuf: Protocol message end-group tag did not match expected tag."));
        assertThat(s3.keys()).isEmpty();
    }

    /**
     * API Gateway sends a response body as UTF-8 text unless {@code isBase64Encoded} is true, so a
     * binary body must be base64-encoded by the handler. This reason is longer than 127 bytes, so
     * its google.rpc.Status length prefix is a two-byte varint (0xDC 0x01) that is not valid UTF-8.
     */
    @Test
    void givenATruncatedCaptureInAnApiGatewayEventWhenHandledThenTheProtobufErrorReachesTheClientByteForByte()
            throws IOException {
        byte[] capture = Fixtures.bytes(CLAUDE_LOGS);
        APIGatewayV2HTTPEvent event = event(Arrays.copyOf(capture, capture.length / 2));

        APIGatewayV2HTTPResponse response = function.handleRequest(event, new TestLambdaContext("agentlake-ingest"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/x-protobuf");
        assertThat(response.getIsBase64Encoded()).as("binary body base64-encoded for API Gateway").isTrue();
        assertThat(Status.parse(deliveredBody(response))).isEqualTo(new Status(3,
                "invalid OTLP/protobuf: While parsing a protocol message, the input ended unexpectedly in the middle"
                        + " of a field.  This could mean either that the input has been truncated or that an embedded"
                        + " message misreported its own length."));
        assertThat(s3.keys()).isEmpty();
    }

    /** The API Gateway event template with {@code body} set to the base64 of {@code body}. */
    private static APIGatewayV2HTTPEvent event(byte[] body) throws IOException {
        String template;
        try (var in = IngestFunctionTest.class.getResourceAsStream(EVENT)) {
            assertThat(in).as(EVENT).isNotNull();
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String json = template
                .replace("${BASE64_BODY}", Base64.getEncoder().encodeToString(body))
                .replace("\"content-length\": \"7807\"", "\"content-length\": \"" + body.length + "\"");
        return MAPPER.readValue(json, APIGatewayV2HTTPEvent.class);
    }

    /** The bytes API Gateway sends the client: base64-decoded, or the text as UTF-8. */
    private static byte[] deliveredBody(APIGatewayV2HTTPResponse response) {
        if (response.getBody() == null) {
            return new byte[0];
        }
        return response.getIsBase64Encoded()
                ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
    }

    /** google.rpc.Status: 1 = int32 code, 2 = string message. */
    private record Status(int code, String message) {
        static Status parse(byte[] body) throws IOException {
            CodedInputStream in = CodedInputStream.newInstance(body);
            int code = 0;
            String message = "";
            int tag;
            while ((tag = in.readTag()) != 0) {
                switch (tag) {
                    case (1 << 3) | 0 -> code = in.readInt32();
                    case (2 << 3) | 2 -> message = in.readString();
                    default -> in.skipField(tag);
                }
            }
            return new Status(code, message);
        }
    }
}
