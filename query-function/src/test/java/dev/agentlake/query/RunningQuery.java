package dev.agentlake.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.testing.LakeTestServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** The query function on a real HTTP port over a real S3-compatible server. */
final class RunningQuery implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    final LakeTestServer s3;
    final EmbeddedServer server;
    String token;

    private RunningQuery(LakeTestServer s3, EmbeddedServer server) {
        this.s3 = s3;
        this.server = server;
    }

    static RunningQuery start(LakeTestServer s3, Map<String, Object> extra) throws Exception {
        var props = new HashMap<String, Object>(s3.properties());
        props.put("micronaut.server.port", -1);
        props.put("micronaut.server.host", "127.0.0.1");
        props.put("agentlake.query.cache-dir", Files.createTempDirectory("query-cache").toString());
        props.put("agentlake.query.refresh-interval", "0s");
        props.putAll(extra);
        EmbeddedServer server = ApplicationContext.builder().properties(props).start().getBean(EmbeddedServer.class).start();
        return new RunningQuery(s3, server);
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    /** GET that must answer 200; its JSON. */
    JsonNode json(String path) throws Exception {
        var r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
