package dev.agentlake.lake.model;

import java.util.Objects;

/**
 * One session on one UTC day in the gold {@code sessions} table. The compactor derives these rows
 * with {@code sessions.sql} ({@link dev.agentlake.lake.sql.DerivedViews}); this record states their
 * columns for readers and catalogs. A session active on two days has a row per day: sum the counts,
 * tokens and cost, take the earliest {@code firstSeen} and the latest {@code lastSeen}.
 *
 * @param models the models of the day's calls, sorted, comma-separated; null when there were none
 * @param sources where the day's calls came from: {@code otlp}, {@code import}, or {@code import,otlp}
 *     (never both for one session after the source preference, unless they came on different days)
 * @param costUsd the sum of the calls' costs; calls without a price add nothing and are counted in
 *     {@code unpricedCalls}
 * @param linesAdded from the assistant's metrics where it sends them (Claude Code, Gemini CLI), else null
 */
public record SessionRow(
        String tool,
        String sessionId,
        long firstSeenMicros,
        long lastSeenMicros,
        String hostName,
        String project,
        String userId,
        long prompts,
        long modelCalls,
        long toolCalls,
        long toolFailures,
        long apiErrors,
        long input,
        long output,
        long cacheRead,
        long cacheWrite,
        long reasoning,
        long toolTokens,
        Double costUsd,
        long unpricedCalls,
        String models,
        String sources,
        Long linesAdded,
        Long linesRemoved,
        Long commits,
        Long pullRequests) {

    public SessionRow {
        Objects.requireNonNull(tool, "tool is null");
        Objects.requireNonNull(sessionId, "sessionId is null");
        Objects.requireNonNull(sources, "sources is null");
        if (lastSeenMicros < firstSeenMicros) {
            throw new IllegalArgumentException("session " + sessionId + " ends before it starts");
        }
    }
}
