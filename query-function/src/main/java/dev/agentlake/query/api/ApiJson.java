package dev.agentlake.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The API's JSON writer. Kept apart from the framework's own mapper so the contract (explicit
 * {@code null}s, key order as built) does not depend on framework defaults.
 */
public final class ApiJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiJson() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write API response", e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
