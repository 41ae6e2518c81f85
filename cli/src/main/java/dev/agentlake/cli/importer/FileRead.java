package dev.agentlake.cli.importer;

import dev.agentlake.lake.model.LogRow;
import java.util.List;
import java.util.Map;

/**
 * What reading one session file (or its new part) produced.
 *
 * @param offset bytes consumed so far: where the next incremental read starts
 * @param prefixFingerprint {@link PrefixFingerprint} of the consumed bytes {@code [0, offset)}, or null when not taken
 * @param context what the reader needs to continue at {@code offset} (Codex cumulative totals, model, …)
 * @param skippedLines lines that were not valid JSON (counted, never fatal)
 */
public record FileRead(
        SessionFile file,
        List<ImportedCall> calls,
        List<LogRow> events,
        long offset,
        String prefixFingerprint,
        Map<String, String> context,
        int skippedLines) {

    public FileRead {
        calls = List.copyOf(calls);
        events = List.copyOf(events);
        context = Map.copyOf(context);
    }
}
