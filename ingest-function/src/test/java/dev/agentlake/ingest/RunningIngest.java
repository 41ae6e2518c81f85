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

/** The ingest function on a real HTTP port, storing into a real S3-compatible server. */
final class RunningIngest implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    final LakeTestServer s3;
    final EmbeddedServer server;

    private RunningIngest(LakeTestServer s3, EmbeddedServer server) {
        this.s3 = s3;
        this.server = server;
    }

    static RunningIngest start() {
        return start(Map.of());
    }

    static RunningIngest start(Map<String, Object> extra) {
        return start(LakeTestServer.start(), extra);
    }

    /** The ingest function over a given S3 server (e.g. one over a folder, to stop and restart it). */
    static RunningIngest start(LakeTestServer s3, Map<String, Object> extra) {
        var props = new HashMap<String, Object>(s3.properties());
        props.put("micronaut.server.port", -1);
        props.put("micronaut.server.host", "127.0.0.1");
        props.putAll(extra);
        // builder(), unlike run(), applies the modules' ApplicationContextConfigurers, as Lambda and the CLI do.
        EmbeddedServer server = ApplicationContext.builder().properties(props).start().getBean(EmbeddedServer.class).start();
        return new RunningIngest(s3, server);
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

    @Override
    public void close() {
        server.getApplicationContext().close();
        s3.close();
    }
}
