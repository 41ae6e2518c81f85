package dev.agentlake.cli;

import dev.agentlake.cli.importer.ImportSummary;
import dev.agentlake.cli.importer.SessionRoots;
import dev.agentlake.cli.importer.SessionTool;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the local session files are: the user's home, with each assistant's own environment override. */
public final class SessionFilesOptions {
    // $HOME first: the JVM's user.home is the account's folder from the password database, whatever HOME says.
    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:HOME:-${sys:user.home}}",
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

    /**
     * Names each session file that could not be read on stderr (as {@code import} does) and gives the
     * exit code: {@link ExitCode#PARTIAL} when any was left out of {@code result}, else OK.
     */
    static int warnSkipped(PrintWriter err, List<ImportSummary.FailedFile> skipped, String result) {
        for (ImportSummary.FailedFile f : skipped) {
            err.println("agentlake: warning: skipped " + f.file() + ": " + f.reason() + " (left out of " + result + ")");
        }
        err.flush();
        return skipped.isEmpty() ? ExitCode.OK.code() : ExitCode.PARTIAL.code();
    }
}
