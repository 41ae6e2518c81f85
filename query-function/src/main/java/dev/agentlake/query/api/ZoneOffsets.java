package dev.agentlake.query.api;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * A time zone's UTC offset as SQL arithmetic over epoch microseconds: a constant for zones without
 * transitions in the range, else a CASE over the range's DST transitions (computed here from the
 * JDK's zone rules; only numbers reach the SQL).
 */
final class ZoneOffsets {
    private ZoneOffsets() {
    }

    static String microsExpression(ZoneId zone, TimeRange range, String epochMicros) {
        ZoneRules rules = zone.getRules();
        Instant from = range.from().minusSeconds(86_400);
        Instant to = range.to().plusSeconds(86_400);
        long first = rules.getOffset(from).getTotalSeconds() * 1_000_000L;
        var cases = new StringBuilder();
        ZoneOffsetTransition t = rules.nextTransition(from);
        while (t != null && t.getInstant().isBefore(to)) {
            cases.append(" WHEN ").append(epochMicros).append(" < ").append(t.getInstant().getEpochSecond() * 1_000_000L)
                    .append(" THEN ").append(t.getOffsetBefore().getTotalSeconds() * 1_000_000L);
            t = rules.nextTransition(t.getInstant());
        }
        if (cases.length() == 0) {
            return Long.toString(first);
        }
        return "(CASE" + cases + " ELSE " + rules.getOffset(to).getTotalSeconds() * 1_000_000L + " END)";
    }
}
