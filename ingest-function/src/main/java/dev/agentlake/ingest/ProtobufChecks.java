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

    /**
     * Scores a protobuf body for one signal's request type: parses without error and leaves no
     * unknown fields anywhere. The three request types share field numbers at the top, so the
     * nested fields decide.
     */
    static int protobufResemblance(byte[] body, Parser<? extends Message> parser) {
        try {
            Message m = parser.parseFrom(body);
            return unknownFieldCount(m) == 0 && m.getAllFields().size() > 0 ? 2 : 0;
        } catch (InvalidProtocolBufferException e) {
            return 0;
        }
    }

    private static int unknownFieldCount(Message m) {
        int count = m.getUnknownFields().asMap().size();
        for (var entry : m.getAllFields().entrySet()) {
            if (entry.getKey().getJavaType() != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (entry.getKey().isRepeated()) {
                for (Object o : (java.util.List<?>) entry.getValue()) {
                    count += unknownFieldCount((Message) o);
                }
            } else {
                count += unknownFieldCount((Message) entry.getValue());
            }
            if (count > 0) {
                return count;
            }
        }
        return count;
    }

    /**
     * 2 when the JSON object has the signal's top-level field (keys are scanned, values skipped, so
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
                    return 2;
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
