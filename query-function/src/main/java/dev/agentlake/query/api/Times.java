package dev.agentlake.query.api;

import java.time.Instant;

/** Small conversions shared by the queries: microsecond timestamps and JSON text columns. */
final class Times {
    private Times() {
    }

    /** An ISO-8601 UTC time from DuckDB's epoch microseconds. */
    static String micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L).toString();
    }

    /** A JSON text column as a JSON value (so the API nests it), or the text itself if it is not JSON. */
    static Object json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return ApiJson.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return text;
        }
    }
}
