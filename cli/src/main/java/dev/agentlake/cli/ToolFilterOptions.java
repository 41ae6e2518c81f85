package dev.agentlake.cli;

import dev.agentlake.cli.importer.SessionTool;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --tool}: only one assistant's rows (export, delete); without it, every tool's. */
public final class ToolFilterOptions {
    @Option(names = "--tool", paramLabel = "TOOL", description = "Only this tool's rows: claude-code, codex or gemini.")
    String tool;

    /** The tool as the lake's rows name it, or null for every tool. */
    String lakeTool() {
        return tool == null ? null : SessionTool.parse(tool).lakeTool();
    }

    /** The tools whose session files to read. */
    List<SessionTool> tools() {
        return tool == null ? List.of(SessionTool.values()) : List.of(SessionTool.parse(tool));
    }
}
