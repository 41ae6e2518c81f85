package dev.agentlake.lake.parquet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.format.Type;

/**
 * The values of one column in one row group, kept in the form its pages are written in: a definition
 * flag per row (optional columns) and the present values as primitives, bytes or dictionary ids.
 */
abstract class ColumnValues {
    /** Above this size a string column's dictionary is dropped for plain values (parquet-java's default). */
    static final int MAX_DICTIONARY_BYTES = 1024 * 1024;

    final String name;
    final boolean required;
    boolean[] defined;
    int rows;
    int values;

    ColumnValues(String name, boolean required, int capacity) {
        this.name = name;
        this.required = required;
        this.defined = required ? null : new boolean[capacity];
    }

    static ColumnValues of(String table, Column<?> column, int capacity, boolean dictionary, boolean statistics) {
        String name = table + "." + column.name();
        boolean required = column.required();
        return switch (column.type()) {
            case STRING -> new Strings(name, required, capacity, dictionary, statistics);
            case LONG, TIMESTAMP -> new Longs(name, required, capacity);
            case INT -> new Ints(name, required, capacity);
            case DOUBLE -> new Doubles(name, required, capacity);
            case BOOLEAN -> new Booleans(name, required, capacity);
        };
    }

    static Type physicalType(ColumnType type) {
        return switch (type) {
            case STRING -> Type.BYTE_ARRAY;
            case LONG, TIMESTAMP -> Type.INT64;
            case INT -> Type.INT32;
            case DOUBLE -> Type.DOUBLE;
            case BOOLEAN -> Type.BOOLEAN;
        };
    }

    /**
     * Adds the values {@code value} yields for {@code rows[from..to)} (a null row yields null). Each kind
     * has its own copy of this loop so that its call of {@link #append} is not a virtual call per value.
     */
    abstract <T> void addAll(List<T> rows, int from, int to, Function<T, ?> value);

    /** Records whether the next row has a value, and returns it (refusing null in a required column). */
    final Object define(Object v) {
        if (required) {
            if (v == null) {
                throw new IllegalArgumentException(name + " is required");
            }
        } else {
            if (rows == defined.length) {
                defined = Arrays.copyOf(defined, rows * 2);
            }
            defined[rows] = v != null;
        }
        rows++;
        return v;
    }

    static <T> Object valueOf(List<T> rows, int r, Function<T, ?> value) {
        T row = rows.get(r);
        return row == null ? null : value.apply(row);
    }

    /** Stores {@code v} as value number {@link #values}. */
    abstract void append(Object v);

    /** Roughly the bytes held, for closing a row group. */
    abstract long bufferedBytes();

    /** Bytes of value {@code k} in its page, for cutting pages. */
    abstract int valueBytes(int k);

    /** Called once after the last row: settles the encoding. */
    void finish() {
    }

    /** The dictionary page's values (PLAIN), or false when the column is not dictionary-encoded. */
    boolean writeDictionary(ByteSink out) {
        return false;
    }

    int dictionarySize() {
        return 0;
    }

    Encoding encoding() {
        return Encoding.PLAIN;
    }

    /** Values {@code from..to} (present values, not rows) as the page's value section. */
    abstract void writeValues(ByteSink out, int from, int to);

    /** Null count and, where the values allow, min and max (in the column type's order). */
    abstract Statistics statistics();

    final long nulls() {
        return (long) rows - values;
    }

