package dev.agentlake.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request of a fixture run as the real CLI sent it: {@code NNNN-<tool>-<signal>.bin} (the body),
 * {@code .json} (path, headers, chunked or not) and {@code .decoded.json} (the same request as OTLP/JSON).
 */
record CapturedRequest(String run, String name, String path, String contentType, String contentEncoding,
                       boolean chunked, List<Map.Entry<String, String>> headers) {
    /** The fixture runs and their requests in arrival order (see fixtures/README.md). */
    static final Map<String, List<String>> RUNS = Map.of(
            "claude-code-protobuf", List.of("0001-claude-code-logs", "0002-claude-code-logs",
                    "0003-claude-code-traces", "0004-claude-code-metrics"),
            "claude-code-json", List.of("0001-claude-code-logs", "0002-claude-code-logs",
                    "0003-claude-code-traces", "0004-claude-code-metrics"),
            "codex-binary", List.of("0001-codex-traces", "0002-codex-traces", "0003-codex-metrics", "0004-codex-logs"),
            "codex-json", List.of("0001-codex-traces", "0002-codex-traces", "0003-codex-metrics", "0004-codex-logs"),
            "gemini", List.of("0001-gemini-logs", "0002-gemini-metrics", "0003-gemini-traces"));

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers the HTTP client sets itself (and refuses to be given). */
    private static final Set<String> CLIENT_SET = Set.of("host", "content-length", "connection", "transfer-encoding");

    static List<CapturedRequest> of(String run) {
        var result = new ArrayList<CapturedRequest>();
        for (String name : RUNS.get(run)) {
            result.add(load(run, name));
        }
        return result;
    }

    static CapturedRequest load(String run, String name) {
        try {
            JsonNode meta = JSON.readTree(Fixtures.bytes("otlp/" + run + "/" + name + ".json"));
            var headers = new ArrayList<Map.Entry<String, String>>();
            for (JsonNode h : meta.get("headers")) {
                if (!CLIENT_SET.contains(h.get(0).asText().toLowerCase(Locale.ROOT))) {
                    headers.add(Map.entry(h.get(0).asText(), h.get(1).asText()));
                }
            }
            return new CapturedRequest(run, name, meta.get("path").asText(), meta.get("content_type").asText(),
                    meta.get("content_encoding").isNull() ? null : meta.get("content_encoding").asText(),
                    meta.get("chunked_transfer_encoding").asBoolean(), List.copyOf(headers));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] body() {
        return Fixtures.bytes("otlp/" + run + "/" + name + ".bin");
    }

    byte[] decodedJson() {
        return Fixtures.bytes("otlp/" + run + "/" + name + ".decoded.json");
    }

    OtlpEncoding encoding() {
        return OtlpEncoding.fromContentType(contentType);
    }

    /** The signal's path word: logs, traces or metrics. */
    String signal() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    HttpResponse<byte[]> sendTo(RunningIngest ingest) throws Exception {
        return ingest.send(path, headers, body(), chunked);
    }

    @Override
    public String toString() {
        return run + "/" + name;
    }
}
