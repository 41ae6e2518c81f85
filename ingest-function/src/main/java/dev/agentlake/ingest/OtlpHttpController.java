package dev.agentlake.ingest;

import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.store.StoreException;
import dev.agentlake.lake.store.StoreUnavailableException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP/HTTP receiver ({@code /v1/logs}, {@code /v1/metrics}, {@code /v1/traces}, and
 * {@code POST /} with the signal detected). Parses the request, hands it to the
 * {@link IngestPipeline}, and classifies every failure once, here: bad input → 4xx with a one-line
 * reason; store unreachable, or refusing the write (a missing bucket, access denied) → 503 with
 * Retry-After (OTLP exporters retry; a 500 would drop the batch); else 500.
 */
@Controller
@Requires(property = "agentlake.ingest.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
final class OtlpHttpController {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpController.class);
    private final IngestPipeline pipeline;
    private final IngestAuthenticator authenticator;

    OtlpHttpController(IngestPipeline pipeline, IngestAuthenticator authenticator) {
        this.pipeline = pipeline;
        this.authenticator = authenticator;
    }

    @Post(uri = "/v1/logs", consumes = MediaType.ALL, produces = MediaType.ALL)
    HttpResponse<byte[]> logs(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return handle(Signal.LOGS, request, body);
    }

    @Post(uri = "/v1/metrics", consumes = MediaType.ALL, produces = MediaType.ALL)
    HttpResponse<byte[]> metrics(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return handle(Signal.METRICS, request, body);
    }

    @Post(uri = "/v1/traces", consumes = MediaType.ALL, produces = MediaType.ALL)
    HttpResponse<byte[]> traces(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return handle(Signal.SPANS, request, body);
    }

    /** Older Gemini CLI builds post every signal to the root path. */
    @Post(uri = "/", consumes = MediaType.ALL, produces = MediaType.ALL)
    HttpResponse<byte[]> root(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return handle(null, request, body);
    }

    /**
     * Any other POST, answered as OTLP/HTTP answers errors (Micronaut's own 404 is a JSON page the
     * exporters cannot read). The usual cause is an endpoint setting that already ends in
     * {@code /v1/logs}: the SDKs append the signal's path to it, and post to {@code /v1/logs/v1/logs}.
     */
    @Post(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.ALL)
    HttpResponse<byte[]> unknownPath(HttpRequest<?> request, String path) {
        return error(HttpStatus.NOT_FOUND, grpcCode(404), "no OTLP endpoint at /" + path + ": post to /v1/logs,"
                + " /v1/metrics or /v1/traces (an exporter's endpoint setting is the base URL, without /v1/...)",
                request.getHeaders().get(HttpHeaders.CONTENT_TYPE));
    }

    /**
     * Any other GET: this port has no pages. Without it, a GET of a path the POST above matches would be
     * a 405, as if the path were an endpoint that takes POST.
     */
    @Get(uri = "/", produces = MediaType.TEXT_PLAIN)
    HttpResponse<String> noRootPage() {
        return noPage("");
    }

    @Get(uri = "/{+path}", produces = MediaType.TEXT_PLAIN)
    HttpResponse<String> noPage(String path) {
        return HttpResponse.<String>notFound().body("no page at /" + path + ": this is the OTLP ingest port (POST /v1/logs,"
                + " /v1/metrics, /v1/traces); the dashboard is on the other port\n");
    }

    @Get(uri = "/health", produces = MediaType.APPLICATION_JSON)
    String health() {
        return "{\"status\":\"UP\",\"service\":\"ingest\"}";
    }

    private HttpResponse<byte[]> handle(Signal signal, HttpRequest<?> request, byte[] body) {
        String contentType = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        boolean permitted;
        try {
            permitted = authenticator.permits(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        } catch (IllegalStateException tokensUnreadable) {
            LOG.warn("{}", tokensUnreadable.getMessage());
            return error(HttpStatus.SERVICE_UNAVAILABLE, 14, "the accepted tokens cannot be read right now, retry later",
                    contentType).header(HttpHeaders.RETRY_AFTER, "5");
        }
        if (!permitted) {
            // Same answer for a missing and a wrong token; the token itself is never logged.
            return error(HttpStatus.UNAUTHORIZED, 16, "missing or invalid bearer token: send Authorization: Bearer <token>",
                    contentType).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"agentlake-ingest\"");
        }
        try {
            IngestPipeline.Accepted accepted = pipeline.ingest(signal, contentType,
                    request.getHeaders().get(HttpHeaders.CONTENT_ENCODING), body);
            return HttpResponse.<byte[]>ok(accepted.response()).contentType(accepted.contentType());
        } catch (InvalidOtlpException e) {
            return error(HttpStatus.valueOf(e.status()), grpcCode(e.status()), e.getMessage(), contentType);
        } catch (StoreUnavailableException e) {
            LOG.warn("landing write failed, answering 503: {}", e.getMessage());
            return error(HttpStatus.SERVICE_UNAVAILABLE, 14, "storage unavailable, retry later", contentType)
                    .header(HttpHeaders.RETRY_AFTER, "5");
        } catch (StoreException e) {
            // Refused by the store (no such bucket, access denied): a configuration to fix, but a 500
            // would make the exporter drop the batch; a 503 keeps it retrying while someone fixes it.
            LOG.error("landing write refused by the store (check the bucket and its permissions), answering 503: {}",
                    e.getMessage());
            return error(HttpStatus.SERVICE_UNAVAILABLE, 14, "storage refused the write (check the bucket and its"
                    + " permissions), retry later", contentType).header(HttpHeaders.RETRY_AFTER, "5");
        } catch (RuntimeException e) {
            LOG.error("ingest failed", e);
            return error(HttpStatus.INTERNAL_SERVER_ERROR, 13, "internal error", contentType);
        }
    }

    /** The gRPC status code OTLP/HTTP puts in the error body for each HTTP status. */
    private static int grpcCode(int httpStatus) {
        return switch (httpStatus) {
            case 401 -> 16;
            case 404 -> 5;
            case 413 -> 8;
            case 415 -> 3;
            default -> 3;
        };
    }

    /**
     * Error bodies follow OTLP/HTTP: a google.rpc.Status in the request's encoding; for requests in
     * neither encoding, the one-line reason as text.
     */
    private static MutableHttpResponse<byte[]> error(HttpStatus status, int grpcCode, String message, String contentType) {
        OtlpEncoding encoding;
        try {
            encoding = OtlpEncoding.fromContentType(contentType);
        } catch (InvalidOtlpException unknown) {
            return HttpResponse.<byte[]>status(status)
                    .body((message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .contentType(MediaType.TEXT_PLAIN_TYPE);
        }
        byte[] body = encoding == OtlpEncoding.JSON
                ? ProtobufChecks.statusJson(grpcCode, message)
                : ProtobufChecks.statusProtobuf(grpcCode, message);
        return HttpResponse.<byte[]>status(status).body(body).contentType(encoding.contentType());
    }
}
