package dev.agentlake.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Shared rules for reading and answering OTLP bodies of any signal. */
final class ProtobufChecks {
    private static final JsonFactory JSON = new JsonFactory();

    private ProtobufChecks() {
    }

    /**
     * Arbitrary bytes often parse as a protobuf made only of unknown fields. A request whose top
     * level holds nothing but unknown fields is not OTLP, so it is refused rather than stored empty.
     */
    static void requireKnownTopLevel(Message request, int resourceCount, String type) {
        if (resourceCount == 0 && !request.getUnknownFields().asMap().isEmpty()) {
            throw new InvalidOtlpException(400, "invalid OTLP/protobuf: body is not an " + type);
        }
    }

    static InvalidOtlpException invalid(InvalidProtocolBufferException e) {
        String reason = e.getMessage() == null ? "malformed" : e.getMessage().split("\n", 2)[0];
        return new InvalidOtlpException(400, "invalid OTLP/protobuf: " + reason);
    }

    /** The resemblance of a body that reads wholly as one signal's request. */
    static final int EXACT = 1000;

    /**
     * Scores a protobuf body for one signal's request type: 0 when it does not parse or holds no field
     * this type knows, else the share of its fields that the type knows, per mille ({@link #EXACT}: all).
     * The three request types share field numbers at the top, so the nested fields decide. A field newer
     * than this receiver's OTLP version lowers the right signal's share a little; read as another signal,
     * every record's fields turn into unknown ones (their numbers and wire types differ), so that share
     * falls much further.
     */
    static int protobufResemblance(byte[] body, Parser<? extends Message> parser) {
        Message m;
        try {
            m = parser.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            return 0;
        }
        long[] knownAndUnknown = new long[2];
        countFields(m, knownAndUnknown);
        long known = knownAndUnknown[0];
        long unknown = knownAndUnknown[1];
        if (known == 0) {
            return 0;
        }
        return unknown == 0 ? EXACT : (int) Math.max(1, Math.min(EXACT - 1, EXACT * known / (known + unknown)));
    }

    private static void countFields(Message m, long[] knownAndUnknown) {
        for (var field : m.getUnknownFields().asMap().values()) {
            knownAndUnknown[1] += field.getVarintList().size() + field.getFixed32List().size()
                    + field.getFixed64List().size() + field.getLengthDelimitedList().size() + field.getGroupList().size();
        }
        for (var entry : m.getAllFields().entrySet()) {
            boolean message = entry.getKey().getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE;
            if (entry.getKey().isRepeated()) {
                var values = (java.util.List<?>) entry.getValue();
                knownAndUnknown[0] += values.size();
                if (message) {
                    values.forEach(v -> countFields((Message) v, knownAndUnknown));
                }
            } else {
                knownAndUnknown[0]++;
                if (message) {
                    countFields((Message) entry.getValue(), knownAndUnknown);
                }
            }
        }
    }

    /**
     * {@link #EXACT} when the JSON object has the signal's top-level field (keys are scanned, values skipped, so
     * this costs one pass without building anything).
     */
    static int jsonResemblance(byte[] body, String camel, String snake) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return 0;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (name.equals(camel) || name.equals(snake)) {
                    return EXACT;
                }
                p.nextToken();
                p.skipChildren();
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Parses a request body of either encoding into the signal's request message.
     *
     * @param resourceCount how many resource entries the parsed request holds (for {@link #requireKnownTopLevel})
     */
    static <M extends Message> M parse(OtlpEncoding encoding, byte[] body, Parser<M> parser,
                                       java.util.function.Supplier<Message.Builder> jsonBuilder,
                                       java.util.function.ToIntFunction<M> resourceCount, String type) {
        if (encoding == OtlpEncoding.JSON) {
            @SuppressWarnings("unchecked")
            M request = (M) OtlpJsonReader.read(body, jsonBuilder.get()).build();
            return request;
        }
        try {
            M request = parser.parseFrom(body);
            requireKnownTopLevel(request, resourceCount.applyAsInt(request), type);
            return request;
        } catch (InvalidProtocolBufferException e) {
            throw invalid(e);
        }
    }

    /** The OTLP/JSON response: {@code {}} or {@code {"partialSuccess":{...}}}. */
    static byte[] jsonPartialSuccess(String rejectedField, long rejected, String message) {
        var out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (rejected > 0) {
                g.writeObjectFieldStart("partialSuccess");
                g.writeStringField(rejectedField, Long.toString(rejected));
                g.writeStringField("errorMessage", message);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A {@code google.rpc.Status} (code 3 INVALID_ARGUMENT etc., message), the error body OTLP/HTTP
     * prescribes; written by hand to avoid a dependency for two fields.
     */
    static byte[] statusProtobuf(int grpcCode, String message) {
        try {
            var out = new ByteArrayOutputStream();
            var coded = com.google.protobuf.CodedOutputStream.newInstance(out);
            if (grpcCode != 0) {
                coded.writeInt32(1, grpcCode);
            }
            coded.writeString(2, message);
            coded.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] statusJson(int grpcCode, String message) {
        var out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("code", grpcCode);
            g.writeStringField("message", message);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

}
