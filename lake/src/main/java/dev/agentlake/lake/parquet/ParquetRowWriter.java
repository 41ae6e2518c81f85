package dev.agentlake.lake.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.MicroSeconds;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.TimeUnit;
import org.apache.parquet.format.TimestampType;
import org.apache.parquet.format.TypeDefinedOrder;
import org.apache.parquet.format.Util;

/**
 * Encodes rows of one table as a zstd Parquet file in memory. Landing files are small (one OTLP
 * request), so building the bytes in memory and handing them to one PUT is the simplest path that
 * never leaves a half-written object behind.
 *
 * <p>The file is written here, page by page, following the Parquet format (data pages v1, PLAIN values,
 * dictionary pages for repeated text, RLE/bit-packed definition levels, Thrift page headers and footer
 * from parquet-format-structures). parquet-java's column writers were the larger half of the ingest's
 * CPU: per value they updated level encoders, statistics, size statistics and a dictionary of hashed
 * {@code Binary} objects, and checked page sizes. The lake's schemas are flat and every column's values
 * come from one accessor, so a column is kept as an array of primitives, bytes or dictionary ids and
 * each page is one copy of it. Readers see an ordinary Parquet file: DuckDB reads it in every test.
 */
public final class ParquetRowWriter {
    /**
     * Text columns whose values differ from row to row (ids) or are long JSON documents: a dictionary
     * never pays for itself on them, and min/max statistics of JSON text help no reader.
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

    /** A page holds at most this many rows or about this many bytes of values (parquet-java's defaults). */
    static final int PAGE_ROWS = 20_000;
    static final int PAGE_BYTES = 1024 * 1024;

    /**
     * zstd level 1, not parquet-java's default 3: on the landing files' pages (a few hundred kB of
     * attribute JSON per request) level 1 compressed smaller, not larger, in {@code StorageBytes} (logs 173
     * against 185 bytes per record, spans 69/70, metric points 37/38) and costs less CPU per page.
     */
    static final int ZSTD_LEVEL = 1;

    private static final int SIZE_CHECK_EVERY_ROWS = 1024;
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final String CREATED_BY = "agentlake version 0.1.0";
    private static final Map<TableSchema<?>, Layout> LAYOUTS = new ConcurrentHashMap<>();
    /**
     * Each thread's file, page and compression buffers, kept between files: allocating (and zeroing)
     * them per landing file was a tenth of the encoding's time. A buffer grown past 8 MB by a large
     * export is let go after its file.
     */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private ParquetRowWriter() {
    }

    /** Writes {@code rows} (in order) as one Parquet file and returns its bytes. */
    public static <T> byte[] write(TableSchema<T> schema, List<T> rows) {
        return write(schema, rows, ROW_GROUP_BYTES);
    }

