package dev.agentlake.ingest;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.store.ObjectStore;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Stores one accepted request's rows as one Parquet object under {@code landing/}. The key is the
 * request's content hash, so a retried request overwrites its own object instead of adding a copy;
 * the {@code dt=} folder is the UTC date of the request's earliest record, which depends on the
 * content alone and so is the same on every retry.
 */
@Singleton
public final class LandingWriter {
    private final ObjectStore store;

    LandingWriter(ObjectStore store) {
        this.store = store;
    }

    /**
     * Writes the rows and returns the key, once the store has acknowledged the object.
     *
     * @throws dev.agentlake.lake.store.StoreUnavailableException when the store cannot be reached
     */
    public <R> String write(Signal signal, String contentHash, TableSchema<R> schema, List<R> rows,
                            ToLongFunction<R> eventTimeNanos) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("nothing to write");
        }
        long earliest = Long.MAX_VALUE;
        for (R row : rows) {
            earliest = Math.min(earliest, eventTimeNanos.applyAsLong(row));
        }
        LocalDate date = LakeLayout.dateOf(Instant.ofEpochSecond(0, earliest));
        String key = LakeLayout.landingKey(signal, date, contentHash);
        store.put(key, ParquetRowWriter.write(schema, rows));
        return key;
    }
}
