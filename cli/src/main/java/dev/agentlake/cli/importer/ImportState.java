package dev.agentlake.cli.importer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What earlier imports of one tool on one machine read, stored in the bucket under
 * {@code _state/import/<host>/<tool>.json} so that any process importing into the lake (this
 * machine's CLI, today or next week) continues where the last one stopped.
 *
 * @param files absolute path of each session file → its cursor
 * @param landingKeys landing objects imports of this tool wrote (what {@code --purge} removes while
 *     not yet compacted)
 */
public record ImportState(
        @JsonProperty("format") int format,
        @JsonProperty("tool") String tool,
        @JsonProperty("host") String host,
        @JsonProperty("files") Map<String, FileCursor> files,
        @JsonProperty("landing_keys") List<String> landingKeys) {

    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public ImportState {
        if (format != FORMAT) {
            throw new IllegalArgumentException("unsupported import state format " + format);
        }
        files = files == null ? Map.of() : Map.copyOf(files);
        landingKeys = landingKeys == null ? List.of() : List.copyOf(landingKeys);
    }

    public static ImportState empty(SessionTool tool, String host) {
        return new ImportState(FORMAT, tool.argument(), host, Map.of(), List.of());
    }

    /** {@code _state/import/<host>/<tool>.json}. */
    public static String key(SessionTool tool, String host) {
        String safeHost = host.replaceAll("[^A-Za-z0-9._-]", "_");
        return LakeLayout.STATE + "import/" + safeHost + "/" + tool.argument() + ".json";
    }

    public static ImportState load(ObjectStore store, SessionTool tool, String host) {
        Optional<byte[]> bytes = store.get(key(tool, host));
        if (bytes.isEmpty()) {
            return empty(tool, host);
        }
        try {
            return JSON.readValue(bytes.get(), ImportState.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable import state " + key(tool, host) + ": " + e.getMessage(), e);
        }
    }

    public void save(ObjectStore store) {
        try {
            store.put(key(SessionTool.parse(tool), host), JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This state with the cursors and landing keys of a run added. */
    public ImportState with(Map<String, FileCursor> updated, List<String> written) {
        var merged = new TreeMap<>(files);
        merged.putAll(updated);
        var keys = new java.util.LinkedHashSet<>(landingKeys);
        keys.addAll(written);
        return new ImportState(format, tool, host, merged, List.copyOf(keys));
    }
}
