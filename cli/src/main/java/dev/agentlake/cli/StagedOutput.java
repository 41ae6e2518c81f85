package dev.agentlake.cli;

import dev.agentlake.cli.lake.LakeUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Where {@code export --output} writes, staged: the bundle is written to a hidden temporary sibling of the
 * target (same folder, so the same file system) and renamed into place only when complete, so a failed export
 * leaves neither a half-written bundle nor a temporary folder. A folder target must be new or empty (a bundle
 * never mixes with, nor replaces, other files); a {@code .zip} target is replaced, as a named output file is.
 */
final class StagedOutput implements AutoCloseable {
    private final Path target;
    private final Path staged;
    private final boolean zip;
    private boolean moved;

    private StagedOutput(Path target, Path staged, boolean zip) {
        this.target = target;
        this.staged = staged;
        this.zip = zip;
    }

    /** Checks {@code target} and creates its staging sibling. */
    static StagedOutput of(Path target) throws IOException {
        boolean zip = target.toString().endsWith(".zip");
        Path absolute = target.toAbsolutePath().normalize();
        if (!zip && Files.exists(absolute)) {
            if (!Files.isDirectory(absolute)) {
                throw new IllegalArgumentException(target + " is a file: --output names a new or empty folder, or a .zip");
            }
            try (Stream<Path> entries = Files.list(absolute)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(target + " is not empty: export writes its bundle to a new or empty"
                            + " folder, never among other files");
                }
            }
        }
        Path parent = Files.createDirectories(absolute.getParent());
        String prefix = "." + absolute.getFileName() + ".partial-";
        return new StagedOutput(absolute, zip ? Files.createTempFile(parent, prefix, ".zip")
                : Files.createTempDirectory(parent, prefix), zip);
    }

    boolean zip() {
        return zip;
    }

    /** The folder to write the bundle to, or for a {@code .zip} the file to write the zip to. */
    Path staged() {
        return staged;
    }

    /** Renames the complete output to the target (atomically; an empty target folder is replaced). */
    void moveIntoPlace() throws IOException {
        if (!zip) {
            // Empty when checked; a file written into it since stops the export here rather than being removed.
            Files.deleteIfExists(target);
        }
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        moved = true;
    }

    /** Removes the staged output unless it was moved into place. */
    @Override
    public void close() {
        if (!moved) {
            LakeUsage.deleteTree(staged);
        }
    }
}
