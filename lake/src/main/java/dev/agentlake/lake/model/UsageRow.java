package dev.agentlake.lake.model;

import java.util.Objects;

/**
 * One model call in the {@code usage} table's single token convention, whatever the provider:
 * the token columns add up to the tokens billed, each once.
 * <ul>
 *   <li>{@code input} = fresh input: neither read from nor written to the cache;</li>
 *   <li>{@code cacheRead}, {@code cacheWrite} (5m + 1h; the 1h part also in {@code cacheWrite1h});</li>
 *   <li>{@code output} includes reasoning/thinking; {@code reasoning} is the part of output that was.</li>
 * </ul>
 * Codex/OpenAI and Gemini report input including cached tokens, and Gemini reports thoughts apart
 * from output: their rows are converted on the way in.
 *
 * @param callId stable key of the call (Claude request id / message id, Codex response id, …):
 *     the same call seen twice has the same key
 * @param source {@code otlp} or {@code import}
 * @param costUsd our price of the call, or the reported one in {@code display} mode; null when the
 *     model is unknown ({@code costSource = unknown_model}), never a silent 0; in {@code display} mode a
 *     call the assistant did not price has a null cost and {@code costSource = not_reported}
 * @param routing a Claude Code tool-routing call (no cache tokens), shown apart from user-facing totals
 */
public record UsageRow(
        long timeUnixNano,
        String callId,
        String tool,
        String sessionId,
        String promptId,
        String model,
        String hostName,
        String project,
        String userId,
        long input,
        long output,
        long cacheRead,
        long cacheWrite,
        long cacheWrite1h,
        long reasoning,
        long toolTokens,
        Double costUsd,
        String costSource,
        Double reportedCostUsd,
        Double durationMs,
        Boolean success,
        boolean routing,
        String source) {

    public UsageRow {
        Objects.requireNonNull(callId, "callId is null");
        Objects.requireNonNull(tool, "tool is null");
        Objects.requireNonNull(costSource, "costSource is null");
        Objects.requireNonNull(source, "source is null");
        if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0 || cacheWrite1h < 0 || reasoning < 0
                || toolTokens < 0) {
            throw new IllegalArgumentException("negative token count in call " + callId);
        }
        if (cacheWrite1h > cacheWrite || reasoning > output) {
            throw new IllegalArgumentException("a part exceeds its whole in call " + callId);
        }
        if (!costSource.equals("reported") && !costSource.equals("calculated") && !costSource.equals("unknown_model")
                && !costSource.equals("not_reported")) {
            throw new IllegalArgumentException("cost_source must be reported, calculated, unknown_model or not_reported: "
                    + costSource);
        }
    }
}
