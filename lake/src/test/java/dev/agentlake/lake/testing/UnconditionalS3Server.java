package dev.agentlake.lake.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentlake.lake.store.S3ObjectStore;
import dev.agentlake.lake.store.S3Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3-compatible server that ignores {@code If-None-Match: *}, as some S3-compatible stores do:
 * S3Proxy (objects in memory) behind a small HTTP proxy that drops the header from every request, so
 * a conditional create simply overwrites. Everything else is forwarded as sent.
 *
 * <p>S3Proxy runs without authentication here: SigV4 signs the header, so a request that lost it
 * would fail the signature check instead of being served as the store under test would serve it.
 */
public final class UnconditionalS3Server implements AutoCloseable {
    public static final String BUCKET = "agentlake-unconditional";
    /** Headers the JDK HTTP client sets itself (or refuses to forward). */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "http2-settings");
    private final S3Proxy backend;
    private final HttpServer front;
    private final ExecutorService workers;
    private final HttpClient client;
    private final URI backendUri;
    private final S3ObjectStore store;
    private final AtomicInteger strippedHeaders = new AtomicInteger();

    private UnconditionalS3Server(S3Proxy backend, HttpServer front, ExecutorService workers, HttpClient client, URI backendUri) {
        this.backend = backend;
        this.front = front;
        this.workers = workers;
        this.client = client;
        this.backendUri = backendUri;
        front.createContext("/", this::forward);
        front.start();
        this.store = S3ObjectStore.create(settings());
        this.store.createBucketIfMissing();
    }

    public static UnconditionalS3Server start() {
        try {
            S3Proxy backend = S3Proxy.builder()
                    .blobStore(new TransientNio2BlobStore())
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.NONE, null, null)
                    .build();
            backend.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(backend.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + backend.getState());
                }
                Thread.sleep(10);
            }
            HttpServer front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            ExecutorService workers = Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "unconditional-s3-proxy");
                t.setDaemon(true);
                return t;
            });
            front.setExecutor(workers);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            return new UnconditionalS3Server(backend, front, workers, client,
                    URI.create("http://127.0.0.1:" + backend.getPort()));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the unconditional S3 server: " + e.getMessage(), e);
        }
    }

    public S3ObjectStore store() {
        return store;
    }

    /** Settings that point a client at the proxy (the credentials are signed with but not checked). */
    public S3Settings settings() {
        return new S3Settings("http://127.0.0.1:" + front.getAddress().getPort(), BUCKET, "test-access", "test-secret-key",
                "us-east-1", true, Duration.ofSeconds(20));
    }

    /** Micronaut properties that point a function at this server. */
    public Map<String, Object> properties() {
        S3Settings s = settings();
        return Map.of(
                "agentlake.s3.endpoint", s.endpoint(),
                "agentlake.s3.bucket", s.bucket(),
                "agentlake.s3.access-key", s.accessKey(),
                "agentlake.s3.secret-key", s.secretKey(),
                "agentlake.s3.region", s.region());
    }

    /** How many requests arrived with {@code If-None-Match} and were forwarded without it. */
    public int strippedHeaders() {
        return strippedHeaders.get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI target = backendUri.resolve(exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
            var request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (lower.equals("if-none-match")) {
                    strippedHeaders.incrementAndGet();
                    return;
                }
                if (!NOT_FORWARDED.contains(lower)) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (!NOT_FORWARDED.contains(lower) && !lower.equals("date") && !lower.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] out = response.body();
            boolean noBody = exchange.getRequestMethod().equals("HEAD") || response.statusCode() == 204
                    || response.statusCode() == 304 || out.length == 0;
            if (exchange.getRequestMethod().equals("HEAD")) {
                response.headers().firstValue("content-length")
                        .ifPresent(len -> exchange.getResponseHeaders().set("Content-Length", len));
            }
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : out.length);
            if (!noBody) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        store.close();
        front.stop(0);
        workers.shutdownNow();
        try {
            backend.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy", e);
        }
    }
}
