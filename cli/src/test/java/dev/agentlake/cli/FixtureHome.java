package dev.agentlake.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A home folder holding the session files the real CLIs wrote (lake's test fixtures
 * {@code fixtures/home/<tool>/}), copied so a test may append to and change them.
 */
final class FixtureHome {
    static final Path SOURCE = Path.of("..", "lake", "src", "test", "resources", "fixtures", "home");
    static final String CLAUDE_FILE = ".claude/projects/-home-dev-sample-proj-claude-code-protobuf/"
            + "193b4fab-8599-4654-931d-65ef6669399e.jsonl";
    static final String CODEX_FILE = ".codex/sessions/2026/11/22/"
            + "rollout-2026-11-22T18-58-04-01a2049f-6432-7c33-8918-e683cdac78b7.jsonl";
    static final String GEMINI_FILE = ".gemini/tmp/proj-gemini/chats/session-2026-11-22T18-59-ed945cd9.jsonl";

    private FixtureHome() {
    }

    /** Copies the fixture homes of {@code tools} ({@code claude-code}, {@code codex}, {@code gemini}) into {@code home}. */
    static Path copy(Path home, String... tools) {
        for (String tool : tools) {
            Path from = SOURCE.resolve(tool);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path to = home.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return home;
    }

    static Path all(Path home) {
        return copy(home, "claude-code", "codex", "gemini");
    }
}
