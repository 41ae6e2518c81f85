package dev.agentlake.ingest;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
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
    /**
     * Every key the mappers ask for, each with a slot: a record's attributes are filed into an array
     * once (one hash of each key), and every typed getter is an array read. A key outside this list is
     * looked up by scanning the attributes.
     */
    private static final String[] KNOWN_KEYS = {
            "service.name", "service.version", "host.name", "session.id", "gen_ai.conversation.id",
            "conversation.id", "prompt.id", "prompt_id", "user.id", "project", "model", "gen_ai.response.model",
            "gen_ai.request.model", "tool_name", "function_name", "gen_ai.tool.name", "request_id", "response_id",
            "gen_ai.response.id", "input_tokens", "gen_ai.usage.input_tokens", "input_token_count", "output_tokens",
            "gen_ai.usage.output_tokens", "output_token_count", "cache_read_tokens",
            "gen_ai.usage.cache_read.input_tokens", "cached_token_count", "cached_content_token_count",
            "cache_creation_tokens", "gen_ai.usage.cache_write.input_tokens",
            "gen_ai.usage.cache_creation.input_tokens", "cache_write_token_count", "cache_creation_5m_tokens",
            "cache_creation_1h_tokens", "codex.usage.reasoning_output_tokens", "gen_ai.usage.reasoning.output_tokens",
            "reasoning_token_count", "thoughts_token_count", "reasoning_tokens", "tool_token_count", "event.name",
            "event.kind", "event.timestamp", "cost_usd", "duration_ms", "success", "decision", "type", "token_type",
            "gen_ai.token.type"};
    private static final Map<String, Integer> SLOTS = new HashMap<>(KNOWN_KEYS.length * 2);

    static {
        for (int i = 0; i < KNOWN_KEYS.length; i++) {
            SLOTS.put(KNOWN_KEYS[i], i);
        }
    }

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

    /** The value of {@code key}, or null. */
    private AnyValue get(String key) {
        Integer slot = SLOTS.get(key);
        if (slot != null) {
            return known[slot];
        }
        AnyValue found = null;
        for (int i = 0, n = ordered.size(); i < n; i++) {
            KeyValue kv = ordered.get(i);
            if (kv.getKey().equals(key)) {
                found = kv.getValue();
            }
        }
        return found;
    }

    boolean has(String key) {
        return get(key) != null;
    }

    /** The first present key's value as text (numbers and booleans printed), or null. */
    String string(String... keys) {
        for (String key : keys) {
            AnyValue v = get(key);
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
            AnyValue v = get(key);
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
            AnyValue v = get(key);
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
            AnyValue v = get(key);
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
        var out = new StringBuilder(64 + attributes.size() * 48);
        writeObject(out, attributes);
        return out.toString();
    }

    /** A record body as text: strings as they are, anything structured as JSON. */
    static String bodyText(AnyValue body) {
        if (body.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET) {
            return null;
        }
        return valueText(body);
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
