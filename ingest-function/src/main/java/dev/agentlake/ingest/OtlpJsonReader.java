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
import java.math.BigInteger;
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
    /**
     * Nested messages allowed: protobuf-java's default recursion limit, so that a request nested too
     * deeply is refused in both encodings alike. Jackson's own limit counts arrays too (up to one per
     * message level) and must not refuse first, with its own message.
     */
    private static final int MAX_DEPTH = 100;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(2 * MAX_DEPTH + 16)
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
            case STRING: {
                if (t != JsonToken.VALUE_STRING) {
                    throw invalid(where + " must be a string");
                }
                String s = p.getText();
                if (!wellFormed(s)) {
                    // An escaped half of a surrogate pair ("\ud800") has no UTF-8 encoding: protobuf
                    // refuses the same text as invalid UTF-8, and Parquet would store "?".
                    throw invalid(where + " is not valid UTF-8 (a lone surrogate)");
                }
                return s;
            }
            case BOOLEAN:
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    return p.getBooleanValue();
                }
                throw invalid(where + " must be true or false");
            case INT:
                return (int) integer(p, where, 32, unsigned(field));
            case LONG:
                return integer(p, where, 64, unsigned(field));
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

    private static boolean unsigned(FieldDescriptor field) {
        return switch (field.getType()) {
            case UINT32, FIXED32, UINT64, FIXED64 -> true;
            default -> false;
        };
    }

    /**
     * An integer field of {@code bits} bits: 64-bit ones arrive as JSON numbers or as decimal strings.
     * Read exactly and checked against the field's range (uint64 up to 2^64 − 1, int64 from −2^63),
     * then stored as protobuf-java stores it (a uint64 above 2^63 − 1 as a negative long): a value that
     * does not fit is refused, never wrapped into another.
     */
    private static long integer(JsonParser p, String where, int bits, boolean unsigned) throws IOException {
        JsonToken t = p.currentToken();
        BigInteger v;
        try {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                v = p.getBigIntegerValue();
            } else if (t == JsonToken.VALUE_STRING) {
                v = new BigInteger(p.getText().trim());
            } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                v = p.getDecimalValue().toBigIntegerExact();
            } else {
                throw invalid(where + " must be an integer");
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(where + " must be an integer: " + abbreviate(p.getText()));
        }
        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw invalid(where + " is out of range");
        }
        return v.longValue();
    }

    /** Whether every surrogate in {@code s} is half of a pair. */
    private static boolean wellFormed(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
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
