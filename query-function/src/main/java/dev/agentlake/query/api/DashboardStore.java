package dev.agentlake.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Saved dashboards, one JSON object each under {@code _state/dashboards/<id>.json} in the lake's
 * bucket, so they survive Lambda and travel with the lake.
 */
@Singleton
public final class DashboardStore {
    static final String PREFIX = LakeLayout.STATE + "dashboards/";
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final int MAX_BYTES = 256 * 1024;
    private final ObjectStore store;

    DashboardStore(ObjectStore store) {
        this.store = store;
    }

    public List<Map<String, Object>> list() {
        var out = new ArrayList<Map<String, Object>>();
        for (StoredObject o : store.list(PREFIX)) {
            String id = o.key().substring(PREFIX.length()).replaceFirst("\\.json$", "");
            Optional<JsonNode> d = get(id);
            if (d.isPresent()) {
                var row = new LinkedHashMap<String, Object>();
                row.put("id", id);
                row.put("name", d.get().path("name").asText());
                row.put("updated_at", d.get().path("updated_at").asText(null));
                row.put("widgets", d.get().path("widgets").size());
                out.add(row);
            }
        }
        return out;
    }

    public Optional<JsonNode> get(String id) {
        requireId(id);
        return store.get(key(id)).map(bytes -> {
            try {
                return ApiJson.mapper().readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Creates a dashboard from {@code body} and returns it with its new id. */
    public JsonNode create(String body) {
        ObjectNode d = validated(body);
        String id = UUID.randomUUID().toString();
        d.put("id", id);
        d.put("updated_at", Instant.now().toString());
        store.put(key(id), bytes(d));
        return d;
    }

    /** Replaces dashboard {@code id}; empty if there is none. */
    public Optional<JsonNode> replace(String id, String body) {
        requireId(id);
        if (store.get(key(id)).isEmpty()) {
            return Optional.empty();
        }
        ObjectNode d = validated(body);
        d.put("id", id);
        d.put("updated_at", Instant.now().toString());
        store.put(key(id), bytes(d));
        return Optional.of(d);
    }

    public boolean delete(String id) {
        requireId(id);
        if (store.get(key(id)).isEmpty()) {
            return false;
        }
        store.delete(List.of(key(id)));
        return true;
    }

    private static ObjectNode validated(String body) {
        if (body == null || body.isBlank()) {
            throw new BadRequestException("the body must be a dashboard: {\"name\": \"…\", \"widgets\": [ … ]}");
        }
        if (body.length() > MAX_BYTES) {
            throw new BadRequestException("a dashboard may be at most " + MAX_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = ApiJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new BadRequestException("the body is not valid JSON");
        }
        if (!(node instanceof ObjectNode d)) {
            throw new BadRequestException("the body must be a JSON object");
        }
        if (!d.path("name").isTextual() || d.path("name").asText().isBlank() || d.path("name").asText().length() > 200) {
            throw new BadRequestException("'name' must be text of 1 to 200 characters");
        }
        if (!d.path("widgets").isArray()) {
            throw new BadRequestException("'widgets' must be an array");
        }
        return d;
    }

    private static void requireId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new BadRequestException("not a dashboard id: '" + TimeRange.abbreviate(String.valueOf(id)) + "'");
        }
    }

    private static String key(String id) {
        return PREFIX + id + ".json";
    }

    private static byte[] bytes(JsonNode d) {
        try {
            return ApiJson.mapper().writeValueAsBytes(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
