package dev.agentlake.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts captured request bodies through the real ingest pipeline, as the OTLP/HTTP controller
 * does. Lives in the ingest package (in the compactor's tests) to see which signals ingest
 * accepts: bodies of a signal it does not accept yet are skipped, so these tests cover every
 * signal as soon as ingest handles it.
 */
public final class FixturePoster {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final IngestPipeline pipeline;

    public FixturePoster(IngestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Ingests {@code otlp/<run>/<file>.bin} with the content type and encoding it was sent with.
     *
     * @return the landing key written, or null when ingest does not accept the signal (yet) or
     *     the body held nothing to store
     */
    public String post(String run, String file) {
        String base = "otlp/" + run + "/" + file;
        JsonNode meta;
        try {
            meta = JSON.readTree(Fixtures.bytes(base + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Signal signal = Signal.fromFolder(meta.path("signal_from_path").asText());
        String encoding = meta.path("content_encoding").isNull() ? null : meta.path("content_encoding").asText();
        try {
            return pipeline.ingest(signal, meta.path("content_type").asText(), encoding, Fixtures.bytes(base + ".bin")).key();
        } catch (InvalidOtlpException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** Posts the given files of a run in order; returns the landing keys written. */
    public List<String> postAll(String run, List<String> files) {
        var keys = new ArrayList<String>();
        for (String f : files) {
            String key = post(run, f);
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }
}
