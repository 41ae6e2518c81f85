package dev.agentlake.lake.parquet;

/** The physical and logical Parquet types the lake uses, with the Java value each column yields. */
public enum ColumnType {
    /** UTF-8 string; value {@link String}. */
    STRING,
    /** Signed 64-bit integer; value {@link Long}. */
    LONG,
    /** Signed 32-bit integer; value {@link Integer}. */
    INT,
    /** IEEE double; value {@link Double}. */
    DOUBLE,
    /** Boolean; value {@link Boolean}. */
    BOOLEAN,
    /** Instant in microseconds since the epoch, UTC-adjusted; value {@link Long} (micros). */
    TIMESTAMP
}
