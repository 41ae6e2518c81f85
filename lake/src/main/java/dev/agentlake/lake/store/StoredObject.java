package dev.agentlake.lake.store;

import java.time.Instant;
import java.util.Objects;

/** An object as a listing shows it. */
public record StoredObject(String key, long size, String etag, Instant lastModified) {
    public StoredObject {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(etag, "etag is null");
        Objects.requireNonNull(lastModified, "lastModified is null");
    }
}
