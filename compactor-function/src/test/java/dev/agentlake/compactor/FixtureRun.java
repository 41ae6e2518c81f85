package dev.agentlake.compactor;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The real client captures (shared/fixtures/README.md) and what a correct lake reports for each,
 * in the usage table's convention (input = fresh, output includes reasoning).
 */
enum FixtureRun {
    CLAUDE_CODE_PROTOBUF("claude-code-protobuf", "claude-code", List.of("0001-claude-code-logs", "0002-claude-code-logs",
            "0003-claude-code-traces", "0004-claude-code-metrics"), new Totals(2, 2450, 8300, 350, 47, 0)),
    CLAUDE_CODE_JSON("claude-code-json", "claude-code", List.of("0001-claude-code-logs", "0002-claude-code-logs",
            "0003-claude-code-traces", "0004-claude-code-metrics"), new Totals(2, 2450, 8300, 350, 47, 0)),
    CODEX_BINARY("codex-binary", "codex", List.of("0001-codex-traces", "0002-codex-traces", "0003-codex-metrics",
            "0004-codex-logs"), new Totals(2, 552, 3848, 0, 55, 16)),
    CODEX_JSON("codex-json", "codex", List.of("0001-codex-traces", "0002-codex-traces", "0003-codex-metrics",
            "0004-codex-logs"), new Totals(2, 552, 3848, 0, 55, 16)),
    GEMINI("gemini", "gemini-cli", List.of("0001-gemini-logs", "0002-gemini-metrics", "0003-gemini-traces"),
            new Totals(3, 820, 5400, 0, 73, 35));

    /** A capture of each tool (JSON and binary encodings), as the tests that race compactors land them. */
    static final List<FixtureRun> ONE_PER_TOOL = List.of(CLAUDE_CODE_JSON, CODEX_BINARY, GEMINI);

    final String run;
    final String tool;
    final List<String> files;
    final Totals expected;

    FixtureRun(String run, String tool, List<String> files, Totals expected) {
        this.run = run;
        this.tool = tool;
        this.files = files;
        this.expected = expected;
    }

    /** What a correct lake reports per tool after {@code runs} (one per tool) are compacted. */
    static Map<String, Totals> totalsByTool(List<FixtureRun> runs) {
        var out = new TreeMap<String, Totals>();
        for (FixtureRun r : runs) {
            if (out.put(r.tool, r.expected) != null) {
                throw new IllegalArgumentException("more than one run of " + r.tool);
            }
        }
        return out;
    }

    /** Token totals of a tool's calls: calls, input, cache read, cache write, output, reasoning. */
    record Totals(long calls, long input, long cacheRead, long cacheWrite, long output, long reasoning) {
    }
}
