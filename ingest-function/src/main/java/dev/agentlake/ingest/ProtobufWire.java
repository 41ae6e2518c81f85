package dev.agentlake.ingest;

/**
 * A cursor over protobuf wire bytes that accepts only what protobuf-java would write back byte for byte:
 * minimal varints, values that survive protobuf-java's narrowing, no groups, and (unless the bytes are
 * protobuf-java's own encoding) no unknown fields and valid UTF-8 in strings. Anything else throws
 * {@link NeedsProtobufJava}, and the caller lets protobuf-java parse and re-encode the request: a record's
 * id hashes protobuf-java's encoding of it, and its error messages are the ones clients see.
 */
final class ProtobufWire {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** The bytes need protobuf-java: malformed, not as it would encode them, or unknown to this reader. */
    static final class NeedsProtobufJava extends RuntimeException {
        private static final NeedsProtobufJava INSTANCE = new NeedsProtobufJava();

        private NeedsProtobufJava() {
            super("the body needs protobuf-java", null, false, false); // thrown often enough to skip the stack
        }
    }

    final byte[] bytes;
    /** True for protobuf-java's own encoding: unknown fields (and known numbers of another wire type) are skipped. */
    final boolean reEncoded;
    int pos;

    ProtobufWire(byte[] bytes, boolean reEncoded) {
        this.bytes = bytes;
        this.reEncoded = reEncoded;
    }

    static NeedsProtobufJava needsProtobufJava() {
        return NeedsProtobufJava.INSTANCE;
    }

    /** The next tag (field number << 3 | wire type); field number 0 is malformed. */
    int tag(int end) {
        long tag = varint(end);
        if (tag >>> 3 == 0 || tag > 0xFFFF_FFFFL) {
            throw needsProtobufJava();
        }
        return (int) tag;
    }

    /** A varint in its shortest form (the 10th byte of a 64-bit one may only carry the top bit). */
    long varint(int end) {
        if (pos < end && bytes[pos] >= 0) {
            return bytes[pos++]; // one byte: tags, most lengths
        }
        return longerVarint(end);
    }

    private long longerVarint(int end) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw needsProtobufJava();
            }
            int b = bytes[pos++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                if (b == 0 && shift > 0 || shift == 63 && b > 1) {
                    throw needsProtobufJava();
                }
                return value;
            }
        }
        throw needsProtobufJava();
    }

    /** An int32 or enum, which protobuf-java writes sign-extended to 64 bits. */
    int int32(int end) {
        long v = varint(end);
        if (v != (int) v) {
            throw needsProtobufJava();
        }
        return (int) v;
    }

    /** A uint32. */
    int uint32(int end) {
        long v = varint(end);
        if (v >>> 32 != 0) {
            throw needsProtobufJava();
        }
        return (int) v;
    }

    long fixed64(int end) {
        if (end - pos < 8) {
            throw needsProtobufJava();
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (bytes[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    int fixed32(int end) {
        if (end - pos < 4) {
            throw needsProtobufJava();
        }
        int v = (bytes[pos] & 0xFF) | (bytes[pos + 1] & 0xFF) << 8 | (bytes[pos + 2] & 0xFF) << 16
                | (bytes[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    /** A length-delimited field's end; the cursor is left at its first byte. */
    int delimitedEnd(int end) {
        long length = varint(end);
        if (length > end - pos) {
            throw needsProtobufJava();
        }
        return pos + (int) length;
    }

    /**
     * A field this reader does not map (or a known number with another wire type, which protobuf-java
     * keeps as an unknown field): skipped in protobuf-java's own encoding, which writes unknown fields
     * back after the known ones, so the bytes still are what it would write; otherwise handed over.
     */
    void unknownField(int tag, int end) {
        if (!reEncoded) {
            throw needsProtobufJava();
        }
        skip(tag, end);
    }

    private void skip(int tag, int end) {
        switch (tag & 7) {
            case VARINT -> varint(end);
            case FIXED64 -> fixed64(end);
            case LENGTH_DELIMITED -> pos = delimitedEnd(end);
            case FIXED32 -> fixed32(end);
            case 3 -> { // a group, up to its end tag
                while (true) {
                    int inner = tag(end);
                    if ((inner & 7) == 4) {
                        if (inner >>> 3 != tag >>> 3) {
                            throw needsProtobufJava();
                        }
                        return;
                    }
                    skip(inner, end);
                }
            }
            default -> throw needsProtobufJava();
        }
    }

    /**
     * Checks a proto3 string field's bytes the way protobuf-java does on parsing (well-formed UTF-8,
     * Unicode table 3-7: no overlong forms, surrogates or code points past U+10FFFF).
     */
    void requireUtf8(int from, int to) {
        if (reEncoded) {
            return; // protobuf-java checked them when it parsed the request
        }
        int i = from;
        while (i < to) {
            int b = bytes[i++];
            if (b >= 0) {
                continue;
            }
            int more;
            if (b >= (byte) 0xC2 && b <= (byte) 0xDF) {
                more = 1;
            } else if (b >= (byte) 0xE0 && b <= (byte) 0xEF) {
                more = 2;
            } else if (b >= (byte) 0xF0 && b <= (byte) 0xF4) {
                more = 3;
            } else {
                throw needsProtobufJava();
            }
            if (to - i < more) {
                throw needsProtobufJava();
            }
            int second = bytes[i] & 0xFF;
            int lead = b & 0xFF;
            int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
            int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
            if (second < low || second > high) {
                throw needsProtobufJava();
            }
            for (int k = 1; k < more; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    throw needsProtobufJava();
                }
            }
            i += more;
        }
    }
}
