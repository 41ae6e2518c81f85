package dev.agentlake.cli.importer;

import java.security.MessageDigest;
import java.util.Map;

/**
 * Where a reader starts in a file: at 0 with an empty context, or where the last import stopped.
 *
 * @param digest SHA-256 state of bytes {@code [0, offset)}, or null when no digest is wanted (reports)
 * @param transcript whether to produce transcript events too (import) or usage only (report)
 */
record ReadStart(long offset, MessageDigest digest, Map<String, String> context, int fileOrder, boolean transcript) {
    ReadStart {
        context = Map.copyOf(context);
    }

    static ReadStart fromBeginning(int fileOrder, boolean transcript, boolean digest) {
        return new ReadStart(0, digest ? JsonlFile.sha256() : null, Map.of(), fileOrder, transcript);
    }
}
