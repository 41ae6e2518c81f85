package dev.agentlake.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Undoes {@code Content-Encoding}, counting bytes as it inflates so that a gzip bomb is refused
 * after at most {@code maxBytes} of output instead of filling memory.
 */
final class BodyInflater {
    private BodyInflater() {
    }

    static byte[] inflate(byte[] body, String contentEncoding, long maxBytes) {
        if (contentEncoding == null || contentEncoding.indexOf(',') < 0) {
            return decode(body, contentEncoding == null ? "" : contentEncoding, maxBytes);
        }
        // A list names the codings in the order they were applied (RFC 9110 8.4), so undo them last
        // first; "identity" entries, which some proxies add, change nothing.
        String[] codings = contentEncoding.split(",");
        byte[] out = body;
        for (int i = codings.length - 1; i >= 0; i--) {
            out = decode(out, codings[i], maxBytes);
        }
        return out;
    }

    private static byte[] decode(byte[] body, String coding, long maxBytes) {
        String encoding = coding.trim().toLowerCase(Locale.ROOT);
        switch (encoding) {
            case "", "identity":
                if (body.length > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                return body;
            case "gzip", "x-gzip":
                try {
                    return readBounded(new GZIPInputStream(new ByteArrayInputStream(body), 8192), maxBytes, "gzip");
                } catch (IOException e) {
                    throw new InvalidOtlpException(400, "body is not valid gzip: " + e.getMessage());
                }
            case "deflate":
                // RFC 9110 "deflate" is zlib-wrapped; some clients send raw deflate, so try both.
                try {
                    return readBounded(new InflaterInputStream(new ByteArrayInputStream(body)), maxBytes, "deflate");
                } catch (IOException zlib) {
                    try {
                        return readBounded(new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(true)),
                                maxBytes, "deflate");
                    } catch (IOException raw) {
                        throw new InvalidOtlpException(400, "body is not valid deflate: " + zlib.getMessage());
                    }
                }
            default:
                throw new InvalidOtlpException(415, "unsupported Content-Encoding " + encoding
                        + ": send gzip, deflate or none");
        }
    }

    private static byte[] readBounded(InputStream in, long maxBytes, String what) throws IOException {
        try (in) {
            var out = new ByteArrayOutputStream(8192);
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                out.write(buffer, 0, n);
            }
            if (total == 0) {
                throw new ZipException("empty " + what + " stream");
            }
            return out.toByteArray();
        } catch (java.io.EOFException e) {
            throw new ZipException("truncated " + what + " stream");
        }
    }

    private static InvalidOtlpException tooLarge(long maxBytes) {
        return new InvalidOtlpException(413, "body is larger than " + maxBytes + " bytes (after decompression)");
    }
}
