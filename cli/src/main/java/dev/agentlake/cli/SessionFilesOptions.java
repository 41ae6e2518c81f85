package dev.agentlake.cli;

import dev.agentlake.cli.importer.SessionRoots;
import dev.agentlake.cli.importer.SessionTool;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the local session files are: the user's home, with each assistant's own environment override. */
public final class SessionFilesOptions {
    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${sys:user.home}",
            description = "Home folder whose session files are read (~/.claude, ~/.codex, ~/.gemini). Default: ${DEFAULT-VALUE}."
                    + " Env CLAUDE_CONFIG_DIR, CODEX_HOME and GEMINI_CLI_HOME override each assistant's folder.")
    Path home;

    SessionRoots roots() {
        return new SessionRoots(home, System.getenv());
    }

    /** {@code claude-code}, {@code codex}, {@code gemini} or {@code all}. */
    static List<SessionTool> tools(String which) {
        if (which == null || which.equalsIgnoreCase("all")) {
            return List.of(SessionTool.values());
        }
        return List.of(SessionTool.parse(which));
    }
}
