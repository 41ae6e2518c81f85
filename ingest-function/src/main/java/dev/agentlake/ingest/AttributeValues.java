package dev.agentlake.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads OTLP attribute lists the way the assistants write them: the same attribute is a string in
 * one tool and an int in another ({@code "success": "true"}, {@code "input_token_count": "4400"}),
 * so typed getters accept both.
 */
final class AttributeValues {
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, AnyValue> byKey;
    private final List<KeyValue> ordered;

    AttributeValues(List<KeyValue> attributes) {
        this.ordered = attributes;
        this.byKey = new HashMap<>(attributes.size() * 2);
        for (KeyValue kv : attributes) {
            byKey.put(kv.getKey(), kv.getValue());
        }
    }

    boolean has(String key) {
        return byKey.containsKey(key);
    }

    /** The first present key's value as text (numbers and booleans printed), or null. */
    String string(String... keys) {
        for (String key : keys) {
            AnyValue v = byKey.get(key);
            if (v != null) {
                String s = scalarText(v);
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    /** The first present key's value as a whole number, or null when absent or not a number. */
    Long integer(String... keys) {
        for (String key : keys) {
            AnyValue v = byKey.get(key);
            if (v == null) {
                continue;
            }
            switch (v.getValueCase()) {
                case INT_VALUE:
                    return v.getIntValue();
                case DOUBLE_VALUE:
                    return Math.round(v.getDoubleValue());
                case STRING_VALUE:
                    try {
                        return Long.parseLong(v.getStringValue().trim());
                    } catch (NumberFormatException e) {
                        try {
                            return Math.round(Double.parseDouble(v.getStringValue().trim()));
                        } catch (NumberFormatException notANumber) {
                            return null;
                        }
                    }
                default:
                    return null;
            }
        }
        return null;
    }

    Double decimal(String... keys) {
        for (String key : keys) {
            AnyValue v = byKey.get(key);
            if (v == null) {
                continue;
            }
            switch (v.getValueCase()) {
                case DOUBLE_VALUE:
                    return v.getDoubleValue();
                case INT_VALUE:
                    return (double) v.getIntValue();
                case STRING_VALUE:
                    try {
                        return Double.parseDouble(v.getStringValue().trim());
                    } catch (NumberFormatException e) {
                        return null;
                    }
                default:
                    return null;
            }
        }
        return null;
    }

    Boolean bool(String... keys) {
        for (String key : keys) {
            AnyValue v = byKey.get(key);
            if (v == null) {
                continue;
            }
            switch (v.getValueCase()) {
                case BOOL_VALUE:
                    return v.getBoolValue();
                case STRING_VALUE: {
                    String s = v.getStringValue().trim();
                    if (s.equalsIgnoreCase("true")) {
                        return true;
                    }
                    if (s.equalsIgnoreCase("false")) {
                        return false;
                    }
                    return null;
                }
                case INT_VALUE:
                    return v.getIntValue() != 0;
                default:
                    return null;
            }
        }
        return null;
    }

    /** All attributes as one JSON object, values typed as OTLP typed them. */
    String toJson() {
        return toJson(ordered);
    }

    static String toJson(List<KeyValue> attributes) {
        var out = new StringWriter(64 + attributes.size() * 48);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeObject(g, attributes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A record body as text: strings as they are, anything structured as JSON. */
    static String bodyText(AnyValue body) {
        if (body.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET) {
            return null;
        }
        String scalar = scalarText(body);
        if (scalar != null) {
            return scalar;
        }
        var out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeValue(g, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Any value as text: scalars as {@link #scalarText}, arrays and maps as JSON. */
    static String valueText(AnyValue v) {
        String scalar = scalarText(v);
        if (scalar != null) {
            return scalar;
        }
        var out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeValue(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the attributes as one JSON object into a generator already in use. */
    static void writeAttributes(JsonGenerator g, List<KeyValue> attributes) throws IOException {
        writeObject(g, attributes);
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

    private static void writeObject(JsonGenerator g, List<KeyValue> attributes) throws IOException {
        g.writeStartObject();
        for (KeyValue kv : attributes) {
            g.writeFieldName(kv.getKey());
            writeValue(g, kv.getValue());
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, AnyValue v) throws IOException {
        switch (v.getValueCase()) {
            case STRING_VALUE -> g.writeString(v.getStringValue());
            case BOOL_VALUE -> g.writeBoolean(v.getBoolValue());
            case INT_VALUE -> g.writeNumber(v.getIntValue());
            case DOUBLE_VALUE -> {
                double d = v.getDoubleValue();
                if (Double.isFinite(d)) {
                    g.writeNumber(d);
                } else {
                    g.writeString(Double.toString(d));
                }
            }
            case BYTES_VALUE -> g.writeString(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                g.writeStartArray();
                for (AnyValue item : v.getArrayValue().getValuesList()) {
                    writeValue(g, item);
                }
                g.writeEndArray();
            }
            case KVLIST_VALUE -> writeObject(g, v.getKvlistValue().getValuesList());
            case VALUE_NOT_SET -> g.writeNull();
        }
    }
}
