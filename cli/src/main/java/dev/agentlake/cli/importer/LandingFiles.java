package dev.agentlake.cli.importer;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.model.UsageRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.store.ObjectStore;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.ToLongFunction;

/**
 * Writes imported rows to {@code landing/<signal>/dt=<UTC date>/<content hash>.parquet}: one file
 * per date and chunk, rows sorted by time, named by the SHA-256 of the file's bytes. The same rows
 * imported twice make the same object, so a repeated import overwrites instead of adding.
 *
 * <p>Each date's files are sorted, encoded, hashed and stored as one task on the given executor, so
 * that the dates of a batch are written on all cores while the caller reads on; {@link #await()} waits
 * for them. The files are the same whichever thread writes them: only the dates' rows decide them.
 */
public final class LandingFiles {
    /** Rows per landing file: large enough for few PUTs, small enough to build in memory. */
    static final int CHUNK_ROWS = 100_000;

    /** A file stored. */
    private record Stored(String key, long bytes) {
    }

    private final ObjectStore store;
    private final boolean dryRun;
    private final Executor encoders;
    /** Each date's files, in the order the dates were handed in (so {@link #written()} does not depend on timing). */
    private final List<CompletableFuture<List<Stored>>> dates = new ArrayList<>();

    /** @param store null or {@code dryRun} true: encode nothing, write nothing, only count */
    public LandingFiles(ObjectStore store, boolean dryRun) {
        this(store, dryRun, Runnable::run);
    }

    /** @param encoders where each date's files are encoded and stored ({@code Runnable::run}: at once, on the caller) */
    LandingFiles(ObjectStore store, boolean dryRun, Executor encoders) {
        this.store = store;
        this.dryRun = dryRun || store == null;
        this.encoders = encoders;
    }

    public void writeUsage(List<UsageRow> rows) {
        write(Signal.USAGE, LakeSchemas.USAGE, rows, UsageRow::timeUnixNano,
                Comparator.comparingLong(UsageRow::timeUnixNano).thenComparing(UsageRow::callId));
    }

    public void writeLogs(List<LogRow> rows) {
        write(Signal.LOGS, LakeSchemas.LOGS, rows, LogRow::timeUnixNano,
                Comparator.comparingLong(LogRow::timeUnixNano).thenComparing(LogRow::recordId));
    }

    private <T> void write(Signal signal, TableSchema<T> schema, List<T> rows, ToLongFunction<T> time,
                           Comparator<T> order) {
        if (rows.isEmpty() || dryRun) {
            return;
        }
        Map<LocalDate, List<T>> byDate = new TreeMap<>();
        for (T row : rows) {
            long nanos = time.applyAsLong(row);
            LocalDate dt = LakeLayout.dateOf(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L)));
            byDate.computeIfAbsent(dt, d -> new ArrayList<>()).add(row);
        }
        for (var e : byDate.entrySet()) {
            dates.add(CompletableFuture.supplyAsync(() -> store(signal, schema, e.getKey(), e.getValue(), order),
                    encoders));
        }
    }

    /** One date's rows (a list of this class's own, sorted in place) as sorted files of at most {@link #CHUNK_ROWS}. */
    private <T> List<Stored> store(Signal signal, TableSchema<T> schema, LocalDate date, List<T> rows,
                                   Comparator<T> order) {
        rows.sort(order);
        var stored = new ArrayList<Stored>();
        for (int from = 0; from < rows.size(); from += CHUNK_ROWS) {
            List<T> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK_ROWS));
            byte[] parquet = ParquetRowWriter.write(schema, chunk);
            MessageDigest sha = JsonlFile.sha256();
            String hash = HexFormat.of().formatHex(sha.digest(parquet), 0, 20);
            String key = LakeLayout.landingKey(signal, date, hash);
            store.put(key, parquet);
            stored.add(new Stored(key, parquet.length));
        }
        return stored;
    }

    /**
     * Waits until every file handed in so far is stored (all of them, also when one failed, so that no
     * write is still running when the caller goes on); the first failure is then thrown.
     */
    public void await() {
        RuntimeException failure = null;
        for (CompletableFuture<List<Stored>> date : dates) {
            try {
                date.join();
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else if (failure != cause) {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Keys written, in order (waits for the files still being written). */
    public List<String> written() {
        await();
        var keys = new ArrayList<String>();
        for (CompletableFuture<List<Stored>> date : dates) {
            date.join().forEach(s -> keys.add(s.key()));
        }
        return keys;
    }

    /** Bytes written (waits for the files still being written). */
    public long bytes() {
        await();
        long bytes = 0;
        for (CompletableFuture<List<Stored>> date : dates) {
            for (Stored s : date.join()) {
                bytes += s.bytes();
            }
        }
        return bytes;
    }
}
