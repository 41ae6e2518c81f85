package dev.agentlake.ingest;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.List;

/**
 * Attributes as protobuf-java parsed them (resources, spans, metric points); also the JSON text of
 * attribute lists and values.
 */
final class AttributeValues extends TypedAttributes {
    /** Per known key, its value or null. */
    private final AnyValue[] known = new AnyValue[KNOWN_KEYS.length];
    private final List<KeyValue> ordered;

    AttributeValues(List<KeyValue> attributes) {
        this.ordered = attributes;
        for (int i = 0, n = attributes.size(); i < n; i++) {
            KeyValue kv = attributes.get(i);
            Integer slot = SLOTS.get(kv.getKey());
            if (slot != null) {
                known[slot] = kv.getValue(); // the last of repeated keys wins, as in a map
            }
        }
    }

    /** A known key's slot, or {@code KNOWN_KEYS.length} + the index of another key's last attribute. */
    @Override
    int find(String key) {
        Integer slot = SLOTS.get(key);
        if (slot != null) {
            return known[slot] != null ? slot : -1;
        }
        int found = -1;
        for (int i = 0, n = ordered.size(); i < n; i++) {
            if (ordered.get(i).getKey().equals(key)) {
                found = KNOWN_KEYS.length + i;
            }
        }
        return found;
    }

    private AnyValue value(int at) {
        return at < KNOWN_KEYS.length ? known[at] : ordered.get(at - KNOWN_KEYS.length).getValue();
    }

    @Override
    AnyValue.ValueCase kind(int at) {
        return value(at).getValueCase();
    }

    @Override
    String stringValue(int at) {
        return value(at).getStringValue();
    }

    @Override
    long intValue(int at) {
        return value(at).getIntValue();
    }

    @Override
    double doubleValue(int at) {
        return value(at).getDoubleValue();
    }

    @Override
    boolean boolValue(int at) {
        return value(at).getBoolValue();
    }

    /** All attributes as one JSON object, values typed as OTLP typed them. */
    String toJson() {
        return toJson(ordered);
    }

    static String toJson(List<KeyValue> attributes) {
        var out = new StringBuilder(64 + attributes.size() * 48);
        writeObject(out, attributes);
        return out.toString();
    }

    /** Any value as text: scalars as {@link #scalarText}, arrays and maps as JSON. */
    static String valueText(AnyValue v) {
        String scalar = scalarText(v);
        if (scalar != null) {
            return scalar;
        }
        var out = new StringBuilder();
        writeValue(out, v);
        return out.toString();
    }

    /** Appends the attributes as one JSON object. */
    static void writeAttributes(StringBuilder out, List<KeyValue> attributes) {
        writeObject(out, attributes);
    }

    private static String scalarText(AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE:
                return v.getStringValue();
            case INT_VALUE:
                return Long.toString(v.getIntValue());
            case DOUBLE_VALUE:
                return Double.toString(v.getDoubleValue());
            case BOOL_VALUE:
                return Boolean.toString(v.getBoolValue());
            default:
                return null;
        }
    }

    private static void writeObject(StringBuilder out, List<KeyValue> attributes) {
        out.append('{');
        for (int i = 0, n = attributes.size(); i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            KeyValue kv = attributes.get(i);
            JsonText.string(out, kv.getKey());
            out.append(':');
            writeValue(out, kv.getValue());
        }
        out.append('}');
    }

    private static void writeValue(StringBuilder out, AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE -> JsonText.string(out, v.getStringValue());
            case BOOL_VALUE -> out.append(v.getBoolValue());
            case INT_VALUE -> out.append(v.getIntValue());
            case DOUBLE_VALUE -> JsonText.number(out, v.getDoubleValue());
            case BYTES_VALUE -> JsonText.string(out, Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                out.append('[');
                List<AnyValue> items = v.getArrayValue().getValuesList();
                for (int i = 0, n = items.size(); i < n; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeValue(out, items.get(i));
                }
                out.append(']');
            }
            case KVLIST_VALUE -> writeObject(out, v.getKvlistValue().getValuesList());
            case VALUE_NOT_SET -> out.append("null");
        }
    }
}
