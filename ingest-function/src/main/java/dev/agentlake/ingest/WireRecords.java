package dev.agentlake.ingest;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import java.security.MessageDigest;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where each record (log record, span, data point) of a protobuf request body lies in the body, and
 * whether those bytes are exactly what protobuf-java writes when it serialises the parsed record.
 *
 * <p>A record's id hashes its own protobuf encoding ({@link RecordIds}); re-serialising every parsed
 * record to get it cost about a quarter of decoding (string lengths and UTF-8 encoding, char by char).
 * Exporters write records the way protobuf-java does (fields in number order, defaults left out, minimal
 * varints, packed scalars), so the bytes as received are usually those very bytes and are hashed where they
 * lie. {@link #canonicalSize} proves it per record by walking the record's wire format against its
 * descriptor; a record whose only difference is a default value written out (Claude Code's exporter writes
 * {@code dropped_attributes_count: 0}) is hashed from a copy without those fields; any other record it
 * cannot prove (fields out of order, an unknown field, a non-minimal varint, …) is re-serialised as before.
 * The id is therefore the same as before for every input.
 */
final class WireRecords {
    private static final int[] NONE = new int[0];
    private static final byte[] NONE_BYTES = new byte[0];

    private final byte[] body;
    /** start and end offset of record i at [2i] and [2i+1], in the order the parsed request lists them. */
    private final int[] bounds;
    private final int count;
    /** Where a record with explicit defaults is copied without them (one request is mapped by one thread). */
    private byte[] scratch = NONE_BYTES;

    private WireRecords(byte[] body, int[] bounds, int count) {
        this.body = body;
        this.bounds = bounds;
        this.count = count;
    }

    byte[] body() {
        return body;
    }

    int count() {
        return count;
    }

    int start(int i) {
        return bounds[2 * i];
    }

    int end(int i) {
        return bounds[2 * i + 1];
    }

    /**
     * The records of an {@code Export(Logs|Trace)ServiceRequest}: request.1 (resource) → 2 (scope) → 2
     * (record); the field numbers are the same for logs and spans. Every level is a repeated message, so
     * the wire order is the parsed order. Null when the body cannot be walked.
     */
    static WireRecords logsOrSpans(byte[] body) {
        var out = new Collector(body);
        try {
            out.walk(0, body.length, 1, (s1, e1) -> out.walk(s1, e1, 2, (s2, e2) -> out.walk(s2, e2, 2, out::add)));
        } catch (RuntimeException malformed) {
            return null;
        }
        return out.result();
    }

    /**
     * The data points of an {@code ExportMetricsServiceRequest}: request.1 → 2 → 2 (metric) → its data
     * (gauge 5, sum 7, histogram 9, exponential histogram 10, summary 11) → 1 (point). A metric whose data
     * field appears more than once (parsing merges or replaces those) makes the whole body fall back: null.
     */
    static WireRecords metricPoints(byte[] body) {
        var out = new Collector(body);
        try {
            out.walk(0, body.length, 1, (s1, e1) -> out.walk(s1, e1, 2, (s2, e2) -> out.walk(s2, e2, 2, out::metric)));
        } catch (RuntimeException malformed) {
            return null;
        }
        return out.ambiguous ? null : out.result();
    }

    private interface Slice {
        void accept(int start, int end);
    }

    private static final class Collector {
        final byte[] b;
        int[] bounds = NONE;
        int count;
        boolean ambiguous;

        Collector(byte[] b) {
            this.b = b;
        }

        WireRecords result() {
            return new WireRecords(b, bounds, count);
        }

        void add(int start, int end) {
            if (2 * count + 2 > bounds.length) {
                bounds = java.util.Arrays.copyOf(bounds, Math.max(64, bounds.length * 2));
            }
            bounds[2 * count] = start;
            bounds[2 * count + 1] = end;
            count++;
        }

        void metric(int start, int end) {
            int dataFields = 0;
            int pos = start;
            while (pos < end) {
                long tag = varint(b, pos);
                pos += varintLength(b, pos);
                int field = (int) (tag >>> 3);
                int wireType = (int) (tag & 7);
                int next = skip(b, pos, wireType);
                if (wireType == 2 && (field == 5 || field == 7 || field == 9 || field == 10 || field == 11)) {
                    dataFields++;
                    int lengthSize = varintLength(b, pos);
                    walk(pos + lengthSize, next, 1, this::add);
                }
                pos = next;
            }
            if (dataFields > 1) {
                ambiguous = true;
            }
        }

        /** Calls {@code each} with the payload of every occurrence of length-delimited {@code field} in [start, end). */
        void walk(int start, int end, int field, Slice each) {
            int pos = start;
            while (pos < end) {
                long tag = varint(b, pos);
                pos += varintLength(b, pos);
                int wireType = (int) (tag & 7);
                int next = skip(b, pos, wireType);
                if (wireType == 2 && (tag >>> 3) == field) {
                    each.accept(pos + varintLength(b, pos), next);
                }
                pos = next;
            }
            if (pos != end) {
                throw new IllegalArgumentException("field runs past its message");
            }
        }
    }

    /** The offset after the value of wire type {@code wireType} starting at {@code pos}. */
    private static int skip(byte[] b, int pos, int wireType) {
        switch (wireType) {
            case 0:
                return pos + varintLength(b, pos);
            case 1:
                return pos + 8;
            case 2: {
                long length = varint(b, pos);
                if (length < 0 || length > b.length) {
                    throw new IllegalArgumentException("bad length");
                }
                return pos + varintLength(b, pos) + (int) length;
            }
            case 5:
                return pos + 4;
            default:
                throw new IllegalArgumentException("groups are not OTLP");
        }
    }

    private static long varint(byte[] b, int pos) {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte x = b[pos++];
            value |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    private static int varintLength(byte[] b, int pos) {
        int n = 1;
        while (b[pos + n - 1] < 0) {
            n++;
            if (n > 10) {
                throw new IllegalArgumentException("varint longer than 10 bytes");
            }
        }
        return n;
    }

    // --- canonical form -----------------------------------------------------------------------------

    /** How protobuf-java reads and writes one field (see {@link #canonical}). */
    private enum Kind {
        INT32, INT64, UINT32, UINT64, SINT32, SINT64, BOOL, FIXED32, FIXED64, BYTES, MESSAGE
    }

    /** A message type's fields by number, precomputed from its descriptor. */
    static final class Shape {
        final Kind[] kind;
        final boolean[] repeated;
        final boolean[] packed;
        /** Written even when it holds the default value (oneof members, proto3 {@code optional}, messages). */
        final boolean[] presence;
        /** Index of the field's (real) oneof, or -1. */
        final int[] oneof;
        final Shape[] child;
        /** The above in one int per field (one load on the hot path): see {@link #INFO_KIND} etc.; 0 = unknown. */
        final int[] info;

        private Shape(int maxField) {
            info = new int[maxField + 1];
            kind = new Kind[maxField + 1];
            repeated = new boolean[maxField + 1];
            packed = new boolean[maxField + 1];
            presence = new boolean[maxField + 1];
            oneof = new int[maxField + 1];
            child = new Shape[maxField + 1];
        }
    }

    private static final Map<Descriptor, Shape> SHAPES = new IdentityHashMap<>();
    private static final int INFO_KIND = 0xF;
    private static final int INFO_REPEATED = 0x10;
    private static final int INFO_PACKED = 0x20;
    /** Implicit presence: not written when it holds the default. */
    private static final int INFO_IMPLICIT = 0x40;
    private static final int INFO_ONEOF_SHIFT = 8;
    private static final Kind[] KINDS = Kind.values();

    /** The shape of a message type (built once; thread-safe after the first call per type). */
    static synchronized Shape shape(Descriptor type) {
        return build(type);
    }

    private static Shape build(Descriptor type) {
        Shape known = SHAPES.get(type);
        if (known != null) {
            return known;
        }
        int max = 0;
        for (FieldDescriptor f : type.getFields()) {
            max = Math.max(max, f.getNumber());
        }
        var s = new Shape(max);
        SHAPES.put(type, s); // before the children: AnyValue → ArrayValue → AnyValue
        var oneofs = type.getRealOneofs();
        if (oneofs.size() > 32) {
            throw new IllegalStateException(type.getFullName() + " has more oneofs than a mask holds");
        }
        for (FieldDescriptor f : type.getFields()) {
            int n = f.getNumber();
            s.kind[n] = kind(f);
            s.repeated[n] = f.isRepeated();
            s.packed[n] = f.isPacked();
            s.presence[n] = f.hasPresence();
            OneofDescriptor o = f.getRealContainingOneof();
            s.oneof[n] = o == null ? -1 : oneofs.indexOf(o);
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                s.child[n] = build(f.getMessageType());
            }
            if (s.kind[n] != null) {
                s.info[n] = (s.kind[n].ordinal() + 1)
                        | (s.repeated[n] ? INFO_REPEATED : 0)
                        | (s.packed[n] ? INFO_PACKED : 0)
                        | (!s.presence[n] && !s.repeated[n] ? INFO_IMPLICIT : 0)
                        | (s.oneof[n] + 1) << INFO_ONEOF_SHIFT;
            }
        }
        return s;
    }

    private static Kind kind(FieldDescriptor f) {
        switch (f.getType()) {
            case INT32:
            case ENUM:
                return Kind.INT32;
            case INT64:
                return Kind.INT64;
            case UINT32:
                return Kind.UINT32;
            case UINT64:
                return Kind.UINT64;
            case SINT32:
                return Kind.SINT32;
            case SINT64:
                return Kind.SINT64;
            case BOOL:
                return Kind.BOOL;
            case FIXED32:
            case SFIXED32:
            case FLOAT:
                return Kind.FIXED32;
            case FIXED64:
            case SFIXED64:
            case DOUBLE:
                return Kind.FIXED64;
            case STRING:
            case BYTES:
                return Kind.BYTES;
            case MESSAGE:
                return Kind.MESSAGE;
            default:
                // groups: never canonical here (the kind is checked against the wire type)
                return null;
        }
    }

    /**
     * Feeds {@code digest} with protobuf-java's serialisation of record {@code i} as parsed, taken from the
     * bytes as received: those bytes themselves when they are that serialisation, else a copy with the
     * explicitly written defaults left out (see {@link #canonicalSize}). False, with {@code digest}
     * untouched, when the record cannot be had that way and must be re-serialised.
     */
    boolean digest(int i, Shape shape, MessageDigest digest) {
        int start = start(i);
        int end = end(i);
        int size;
        try {
            size = canonicalSize(shape, body, start, end);
        } catch (RuntimeException malformed) {
            return false;
        }
        if (size < 0) {
            return false;
        }
        if (size == end - start) {
            digest.update(body, start, size);
            return true;
        }
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, 2 * scratch.length)];
        }
        int written = write(shape, body, start, end, scratch, 0);
        if (written != size) {
            throw new IllegalStateException("canonical copy of record " + i + " is " + written + " bytes, measured " + size);
        }
        digest.update(scratch, 0, size);
        return true;
    }

    /**
     * The length of protobuf-java's serialisation of the message in [start, end) after parsing it as
     * {@code s}, or -1 when that is not a copy of these bytes with fields left out. protobuf-java writes
     * known fields in field-number order, each singular field once, a field with implicit presence only
     * when it is not the default (for floating point: raw bits not 0), repeated scalars packed in one run
     * (none when empty), varints and lengths minimal, unknown fields last. A field with implicit presence
     * written out with its default value (some exporters write {@code dropped_attributes_count: 0}) is
     * left out and the enclosing lengths shrink; anything else that differs (and every unknown field)
     * gives -1. The result equals {@code end - start} exactly when the bytes are the serialisation as they are.
     */
    static int canonicalSize(Shape s, byte[] b, int start, int end) {
        int size = 0;
        int pos = start;
        int last = 0;
        int oneofsSeen = 0;
        while (pos < end) {
            int fieldStart = pos;
            int tagLength;
            long tag;
            if (b[pos] >= 0) { // fields 1-15: a one-byte tag
                tagLength = 1;
                tag = b[pos];
            } else {
                tagLength = varintLength(b, pos);
                if (!minimal(b, pos, tagLength)) {
                    return -1;
                }
                tag = varint(b, pos);
                if (tag > 0xFFFF_FFFFL) {
                    return -1;
                }
            }
            pos += tagLength;
            int wireType = (int) (tag & 7);
            long number = tag >>> 3;
            int info = number < s.info.length ? s.info[(int) number] : 0;
            if (number == 0 || info == 0) {
                return -1; // an unknown field: protobuf-java moves it to the end
            }
            int field = (int) number;
            if (field < last || field == last && (info & (INFO_REPEATED | INFO_PACKED)) != INFO_REPEATED) {
                return -1;
            }
            int oneof = (info >>> INFO_ONEOF_SHIFT) - 1;
            if (field != last && oneof >= 0) {
                int bit = 1 << oneof;
                if ((oneofsSeen & bit) != 0) {
                    return -1; // a second member of one oneof: the last one wins
                }
                oneofsSeen |= bit;
            }
            last = field;
            Kind kind = KINDS[(info & INFO_KIND) - 1];
            boolean implicit = (info & INFO_IMPLICIT) != 0;
            if ((info & INFO_PACKED) != 0) {
                if (wireType != 2) {
                    return -1;
                }
                int lengthSize = varintLength(b, pos);
                long length = varint(b, pos);
                if (!minimal(b, pos, lengthSize) || length < 0 || pos + lengthSize + length > end) {
                    return -1;
                }
                pos += lengthSize;
                int packedEnd = pos + (int) length;
                if (kind == Kind.FIXED32 || kind == Kind.FIXED64) { // any bits are written back as they are
                    if (length % (kind == Kind.FIXED32 ? 4 : 8) != 0) {
                        return -1;
                    }
                    pos = packedEnd;
                }
                while (pos < packedEnd) {
                    int next = scalarEnd(kind, b, pos, packedEnd);
                    if (next < 0) {
                        return -1;
                    }
                    pos = next;
                }
                if (length > 0) { // an empty run is not written
                    size += pos - fieldStart;
                }
                continue;
            }
            if (wireType != wireType(kind)) {
                return -1;
            }
            if (kind == Kind.BYTES || kind == Kind.MESSAGE) {
                int lengthSize;
                long length;
                if (b[pos] >= 0) { // under 128 bytes: a one-byte length
                    lengthSize = 1;
                    length = b[pos];
                } else {
                    lengthSize = varintLength(b, pos);
                    length = varint(b, pos);
                    if (!minimal(b, pos, lengthSize)) {
                        return -1;
                    }
                }
                if (length < 0 || pos + lengthSize + length > end) {
                    return -1;
                }
                pos += lengthSize;
                if (kind == Kind.BYTES) {
                    if (!implicit || length > 0) {
                        size += tagLength + lengthSize + (int) length;
                    }
                } else {
                    int child = canonicalSize(s.child[field], b, pos, pos + (int) length);
                    if (child < 0) {
                        return -1;
                    }
                    size += tagLength + varintSize(child) + child;
                }
                pos += (int) length;
            } else {
                int next = scalarEnd(kind, b, pos, end);
                if (next < 0) {
                    return -1;
                }
                if (!implicit || !zero(b, pos, next)) {
                    size += next - fieldStart;
                }
                pos = next;
            }
        }
        return pos == end ? size : -1;
    }

    /** Writes what {@link #canonicalSize} measured (it must not be -1) to {@code out} at {@code at}; returns the new offset. */
    private static int write(Shape s, byte[] b, int start, int end, byte[] out, int at) {
        int pos = start;
        while (pos < end) {
            int fieldStart = pos;
            int tagLength = varintLength(b, pos);
            int field = (int) (varint(b, pos) >>> 3);
            pos += tagLength;
            Kind kind = s.kind[field];
            boolean implicit = !s.presence[field] && !s.repeated[field];
            int next;
            boolean keep;
            if (s.packed[field] || kind == Kind.BYTES || kind == Kind.MESSAGE) {
                int lengthSize = varintLength(b, pos);
                int length = (int) varint(b, pos);
                next = pos + lengthSize + length;
                if (kind == Kind.MESSAGE && !s.packed[field]) {
                    int child = canonicalSize(s.child[field], b, pos + lengthSize, next);
                    if (child != length) {
                        System.arraycopy(b, fieldStart, out, at, tagLength);
                        at = writeVarint(out, at + tagLength, child);
                        at = write(s.child[field], b, pos + lengthSize, next, out, at);
                        pos = next;
                        continue;
                    }
                    keep = true;
                } else {
                    keep = length > 0 || !implicit && !s.packed[field];
                }
            } else {
                next = scalarEnd(kind, b, pos, end);
                keep = !implicit || !zero(b, pos, next);
            }
            if (keep) {
                System.arraycopy(b, fieldStart, out, at, next - fieldStart);
                at += next - fieldStart;
            }
            pos = next;
        }
        return at;
    }

    private static int wireType(Kind kind) {
        switch (kind) {
            case FIXED32:
                return 5;
            case FIXED64:
                return 1;
            case BYTES:
            case MESSAGE:
                return 2;
            default:
                return 0;
        }
    }

    /**
     * The offset after the scalar value at {@code pos}, or -1 when protobuf-java would write its parsed
     * value differently (a non-minimal varint, an int32 not sign-extended, a bool other than 0 or 1, …).
     */
    private static int scalarEnd(Kind kind, byte[] b, int pos, int end) {
        if (kind == Kind.FIXED32 || kind == Kind.FIXED64) {
            int next = pos + (kind == Kind.FIXED32 ? 4 : 8);
            return next > end ? -1 : next;
        }
        int length = varintLength(b, pos);
        if (pos + length > end || !minimal(b, pos, length)) {
            return -1;
        }
        long v = varint(b, pos);
        boolean same;
        switch (kind) {
            case INT32:
                same = v == (long) (int) v; // negative int32 values are written sign-extended to 10 bytes
                break;
            case UINT32:
            case SINT32:
                same = (v >>> 32) == 0;
                break;
            case BOOL:
                same = v == 0 || v == 1;
                break;
            default:
                same = true;
                break;
        }
        return same ? pos + length : -1;
    }

    /** Whether the (minimal) scalar in [pos, end) is the default: all bytes 0 (a minimal zero varint is one 0 byte). */
    private static boolean zero(byte[] b, int pos, int end) {
        for (int i = pos; i < end; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A varint is minimal when it has no trailing zero group, and a 10th byte holds only bit 63. */
    private static boolean minimal(byte[] b, int pos, int length) {
        if (length == 1) {
            return true;
        }
        byte lastByte = b[pos + length - 1];
        return lastByte != 0 && (length < 10 || lastByte == 1);
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int writeVarint(byte[] out, int at, int v) {
        while ((v & ~0x7F) != 0) {
            out[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }
}