    /** As {@link #write(TableSchema, List)}, closing row groups at {@code rowGroupBytes} (tests use small ones). */
    static <T> byte[] write(TableSchema<T> schema, List<T> rows, long rowGroupBytes) {
        Layout layout = LAYOUTS.computeIfAbsent(schema, Layout::of);
        List<Column<T>> columns = schema.columns();
        Buffers buffers = BUFFERS.get();
        ByteSink file = buffers.file;
        file.reset();
        file.write(MAGIC);
        var groups = new ArrayList<RowGroup>();
        try (var zstd = new ZstdCompressCtx().setLevel(ZSTD_LEVEL)) {
            var pages = new Pages(zstd, buffers);
            int row = 0;
            while (row < rows.size()) {
                int capacity = Math.min(rows.size() - row, 64 * 1024);
                var values = new ColumnValues[columns.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = ColumnValues.of(schema.table(), columns.get(i), capacity, layout.dictionary[i],
                            layout.statistics[i]);
                }
                int first = row;
                // Column by column, a block of rows at a time: each column's loop calls one kind of
                // ColumnValues, so the JIT inlines its append instead of dispatching per value.
                while (row < rows.size()) {
                    int end = Math.min(rows.size(), row + SIZE_CHECK_EVERY_ROWS);
                    for (int i = 0; i < values.length; i++) {
                        values[i].addAll(rows, row, end, columns.get(i).value());
                    }
                    row = end;
                    if (buffered(values) >= rowGroupBytes) {
                        break;
                    }
                }
                groups.add(rowGroup(file, layout, values, row - first, groups.size(), pages));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.table() + " rows as Parquet", e);
        }
        var meta = new FileMetaData(1, layout.schema, rows.size(), groups)
                .setKey_value_metadata(List.of(new KeyValue("agentlake.table").setValue(schema.table())))
                .setCreated_by(CREATED_BY)
                .setColumn_orders(layout.orders);
        try {
            int footerStart = file.size();
            Util.writeFileMetaData(meta, file);
            file.writeIntLE(file.size() - footerStart);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.table() + " rows as Parquet", e);
        }
        file.write(MAGIC);
        byte[] bytes = file.toByteArray();
        if (buffers.oversized()) {
            BUFFERS.remove();
        }
        return bytes;
    }

    private static final class Buffers {
        static final int KEEP_BYTES = 8 * 1024 * 1024;
        final ByteSink file = new ByteSink(256 * 1024);
        final ByteSink page = new ByteSink(64 * 1024);
        byte[] compressed = new byte[64 * 1024];

        boolean oversized() {
            return file.array().length > KEEP_BYTES || page.array().length > KEEP_BYTES
                    || compressed.length > KEEP_BYTES;
        }
    }

    private static long buffered(ColumnValues[] values) {
        long n = 0;
        for (ColumnValues v : values) {
            n += v.bufferedBytes();
        }
        return n;
    }

    private static RowGroup rowGroup(ByteSink file, Layout layout, ColumnValues[] values, int rowCount, int ordinal,
                                     Pages pages) throws IOException {
        long start = file.size();
        long uncompressed = 0;
        long compressed = 0;
        var chunks = new ArrayList<ColumnChunk>(values.length);
        for (int i = 0; i < values.length; i++) {
            ColumnChunk chunk = chunk(file, layout, i, values[i], pages);
            uncompressed += chunk.getMeta_data().getTotal_uncompressed_size();
            compressed += chunk.getMeta_data().getTotal_compressed_size();
            chunks.add(chunk);
        }
        return new RowGroup(chunks, uncompressed, rowCount)
                .setFile_offset(start)
                .setTotal_compressed_size(compressed)
                .setOrdinal((short) ordinal);
    }

    /** One column chunk: its dictionary page if any, then data pages of at most PAGE_ROWS / ~PAGE_BYTES. */
    private static ColumnChunk chunk(ByteSink file, Layout layout, int column, ColumnValues values, Pages pages)
            throws IOException {
        values.finish();
        long start = file.size();
        long[] sizes = new long[2]; // uncompressed, compressed, page headers included
        Long dictionaryOffset = null;
        ByteSink page = pages.page;
        page.reset();
        if (values.writeDictionary(page)) {
            dictionaryOffset = start;
            var header = new PageHeader(PageType.DICTIONARY_PAGE, 0, 0)
                    .setDictionary_page_header(new DictionaryPageHeader(values.dictionarySize(), Encoding.PLAIN));
            pages.write(file, header, sizes);
        }
        long dataOffset = file.size();
        Encoding encoding = values.encoding();
        int row = 0;
        int value = 0;
        do {
            int endRow = row;
            int endValue = value;
            long bytes = 0;
            if (row == 0 && values.rows <= PAGE_ROWS && values.bufferedBytes() <= PAGE_BYTES) {
                endRow = values.rows;
                endValue = values.values;
            } else {
                while (endRow < values.rows && endRow - row < PAGE_ROWS && bytes < PAGE_BYTES) {
                    if (values.required || values.defined[endRow]) {
                        bytes += values.valueBytes(endValue);
                        endValue++;
                    }
                    endRow++;
                }
            }
            page.reset();
            if (!values.required) {
                int at = page.size();
                page.writeIntLE(0);
                page.writeLevels(values.defined, row, endRow);
                page.putIntLE(at, page.size() - at - 4);
            }
            values.writeValues(page, value, endValue);
            var header = new PageHeader(PageType.DATA_PAGE, 0, 0)
                    .setData_page_header(new DataPageHeader(endRow - row, encoding, Encoding.RLE, Encoding.RLE));
            pages.write(file, header, sizes);
            row = endRow;
            value = endValue;
        } while (row < values.rows);
        List<Encoding> encodings = encoding == Encoding.RLE_DICTIONARY
                ? List.of(Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY)
                : List.of(Encoding.PLAIN, Encoding.RLE);
        var meta = new ColumnMetaData(layout.types[column], encodings, List.of(layout.names[column]),
                CompressionCodec.ZSTD, values.rows, sizes[0], sizes[1], dataOffset)
                .setStatistics(values.statistics());
        if (dictionaryOffset != null) {
            meta.setDictionary_page_offset(dictionaryOffset);
        }
        return new ColumnChunk(start).setMeta_data(meta);
    }

    /** Compresses each page as one zstd frame (what parquet-java's ZSTD codec writes) behind its header. */
    private static final class Pages {
        final ByteSink page;
        private final ZstdCompressCtx zstd;
        private final Buffers buffers;

        Pages(ZstdCompressCtx zstd, Buffers buffers) {
            this.zstd = zstd;
            this.buffers = buffers;
            this.page = buffers.page;
        }

        /** Writes {@link #page} compressed, after {@code header} (its sizes filled in here). */
        void write(ByteSink file, PageHeader header, long[] sizes) throws IOException {
            int bound = (int) Zstd.compressBound(page.size());
            if (buffers.compressed.length < bound) {
                buffers.compressed = new byte[Math.max(bound, buffers.compressed.length * 2)];
            }
            byte[] compressed = buffers.compressed;
            int n = zstd.compressByteArray(compressed, 0, compressed.length, page.array(), 0, page.size());
            header.setUncompressed_page_size(page.size()).setCompressed_page_size(n);
            int headerStart = file.size();
            Util.writePageHeader(header, file);
            int headerBytes = file.size() - headerStart;
            file.write(compressed, 0, n);
            sizes[0] += headerBytes + page.size();
            sizes[1] += headerBytes + n;
        }
    }

    /** What a table's files share: the footer's schema and column orders, each column's type and encoding. */
    private static final class Layout {
        final List<SchemaElement> schema = new ArrayList<>();
        final List<ColumnOrder> orders = new ArrayList<>();
        final String[] names;
        final org.apache.parquet.format.Type[] types;
        final boolean[] dictionary;
        final boolean[] statistics;

        private Layout(int n) {
            names = new String[n];
            types = new org.apache.parquet.format.Type[n];
            dictionary = new boolean[n];
            statistics = new boolean[n];
        }

        static Layout of(TableSchema<?> table) {
            List<? extends Column<?>> columns = table.columns();
            var layout = new Layout(columns.size());
            layout.schema.add(new SchemaElement(table.table()).setNum_children(columns.size()));
            for (int i = 0; i < columns.size(); i++) {
                Column<?> c = columns.get(i);
                layout.names[i] = c.name();
                layout.types[i] = ColumnValues.physicalType(c.type());
                boolean text = c.type() == ColumnType.STRING;
                layout.dictionary[i] = text && !PER_ROW_TEXT.contains(c.name());
                layout.statistics[i] = !(text && PER_ROW_TEXT.contains(c.name())) && !NO_STATISTICS.contains(c.name());
                var element = new SchemaElement(c.name())
                        .setType(layout.types[i])
                        .setRepetition_type(c.required() ? FieldRepetitionType.REQUIRED : FieldRepetitionType.OPTIONAL);
                if (text) {
                    element.setConverted_type(ConvertedType.UTF8).setLogicalType(LogicalType.STRING(new StringType()));
                } else if (c.type() == ColumnType.TIMESTAMP) {
                    element.setConverted_type(ConvertedType.TIMESTAMP_MICROS).setLogicalType(
                            LogicalType.TIMESTAMP(new TimestampType(true, TimeUnit.MICROS(new MicroSeconds()))));
                }
                layout.schema.add(element);
                layout.orders.add(ColumnOrder.TYPE_ORDER(new TypeDefinedOrder()));
            }
            return layout;
        }
    }
}
