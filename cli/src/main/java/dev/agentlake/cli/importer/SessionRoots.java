package dev.agentlake.cli.importer;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Where each assistant keeps its session files, as the assistants themselves resolve it:
 * <ul>
 *   <li>Claude Code: {@code $CLAUDE_CONFIG_DIR} (comma-separated) else {@code ~/.config/claude} and
 *       {@code ~/.claude}; files {@code projects/**}{@code /*.jsonl} (subagent files included);</li>
 *   <li>Codex: {@code $CODEX_HOME} else {@code ~/.codex}; {@code sessions/} and {@code archived_sessions/},
 *       files {@code rollout-*.jsonl} and {@code rollout-*.jsonl.zst};</li>
 *   <li>Gemini CLI: {@code $GEMINI_CLI_HOME/.gemini} else {@code ~/.gemini}; files
 *       {@code tmp/<project>/chats/session-*.json} and {@code .jsonl}.</li>
 * </ul>
 */
public final class SessionRoots {
    /** Deeper than any assistant nests its session files (Claude's subagents: projects/p/s/subagents/f). */
    private static final int MAX_DEPTH = 12;

    private final Path home;
    private final Map<String, String> env;

    /**
     * @param home the user's home folder
     * @param env environment variables (the process environment, or a test's)
     */
    public SessionRoots(Path home, Map<String, String> env) {
        this.home = home;
        this.env = Map.copyOf(env);
    }

    /** The folders searched for {@code tool}, existing or not, in search order. */
    public List<Path> roots(SessionTool tool) {
        switch (tool) {
            case CLAUDE_CODE: {
                String configured = env.get("CLAUDE_CONFIG_DIR");
                var roots = new LinkedHashSet<Path>();
                if (configured != null && !configured.isBlank()) {
                    for (String part : configured.split(",")) {
                        if (!part.isBlank()) {
                            roots.add(Path.of(part.trim()).resolve("projects"));
                        }
                    }
                } else {
                    String xdg = env.get("XDG_CONFIG_HOME");
                    Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
                    roots.add(config.resolve("claude").resolve("projects"));
                    roots.add(home.resolve(".claude").resolve("projects"));
                }
                return List.copyOf(roots);
            }
            case CODEX: {
                String configured = env.get("CODEX_HOME");
                Path root = configured != null && !configured.isBlank() ? Path.of(configured) : home.resolve(".codex");
                return List.of(root.resolve("sessions"), root.resolve("archived_sessions"));
            }
            case GEMINI: {
                String configured = env.get("GEMINI_CLI_HOME");
                Path base = configured != null && !configured.isBlank() ? Path.of(configured) : home;
                return List.of(base.resolve(".gemini").resolve("tmp"));
            }
        }
        throw new AssertionError(tool);
    }

    /** What a search of the roots found: the session files, and the folders or files that could not be read. */
    public record Found(List<SessionFile> files, List<ImportSummary.FailedFile> unreadable) {
        public Found {
            files = List.copyOf(files);
            unreadable = List.copyOf(unreadable);
        }
    }

    /**
     * Every session file of {@code tool}, sorted by path (so runs are deterministic). A folder that
     * cannot be listed (no permission, gone while searched) is skipped and named in
     * {@link Found#unreadable()}, as an unreadable file is: the other sessions are still imported.
     */
    public Found find(SessionTool tool) {
        BiPredicate<Path, BasicFileAttributes> matches;
        switch (tool) {
            case CLAUDE_CODE:
                matches = (p, a) -> a.isRegularFile() && p.getFileName().toString().endsWith(".jsonl");
                break;
            case CODEX:
                matches = (p, a) -> {
                    String n = p.getFileName().toString();
                    return a.isRegularFile() && n.startsWith("rollout-") && (n.endsWith(".jsonl") || n.endsWith(".jsonl.zst"));
                };
                break;
            case GEMINI:
                matches = (p, a) -> {
                    String n = p.getFileName().toString();
                    Path parent = p.getParent();
                    return a.isRegularFile() && n.startsWith("session-") && (n.endsWith(".json") || n.endsWith(".jsonl"))
                            && parent != null && parent.getFileName().toString().equals("chats");
                };
                break;
            default:
                throw new AssertionError(tool);
        }
        // Compare path strings computed once: Path.toString builds a new String on every call.
        var keyed = new TreeMap<String, SessionFile>();
        var unreadable = new TreeMap<String, String>();
        for (Path root : roots(tool)) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try {
                Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), MAX_DEPTH, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path p, BasicFileAttributes a) {
                        if (matches.test(p, a)) {
                            Path real = p.toAbsolutePath().normalize();
                            keyed.putIfAbsent(real.toString(),
                                    new SessionFile(tool, real, a.size(), a.lastModifiedTime().toInstant()));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path p, IOException e) {
                        // A symbolic link loop is not a folder the user cannot read: nothing to report.
                        if (!(e instanceof FileSystemLoopException)) {
                            unreadable.put(p.toAbsolutePath().normalize().toString(), FileReads.reason(e));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                        if (e != null) { // the folder's listing broke off part way
                            unreadable.put(dir.toAbsolutePath().normalize().toString(), FileReads.reason(e));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                unreadable.put(root.toString(), FileReads.reason(e));
            }
        }
        var failed = new ArrayList<ImportSummary.FailedFile>();
        unreadable.forEach((path, reason) -> failed.add(new ImportSummary.FailedFile(path, reason)));
        return new Found(new ArrayList<>(keyed.values()), failed);
    }
}
