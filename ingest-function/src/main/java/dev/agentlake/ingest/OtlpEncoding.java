package dev.agentlake.ingest;

import java.util.Locale;

/** The two OTLP/HTTP body encodings, chosen by Content-Type. */
enum OtlpEncoding {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    private final String contentType;

    OtlpEncoding(String contentType) {
        this.contentType = contentType;
    }

    /** The Content-Type the response carries (OTLP: the same as the request's). */
    String contentType() {
        return contentType;
    }

    /** Reads a Content-Type header; parameters such as {@code charset} are ignored. */
    static OtlpEncoding fromContentType(String header) {
        if (header == null || header.isBlank()) {
            throw new InvalidOtlpException(415, "Content-Type is missing: send application/x-protobuf or application/json");
        }
        String mediaType = header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (mediaType) {
            case "application/x-protobuf", "application/protobuf" -> PROTOBUF;
            case "application/json" -> JSON;
            default -> throw new InvalidOtlpException(415, "unsupported Content-Type " + abbreviate(mediaType)
                    + ": send application/x-protobuf or application/json");
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
