package dev.agentlake.cli.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.agentlake.cli.JsonProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of an export bundle: what it holds and how to check it.
 *
 * @param source {@code lake} or {@code files} ({@code export --from-files})
 * @param rows rows per table
 * @param files SHA-256 and size of every other file of the bundle, by relative path
 */
public record BundleManifest(
        @JsonProperty("format") int format,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("created_by") String createdBy,
        @JsonProperty("source") String source,
        @JsonProperty("filters") BundleFilter filters,
        @JsonProperty("redacted") List<String> redacted,
        @JsonProperty("price_table") String priceTable,
        @JsonProperty("rows") Map<String, Long> rows,
        @JsonProperty("files") Map<String, FileEntry> files) {

    public static final int FORMAT = 1;
    public static final String NAME = "manifest.json";
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public BundleManifest {
        rows = Map.copyOf(rows);
        files = Map.copyOf(files);
        redacted = List.copyOf(redacted);
    }

    /** One file of the bundle. */
    public record FileEntry(@JsonProperty("sha256") String sha256, @JsonProperty("bytes") long bytes) {
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest in {@code json}, read from {@code file} (named in the one-line error when it is not one). */
    static BundleManifest parse(byte[] json, Object file) {
        try {
            BundleManifest m = JSON.readValue(json, BundleManifest.class);
            if (m.format() != FORMAT) {
                throw new IllegalArgumentException("bundle format " + m.format() + " is not supported (this build reads " + FORMAT + ")");
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException(JsonProblem.describe(file, e) + " (not a bundle manifest)");
        }
    }
}
