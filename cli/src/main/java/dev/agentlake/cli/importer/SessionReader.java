package dev.agentlake.cli.importer;

import java.io.IOException;

/** Reads one assistant's session files into calls and transcript events. Implementations are stateless. */
interface SessionReader {
    FileRead read(SessionFile file, ReadStart start, ImportContext context) throws IOException;

    /** Whether files of this kind can be continued from a byte offset (JSON lines) or are rewritten whole. */
    default boolean appendOnly(SessionFile file) {
        return true;
    }
}
