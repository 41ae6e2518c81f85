package dev.agentlake.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads OTLP/JSON into the same protobuf messages the binary encoding gives, so both encodings map
 * to identical rows. Follows the OTLP/JSON rules rather than protobuf's JSON mapping, which
 * {@code JsonFormat} implements and which silently corrupts OTLP ids:
 * <ul>
 *   <li>{@code traceId}, {@code spanId}, {@code parentSpanId} are hex, not base64;</li>
 *   <li>64-bit integers come as numbers (JavaScript exporters) or strings (the Rust exporter);</li>
 *   <li>enums as numbers or names; keys lowerCamelCase (original snake_case also accepted);</li>
 *   <li>explicit nulls mean "absent"; unknown fields are ignored, as the spec asks of receivers.</li>
 * </ul>
 * See https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding.
 */
final class OtlpJsonReader {
    private static final Set<String> HEX_ID_FIELDS = Set.of("trace_id", "span_id", "parent_span_id");
    private static final int MAX_DEPTH = 64;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH + 16)
                    .maxStringLength(64 * 1024 * 1024)
                    .build())
            .build();
    private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS = new ConcurrentHashMap<>();

    private OtlpJsonReader() {
    }

    /** Parses {@code json} into a message of {@code builder}'s type; any deviation is an {@link InvalidOtlpException}. */
    static <B extends Message.Builder> B read(byte[] json, B builder) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("expected a JSON object");
            }
            readMessage(p, builder, 0);
            if (p.nextToken() != null) {
                throw invalid("unexpected content after the JSON object");
            }
            return builder;
        } catch (JsonParseException e) {
            throw invalid(e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw invalid(e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(e.getMessage());
        }
    }

    private static void readMessage(JsonParser p, Message.Builder builder, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw invalid("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        Descriptor type = builder.getDescriptorForType();
        Map<String, FieldDescriptor> fields = FIELDS.computeIfAbsent(type, OtlpJsonReader::fieldsByName);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t != JsonToken.FIELD_NAME) {
                throw invalid("malformed object in " + type.getName());
            }
            String name = p.currentName();
            FieldDescriptor field = fields.get(name);
            JsonToken value = p.nextToken();
            if (field == null) {
                p.skipChildren();
                continue;
            }
            if (value == JsonToken.VALUE_NULL) {
                continue;
            }
            if (field.isRepeated()) {
                if (value != JsonToken.START_ARRAY) {
                    throw invalid(type.getName() + "." + name + " must be an array");
                }
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    builder.addRepeatedField(field, readValue(p, builder, field, depth));
                }
            } else {
                Object v = readValue(p, builder, field, depth);
                builder.setField(field, v);
            }
        }
    }

    private static Object readValue(JsonParser p, Message.Builder parent, FieldDescriptor field, int depth)
            throws IOException {
        JsonToken t = p.currentToken();
        String where = field.getContainingType().getName() + "." + field.getJsonName();
        switch (field.getJavaType()) {
            case MESSAGE: {
                if (t != JsonToken.START_OBJECT) {
                    throw invalid(where + " must be an object");
                }
                Message.Builder child = parent.newBuilderForField(field);
                readMessage(p, child, depth + 1);
                return child.build();
            }
            case STRING:
                if (t != JsonToken.VALUE_STRING) {
                    throw invalid(where + " must be a string");
                }
                return p.getText();
            case BOOLEAN:
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    return p.getBooleanValue();
                }
                throw invalid(where + " must be true or false");
            case INT:
                return (int) integer(p, where, Integer.MIN_VALUE, 0xFFFF_FFFFL);
            case LONG:
                return integer(p, where, Long.MIN_VALUE, Long.MAX_VALUE);
            case DOUBLE:
                return decimal(p, where);
            case FLOAT:
                return (float) decimal(p, where);
            case BYTE_STRING: {
                if (t != JsonToken.VALUE_STRING) {
                    throw invalid(where + " must be a string");
                }
                String s = p.getText();
                if (HEX_ID_FIELDS.contains(field.getName())) {
                    if (s.isEmpty()) {
                        return ByteString.EMPTY;
                    }
                    byte[] id;
                    try {
                        id = HexFormat.of().parseHex(s);
                    } catch (IllegalArgumentException e) {
                        throw invalid(where + " must be hex: " + abbreviate(s));
                    }
                    // OTLP: trace ids are 16 bytes, span ids 8 (or empty, meaning none).
                    int length = field.getName().equals("trace_id") ? 16 : 8;
                    if (id.length != length) {
                        throw invalid(where + " must be " + (2 * length) + " hex digits: " + abbreviate(s));
                    }
                    return ByteString.copyFrom(id);
                }
                try {
                    return ByteString.copyFrom(Base64.getDecoder().decode(s));
                } catch (IllegalArgumentException e) {
                    throw invalid(where + " must be base64");
                }
            }
            case ENUM: {
                var enumType = field.getEnumType();
                EnumValueDescriptor e;
                if (t == JsonToken.VALUE_NUMBER_INT) {
                    e = enumType.findValueByNumberCreatingIfUnknown(p.getIntValue());
                } else if (t == JsonToken.VALUE_STRING) {
                    e = enumType.findValueByName(p.getText());
                    if (e == null) {
                        throw invalid(where + " has no value " + abbreviate(p.getText()));
                    }
                } else {
                    throw invalid(where + " must be an enum name or number");
                }
                return e;
            }
            default:
                throw invalid(where + " has an unsupported type");
        }
    }

    /** 64-bit fields arrive as JSON numbers or as decimal strings. */
    private static long integer(JsonParser p, String where, long min, long max) throws IOException {
        JsonToken t = p.currentToken();
        try {
            long v;
            if (t == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    // uint64 above Long.MAX_VALUE (fixed64 nanos never are; counters may be)
                    v = p.getBigIntegerValue().longValue();
                } else {
                    v = p.getLongValue();
                }
            } else if (t == JsonToken.VALUE_STRING) {
                String s = p.getText().trim();
                v = s.startsWith("-") ? Long.parseLong(s) : Long.parseUnsignedLong(s);
            } else if (t == JsonToken.VALUE_NUMBER_FLOAT && p.getDoubleValue() == Math.rint(p.getDoubleValue())) {
                v = (long) p.getDoubleValue();
            } else {
                throw invalid(where + " must be an integer");
            }
            if (v < min || v > max) {
                throw invalid(where + " is out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw invalid(where + " must be an integer: " + abbreviate(p.getText()));
        }
    }

    private static double decimal(JsonParser p, String where) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            switch (s) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw invalid(where + " must be a number: " + abbreviate(s));
                    }
            }
        }
        throw invalid(where + " must be a number");
    }

    private static Map<String, FieldDescriptor> fieldsByName(Descriptor type) {
        var map = new java.util.HashMap<String, FieldDescriptor>();
        for (FieldDescriptor f : type.getFields()) {
            map.put(f.getJsonName(), f);
            map.put(f.getName(), f);
        }
        return Map.copyOf(map);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static InvalidOtlpException invalid(String reason) {
        // Jackson appends where it started reading; the client wants the reason alone, on one line.
        String clean = reason == null ? "malformed JSON" : reason.replaceAll("\\s*\\(start marker at \\[Source.*$", "")
                .replaceAll("\\s*at \\[Source.*$", "").replaceAll("[\\r\\n]+", " ").trim();
        return new InvalidOtlpException(400, "invalid OTLP/JSON: " + clean);
    }
}
