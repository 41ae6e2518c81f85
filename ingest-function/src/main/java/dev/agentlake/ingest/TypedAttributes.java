package dev.agentlake.ingest;

import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads OTLP attributes the way the assistants write them: the same attribute is a string in one tool
 * and an int in another ({@code "success": "true"}, {@code "input_token_count": "4400"}), so typed
 * getters accept both. Subclasses hold the attributes either as protobuf-java messages
 * ({@link AttributeValues}) or as a log record's wire bytes ({@link WireAttributes}); the rules live here
 * once, so both give the same columns.
 */
abstract class TypedAttributes {
    /**
     * Every key the mappers ask for, each with a slot: a record's attributes are filed once, and every
     * typed getter is an array read. A key outside this list is looked up by scanning the attributes.
     */
    static final String[] KNOWN_KEYS = {
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
    static final Map<String, Integer> SLOTS = new HashMap<>(KNOWN_KEYS.length * 2);

    static {
        for (int i = 0; i < KNOWN_KEYS.length; i++) {
            SLOTS.put(KNOWN_KEYS[i], i);
        }
    }

    /** Where the value of {@code key} is, for the accessors below (the last of repeated keys wins, as in a map), or -1. */
    abstract int find(String key);

    abstract AnyValue.ValueCase kind(int at);

    abstract String stringValue(int at);

    abstract long intValue(int at);

    abstract double doubleValue(int at);

    abstract boolean boolValue(int at);

    boolean has(String key) {
        return find(key) >= 0;
    }

    /** The first present key's value as text (numbers and booleans printed), or null. */
    String string(String... keys) {
        for (String key : keys) {
            int at = find(key);
            if (at >= 0) {
                String s = scalarText(at);
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
            int at = find(key);
            if (at < 0) {
                continue;
            }
            switch (kind(at)) {
                case INT_VALUE:
                    return intValue(at);
                case DOUBLE_VALUE:
                    return Math.round(doubleValue(at));
                case STRING_VALUE:
                    String s = stringValue(at).trim();
                    try {
                        return Long.parseLong(s);
                    } catch (NumberFormatException e) {
                        try {
                            return Math.round(Double.parseDouble(s));
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
            int at = find(key);
            if (at < 0) {
                continue;
            }
            switch (kind(at)) {
                case DOUBLE_VALUE:
                    return doubleValue(at);
                case INT_VALUE:
                    return (double) intValue(at);
                case STRING_VALUE:
                    try {
                        return Double.parseDouble(stringValue(at).trim());
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
            int at = find(key);
            if (at < 0) {
                continue;
            }
            switch (kind(at)) {
                case BOOL_VALUE:
                    return boolValue(at);
                case STRING_VALUE: {
                    String s = stringValue(at).trim();
                    if (s.equalsIgnoreCase("true")) {
                        return true;
                    }
                    if (s.equalsIgnoreCase("false")) {
                        return false;
                    }
                    return null;
                }
                case INT_VALUE:
                    return intValue(at) != 0;
                default:
                    return null;
            }
        }
        return null;
    }

    /** A scalar as text (strings as they are, numbers and booleans printed); null for anything else. */
    private String scalarText(int at) {
        switch (kind(at)) {
            case STRING_VALUE:
                return stringValue(at);
            case INT_VALUE:
                return Long.toString(intValue(at));
            case DOUBLE_VALUE:
                return Double.toString(doubleValue(at));
            case BOOL_VALUE:
                return Boolean.toString(boolValue(at));
            default:
                return null;
        }
    }
}
