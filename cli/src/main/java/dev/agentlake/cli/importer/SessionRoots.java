package dev.agentlake.cli.importer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

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

    /** Every session file of {@code tool}, sorted by path (so runs are deterministic). */
    public List<SessionFile> find(SessionTool tool) {
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
        var files = new ArrayList<SessionFile>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path root : roots(tool)) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> found = Files.find(root, 12, matches, FileVisitOption.FOLLOW_LINKS)) {
                for (Path p : (Iterable<Path>) found::iterator) {
                    Path real = p.toAbsolutePath().normalize();
                    if (seen.add(real)) {
                        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
                        files.add(new SessionFile(tool, real, a.size(), a.lastModifiedTime().toInstant()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        // Compare path strings computed once: Path.toString builds a new String on every call.
        var keyed = new java.util.TreeMap<String, SessionFile>();
        for (SessionFile f : files) {
            keyed.put(f.path().toString(), f);
        }
        return List.copyOf(keyed.values());
    }
}
