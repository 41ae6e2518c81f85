package dev.agentlake.lake.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the lake stores in place of prompt or response text when the user asked for redaction:
 * {@code {"redacted":true,"length":<code points>,"sha256":"<hex of the UTF-8 text>"}}. Ingest and import
 * write the same form, so a prompt seen by OTLP and by a session file still matches by hash and
 * reports can still count lengths, without a byte of the text in the lake.
 */
public final class RedactedText {
    private RedactedText() {
    }

    /** The redacted form of {@code text}; null stays null. */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        return "{\"redacted\":true,\"length\":" + text.codePointCount(0, text.length())
                + ",\"sha256\":\"" + HexFormat.of().formatHex(digest) + "\"}";
    }
}
