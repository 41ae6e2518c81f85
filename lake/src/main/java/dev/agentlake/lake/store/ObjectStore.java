package dev.agentlake.lake.store;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The few object operations the lake needs. Every implementation must pass
 * {@code ObjectStoreContract}. Failures: {@link StoreUnavailableException} when the outcome is
 * unknown and a retry may help, {@link StoreException} when it will not.
 */
public interface ObjectStore {

    /** Creates or replaces {@code key}. Returns only once the object is durably stored. */
    void put(String key, byte[] content);

    /**
     * Creates {@code key} only if no object has that key ({@code If-None-Match: *}); the commit point
     * of the snapshot protocol.
     *
     * @return {@code true} if this call created it, {@code false} if it already existed before this call
     * @throws StoreUnavailableException when it cannot tell which: the request may have created the
     *     object (e.g. a retry after a lost answer was refused because the first attempt had succeeded)
     */
    boolean putIfAbsent(String key, byte[] content);

    /** The object's bytes, or empty if there is no such key. */
    Optional<byte[]> get(String key);

    /** Downloads {@code key} to {@code target} (replacing it); false if there is no such key. */
    boolean download(String key, Path target);

    /** Every object whose key starts with {@code prefix}, in key order. */
    List<StoredObject> list(String prefix);

    /** Deletes the keys; missing keys are not an error (deletes are idempotent). */
    void delete(Collection<String> keys);
}
