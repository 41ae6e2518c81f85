package dev.agentlake.lake.snapshot;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.agentlake.lake.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to commit, for stores that ignore put-if-absent (docs/lake-format.md, "Writers on a store
 * without conditional creates"). Without conditional creates two writers could both "create" the
 * next snapshot, the later silently replacing the earlier, so only the holder of this lease runs.
 *
 * <p>The lease is one object, {@value #KEY}, naming its owner and when it expires. Taking it cannot
 * be atomic on such a store, so it is taken by write-then-verify: a writer reads it (another owner's
 * unexpired lease: refuse), writes its own, waits {@code settle} so that a rival who read the lease
 * at the same time has written too, and reads it back: of writers racing, only the last to write
 * still finds its own lease. The holder checks the lease again just before it commits, and gives it
 * back when done; a holder that crashed blocks others until its lease expires.
 */
public final class CommitLease {
    // Under _lake/, where the compactor may write on AWS (its role has no _state/ rights but dashboards').
    public static final String KEY = "_lake/compactor.lease";
    private static final Logger LOG = LoggerFactory.getLogger(CommitLease.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectStore store;
    private final Clock clock;
    private final Duration settle;

    /**
     * @param settle how long a writer waits between writing the lease and reading it back: longer than
     *     the time between a rival's read and its write, so that both writes have landed
     */
    public CommitLease(ObjectStore store, Clock clock, Duration settle) {
        this.store = Objects.requireNonNull(store, "store is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        if (settle == null || settle.isNegative()) {
            throw new IllegalArgumentException("settle must be zero or positive");
        }
        this.settle = settle;
    }

    /** The lease object's content. A lease whose {@code expires_at} has passed is free to take. */
    public record Holder(
            @JsonProperty("owner") String owner,
            @JsonProperty("acquired_at") Instant acquiredAt,
            @JsonProperty("expires_at") Instant expiresAt) {
        public Holder {
            Objects.requireNonNull(owner, "owner is null");
            Objects.requireNonNull(acquiredAt, "acquired_at is null");
            Objects.requireNonNull(expiresAt, "expires_at is null");
            if (!expiresAt.isAfter(acquiredAt)) {
                throw new IllegalArgumentException("a lease expires after it is taken");
            }
        }

        boolean liveAt(Instant now) {
            return expiresAt.isAfter(now);
        }
    }

    /**
     * Takes the lease for {@code owner} for {@code duration}.
     *
     * @return the lease held, or empty when another owner holds an unexpired lease (before or after
     *     our write: a rival wrote after us)
     */
    public Optional<Holder> acquire(String owner, Duration duration) {
        Instant now = clock.instant();
        Optional<Holder> current = read();
        if (current.isPresent() && current.get().liveAt(now) && !current.get().owner().equals(owner)) {
            LOG.info("the commit lease is held by {} until {}", current.get().owner(), current.get().expiresAt());
            return Optional.empty();
        }
        Holder mine = new Holder(owner, now, now.plus(duration));
        store.put(KEY, write(mine));
        pause(settle);
        Optional<Holder> back = read();
        if (back.filter(mine::equals).isEmpty()) {
            LOG.info("the commit lease was taken by {} at the same time", back.map(Holder::owner).orElse("(nobody: deleted)"));
            return Optional.empty();
        }
        return Optional.of(mine);
    }

    /** Whether {@code lease} is still the stored lease and has not expired: checked just before a commit. */
    public boolean holds(Holder lease) {
        return lease.liveAt(clock.instant()) && read().filter(lease::equals).isPresent();
    }

    /** Gives the lease back if it is still ours. Never throws: an unreleased lease expires by itself. */
    public void release(Holder lease) {
        try {
            if (read().filter(lease::equals).isPresent()) {
                store.delete(List.of(KEY));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not release the commit lease (it expires at {}): {}", lease.expiresAt(), e.getMessage());
        }
    }

    /** The stored lease, if any; an unreadable one counts as none (it is replaced). */
    public Optional<Holder> read() {
        Optional<byte[]> bytes = store.get(KEY);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(bytes.get(), Holder.class));
        } catch (IOException | RuntimeException e) {
            LOG.warn("unreadable commit lease {} is treated as free: {}", KEY, e.getMessage());
            return Optional.empty();
        }
    }

    static byte[] write(Holder lease) {
        try {
            return JSON.writeValueAsBytes(lease);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking the commit lease", e);
        }
    }
}
