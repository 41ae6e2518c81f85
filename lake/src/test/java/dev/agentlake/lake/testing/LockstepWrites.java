package dev.agentlake.lake.testing;

import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoredObject;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store whose first {@code writers} plain puts of one key happen in lockstep: each waits until all
 * of them have arrived (so every writer read the key before any wrote it), writes, and returns only
 * once all have written. A race of writers that "ask together" then has its worst interleaving every
 * time, however the machine schedules the threads; a fixed pause between a read and a write cannot
 * promise that on a loaded machine. Later puts, and everything else, go straight through.
 */
public final class LockstepWrites implements ObjectStore {
    private static final long WAIT_SECONDS = 120;

    private final ObjectStore delegate;
    private final String key;
    private final int writers;
    private final CyclicBarrier barrier;
    private final AtomicInteger puts = new AtomicInteger();

    public LockstepWrites(ObjectStore delegate, String key, int writers) {
        this.delegate = Objects.requireNonNull(delegate, "delegate is null");
        this.key = Objects.requireNonNull(key, "key is null");
        if (writers < 2) {
            throw new IllegalArgumentException("a lockstep needs at least two writers");
        }
        this.writers = writers;
        this.barrier = new CyclicBarrier(writers);
    }

    @Override
    public void put(String key, byte[] content) {
        if (!this.key.equals(key) || puts.getAndIncrement() >= writers) {
            delegate.put(key, content);
            return;
        }
        await("all " + writers + " writers to arrive");
        delegate.put(key, content);
        await("all " + writers + " writers to have written");
    }

    private void await(String what) {
        try {
            barrier.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("waited for " + what + " of " + key, e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content) {
        return delegate.putIfAbsent(key, content);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return delegate.get(key);
    }

    @Override
    public boolean download(String key, Path target) {
        return delegate.download(key, target);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void delete(Collection<String> keys) {
        delegate.delete(keys);
    }
}
