package dev.agentlake.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * {@code --from/--to/--tz} as the subcommands read them: a date ({@code 2026-11-22}, whole days in
 * {@code --tz}; {@code --to} is inclusive) or an instant ({@code 2026-11-22T18:00:00Z}).
 */
record TimeWindow(Instant from, Instant to, ZoneId zone) {

    static TimeWindow parse(String from, String to, String tz) {
        ZoneId zone;
        try {
            zone = tz == null || tz.isBlank() ? ZoneId.systemDefault() : ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--tz: unknown time zone '" + tz + "'");
        }
        Instant f = from == null ? null : instant("--from", from, zone, false);
        Instant t = to == null ? null : instant("--to", to, zone, true);
        if (f != null && t != null && !f.isBefore(t)) {
            throw new IllegalArgumentException("--from must be before --to");
        }
        return new TimeWindow(f, t, zone);
    }

    private static Instant instant(String option, String value, ZoneId zone, boolean endOfDay) {
        try {
            if (value.length() == 10) {
                LocalDate d = LocalDate.parse(value);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
            }
            if (value.length() == 8 && value.chars().allMatch(Character::isDigit)) {
                LocalDate d = LocalDate.parse(value.substring(0, 4) + "-" + value.substring(4, 6) + "-" + value.substring(6));
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": expected YYYY-MM-DD or an ISO instant, got '" + value + "'");
        }
    }
}
