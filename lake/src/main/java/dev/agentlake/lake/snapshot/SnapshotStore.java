package dev.agentlake.lake.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.StoreUnavailableException;
import dev.agentlake.lake.store.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and commits {@link Snapshot}s in the bucket. The commit point is one object created with
 * put-if-absent ({@code If-None-Match: *}): of two writers building the same next version, exactly
 * one succeeds. Some S3-compatible servers ignore the condition and simply overwrite: whether this
 * store honours it is probed once ({@link #conditionalCreates()}); where it does not, only the
 * holder of the {@link CommitLease} may commit (see docs/lake-format.md, "Required store operations").
 */
public final class SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final Pattern KEY = Pattern.compile("^" + Pattern.quote(LakeLayout.SNAPSHOTS) + "(\\d{20})\\.json$");
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Where the put-if-absent probe writes its throw-away objects (not part of the table data). */
    public static final String PROBES = "_lake/probes/";

    private final ObjectStore store;
    /** The probe's answer, once it gave one: a store does not change its behaviour while we run. */
    private volatile Boolean conditionalCreates;

    public SnapshotStore(ObjectStore store) {
        this.store = store;
    }

    /**
     * Whether the store honours put-if-absent, found out by creating one throw-away object twice: the
     * second create must be refused. Asked once per instance; an inconclusive probe (the store did not
     * answer) is asked again next time and counts as {@code false} meanwhile, the safe answer (a
     * writer then takes the lease, which works on every store).
     */
    public boolean conditionalCreates() {
        Boolean known = conditionalCreates;
        if (known != null) {
            return known;
        }
        // A store that fails a call now and then (a dropped connection, a 503) leaves one probe unclear;
        // a few fresh probes make it very unlikely that a store honouring the condition is taken for one
        // that needs the lease (whose holder, if it dies, blocks commits until the lease expires).
        StoreUnavailableException last = null;
        for (int attempt = 1; attempt <= PROBE_ATTEMPTS; attempt++) {
            try {
                boolean honoured = probe();
                conditionalCreates = honoured;
                return honoured;
            } catch (StoreUnavailableException e) {
                last = e;
            }
        }
        LOG.warn("put-if-absent probe inconclusive ({}); taking the commit lease this time", last.getMessage());
        return false;
    }

    private static final int PROBE_ATTEMPTS = 3;

    /** One probe with a fresh key: whether the second create of it was refused. */
    private boolean probe() {
        String key = PROBES + "put-if-absent-" + java.util.UUID.randomUUID() + ".txt";
        byte[] content = "put-if-absent probe: deleted after use".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            boolean created;
            try {
                created = store.putIfAbsent(key, content);
            } catch (dev.agentlake.lake.store.RefusedAfterRetryException e) {
                // Refused as existing after a retry, for a key nobody else knows: our own first attempt
                // created it and its answer was lost.
                created = true;
            }
            if (!created) {
                // A fresh random key reported as existing: the store's answers cannot be trusted either way.
                LOG.warn("put-if-absent probe: the store refused to create a new key; treating conditional creates as unsupported");
                return false;
            }
            boolean honoured;
            try {
                honoured = !store.putIfAbsent(key, content);
            } catch (dev.agentlake.lake.store.RefusedAfterRetryException e) {
                // Refused as existing after a retry (S3Proxy answers 412 before reading the body, which
                // breaks the connection): only a store that evaluates the condition answers so.
                honoured = true;
            }
            if (!honoured) {
                LOG.warn("this store ignores put-if-absent (If-None-Match: *): commits take the lease {}", CommitLease.KEY);
            }
            return honoured;
        } finally {
            try {
                store.delete(List.of(key));
            } catch (RuntimeException e) {
                LOG.debug("could not delete the probe object {}: {}", key, e.getMessage());
            }
        }
    }

    /** {@code _lake/snapshots/00000000000000000042.json}: zero-padded so key order is version order. */
    public static String key(long version) {
        return LakeLayout.SNAPSHOTS + String.format("%020d", version) + ".json";
    }

    /** The version a snapshot key names, if it is one. */
    public static OptionalLong version(String key) {
        Matcher m = KEY.matcher(key);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** The current state: the snapshot with the highest version, or empty for a lake never compacted. */
    public Optional<Snapshot> latest() {
        List<Long> versions = versions();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Optional<Snapshot> s = read(versions.get(i));
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    /** The highest stored version, 0 when there is none: one listing, for readers checking nothing changed. */
    public long latestVersion() {
        List<Long> versions = versions();
        return versions.isEmpty() ? 0 : versions.get(versions.size() - 1);
    }

    /** The snapshot stored as {@code version}, if any. */
    public Optional<Snapshot> read(long version) {
        return store.get(key(version)).map(SnapshotStore::parse);
    }

    /**
     * Tries to make {@code next} the lake's state. Never throws for the store's sake: an
     * unreachable store is {@link CommitOutcome#UNKNOWN}, since the object may have been created.
     * Unless the store is known to honour put-if-absent (the caller then holds the {@link CommitLease})
     * the version is looked up first, so a snapshot another writer made is never overwritten knowingly.
     */
    public CommitOutcome commit(Snapshot next) {
        if (next.version() < 1) {
            throw new IllegalArgumentException("only versions ≥ 1 are committed, not " + next.version());
        }
        try {
            String key = key(next.version());
            if (!Boolean.TRUE.equals(conditionalCreates) && store.get(key).isPresent()) {
                return CommitOutcome.CONFLICT;
            }
            return store.putIfAbsent(key, write(next)) ? CommitOutcome.COMMITTED : CommitOutcome.CONFLICT;
        } catch (StoreUnavailableException e) {
            return CommitOutcome.UNKNOWN;
        }
    }

    /**
     * Reads the version back after a commit that went unanswered: ours ({@link CommitOutcome#COMMITTED}),
     * another writer's ({@link CommitOutcome#CONFLICT}), or still {@link CommitOutcome#UNKNOWN} — also when
     * the version is absent, since a delayed PUT could still create it and deleting our files is unsafe.
     */
    public CommitOutcome settle(Snapshot ours) {
        try {
            Optional<Snapshot> stored = read(ours.version());
            if (stored.isEmpty()) {
                return CommitOutcome.UNKNOWN;
            }
            return stored.get().equals(ours) ? CommitOutcome.COMMITTED : CommitOutcome.CONFLICT;
        } catch (RuntimeException e) {
            return CommitOutcome.UNKNOWN;
        }
    }

    /** Whether {@code snapshot} is the one stored under its version (settles an UNKNOWN commit). */
    public boolean isStored(Snapshot snapshot) {
        return read(snapshot.version()).filter(snapshot::equals).isPresent();
    }

    /**
     * Deletes all but the {@code keep} newest snapshots (they are history; readers use the newest).
     * Never throws: what is left is deleted by a later call.
     *
     * @return the number of snapshots deleted
     */
    public int expire(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least the newest snapshot");
        }
        try {
            List<Long> versions = versions();
            if (versions.size() <= keep) {
                return 0;
            }
            var old = new ArrayList<String>();
            for (long v : versions.subList(0, versions.size() - keep)) {
                old.add(key(v));
            }
            store.delete(old);
            return old.size();
        } catch (RuntimeException e) {
            LOG.warn("could not expire old snapshots (a later run will): {}", e.getMessage());
            return 0;
        }
    }

    private List<Long> versions() {
        var out = new ArrayList<Long>();
        for (StoredObject o : store.list(LakeLayout.SNAPSHOTS)) {
            version(o.key()).ifPresent(out::add);
        }
        out.sort(null);
        return out;
    }

    public static byte[] write(Snapshot snapshot) {
        try {
            return JSON.writeValueAsBytes(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Snapshot parse(byte[] json) {
        try {
            return JSON.readValue(json, Snapshot.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable snapshot: " + e.getMessage(), e);
        }
    }
}
