package dev.agentlake.compactor;

import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoreUnavailableException;
import dev.agentlake.lake.store.StoredObject;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real store with one fault injected at the Nth call (counting every operation):
 * <ul>
 *   <li>{@link Fault#FAIL}: that call fails before reaching the store (a transient outage);</li>
 *   <li>{@link Fault#LOSE_RESPONSE}: that call is done, then reported as failed (the response was lost);</li>
 *   <li>{@link Fault#KILL}: that call and every later one fail (the process died at that point).</li>
 * </ul>
 * With N = 0 it only counts.
 */
final class FaultyObjectStore implements ObjectStore {
    enum Fault { FAIL, LOSE_RESPONSE, KILL }

    private final ObjectStore store;
    private final int failAt;
    private final Fault fault;
    private final AtomicInteger calls = new AtomicInteger();

    FaultyObjectStore(ObjectStore store, int failAt, Fault fault) {
        this.store = store;
        this.failAt = failAt;
        this.fault = fault;
    }

    static FaultyObjectStore counting(ObjectStore store) {
        return new FaultyObjectStore(store, 0, Fault.FAIL);
    }

    int calls() {
        return calls.get();
    }

    private <T> T call(String what, Supplier<T> op) {
        int n = calls.incrementAndGet();
        boolean hit = failAt > 0 && (n == failAt || (fault == Fault.KILL && n > failAt));
        if (!hit) {
            return op.get();
        }
        if (fault == Fault.LOSE_RESPONSE) {
            op.get();
        }
        throw new StoreUnavailableException("injected fault at call " + n + " (" + what + ")", null);
    }

    @Override
    public void put(String key, byte[] content) {
        call("put " + key, () -> {
            store.put(key, content);
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content) {
        return call("put-if-absent " + key, () -> store.putIfAbsent(key, content));
    }

    @Override
    public Optional<byte[]> get(String key) {
        return call("get " + key, () -> store.get(key));
    }

    @Override
    public boolean download(String key, Path target) {
        return call("download " + key, () -> store.download(key, target));
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return call("list " + prefix, () -> store.list(prefix));
    }

    @Override
    public void delete(Collection<String> keys) {
        call("delete " + keys.size(), () -> {
            store.delete(keys);
            return null;
        });
    }
}
