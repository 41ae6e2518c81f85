package dev.agentlake.lake.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Encodes rows of one table as a zstd Parquet file in memory. Landing files are small (one OTLP
 * request), so building the bytes in memory and handing them to one PUT is the simplest path that
 * never leaves a half-written object behind.
 */
public final class ParquetRowWriter {
    private ParquetRowWriter() {
    }

    /** Writes {@code rows} (in order) as one Parquet file and returns its bytes. */
    public static <T> byte[] write(TableSchema<T> schema, List<T> rows) {
        var out = new InMemoryOutputFile();
        try (ParquetWriter<T> writer = new RowWriterBuilder<>(out, schema)
                .withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withDictionaryEncoding(true)
                .build()) {
            for (T row : rows) {
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.table() + " rows as Parquet", e);
        }
        return out.bytes.toByteArray();
    }

    private static final class RowWriterBuilder<T> extends ParquetWriter.Builder<T, RowWriterBuilder<T>> {
        private final TableSchema<T> schema;

        RowWriterBuilder(OutputFile file, TableSchema<T> schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected RowWriterBuilder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            return new RowWriteSupport<>(schema);
        }

        @Override
        protected WriteSupport<T> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport<>(schema);
        }
    }

    private static final class RowWriteSupport<T> extends WriteSupport<T> {
        private final TableSchema<T> schema;
        private RecordConsumer consumer;

        RowWriteSupport(TableSchema<T> schema) {
            this.schema = schema;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema.messageType(), Map.of("agentlake.table", schema.table()));
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema.messageType(), Map.of("agentlake.table", schema.table()));
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(T row) {
            consumer.startMessage();
            List<Column<T>> columns = schema.columns();
            for (int i = 0; i < columns.size(); i++) {
                Column<T> c = columns.get(i);
                Object v = c.value().apply(row);
                if (v == null) {
                    if (c.required()) {
                        throw new IllegalArgumentException(schema.table() + "." + c.name() + " is required");
                    }
                    continue;
                }
                consumer.startField(c.name(), i);
                switch (c.type()) {
                    case STRING -> consumer.addBinary(Binary.fromConstantByteArray(
                            ((String) v).getBytes(StandardCharsets.UTF_8)));
                    case LONG, TIMESTAMP -> consumer.addLong((Long) v);
                    case INT -> consumer.addInteger((Integer) v);
                    case DOUBLE -> consumer.addDouble((Double) v);
                    case BOOLEAN -> consumer.addBoolean((Boolean) v);
                }
                consumer.endField(c.name(), i);
            }
            consumer.endMessage();
        }
    }

    private static final class InMemoryOutputFile implements OutputFile {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);

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
