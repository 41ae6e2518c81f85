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
import java.util.function.ToLongFunction;

/**
 * Writes imported rows to {@code landing/<signal>/dt=<UTC date>/<content hash>.parquet}: one file
 * per date and chunk, rows sorted by time, named by the SHA-256 of the file's bytes. The same rows
 * imported twice make the same object, so a repeated import overwrites instead of adding.
 */
public final class LandingFiles {
    /** Rows per landing file: large enough for few PUTs, small enough to build in memory. */
    static final int CHUNK_ROWS = 100_000;

    private final ObjectStore store;
    private final boolean dryRun;
    private final List<String> written = new ArrayList<>();
    private long bytes;

    /** @param store null or {@code dryRun} true: encode nothing, write nothing, only count */
    public LandingFiles(ObjectStore store, boolean dryRun) {
        this.store = store;
        this.dryRun = dryRun || store == null;
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
        if (rows.isEmpty()) {
            return;
        }
        Map<LocalDate, List<T>> byDate = new TreeMap<>();
        for (T row : rows) {
            long nanos = time.applyAsLong(row);
            LocalDate dt = LakeLayout.dateOf(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L)));
            byDate.computeIfAbsent(dt, d -> new ArrayList<>()).add(row);
        }
        for (var e : byDate.entrySet()) {
            List<T> sorted = new ArrayList<>(e.getValue());
            sorted.sort(order);
            for (int from = 0; from < sorted.size(); from += CHUNK_ROWS) {
                List<T> chunk = sorted.subList(from, Math.min(sorted.size(), from + CHUNK_ROWS));
                if (dryRun) {
                    continue;
                }
                byte[] parquet = ParquetRowWriter.write(schema, chunk);
                MessageDigest sha = JsonlFile.sha256();
                String hash = HexFormat.of().formatHex(sha.digest(parquet), 0, 20);
                String key = LakeLayout.landingKey(signal, e.getKey(), hash);
                store.put(key, parquet);
                written.add(key);
                bytes += parquet.length;
            }
        }
    }

    /** Keys written so far, in order. */
    public List<String> written() {
        return List.copyOf(written);
    }

    public long bytes() {
        return bytes;
    }
}
