package dev.agentlake.ingest;

import com.google.protobuf.MessageLite;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable identities. A record's id hashes its resource, scope and own protobuf encoding, so the
 * same record sent again (an exporter retry, a re-batched request) gets the same id and is counted
 * once; the same request body always gets the same landing key.
 */
final class RecordIds {
    private static final HexFormat HEX = HexFormat.of();

    private RecordIds() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /** A digest already fed with the resource and scope, to be cloned per record. */
    static MessageDigest prefix(MessageLite resource, MessageLite scope) {
        MessageDigest d = sha256();
        d.update(resource.toByteArray());
        d.update((byte) 0);
        d.update(scope.toByteArray());
        d.update((byte) 0);
        return d;
    }

    /** A copy of {@code prefix} fed with {@code more} (e.g. a metric's identity before its points). */
    static MessageDigest extend(MessageDigest prefix, byte[] more) {
        MessageDigest d = copy(prefix);
        d.update(more);
        d.update((byte) 0);
        return d;
    }

    /** 128 bits of the record's hash as 32 hex characters. */
    static String recordId(MessageDigest prefix, MessageLite record) {
        MessageDigest d = copy(prefix);
        d.update(record.toByteArray());
        return recordId(d);
    }

    /** The id of a record whose encoding {@code fed} (a copy of its prefix) has been given. */
    static String recordId(MessageDigest fed) {
        return HEX.formatHex(fed.digest(), 0, 16);
    }

    static MessageDigest copy(MessageDigest prefix) {
        try {
            return (MessageDigest) prefix.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable", e);
        }
    }

    /** The landing key's hash: the signal and the decoded request body. */
    static String contentHash(String signal, byte[] body) {
        MessageDigest d = sha256();
        d.update(signal.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        d.update((byte) 0);
        d.update(body);
        return HEX.formatHex(d.digest(), 0, 16);
    }

    /** Trace and span ids as lower-case hex; empty ids (the Rust exporter writes them) become null. */
    static String hexId(com.google.protobuf.ByteString id) {
        if (id.isEmpty()) {
            return null;
        }
        byte[] bytes = id.toByteArray();
        return hexId(bytes, 0, bytes.length);
    }

    /** {@link #hexId(com.google.protobuf.ByteString)} of the id in {@code bytes[from, to)}. */
    static String hexId(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return HEX.formatHex(bytes, from, to);
            }
        }
        return null; // empty or all zeros
    }
}