    static byte[] littleEndian(long v, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** UTF-8 text: dictionary-encoded while the values repeat enough, plain otherwise. */
    static final class Strings extends ColumnValues {
        private final boolean statistics;
        private boolean dictionary;
        private HashMap<String, Integer> ids;
        private ArrayList<byte[]> entries;
        private long dictionaryBytes;
        private int[] valueIds;
        /** Plain values: each value's UTF-8 bytes, copied once, into its page. */
        private byte[][] plain;
        private long plainBytes;
        private int bitWidth;
        private Object previous;
        private int previousId;
        private byte[] previousBytes;
        private byte[] min;
        private byte[] max;

        Strings(String name, boolean required, int capacity, boolean dictionary, boolean statistics) {
            super(name, required, capacity);
            this.statistics = statistics;
            this.dictionary = dictionary;
            if (dictionary) {
                ids = new HashMap<>();
                entries = new ArrayList<>();
                valueIds = new int[capacity];
            } else {
                plain = new byte[capacity][];
            }
        }

        @Override
        <T> void addAll(List<T> rows, int from, int to, Function<T, ?> value) {
            for (int r = from; r < to; r++) {
                Object v = define(valueOf(rows, r, value));
                if (v != null) {
                    append(v);
                    values++;
                }
            }
        }

        @Override
        void append(Object v) {
            String s = (String) v;
            if (dictionary && dictionaryBytes > MAX_DICTIONARY_BYTES) {
                toPlain();
            }
            if (dictionary) {
                int id;
                // Rows of one request share strings (its resource's JSON, service name, scope), and
                // neighbouring rows often repeat a value (session, model): the row before's value needs no
                // hashing (JDK 17 hashes a fresh string char by char; equals compares it vectorised).
                if (s == previous || s.equals(previous)) {
                    id = previousId;
                } else {
                    Integer known = ids.get(s);
                    if (known == null) {
                        byte[] b = s.getBytes(StandardCharsets.UTF_8);
                        id = entries.size();
                        entries.add(b);
                        ids.put(s, id);
                        dictionaryBytes += 4 + b.length;
                    } else {
                        id = known;
                    }
                    previous = s;
                    previousId = id;
                }
                if (values == valueIds.length) {
                    valueIds = Arrays.copyOf(valueIds, values * 2);
                }
                valueIds[values] = id;
                plainBytes += 4 + entries.get(id).length;
            } else {
                byte[] b;
                if (s == previous) {
                    b = previousBytes;
                } else {
                    b = s.getBytes(StandardCharsets.UTF_8);
                    previous = s;
                    previousBytes = b;
                }
                appendPlain(values, b);
            }
        }

        private void appendPlain(int k, byte[] b) {
            if (k == plain.length) {
                plain = Arrays.copyOf(plain, k * 2);
            }
            plain[k] = b;
            plainBytes += 4 + b.length;
            if (statistics) {
                if (min == null || Arrays.compareUnsigned(b, min) < 0) {
                    min = b;
                }
                if (max == null || Arrays.compareUnsigned(b, max) > 0) {
                    max = b;
                }
            }
        }

        /** Turns the dictionary's ids into plain values, in order. */
        private void toPlain() {
            plain = new byte[Math.max(16, valueIds.length)][];
            plainBytes = 0;
            for (int k = 0; k < values; k++) {
                appendPlain(k, entries.get(valueIds[k]));
            }
            dictionary = false;
            ids = null;
            entries = null;
            valueIds = null;
            previous = null;
        }

        @Override
        void finish() {
            if (!dictionary) {
                return;
            }
            bitWidth = 32 - Integer.numberOfLeadingZeros(Math.max(0, entries.size() - 1));
            long encoded = dictionaryBytes + 1 + ((long) values * bitWidth + 7) / 8;
            // parquet-java's rule: a dictionary is kept only when it makes the column smaller.
            if (encoded >= plainBytes) {
                toPlain();
                return;
            }
            if (statistics) {
                for (byte[] b : entries) {
                    if (min == null || Arrays.compareUnsigned(b, min) < 0) {
                        min = b;
                    }
                    if (max == null || Arrays.compareUnsigned(b, max) > 0) {
                        max = b;
                    }
                }
            }
        }

        @Override
        long bufferedBytes() {
            return dictionary ? dictionaryBytes + 4L * values : plainBytes;
        }

        @Override
        int valueBytes(int k) {
            return dictionary ? 4 : 4 + plain[k].length;
        }

        @Override
        boolean writeDictionary(ByteSink out) {
            if (!dictionary) {
                return false;
            }
            for (byte[] b : entries) {
                out.writeIntLE(b.length);
                out.write(b);
            }
            return true;
        }

        @Override
        int dictionarySize() {
            return dictionary ? entries.size() : 0;
        }

        @Override
        Encoding encoding() {
            return dictionary ? Encoding.RLE_DICTIONARY : Encoding.PLAIN;
        }

        @Override
        void writeValues(ByteSink out, int from, int to) {
            if (dictionary) {
                out.write(bitWidth);
                if (from < to) {
                    out.writeHybrid(valueIds, from, to, bitWidth);
                }
            } else {
                for (int k = from; k < to; k++) {
                    byte[] b = plain[k];
                    out.writeIntLE(b.length);
                    out.write(b, 0, b.length);
                }
            }
        }

        @Override
        Statistics statistics() {
            var s = new Statistics().setNull_count(nulls());
            if (statistics && min != null) {
                s.setMin_value(min).setMax_value(max);
            }
            return s;
        }
    }

    /** INT64 (and timestamps in microseconds): plain, signed min and max. */
    static final class Longs extends ColumnValues {
        private long[] v;
        private long min = Long.MAX_VALUE;
        private long max = Long.MIN_VALUE;

        Longs(String name, boolean required, int capacity) {
            super(name, required, capacity);
            v = new long[capacity];
        }

        @Override
        <T> void addAll(List<T> rows, int from, int to, Function<T, ?> value) {
            for (int r = from; r < to; r++) {
                Object v = define(valueOf(rows, r, value));
                if (v != null) {
                    append(v);
                    values++;
                }
            }
        }

        @Override
        void append(Object value) {
            long x = (Long) value;
            if (values == v.length) {
                v = Arrays.copyOf(v, values * 2);
            }
            v[values] = x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }

        @Override
        long bufferedBytes() {
            return 8L * values;
        }

        @Override
        int valueBytes(int k) {
            return 8;
        }

        @Override
        void writeValues(ByteSink out, int from, int to) {
            out.ensure(8 * (to - from));
            for (int k = from; k < to; k++) {
                out.writeLongLE(v[k]);
            }
        }

        @Override
        Statistics statistics() {
            var s = new Statistics().setNull_count(nulls());
            if (values > 0) {
                byte[] lo = littleEndian(min, 8);
                byte[] hi = littleEndian(max, 8);
                s.setMin_value(lo).setMax_value(hi).setMin(lo).setMax(hi);
            }
            return s;
        }
    }

    /** INT32: plain, signed min and max. */
    static final class Ints extends ColumnValues {
        private int[] v;
        private int min = Integer.MAX_VALUE;
        private int max = Integer.MIN_VALUE;

        Ints(String name, boolean required, int capacity) {
            super(name, required, capacity);
            v = new int[capacity];
        }

        @Override
        <T> void addAll(List<T> rows, int from, int to, Function<T, ?> value) {
            for (int r = from; r < to; r++) {
                Object v = define(valueOf(rows, r, value));
                if (v != null) {
                    append(v);
                    values++;
                }
            }
        }

        @Override
        void append(Object value) {
            int x = (Integer) value;
            if (values == v.length) {
                v = Arrays.copyOf(v, values * 2);
            }
            v[values] = x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }

        @Override
        long bufferedBytes() {
            return 4L * values;
        }

        @Override
        int valueBytes(int k) {
            return 4;
        }

        @Override
        void writeValues(ByteSink out, int from, int to) {
            out.ensure(4 * (to - from));
            for (int k = from; k < to; k++) {
                out.writeIntLE(v[k]);
            }
        }

        @Override
        Statistics statistics() {
            var s = new Statistics().setNull_count(nulls());
            if (values > 0) {
                byte[] lo = littleEndian(min, 4);
                byte[] hi = littleEndian(max, 4);
                s.setMin_value(lo).setMax_value(hi).setMin(lo).setMax(hi);
            }
            return s;
        }
    }

    /**
     * DOUBLE: plain; min and max leave NaN out and write a zero bound as -0.0 (min) and +0.0 (max), as
     * the Parquet format asks of writers, so that readers never skip a page that holds the other zero.
     */
    static final class Doubles extends ColumnValues {
        private double[] v;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private boolean anyNumber;

        Doubles(String name, boolean required, int capacity) {
            super(name, required, capacity);
            v = new double[capacity];
        }

        @Override
        <T> void addAll(List<T> rows, int from, int to, Function<T, ?> value) {
            for (int r = from; r < to; r++) {
                Object v = define(valueOf(rows, r, value));
                if (v != null) {
                    append(v);
                    values++;
                }
            }
        }

        @Override
        void append(Object value) {
            double x = (Double) value;
            if (values == v.length) {
                v = Arrays.copyOf(v, values * 2);
            }
            v[values] = x;
            if (!Double.isNaN(x)) {
                anyNumber = true;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }

        @Override
        long bufferedBytes() {
            return 8L * values;
        }

        @Override
        int valueBytes(int k) {
            return 8;
        }

        @Override
        void writeValues(ByteSink out, int from, int to) {
            out.ensure(8 * (to - from));
            for (int k = from; k < to; k++) {
                out.writeLongLE(Double.doubleToRawLongBits(v[k]));
            }
        }

        @Override
        Statistics statistics() {
            var s = new Statistics().setNull_count(nulls());
            if (anyNumber) {
                double lo = min == 0.0 ? -0.0 : min;
                double hi = max == 0.0 ? 0.0 : max;
                byte[] l = littleEndian(Double.doubleToRawLongBits(lo), 8);
                byte[] h = littleEndian(Double.doubleToRawLongBits(hi), 8);
                s.setMin_value(l).setMax_value(h).setMin(l).setMax(h);
            }
            return s;
        }
    }

    /** BOOLEAN: plain (one bit per value, least significant bit first). */
    static final class Booleans extends ColumnValues {
        private boolean[] v;
        private boolean anyTrue;
        private boolean anyFalse;

        Booleans(String name, boolean required, int capacity) {
            super(name, required, capacity);
            v = new boolean[capacity];
        }

        @Override
        <T> void addAll(List<T> rows, int from, int to, Function<T, ?> value) {
            for (int r = from; r < to; r++) {
                Object v = define(valueOf(rows, r, value));
                if (v != null) {
                    append(v);
                    values++;
                }
            }
        }

        @Override
        void append(Object value) {
            boolean x = (Boolean) value;
            if (values == v.length) {
                v = Arrays.copyOf(v, values * 2);
            }
            v[values] = x;
            anyTrue |= x;
            anyFalse |= !x;
        }

        @Override
        long bufferedBytes() {
            return values / 8 + 1;
        }

        @Override
        int valueBytes(int k) {
            return 1;
        }

        @Override
        void writeValues(ByteSink out, int from, int to) {
            int b = 0;
            int bit = 0;
            for (int k = from; k < to; k++) {
                if (v[k]) {
                    b |= 1 << bit;
                }
                if (++bit == 8) {
                    out.write(b);
                    b = 0;
                    bit = 0;
                }
            }
            if (bit > 0) {
                out.write(b);
            }
        }

        @Override
        Statistics statistics() {
            var s = new Statistics().setNull_count(nulls());
            if (values > 0) {
                byte[] lo = {(byte) (anyFalse ? 0 : 1)};
                byte[] hi = {(byte) (anyTrue ? 1 : 0)};
                s.setMin_value(lo).setMax_value(hi).setMin(lo).setMax(hi);
            }
            return s;
        }
    }
}
