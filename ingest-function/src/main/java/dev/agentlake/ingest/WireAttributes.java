package dev.agentlake.ingest;

import static dev.agentlake.ingest.ProtobufWire.FIXED64;
import static dev.agentlake.ingest.ProtobufWire.LENGTH_DELIMITED;
import static dev.agentlake.ingest.ProtobufWire.VARINT;
import static dev.agentlake.ingest.ProtobufWire.needsProtobufJava;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.AnyValue.ValueCase;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A log record's attributes read from the request's protobuf bytes ({@code KeyValue}s and their
 * {@code AnyValue}s): their JSON text is written from those bytes as they are read, and only the
 * values a typed column asks for become {@code String}s. Filled once per record and reused for the
 * next one, so a request's records share its arrays.
 */
final class WireAttributes extends TypedAttributes {
    /** Nesting of arrays and maps beyond which protobuf-java's recursion limit (100 messages) is left to decide. */
    private static final int MAX_VALUE_DEPTH = 20;
    /** Known keys as UTF-8, in an open-addressing table indexed by {@link #hash}. */
    private static final byte[][] KEY_BYTES = new byte[128][];
    private static final int[] KEY_SLOTS = new int[128];

    static {
        for (int slot = 0; slot < KNOWN_KEYS.length; slot++) {
            byte[] key = KNOWN_KEYS[slot].getBytes(StandardCharsets.UTF_8);
            int i = hash(key, 0, key.length);
            while (KEY_BYTES[i] != null) {
                i = (i + 1) & 127;
            }
            KEY_BYTES[i] = key;
            KEY_SLOTS[i] = slot;
        }
    }

    private final ProtobufWire in;
    private final PromptRedaction redaction;
    private final JsonBytes json = new JsonBytes();
    /** A body's JSON, and where a redacted value's own JSON goes (read to check it, then left out). */
    private final JsonBytes scratch = new JsonBytes();
    /** Per known key, 1 + the index of its attribute; 0 when absent. */
    private final int[] known = new int[KNOWN_KEYS.length];
    private int count;
    private int[] keyFrom = new int[32];
    private int[] keyTo = new int[32];
    private ValueCase[] kinds = new ValueCase[32];
    /** A string value's bytes (from, to); an int's value, a double's bits, a bool as 0 or 1. */
    private int[] valueFrom = new int[32];
    private int[] valueTo = new int[32];
    private long[] bits = new long[32];
    /** A redacted value's text, else null. */
    private String[] replaced = new String[32];

    /** The last value read by {@link #value}: its string bytes or its scalar, as stored per attribute. */
    private int lastFrom;
    private int lastTo;
    private long lastBits;

    WireAttributes(ProtobufWire in, PromptRedaction redaction) {
        this.in = in;
        this.redaction = redaction;
    }

    /** Starts the next record: no attributes, and its JSON object opened. */
    void clear() {
        if (count > 0) {
            Arrays.fill(known, 0);
            Arrays.fill(replaced, 0, count, null);
        }
        count = 0;
        json.clear();
        json.append('{');
    }

    /** All attributes as one JSON object, values typed as OTLP typed them (as {@link AttributeValues#toJson}). */
    String toJson() {
        json.append('}');
        return json.toString();
    }

    /** Reads one {@code KeyValue} ending at {@code end} (the cursor at its first byte). */
    void read(int end) {
        if (count == keyFrom.length) {
            grow();
        }
        int at = count++;
        if (at > 0) {
            json.append(',');
        }
        int from = -1;
        int to = -1;
        int valueStart = -1;
        int valueEnd = -1;
        int last = 0;
        while (in.pos < end) {
            int tag = in.tag(end);
            int field = tag >>> 3;
            if (field <= last && !in.reEncoded) {
                throw needsProtobufJava(); // out of order or repeated: protobuf-java would write it otherwise
            }
            if (field == 1 && (tag & 7) == LENGTH_DELIMITED) {
                to = in.delimitedEnd(end);
                from = in.pos;
                in.pos = to;
                if (from == to && !in.reEncoded) {
                    throw needsProtobufJava(); // an empty key sent explicitly
                }
            } else if (field == 2 && (tag & 7) == LENGTH_DELIMITED) {
                valueEnd = in.delimitedEnd(end);
                valueStart = in.pos;
                in.pos = valueEnd;
            } else if (field == 3 && (tag & 7) == VARINT) {
                if (in.int32(end) == 0 && !in.reEncoded) {
                    throw needsProtobufJava(); // key_strindex 0 sent explicitly
                }
            } else {
                in.unknownField(tag, end);
                continue;
            }
            last = field;
        }
        if (from < 0) {
            from = end; // no key: the empty string
            to = end;
        }
        if (!json.string(in.bytes, from, to)) {
            in.requireUtf8(from, to);
        }
        json.append(':');
        keyFrom[at] = from;
        keyTo[at] = to;
        String redacted = redaction.enabled() ? redacted(from, to, valueStart, valueEnd) : null;
        JsonBytes out = json;
        if (redacted != null) {
            scratch.clear();
            out = scratch;
        }
        if (valueStart < 0) {
            kinds[at] = ValueCase.VALUE_NOT_SET;
            out.nullValue();
        } else {
            in.pos = valueStart;
            kinds[at] = value(valueEnd, out, 0);
        }
        valueFrom[at] = lastFrom;
        valueTo[at] = lastTo;
        bits[at] = lastBits;
        if (redacted != null) {
            json.string(redacted);
            kinds[at] = ValueCase.STRING_VALUE;
            replaced[at] = redacted;
        }
        in.pos = end;
        int slot = slot(from, to);
        if (slot >= 0) {
            known[slot] = at + 1; // the last of repeated keys wins, as in a map
        }
    }

