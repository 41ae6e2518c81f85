package dev.agentlake.lake.parquet;

import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;

/**
 * Encodes rows of one table as a zstd Parquet file in memory. Landing files are small (one OTLP
 * request), so building the bytes in memory and handing them to one PUT is the simplest path that
 * never leaves a half-written object behind.
 *
 * <p>Rows go straight to parquet-java's column writers (the layer under {@code ParquetWriter}): the
 * schema is flat and every column's value comes from one accessor, so the record-assembly layer
 * ({@code MessageColumnIO}, field markers, null back-filling) is pure overhead here. Columns that hold
 * a value unique to each row or a JSON document get no dictionary and no min/max statistics (see
 * {@link #PER_ROW_TEXT}); on the ingest path those hashes and comparisons of long strings cost as much
 * as the rest of the encoding together.
 */
public final class ParquetRowWriter {
    /**
     * Text columns whose values differ from row to row (ids) or are long JSON documents. A dictionary
     * never pays for itself on them (parquet-java hashes every value, then falls back to plain
     * encoding and re-encodes the lot), and min/max statistics of JSON text help no reader.
     */
    static final Set<String> PER_ROW_TEXT = Set.of(
            "record_id", "call_id", "span_id", "parent_span_id", "request_id", "body",
            "log_attributes", "span_attributes", "point_attributes", "events", "links",
            "bucket_counts", "explicit_bounds", "quantiles", "exponential_buckets");

    /**
     * JSON text that repeats from row to row (one resource per request): a dictionary shrinks it, but
     * statistics over it are as useless as over the per-row JSON.
     */
    static final Set<String> NO_STATISTICS = Set.of("resource_attributes");

    /** A row group is closed once its buffered columns pass this size (only large CLI exports reach it). */
    static final long ROW_GROUP_BYTES = 128L * 1024 * 1024;

    private static final int SIZE_CHECK_EVERY_ROWS = 1024;
    private static final Map<String, String> NO_EXTRA = Map.of();
    private static final Map<TableSchema<?>, ParquetProperties> PROPERTIES = new ConcurrentHashMap<>();
    /**
     * zstd level 1, not parquet-java's default 3: on the landing files' pages (a few hundred kB of
     * attribute JSON per request) level 1 compressed smaller, not larger, in {@code StorageBytes} (logs 173
     * against 185 bytes per record, spans 69/70, metric points 37/38) and costs less CPU per page.
     */
    static final int ZSTD_LEVEL = 1;

    private ParquetRowWriter() {
    }

