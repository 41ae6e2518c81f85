package dev.agentlake.lake.model;

import java.util.Locale;

/**
 * The coding assistant a record came from, normalised from the OTLP {@code service.name} so that
 * reports group Claude Code, Codex and Gemini CLI the same way whatever build sent them.
 */
public final class Tool {
    public static final String CLAUDE_CODE = "claude-code";
    public static final String CODEX = "codex";
    public static final String GEMINI_CLI = "gemini-cli";

    private Tool() {
    }

    /**
     * Maps a service name to the tool name: {@code claude-code}, {@code codex}, {@code gemini-cli},
     * else the service name itself ({@code unknown} when there is none).
     */
    public static String fromServiceName(String serviceName) {
        if (serviceName == null || serviceName.isBlank()) {
            return "unknown";
        }
        String s = serviceName.toLowerCase(Locale.ROOT);
        if (s.startsWith("claude-code") || s.startsWith("claude_code")) {
            return CLAUDE_CODE;
        }
        // Codex's Rust exporter names its services codex_exec, codex_cli_rs, codex-tui, ...
        if (s.equals("codex") || s.startsWith("codex_") || s.startsWith("codex-")) {
            return CODEX;
        }
        if (s.startsWith("gemini-cli") || s.startsWith("gemini_cli") || s.equals("gemini")) {
            return GEMINI_CLI;
        }
        return serviceName;
    }
}