    /** The value's text in place of it when redaction is on and the key carries prompt text, else null. */
    private String redacted(int keyFrom, int keyTo, int valueStart, int valueEnd) {
        String key = new String(in.bytes, keyFrom, keyTo - keyFrom, StandardCharsets.UTF_8);
        if (!PromptRedaction.KEYS.contains(key)) {
            return null;
        }
        try {
            AnyValue value = valueStart < 0 ? AnyValue.getDefaultInstance()
                    : AnyValue.parser().parseFrom(in.bytes, valueStart, valueEnd - valueStart);
            return PromptRedaction.redacted(value);
        } catch (InvalidProtocolBufferException e) {
            throw needsProtobufJava();
        }
    }

    /**
     * Reads a record's body ({@code AnyValue}) ending at {@code end} as text: strings as they are, other
     * scalars printed, anything structured as JSON; null when it holds no value (as {@code AttributeValues.valueText}).
     */
    String bodyText(int end) {
        scratch.clear();
        ValueCase kind = value(end, scratch, 0);
        switch (kind) {
            case VALUE_NOT_SET:
                return null;
            case STRING_VALUE:
                return new String(in.bytes, lastFrom, lastTo - lastFrom, StandardCharsets.UTF_8);
            case INT_VALUE:
                return Long.toString(lastBits);
            case DOUBLE_VALUE:
                return Double.toString(Double.longBitsToDouble(lastBits));
            case BOOL_VALUE:
                return Boolean.toString(lastBits != 0);
            default:
                return scratch.toString();
        }
    }

    /** The wire type of each {@code AnyValue} field, by number (1 string ... 8 string index; 0 is no field). */
    private static final int[] VALUE_WIRE_TYPES = {-1, LENGTH_DELIMITED, VARINT, VARINT, FIXED64, LENGTH_DELIMITED,
        LENGTH_DELIMITED, LENGTH_DELIMITED, VARINT};

    /**
     * Reads one {@code AnyValue} ending at {@code end}, appends it as JSON (as {@link AttributeValues}
     * writes values) and returns its kind; a string's bytes or a scalar are left in {@code last*}.
     */
    private ValueCase value(int end, JsonBytes out, int depth) {
        ValueCase kind = ValueCase.VALUE_NOT_SET;
        lastFrom = 0;
        lastTo = 0;
        lastBits = 0;
        while (in.pos < end) {
            int tag = in.tag(end);
            if (kind != ValueCase.VALUE_NOT_SET && !in.reEncoded) {
                throw needsProtobufJava(); // a second value: protobuf-java keeps the last
            }
            int field = tag >>> 3;
            if (field < VALUE_WIRE_TYPES.length && (tag & 7) != VALUE_WIRE_TYPES[field]) {
                in.unknownField(tag, end); // a known number with another wire type: protobuf-java keeps it unknown
                continue;
            }
            switch (field) {
                case 1 -> {
                    lastTo = in.delimitedEnd(end);
                    lastFrom = in.pos;
                    in.pos = lastTo;
                    if (!out.string(in.bytes, lastFrom, lastTo)) {
                        in.requireUtf8(lastFrom, lastTo);
                    }
                    kind = ValueCase.STRING_VALUE;
                }
                case 2 -> {
                    lastBits = in.varint(end);
                    if (lastBits > 1) {
                        throw needsProtobufJava(); // protobuf-java reads any non-zero as true and writes 1
                    }
                    out.bool(lastBits != 0);
                    kind = ValueCase.BOOL_VALUE;
                }
                case 3 -> {
                    lastBits = in.varint(end);
                    out.number(lastBits);
                    kind = ValueCase.INT_VALUE;
                }
                case 4 -> {
                    lastBits = in.fixed64(end);
                    out.number(Double.longBitsToDouble(lastBits));
                    kind = ValueCase.DOUBLE_VALUE;
                }
                case 5, 6 -> {
                    boolean array = field == 5;
                    if (depth >= MAX_VALUE_DEPTH && !in.reEncoded) {
                        throw needsProtobufJava();
                    }
                    list(in.delimitedEnd(end), out, depth + 1, array);
                    kind = array ? ValueCase.ARRAY_VALUE : ValueCase.KVLIST_VALUE;
                }
                case 7 -> {
                    int to = in.delimitedEnd(end);
                    out.string(Base64.getEncoder().encodeToString(Arrays.copyOfRange(in.bytes, in.pos, to)));
                    in.pos = to;
                    kind = ValueCase.BYTES_VALUE;
                }
                case 8 -> {
                    in.int32(end); // an index into a dictionary OTLP/HTTP does not send: no text, as before
                    kind = ValueCase.STRING_VALUE_STRINDEX;
                }
                default -> in.unknownField(tag, end);
            }
        }
        if (kind == ValueCase.VALUE_NOT_SET) {
            out.nullValue();
        }
        return kind;
    }

