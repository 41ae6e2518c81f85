package dev.agentlake.lake.model;

/**
 * Token counts of one model call as the assistant reported them (silver rows keep each tool's own
 * convention; the {@code usage} table normalises). A null component means "not reported", which
 * reports must keep apart from a reported zero.
 */
public record Tokens(
        Long input,
        Long output,
        Long cacheRead,
        Long cacheWrite,
        Long cacheWrite5m,
        Long cacheWrite1h,
        Long reasoning,
        Long tool) {

    public static final Tokens NONE = new Tokens(null, null, null, null, null, null, null, null);

    public boolean isEmpty() {
        return input == null && output == null && cacheRead == null && cacheWrite == null
                && cacheWrite5m == null && cacheWrite1h == null && reasoning == null && tool == null;
    }
}
