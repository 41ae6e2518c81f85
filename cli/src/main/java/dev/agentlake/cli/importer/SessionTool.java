package dev.agentlake.cli.importer;

import dev.agentlake.lake.model.Tool;
import java.util.Locale;

/** The assistants whose local session files can be imported, by the name the command line uses. */
public enum SessionTool {
    CLAUDE_CODE("claude-code", Tool.CLAUDE_CODE),
    CODEX("codex", Tool.CODEX),
    GEMINI("gemini", Tool.GEMINI_CLI);

    private final String argument;
    private final String lakeTool;

    SessionTool(String argument, String lakeTool) {
        this.argument = argument;
        this.lakeTool = lakeTool;
    }

    /** The word on the command line: {@code claude-code}, {@code codex}, {@code gemini}. */
    public String argument() {
        return argument;
    }

    /** The lake's {@code tool} column value: {@code claude-code}, {@code codex}, {@code gemini-cli}. */
    public String lakeTool() {
        return lakeTool;
    }

    /** Parses a command line word or a lake tool name. */
    public static SessionTool parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (SessionTool t : values()) {
            if (t.argument.equals(n) || t.lakeTool.equals(n)) {
                return t;
            }
        }
        if (n.equals("claude")) {
            return CLAUDE_CODE;
        }
        throw new IllegalArgumentException("unknown tool '" + name + "' (expected claude-code, codex or gemini)");
    }
}
