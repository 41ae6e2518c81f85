package dev.agentlake.lake.pricing;

import java.util.Locale;

/**
 * How {@code usage.cost_usd} is chosen, as ccusage's {@code --mode} does.
 * <ul>
 *   <li>{@link #AUTO}: the cost the assistant reported (Claude Code), else ours from the price table;</li>
 *   <li>{@link #CALCULATE}: always ours, even where the assistant reported one;</li>
 *   <li>{@link #DISPLAY}: only what the assistant reported; calls it did not price stay NULL
 *       ({@code cost_source = not_reported}), never a silent 0.</li>
 * </ul>
 */
public enum PriceMode {
    AUTO,
    CALCULATE,
    DISPLAY;

    /** The word used in configuration and SQL: {@code auto}, {@code calculate}, {@code display}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PriceMode fromWord(String word) {
        for (PriceMode m : values()) {
            if (m.word().equalsIgnoreCase(word.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("price mode must be auto, calculate or display: " + word);
    }
}
