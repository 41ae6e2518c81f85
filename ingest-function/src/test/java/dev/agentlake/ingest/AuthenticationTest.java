package dev.agentlake.ingest;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentlake.ingest.SdkExporters.Protocol;
import dev.agentlake.lake.testing.Fixtures;
import io.micronaut.context.ApplicationContext;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With {@code agentlake.ingest.tokens} set, a request needs {@code Authorization: Bearer <one of them>}
 * (what {@code OTEL_EXPORTER_OTLP_HEADERS} sends); anything else is 401 and nothing is written.
 */
class AuthenticationTest {
    private static final String TOKEN = "tok-2f6c1a9e8b7d4c3a";
    private static final String SECOND_TOKEN = "tok-laptop-0b1c2d3e4f";
    private static final String CLAUDE_LOGS = "otlp/claude-code-protobuf/0001-claude-code-logs.bin";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    // As the environment would give it: one comma-separated value.
    @RegisterExtension
    static final RunningIngest ingest = RunningIngest.perClass(Map.of("agentlake.ingest.tokens", TOKEN + "," + SECOND_TOKEN))
            .emptiedBeforeEachTest();

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("no Authorization header", null),
                Arguments.of("a wrong token", "Bearer tok-2f6c1a9e8b7d4c3b"),
                Arguments.of("the token as Basic credentials", "Basic " + TOKEN),
                Arguments.of("the token without a scheme", TOKEN),
                Arguments.of("a prefix of the token", "Bearer tok-2f6c1a9e"),
                Arguments.of("the token with a suffix", "Bearer " + TOKEN + "x"),
                Arguments.of("an empty bearer token", "Bearer "));
    }

    @ParameterizedTest(name = "given {0} when the Claude capture is posted then the answer is 401 and nothing is stored")
    @MethodSource("refused")
    void givenNoValidTokenWhenPostedThenTheAnswerIs401AndNothingIsStored(String what, String authorization)
            throws Exception {
        HttpResponse<byte[]> response = post("/v1/logs", authorization);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"agentlake-ingest\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("missing or invalid bearer token: send Authorization: Bearer <token>")
                .doesNotContain(TOKEN);
        assertThat(ingest.s3.keys()).isEmpty();
    }

    @Test
    void givenEitherConfiguredTokenWhenPostedThenTheRequestIsStored() throws Exception {
        assertThat(post("/v1/logs", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(post("/", "bearer " + SECOND_TOKEN).statusCode()).as("scheme is case-insensitive; POST / too")
                .isEqualTo(200);
        assertThat(ingest.s3.keys()).as("the same body twice: one object").hasSize(1);
    }

    @Test
    void givenTheSdkExporterWithTheTokenHeaderWhenItExportsThenTheRecordIsStored() {
        var provider = SdkLoggerProvider.builder()
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(
                        SdkExporters.logs(ingest.url(""), Protocol.HTTP_JSON, TOKEN)))
                .build();
        provider.get("test").logRecordBuilder().setTimestamp(Instant.parse("2026-11-22T10:00:00Z")).setBody("hello")
                .setAllAttributes(Attributes.of(stringKey("event.name"), "hello")).emit();
        assertThat(provider.shutdown().join(120, TimeUnit.SECONDS).isSuccess()).isTrue();

        assertThat(ingest.s3.keys()).singleElement().asString().startsWith("landing/logs/");
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(ingest.url("/health"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void theSettingsNeverPrintTheTokens() {
        IngestSettings settings = ingest.server.getApplicationContext().getBean(IngestSettings.class);

        assertThat(settings.tokens()).containsExactly(TOKEN, SECOND_TOKEN);
        assertThat(settings.toString()).doesNotContain(TOKEN).doesNotContain(SECOND_TOKEN).contains("tokens=2 configured");
    }

    @Test
    void aTokenShorterThanSixteenCharactersIsRefusedAtStartupWithoutBeingEchoed() {
        assertThatThrownBy(() -> ApplicationContext.builder()
                .properties(Map.of("agentlake.ingest.tokens", "short-secret", "agentlake.ingest.enabled", "true"))
                .start().getBean(IngestSettings.class))
                .hasStackTraceContaining("agentlake.ingest.tokens: every token needs at least 16 characters")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("short-secret"));
    }

    @Test
    void withoutTokensEveryRequestIsLetThrough() {
        var open = new IngestAuthenticator(new IngestSettings(1024 * 1024, false, List.of(), false, null, null),
                new dev.agentlake.lake.store.S3Settings(null, "agentlake", null, null, "us-east-1", true, java.time.Duration.ofSeconds(20)));
        assertThat(open.required()).isFalse();
        assertThat(open.permits(null)).isTrue();
    }

    private static String stackTrace(Throwable e) {
        var out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    private static HttpResponse<byte[]> post(String path, String authorization) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(ingest.url(path)))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes(CLAUDE_LOGS)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

}