    /** An {@code ArrayValue} or {@code KeyValueList} (both: repeated field 1) as a JSON array or object. */
    private void list(int end, JsonBytes out, int depth, boolean array) {
        out.append(array ? '[' : '{');
        boolean first = true;
        while (in.pos < end) {
            int tag = in.tag(end);
            if (tag != (1 << 3 | LENGTH_DELIMITED)) {
                in.unknownField(tag, end);
                continue;
            }
            int itemEnd = in.delimitedEnd(end);
            if (!first) {
                out.append(',');
            }
            first = false;
            if (array) {
                value(itemEnd, out, depth);
            } else {
                pair(itemEnd, out, depth);
            }
            in.pos = itemEnd;
        }
        out.append(array ? ']' : '}');
    }

    /** A {@code KeyValue} inside a map value: {@code "key":value}. */
    private void pair(int end, JsonBytes out, int depth) {
        int from = end;
        int to = end;
        int valueStart = -1;
        int valueEnd = -1;
        int last = 0;
        while (in.pos < end) {
            int tag = in.tag(end);
            int field = tag >>> 3;
            if (field <= last && !in.reEncoded) {
                throw needsProtobufJava();
            }
            if (field == 1 && (tag & 7) == LENGTH_DELIMITED) {
                to = in.delimitedEnd(end);
                from = in.pos;
                in.pos = to;
                if (from == to && !in.reEncoded) {
                    throw needsProtobufJava();
                }
            } else if (field == 2 && (tag & 7) == LENGTH_DELIMITED) {
                valueEnd = in.delimitedEnd(end);
                valueStart = in.pos;
                in.pos = valueEnd;
            } else if (field == 3 && (tag & 7) == VARINT) {
                if (in.int32(end) == 0 && !in.reEncoded) {
                    throw needsProtobufJava();
                }
            } else {
                in.unknownField(tag, end);
                continue;
            }
            last = field;
        }
        if (!out.string(in.bytes, from, to)) {
            in.requireUtf8(from, to);
        }
        out.append(':');
        if (valueStart < 0) {
            out.nullValue();
        } else {
            in.pos = valueStart;
            value(valueEnd, out, depth);
        }
    }

    private int slot(int from, int to) {
        int i = hash(in.bytes, from, to);
        byte[] key;
        while ((key = KEY_BYTES[i]) != null) {
            if (Arrays.equals(key, 0, key.length, in.bytes, from, to)) {
                return KEY_SLOTS[i];
            }
            i = (i + 1) & 127;
        }
        return -1;
    }

    /** Length and three bytes: enough to spread the known keys over the table without reading whole keys. */
    private static int hash(byte[] b, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return 0;
        }
        int h = n * 31 + b[from];
        h = h * 31 + b[from + n / 2];
        h = h * 31 + b[to - 1];
        return (h ^ h >>> 7) & 127;
    }

    private void grow() {
        int n = keyFrom.length * 2;
        keyFrom = Arrays.copyOf(keyFrom, n);
        keyTo = Arrays.copyOf(keyTo, n);
        kinds = Arrays.copyOf(kinds, n);
        valueFrom = Arrays.copyOf(valueFrom, n);
        valueTo = Arrays.copyOf(valueTo, n);
        bits = Arrays.copyOf(bits, n);
        replaced = Arrays.copyOf(replaced, n);
    }

    @Override
    int find(String key) {
        Integer slot = SLOTS.get(key);
        if (slot != null) {
            return known[slot] - 1;
        }
        byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
        int found = -1;
        for (int i = 0; i < count; i++) {
            if (Arrays.equals(wanted, 0, wanted.length, in.bytes, keyFrom[i], keyTo[i])) {
                found = i;
            }
        }
        return found;
    }

    @Override
    ValueCase kind(int at) {
        return kinds[at];
    }

    @Override
    String stringValue(int at) {
        String text = replaced[at];
        return text != null ? text : new String(in.bytes, valueFrom[at], valueTo[at] - valueFrom[at], StandardCharsets.UTF_8);
    }

    @Override
    long intValue(int at) {
        return bits[at];
    }

    @Override
    double doubleValue(int at) {
        return Double.longBitsToDouble(bits[at]);
    }

    @Override
    boolean boolValue(int at) {
        return bits[at] != 0;
    }
}
