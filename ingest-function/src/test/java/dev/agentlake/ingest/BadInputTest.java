package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import dev.agentlake.lake.testing.Fixtures;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request the ingest endpoint must refuse: the exact HTTP status, a one-line reason in the
 * error body (google.rpc.Status for protobuf, {@code {"code","message"}} for JSON, plain text for
 * anything else), and nothing written to the bucket. One server for the whole class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputTest {
    private static final String CLAUDE_LOGS = "otlp/claude-code-protobuf/0001-claude-code-logs.bin";
    private static final String CLAUDE_LOGS_JSON = "otlp/claude-code-json/0001-claude-code-logs.bin";
    private static final String CLAUDE_TRACES = "otlp/claude-code-protobuf/0003-claude-code-traces.bin";
    private static final String CLAUDE_TRACES_JSON = "otlp/claude-code-json/0003-claude-code-traces.bin";
    private static final String CLAUDE_METRICS = "otlp/claude-code-protobuf/0004-claude-code-metrics.bin";
    private static final String CLAUDE_METRICS_JSON = "otlp/claude-code-json/0004-claude-code-metrics.bin";
    private static final String LOGS = "/v1/logs";
    private static final String TRACES = "/v1/traces";
    private static final String METRICS = "/v1/metrics";
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final RunningIngest ingest = RunningIngest.perClass().emptiedBeforeEachTest();

    /** How an error body is written, and the Content-Type it carries. */
    enum ErrorBody {
        /** OTLP/HTTP for protobuf requests: a google.rpc.Status (1 = code, 2 = message). */
        STATUS_PROTOBUF(PROTOBUF),
        /** OTLP/HTTP for JSON requests: {@code {"code":3,"message":"..."}}. */
        STATUS_JSON(JSON),
        /** Requests in neither OTLP encoding: the reason and a newline. */
        TEXT_LINE("text/plain"),
        /** Refused by Micronaut before the controller runs: {@code {"message":..,"_embedded":{"errors":[{"message":..}]}}}. */
        MICRONAUT_JSON(JSON);

        final String contentType;

        ErrorBody(String contentType) {
            this.contentType = contentType;
        }
    }

    /**
     * One refused request.
     *
     * @param contentType the request's Content-Type, null for none
     * @param contentEncoding the request's Content-Encoding, null for none
     * @param errorBody how the error body must be written
     * @param reason a fragment the one-line reason must contain
     */
    record BadRequest(String name, String path, String contentType, String contentEncoding, Supplier<byte[]> body,
                      int status, ErrorBody errorBody, String reason) {
        /** A bad request to {@code /v1/logs}. */
        BadRequest(String name, String contentType, String contentEncoding, Supplier<byte[]> body, int status,
                   ErrorBody errorBody, String reason) {
            this(name, LOGS, contentType, contentEncoding, body, status, errorBody, reason);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // --- bodies that are not OTLP/protobuf -------------------------------------------------
                new BadRequest("'hello world' as protobuf", PROTOBUF, null, () -> utf8("hello world"),
                        400, ErrorBody.STATUS_PROTOBUF, "invalid OTLP/protobuf: Protocol message end-group tag did not match expected tag."),
                new BadRequest("4 KiB of random bytes (seed 42) as protobuf", PROTOBUF, null, () -> randomBytes(4096, 42),
                        400, ErrorBody.STATUS_PROTOBUF, "invalid OTLP/protobuf: CodedInputStream encountered an embedded"
                                + " string or message which claimed to have negative size."),
                new BadRequest("the first half of the Claude Code capture (truncated protobuf)", PROTOBUF, null,
                        () -> Arrays.copyOf(fixture(CLAUDE_LOGS), fixture(CLAUDE_LOGS).length / 2),
                        400, ErrorBody.STATUS_PROTOBUF, "invalid OTLP/protobuf: While parsing a protocol message, the input ended"
                                + " unexpectedly in the middle of a field."),
                new BadRequest("invalid UTF-8 in a protobuf string field (service.name value)", PROTOBUF, null,
                        BadInputTest::claudeCaptureWithInvalidUtf8InServiceName,
                        400, ErrorBody.STATUS_PROTOBUF, "invalid OTLP/protobuf: Protocol message had invalid UTF-8."),
                new BadRequest("the OTLP/JSON capture labelled application/x-protobuf", PROTOBUF, null,
                        () -> fixture(CLAUDE_LOGS_JSON),
                        400, ErrorBody.STATUS_PROTOBUF, "invalid OTLP/protobuf: Protocol message tag had invalid wire type."),
                new BadRequest("an empty protobuf body", PROTOBUF, null, () -> new byte[0],
                        400, ErrorBody.STATUS_PROTOBUF, "empty body: send an OTLP export request"),
                new BadRequest("an empty JSON body", JSON, null, () -> new byte[0],
                        400, ErrorBody.STATUS_JSON, "empty body: send an OTLP export request"),

                // --- content types that are neither OTLP encoding --------------------------------------
                new BadRequest("the capture as text/plain", TEXT, null, () -> fixture(CLAUDE_LOGS),
                        415, ErrorBody.TEXT_LINE, "unsupported Content-Type text/plain: send application/x-protobuf or application/json"),
                new BadRequest("the capture as application/xml", "application/xml", null, () -> fixture(CLAUDE_LOGS),
                        415, ErrorBody.TEXT_LINE, "unsupported Content-Type application/xml: send application/x-protobuf or application/json"),
                new BadRequest("the capture without a Content-Type", null, null, () -> fixture(CLAUDE_LOGS),
                        415, ErrorBody.TEXT_LINE, "Content-Type is missing: send application/x-protobuf or application/json"),

                // --- bodies that are not OTLP/JSON -----------------------------------------------------
                new BadRequest("malformed JSON (object never closed)", JSON, null,
                        () -> utf8("{\"resourceLogs\":[{\"scopeLogs\":[]}"),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: Unexpected end-of-input: expected close marker for Array"),
                new BadRequest("a JSON array at the top level", JSON, null,
                        () -> utf8("[" + fixtureText(CLAUDE_LOGS_JSON) + "]"),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: expected a JSON object"),
                new BadRequest("a traceId that is not hex", JSON, null,
                        () -> replaceFirst(fixtureText(CLAUDE_LOGS_JSON), "\"traceId\":\"52f4d9066359c45995bf3ea3dee7120a\"",
                                "\"traceId\":\"not-a-trace-id\""),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: LogRecord.traceId must be hex: not-a-trace-id"),
                new BadRequest("a string where timeUnixNano needs a number", JSON, null,
                        () -> replaceFirst(fixtureText(CLAUDE_LOGS_JSON), "\"timeUnixNano\":\"1795373833660000000\"",
                                "\"timeUnixNano\":\"yesterday\""),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: LogRecord.timeUnixNano must be an integer: yesterday"),
                new BadRequest("an object where a string is required (body.stringValue)", JSON, null,
                        () -> replaceFirst(fixtureText(CLAUDE_LOGS_JSON),
                                "\"stringValue\":\"claude_code.managed_settings_resolved\"", "\"stringValue\":{}"),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: AnyValue.stringValue must be a string"),
                new BadRequest("invalid UTF-8 in a JSON string (a log body)", JSON, null,
                        BadInputTest::claudeJsonWithInvalidUtf8InBody,
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: Invalid UTF-8 middle byte 0x28"),
                new BadRequest("a timeUnixNano beyond 64 bits, as a number", JSON, null,
                        () -> replaceFirst(fixtureText(CLAUDE_LOGS_JSON), "\"timeUnixNano\":\"1795373833660000000\"",
                                "\"timeUnixNano\":100000000000000000000000"),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: LogRecord.timeUnixNano is out of range"),
                new BadRequest("an intValue above int64, as a string", JSON, null,
                        () -> utf8("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"1795373833660000000\","
                                + "\"attributes\":[{\"key\":\"input_tokens\",\"value\":{\"intValue\":\"18446744073709551615\"}}]}]}]}]}"),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: AnyValue.intValue is out of range"),
                new BadRequest("an escaped lone surrogate in a JSON string (not encodable as UTF-8)", JSON, null,
                        () -> utf8("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"1795373833660000000\","
                                + "\"body\":{\"stringValue\":\"lone \\ud800 surrogate\"}}]}]}]}"),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: AnyValue.stringValue is not valid UTF-8 (a lone surrogate)"),
                new BadRequest("an unknown severityNumber name", JSON, null,
                        () -> utf8("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"1795373833660000000\","
                                + "\"severityNumber\":\"SEVERITY_NUMBER_LOUD\"}]}]}]}"),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: LogRecord.severityNumber has no value SEVERITY_NUMBER_LOUD"),
                new BadRequest("two JSON objects in one body", JSON, null,
                        () -> utf8(fixtureText(CLAUDE_LOGS_JSON) + fixtureText(CLAUDE_LOGS_JSON)),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: unexpected content after the JSON object"),
                new BadRequest("malformed JSON with a charset parameter on the Content-Type", "application/json; charset=utf-8",
                        null, () -> utf8("{\"resourceLogs\": nope}"),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: Unrecognized token 'nope': was expecting"),

                // --- content encodings ---------------------------------------------------------------
                // The server hands bodies over as sent (IngestDefaults turns Netty's request decompression
                // off), so BodyInflater sees the raw bytes and classifies bad gzip/deflate as 400.
                new BadRequest("Content-Encoding gzip over bytes that are not gzip", PROTOBUF, "gzip", () -> fixture(CLAUDE_LOGS),
                        400, ErrorBody.STATUS_PROTOBUF, "body is not valid gzip"),
                new BadRequest("Content-Encoding deflate over bytes that are not deflate", PROTOBUF, "deflate",
                        () -> utf8("hello world"),
                        400, ErrorBody.STATUS_PROTOBUF, "body is not valid deflate"),
                // A cut stream must fail as gzip: a cut that lands on a record boundary would otherwise be
                // stored partially.
                new BadRequest("a gzip stream cut in half", PROTOBUF, "gzip",
                        () -> { byte[] gz = gzip(fixture(CLAUDE_LOGS)); return Arrays.copyOf(gz, gz.length / 2); },
                        400, ErrorBody.STATUS_PROTOBUF, "body is not valid gzip: truncated gzip stream"),
                // Counted while inflating: refused after 16 MiB of output, never held whole in memory.
                new BadRequest("a gzip bomb: 64 MiB of zeros, gzipped to 64 KiB", PROTOBUF, "gzip",
                        () -> gzip(new byte[64 * 1024 * 1024]),
                        413, ErrorBody.STATUS_PROTOBUF, "body is larger than 16777216 bytes (after decompression)"),
                // Uncompressed too: the limit is the ingest's own, not the framework's 10 MiB buffer (whose
                // refusal was not an OTLP Status and came at 10 MiB).
                new BadRequest("17 MiB of uncompressed protobuf", PROTOBUF, null, () -> new byte[17 * 1024 * 1024],
                        413, ErrorBody.STATUS_PROTOBUF, "body is larger than 16777216 bytes (after decompression)"),
                new BadRequest("Content-Encoding br (not supported)", PROTOBUF, "br", () -> fixture(CLAUDE_LOGS),
                        415, ErrorBody.STATUS_PROTOBUF, "unsupported Content-Encoding br: send gzip, deflate or none"),
                // A list is undone last coding first; one unsupported coding in it refuses the whole body.
                new BadRequest("Content-Encoding gzip, br (br not supported)", PROTOBUF, "gzip, br", () -> fixture(CLAUDE_LOGS),
                        415, ErrorBody.STATUS_PROTOBUF, "unsupported Content-Encoding br: send gzip, deflate or none"),
                new BadRequest("Content-Encoding gzip, gzip over a body gzipped once", PROTOBUF, "gzip, gzip",
                        () -> gzip(fixture(CLAUDE_LOGS)),
                        400, ErrorBody.STATUS_PROTOBUF, "body is not valid gzip"),

                // --- traces ----------------------------------------------------------------------------
                // --- paths that are not OTLP endpoints -------------------------------------------------
                new BadRequest("the Claude Code capture to /v1/logs/v1/logs (endpoint set with its path)", "/v1/logs/v1/logs",
                        PROTOBUF, null, () -> fixture(CLAUDE_LOGS), 404, ErrorBody.STATUS_PROTOBUF,
                        "no OTLP endpoint at /v1/logs/v1/logs: post to /v1/logs, /v1/metrics or /v1/traces (an exporter's"
                                + " endpoint setting is the base URL, without /v1/...)"),
                new BadRequest("the Claude Code JSON capture to /otlp/v1/logs", "/otlp/v1/logs", JSON, null,
                        () -> fixture(CLAUDE_LOGS_JSON), 404, ErrorBody.STATUS_JSON, "no OTLP endpoint at /otlp/v1/logs"),
                new BadRequest("text to /v2/logs", "/v2/logs", TEXT, null, () -> utf8("hello"), 404, ErrorBody.TEXT_LINE,
                        "no OTLP endpoint at /v2/logs"),
                new BadRequest("4 KiB of random bytes (seed 42) as protobuf to /v1/traces", TRACES, PROTOBUF, null,
                        () -> randomBytes(4096, 42), 400, ErrorBody.STATUS_PROTOBUF, "invalid OTLP/protobuf: "),
                new BadRequest("the first half of the Claude Code traces capture", TRACES, PROTOBUF, null,
                        () -> Arrays.copyOf(fixture(CLAUDE_TRACES), fixture(CLAUDE_TRACES).length / 2),
                        400, ErrorBody.STATUS_PROTOBUF, "invalid OTLP/protobuf: While parsing a protocol message, the input"
                                + " ended unexpectedly in the middle of a field."),
                new BadRequest("invalid UTF-8 in a span name (protobuf)", TRACES, PROTOBUF, null,
                        () -> withByteAt(fixture(CLAUDE_TRACES), "claude_code.tool.blocked_on_user", (byte) 0xFF),
                        400, ErrorBody.STATUS_PROTOBUF, "invalid OTLP/protobuf: Protocol message had invalid UTF-8."),
                new BadRequest("the Claude Code logs capture posted to /v1/traces", TRACES, PROTOBUF, null,
                        () -> fixture(CLAUDE_LOGS), 400, ErrorBody.STATUS_PROTOBUF,
                        "the body is an OTLP logs export request: post it to /v1/logs"),
                new BadRequest("a spanId that is not hex", TRACES, JSON, null,
                        () -> replaceFirst(fixtureText(CLAUDE_TRACES_JSON), "\"spanId\":\"83e845e1e479535d\"",
                                "\"spanId\":\"not-a-span\""),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: Span.spanId must be hex: not-a-span"),
                new BadRequest("a traceId of 4 bytes instead of 16", TRACES, JSON, null,
                        () -> replaceFirst(fixtureText(CLAUDE_TRACES_JSON),
                                "\"traceId\":\"52f4d9066359c45995bf3ea3dee7120a\"", "\"traceId\":\"52f4d906\""),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: Span.traceId must be 32 hex digits: 52f4d906"),
                new BadRequest("an unknown span kind name", TRACES, JSON, null,
                        () -> replaceFirst(fixtureText(CLAUDE_TRACES_JSON), "\"kind\":1", "\"kind\":\"SPAN_KIND_SIDEWAYS\""),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: Span.kind has no value SPAN_KIND_SIDEWAYS"),

                // --- metrics ---------------------------------------------------------------------------
                new BadRequest("the first half of the Claude Code metrics capture", METRICS, PROTOBUF, null,
                        () -> Arrays.copyOf(fixture(CLAUDE_METRICS), fixture(CLAUDE_METRICS).length / 2),
                        400, ErrorBody.STATUS_PROTOBUF, "invalid OTLP/protobuf: While parsing a protocol message, the input"
                                + " ended unexpectedly in the middle of a field."),
                new BadRequest("a word where asDouble needs a number", METRICS, JSON, null,
                        () -> replaceFirst(fixtureText(CLAUDE_METRICS_JSON), "\"asDouble\":1", "\"asDouble\":\"lots\""),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: NumberDataPoint.asDouble must be a number: lots"),
                new BadRequest("an unknown aggregationTemporality name", METRICS, JSON, null,
                        () -> replaceFirst(fixtureText(CLAUDE_METRICS_JSON), "\"aggregationTemporality\":1",
                                "\"aggregationTemporality\":\"SOMETIMES\""),
                        400, ErrorBody.STATUS_JSON, "invalid OTLP/JSON: Sum.aggregationTemporality has no value SOMETIMES"),
                new BadRequest("the Claude Code traces JSON capture posted to /v1/metrics", METRICS, JSON, null,
                        () -> fixture(CLAUDE_TRACES_JSON), 400, ErrorBody.STATUS_JSON,
                        "the body is an OTLP traces export request: post it to /v1/traces"),
                new BadRequest("a gzip bomb to /v1/metrics: 64 MiB of zeros", METRICS, PROTOBUF, "gzip",
                        () -> gzip(new byte[64 * 1024 * 1024]),
                        413, ErrorBody.STATUS_PROTOBUF, "body is larger than 16777216 bytes (after decompression)"),
                new BadRequest("the metrics capture as text/plain", METRICS, TEXT, null, () -> fixture(CLAUDE_METRICS),
                        415, ErrorBody.TEXT_LINE, "unsupported Content-Type text/plain: send application/x-protobuf or application/json"),

                // --- POST / (signal detected from the body) --------------------------------------------
                new BadRequest("'hello world' as protobuf to /", "/", PROTOBUF, null, () -> utf8("hello world"),
                        400, ErrorBody.STATUS_PROTOBUF, "cannot tell which OTLP signal the body holds: post to /v1/logs,"
                                + " /v1/metrics or /v1/traces"),
                new BadRequest("a JSON object of no OTLP signal to /", "/", JSON, null, () -> utf8("{\"hello\":[1,2]}"),
                        400, ErrorBody.STATUS_JSON, "cannot tell which OTLP signal the body holds")
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "[{index}] given {0} when posted then it is refused and nothing is stored")
    @MethodSource("badRequests")
    @Order(1)
    void givenABadRequestWhenPostedThenItIsRefusedWithAReasonAndNothingIsStored(BadRequest bad) throws Exception {
        HttpResponse<byte[]> response = ingest.post(bad.path(), bad.contentType(), bad.contentEncoding(), bad.body().get());

        assertThat(response.statusCode()).as("HTTP status").isEqualTo(bad.status());
        assertThat(response.headers().firstValue("Content-Type")).as("error body type")
                .hasValue(bad.errorBody().contentType);
        assertThat(reason(response, bad.errorBody())).as("one-line reason").contains(bad.reason()).doesNotContain("\n");
        assertThat(ingest.s3.keys()).as("bucket after the refusal").isEmpty();
    }

    @Test
    @Order(2)
    void givenTheGzippedClaudeCaptureWhenPostedWithContentEncodingGzipThenItIsAcceptedAndStoredOnce() throws Exception {
        byte[] gzipped = gzip(fixture(CLAUDE_LOGS));

        HttpResponse<byte[]> response = ingest.post("/v1/logs", PROTOBUF, "gzip", gzipped);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
        assertThat(ExportLogsServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
        assertThat(ingest.s3.keys()).singleElement().asString()
                .matches("landing/logs/dt=2026-11-22/[0-9a-f]{32}\\.parquet");
    }

    /** A proxy may append identity or gzip a second time; the list names the codings in the order applied. */
    @Test
    @Order(3)
    void givenTheClaudeCaptureGzippedTwiceWhenPostedWithContentEncodingGzipGzipIdentityThenItIsStoredOnceAsTheSameFile() throws Exception {
        byte[] once = gzip(fixture(CLAUDE_LOGS));

        HttpResponse<byte[]> twice = ingest.post("/v1/logs", PROTOBUF, "gzip, gzip, identity", gzip(once));
        HttpResponse<byte[]> again = ingest.post("/v1/logs", PROTOBUF, "GZIP ,identity", once);

        assertThat(twice.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        // A landing key is the hash of the inflated request, so both deliveries land as one object.
        assertThat(ingest.s3.keys()).singleElement().asString()
                .matches("landing/logs/dt=2026-11-22/[0-9a-f]{32}\\.parquet");
    }

    // --- reading the error body -----------------------------------------------------------------

    /** The one-line reason of an error response, read the way {@code format} writes it. */
    private static String reason(HttpResponse<byte[]> response, ErrorBody format) throws IOException {
        int expectedGrpcCode = switch (response.statusCode()) {
            case 413 -> 8; // RESOURCE_EXHAUSTED
            case 404 -> 5; // NOT_FOUND
            default -> 3; // INVALID_ARGUMENT
        };
        switch (format) {
            case STATUS_PROTOBUF -> {
                Status status = Status.parse(response.body());
                assertThat(status.code()).as("google.rpc.Status.code").isEqualTo(expectedGrpcCode);
                return status.message();
            }
            case STATUS_JSON -> {
                JsonNode json = MAPPER.readTree(response.body());
                assertThat(json.path("code").asInt()).as("code in the JSON status").isEqualTo(expectedGrpcCode);
                return json.path("message").asText();
            }
            case TEXT_LINE -> {
                String text = new String(response.body(), StandardCharsets.UTF_8);
                assertThat(text).as("plain-text reason ends with one newline").endsWith("\n");
                return text.substring(0, text.length() - 1);
            }
            case MICRONAUT_JSON -> {
                JsonNode json = MAPPER.readTree(response.body());
                return json.path("message").asText() + ": " + json.at("/_embedded/errors/0/message").asText();
            }
            default -> throw new IllegalArgumentException(format.name());
        }
    }

    /** google.rpc.Status: 1 = int32 code, 2 = string message (3 = details, not used here). */
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

    // --- building bad bodies --------------------------------------------------------------------

    private static byte[] fixture(String path) {
        return Fixtures.bytes(path);
    }

    private static String fixtureText(String path) {
        return Fixtures.text(path);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] replaceFirst(String text, String target, String replacement) {
        int at = text.indexOf(target);
        assertThat(at).as("fixture contains " + target).isNotNegative();
        return utf8(text.substring(0, at) + replacement + text.substring(at + target.length()));
    }

    /** The real capture with the first byte of the resource's {@code claude-code} value set to 0xFF. */
    private static byte[] claudeCaptureWithInvalidUtf8InServiceName() {
        byte[] body = fixture(CLAUDE_LOGS).clone();
        byte[] value = utf8("claude-code");
        int at = indexOf(body, value);
        assertThat(at).as("capture contains the service.name value").isNotNegative();
        body[at] = (byte) 0xFF;
        return body;
    }

    /** The JSON capture with a lone UTF-8 lead byte (0xC3 followed by '(') inside the first log body. */
    private static byte[] claudeJsonWithInvalidUtf8InBody() {
        byte[] body = fixture(CLAUDE_LOGS_JSON).clone();
        int at = indexOf(body, utf8("claude_code.managed_settings_resolved"));
        assertThat(at).as("capture contains the first log body").isNotNegative();
        body[at] = (byte) 0xC3;
        body[at + 1] = (byte) '(';
        return body;
    }

    /** A copy of {@code body} with the first byte of {@code text}'s first occurrence replaced. */
    private static byte[] withByteAt(byte[] body, String text, byte replacement) {
        byte[] copy = body.clone();
        int at = indexOf(copy, utf8(text));
        assertThat(at).as("capture contains " + text).isNotNegative();
        copy[at] = replacement;
        return copy;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] gzip(byte[] plain) {
        try {
            var out = new ByteArrayOutputStream();
            try (var gz = new GZIPOutputStream(out)) {
                gz.write(plain);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
