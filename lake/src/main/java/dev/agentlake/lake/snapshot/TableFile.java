package dev.agentlake.lake.snapshot;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One live Parquet file of a compacted table.
 *
 * @param key the object key, {@code tables/<table>/dt=<dt>/<name>.parquet}
 * @param rows row count, so readers and reports need not open the file to count
 */
public record TableFile(
        @JsonProperty("table") String table,
        @JsonProperty("key") String key,
        @JsonProperty("dt") LocalDate dt,
        @JsonProperty("rows") long rows,
        @JsonProperty("bytes") long bytes) {

    public TableFile {
        Objects.requireNonNull(table, "table is null");
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(dt, "dt is null");
        if (!key.startsWith("tables/" + table + "/dt=" + dt + "/") || !key.endsWith(".parquet")) {
            throw new IllegalArgumentException("table file key " + key + " is not under tables/" + table + "/dt=" + dt + "/");
        }
        if (rows < 0 || bytes < 0) {
            throw new IllegalArgumentException("negative size for " + key);
        }
    }
}
