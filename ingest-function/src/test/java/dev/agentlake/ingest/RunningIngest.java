package dev.agentlake.ingest;

import dev.agentlake.lake.testing.LakeTestServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The ingest function on a real HTTP port, storing into a real S3-compatible server. Start one with
 * {@link #start()}, or let JUnit run it for a test class:
 * {@code @RegisterExtension static final RunningIngest ingest = RunningIngest.perClass();} starts it over an S3
 * server of its own before the class's {@code @BeforeAll} methods and closes both after its {@code @AfterAll} ones.
 */
final class RunningIngest implements AutoCloseable, BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Map<String, Object> extra;
    private boolean emptyBeforeEachTest;
    LakeTestServer s3;
    EmbeddedServer server;

    private RunningIngest(Map<String, Object> extra) {
        this.extra = Map.copyOf(extra);
    }

    static RunningIngest start() {
        return start(Map.of());
    }

    static RunningIngest start(Map<String, Object> extra) {
        return start(LakeTestServer.start(), extra);
    }

    /** The ingest function over a given S3 server (e.g. one over a folder, to stop and restart it). */
    static RunningIngest start(LakeTestServer s3, Map<String, Object> extra) {
        return new RunningIngest(extra).open(s3);
    }

    /** For one test class, run by JUnit (register it with {@code @RegisterExtension}). */
    static RunningIngest perClass() {
        return perClass(Map.of());
    }

    /** For one test class, with these properties added (e.g. {@code agentlake.ingest.tokens}). */
    static RunningIngest perClass(Map<String, Object> extra) {
        return new RunningIngest(extra);
    }

    /** With {@link #perClass()}: every test starts from an empty bucket. */
    RunningIngest emptiedBeforeEachTest() {
        emptyBeforeEachTest = true;
        return this;
    }

    private RunningIngest open(LakeTestServer s3) {
        this.s3 = s3;
        var props = new HashMap<String, Object>(s3.properties());
        props.put("micronaut.server.port", -1);
        props.put("micronaut.server.host", "127.0.0.1");
        props.putAll(extra);
        // builder(), unlike run(), applies the modules' ApplicationContextConfigurers, as Lambda and the CLI do.
        server = ApplicationContext.builder().properties(props).start().getBean(EmbeddedServer.class).start();
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open(LakeTestServer.start());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (emptyBeforeEachTest) {
            emptyBucket();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getPort() + path;
    }

    HttpResponse<byte[]> post(String path, String contentType, String contentEncoding, byte[] body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (contentEncoding != null) {
            request.header("Content-Encoding", contentEncoding);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Posts {@code body} with exactly these headers (restricted ones such as Host and Content-Length
     * are set by the client). Chunked sends the body without a Content-Length, as Gemini CLI does.
     */
    HttpResponse<byte[]> send(String path, java.util.List<Map.Entry<String, String>> headers, byte[] body,
                              boolean chunked) throws Exception {
        var publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        var request = HttpRequest.newBuilder(URI.create(url(path))).POST(publisher);
        for (Map.Entry<String, String> h : headers) {
            request.header(h.getKey(), h.getValue());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Deletes every object in the bucket (between cases of one server). */
    void emptyBucket() {
        var keys = s3.keys();
        if (!keys.isEmpty()) {
            s3.store().delete(keys);
        }
    }

    /** Stops what started: after a failed start, JUnit still calls {@link #afterAll}. */
    @Override
    public void close() {
        if (server != null) {
            server.getApplicationContext().close();
        }
        if (s3 != null) {
            s3.close();
        }
    }
}
