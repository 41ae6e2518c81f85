package dev.agentlake.cli.importer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One local session file found under a tool's root.
 *
 * @param size bytes on disk (compressed size for {@code .zst})
 */
public record SessionFile(SessionTool tool, Path path, long size, Instant modified) {
    public SessionFile {
        Objects.requireNonNull(tool, "tool is null");
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(modified, "modified is null");
    }

    public boolean compressed() {
        return path.getFileName().toString().endsWith(".zst");
    }
}