    /** Writes {@code rows} (in order) as one Parquet file and returns its bytes. */
    public static <T> byte[] write(TableSchema<T> schema, List<T> rows) {
        ParquetProperties properties = PROPERTIES.computeIfAbsent(schema, ParquetRowWriter::properties);
        var out = new InMemoryOutputFile();
        // Pages go straight to zstd-jni, one native context per file, closed with it: parquet-java's
        // CodecFactory would build Hadoop's Configuration (it parses Hadoop's default XML resources on first
        // use, a large part of a cold start) and a codec per file.
        try (ZstdPages compressor = new ZstdPages()) {
            var file = new ParquetFileWriter(out, schema.messageType(), ParquetFileWriter.Mode.OVERWRITE,
                    ROW_GROUP_BYTES, 0, null, properties);
            file.start();
            List<Column<T>> columns = schema.columns();
            List<ColumnDescriptor> descriptors = schema.messageType().getColumns();
            int rowGroup = 0;
            int row = 0;
            while (row < rows.size()) {
                var pages = ColumnChunkPageWriteStore.builder()
                        .withCompressorProvider(d -> compressor)
                        .withSchema(schema.messageType())
                        .withAllocator(properties.getAllocator())
                        .withColumnIndexTruncateLength(properties.getColumnIndexTruncateLength())
                        .withPageWriteChecksumEnabled(properties.getPageWriteChecksumEnabled())
                        .withRowGroupOrdinal(rowGroup)
                        .build();
                ColumnWriteStore store = properties.newColumnWriteStore(schema.messageType(), pages, pages);
                var writers = new ColumnWriter[columns.size()];
                var previous = new Object[columns.size()];
                var previousBinary = new Binary[columns.size()];
                for (int i = 0; i < writers.length; i++) {
                    writers[i] = store.getColumnWriter(descriptors.get(i));
                }
                int first = row;
                for (; row < rows.size(); row++) {
                    writeRow(schema, columns, writers, previous, previousBinary, rows.get(row));
                    store.endRecord();
                    if ((row - first + 1) % SIZE_CHECK_EVERY_ROWS == 0 && store.getBufferedSize() >= ROW_GROUP_BYTES) {
                        row++;
                        break;
                    }
                }
                file.startBlock(row - first);
                store.flush();
                pages.flushToFileWriter(file);
                file.endBlock();
                store.close();
                pages.close();
                rowGroup++;
            }
            file.end(Map.of("agentlake.table", schema.table()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.table() + " rows as Parquet", e);
        }
        return out.bytes.toByteArray();
    }

    private static <T> void writeRow(TableSchema<T> schema, List<Column<T>> columns, ColumnWriter[] writers,
                                     Object[] previous, Binary[] previousBinary, T row) {
        for (int i = 0; i < writers.length; i++) {
            Column<T> c = columns.get(i);
            Object v = row == null ? null : c.value().apply(row);
            // Flat schema: repetition level 0; definition level 1 for a present optional value, 0 for null.
            int defined = c.required() ? 0 : 1;
            if (v == null) {
                if (c.required()) {
                    throw new IllegalArgumentException(schema.table() + "." + c.name() + " is required");
                }
                writers[i].writeNull(0, 0);
                continue;
            }
            ColumnWriter w = writers[i];
            switch (c.type()) {
                case STRING -> {
                    // Rows of one request share strings (its resource's JSON, service name, scope): the
                    // same instance as the row before is the same bytes, and the dictionary finds them
                    // equal by identity instead of comparing them byte by byte.
                    Binary b;
                    if (v == previous[i]) {
                        b = previousBinary[i];
                    } else {
                        b = Binary.fromConstantByteArray(((String) v).getBytes(StandardCharsets.UTF_8));
                        previous[i] = v;
                        previousBinary[i] = b;
                    }
                    w.write(b, 0, defined);
                }
                case LONG, TIMESTAMP -> w.write((long) (Long) v, 0, defined);
                case INT -> w.write((int) (Integer) v, 0, defined);
                case DOUBLE -> w.write((double) (Double) v, 0, defined);
                case BOOLEAN -> w.write((boolean) (Boolean) v, 0, defined);
            }
        }
    }

    private static ParquetProperties properties(TableSchema<?> schema) {
        ParquetProperties.Builder b = ParquetProperties.builder()
                .withDictionaryEncoding(true)
                .withExtraMetaData(NO_EXTRA);
        for (Column<?> c : schema.columns()) {
            if (c.type() == ColumnType.STRING && PER_ROW_TEXT.contains(c.name())) {
                b.withDictionaryEncoding(c.name(), false).withStatisticsEnabled(c.name(), false);
            } else if (NO_STATISTICS.contains(c.name())) {
                b.withStatisticsEnabled(c.name(), false);
            }
        }
        return b.build();
    }

    /** Compresses each page as one zstd frame (what parquet-java's ZSTD codec writes, readable by any reader). */
    private static final class ZstdPages implements BytesInputCompressor, AutoCloseable {
        private final ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            return BytesInput.from(zstd.compress(bytes.toByteArray()));
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.ZSTD;
        }

        @Override
        public void release() {
            // closed by the file that opened it
        }

        @Override
        public void close() {
            zstd.close();
        }
    }

    private static final class InMemoryOutputFile implements OutputFile {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return stream();
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            bytes.reset();
            return stream();
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        @Override
        public String getPath() {
            return "memory";
        }

        private PositionOutputStream stream() {
            return new PositionOutputStream() {
                @Override
                public long getPos() {
                    return bytes.size();
                }

                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.write(b, off, len);
                }
            };
        }
    }
}
