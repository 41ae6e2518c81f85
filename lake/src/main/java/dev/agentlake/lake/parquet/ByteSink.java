package dev.agentlake.lake.parquet;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array with the little-endian, varint and RLE/bit-packing writes Parquet's pages are
 * made of. An {@link OutputStream} so that the Thrift page headers and footer are written straight into it.
 */
final class ByteSink extends OutputStream {
    private byte[] buf;
    private int size;

    ByteSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    int size() {
        return size;
    }

    byte[] array() {
        return buf;
    }

    void reset() {
        size = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    void ensure(int more) {
        if (size + more > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a Parquet buffer cannot pass 2 GB");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    void writeIntLE(int v) {
        ensure(4);
        buf[size] = (byte) v;
        buf[size + 1] = (byte) (v >>> 8);
        buf[size + 2] = (byte) (v >>> 16);
        buf[size + 3] = (byte) (v >>> 24);
        size += 4;
    }

    void writeLongLE(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size + i] = (byte) (v >>> (8 * i));
        }
        size += 8;
    }

    /** Overwrites four bytes already written (a length prefix known only afterwards). */
    void putIntLE(int at, int v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >>> 8);
        buf[at + 2] = (byte) (v >>> 16);
        buf[at + 3] = (byte) (v >>> 24);
    }

    void writeUnsignedVarint(int v) {
        ensure(5);
        while ((v & ~0x7F) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /**
     * Values in Parquet's RLE/bit-packing hybrid encoding (no length prefix): a run of eight or more
     * equal values at a group boundary (or the equal values that end the data) becomes an RLE run,
     * everything else bit-packed groups of eight, the last group padded with zeros (the page's value
     * count tells readers where the values end).
     */
    void writeHybrid(int[] values, int from, int to, int bitWidth) {
        int byteWidth = (bitWidth + 7) / 8;
        int i = from;
        while (i < to) {
            int run = runLength(values, i, to);
            if (run >= 8 || i + run == to) {
                writeUnsignedVarint(run << 1);
                int v = values[i];
                for (int b = 0; b < byteWidth; b++) {
                    write(v >>> (8 * b));
                }
                i += run;
                continue;
            }
            // Bit-packed groups of eight until a run of eight or more starts at a group boundary.
            int end = i;
            do {
                end = Math.min(to, end + 8);
            } while (end < to && runLength(values, end, to) < 8);
            int groups = (end - i + 7) / 8;
            writeUnsignedVarint((groups << 1) | 1);
            ensure(groups * bitWidth);
            long acc = 0;
            int bits = 0;
            for (int k = 0, n = groups * 8; k < n; k++) {
                int v = i + k < end ? values[i + k] : 0;
                acc |= (v & 0xFFFFFFFFL) << bits;
                bits += bitWidth;
                while (bits >= 8) {
                    buf[size++] = (byte) acc;
                    acc >>>= 8;
                    bits -= 8;
                }
            }
            i = end;
        }
    }

    /** Definition levels (bit width 1) of rows {@code from..to} as the hybrid encoding, no length prefix. */
    void writeLevels(boolean[] defined, int from, int to) {
        int[] levels = new int[to - from];
        for (int i = from; i < to; i++) {
            levels[i - from] = defined[i] ? 1 : 0;
        }
        writeHybrid(levels, 0, levels.length, 1);
    }

    private static int runLength(int[] values, int from, int to) {
        int v = values[from];
        int j = from + 1;
        while (j < to && values[j] == v) {
            j++;
        }
        return j - from;
    }
}
