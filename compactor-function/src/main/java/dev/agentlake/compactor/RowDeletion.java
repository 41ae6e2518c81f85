package dev.agentlake.compactor;

import dev.agentlake.lake.layout.LakeLayout;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code agentlake delete} removes: the rows of some tables whose {@code timestamp} lies in
 * {@code [from, to)}, optionally only those of one tool. The gold tables ({@code usage},
 * {@code sessions}) are never edited on their own: they are derived again, for every day whose
 * source rows changed, from what is left, so the next compaction cannot bring deleted calls back.
 *
 * @param tool the lake's {@code tool} value ({@code claude-code}, {@code codex}, {@code gemini-cli}),
 *     or null for every tool
 */
public record RowDeletion(Scope scope, Instant from, Instant to, String tool) {

    /** The word after {@code agentlake delete}. */
    public enum Scope {
        /** The {@code logs} table (usage and sessions follow: they are derived from it). */
        LOGS,
        /** The {@code metrics} table (sessions' lines, commits and pull requests follow). */
        METRICS,
        /** The {@code spans} table. */
        TRACES,
        /**
         * The model calls: the {@code imported_usage} rows and the log records the calls are derived
         * from (the records whose call id is a row of {@code usage}); other log records stay.
         */
        USAGE,
        /** Every table. */
        ALL;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RowDeletion {
        Objects.requireNonNull(scope, "scope is null");
        Objects.requireNonNull(from, "from is null");
        Objects.requireNonNull(to, "to is null");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the start of a deletion must be before its end: " + from + " .. " + to);
        }
        if (tool != null && !tool.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("not a tool name: " + tool);
        }
    }

    /** The UTC date of the first partition that may hold rows of the window. */
    public LocalDate firstDay() {
        return LakeLayout.dateOf(from);
    }

    /** The UTC date of the last partition that may hold rows of the window ({@code to} is exclusive). */
    public LocalDate lastDay() {
        return LakeLayout.dateOf(to.minus(1, ChronoUnit.MICROS));
    }

    /** SQL that is true for the rows of the window (and tool) in a relation with {@code timestamp} and {@code tool}. */
    String predicate(String timeColumn) {
        String p = "epoch_us(\"" + timeColumn + "\") >= " + micros(from) + " AND epoch_us(\"" + timeColumn + "\") < " + micros(to);
        return tool == null ? p : p + " AND tool = '" + tool.replace("'", "''") + "'";
    }

    private static long micros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
    }

    /** One line for prompts and logs: {@code logs of codex from … to …}. */
    public String describe() {
        return scope.word() + (tool == null ? "" : " of " + tool) + " from " + from + " to " + to;
    }
}
