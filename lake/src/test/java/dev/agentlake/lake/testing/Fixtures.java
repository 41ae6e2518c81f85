package dev.agentlake.lake.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The real client captures from {@code shared/fixtures}, copied into this module's test resources
 * (see their README.md): request bodies exactly as the CLIs sent them, and the token numbers they carry.
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** The bytes of {@code fixtures/<path>}, e.g. {@code otlp/claude-code-protobuf/0001-claude-code-logs.bin}. */
    public static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }
}
