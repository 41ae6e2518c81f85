package dev.agentlake.cli.importer;

import java.util.Map;

/**
 * Where a reader starts in a file: at 0 with an empty context, or where the last import stopped.
 *
 * @param digest fingerprint state of bytes {@code [0, offset)}, or null when none is wanted (reports)
 * @param transcript whether to produce transcript events too (import) or usage only (report)
 */
record ReadStart(long offset, PrefixFingerprint digest, Map<String, String> context, int fileOrder, boolean transcript) {
    ReadStart {
        context = Map.copyOf(context);
    }

    static ReadStart fromBeginning(int fileOrder, boolean transcript, boolean digest) {
        return new ReadStart(0, digest ? new PrefixFingerprint() : null, Map.of(), fileOrder, transcript);
    }
}
