package dev.agentlake.query.api;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A half-open time range {@code [from, to)} from API parameters: RFC 3339 timestamps, {@code now},
 * or {@code now-15m}, {@code now-7d} style offsets (s, m, h, d, w). Default: the last 24 hours.
 */
public record TimeRange(Instant from, Instant to) {
    private static final Pattern RELATIVE = Pattern.compile("now(?:([-+])(\\d{1,6})([smhdw]))?");

    public TimeRange {
        if (!from.isBefore(to)) {
            throw new BadRequestException("'from' (" + from + ") must be before 'to' (" + to + ")");
        }
    }

    public static TimeRange parse(String from, String to, Instant now) {
        Instant end = to == null || to.isBlank() ? now : instant("to", to, now);
        Instant start = from == null || from.isBlank() ? end.minus(Duration.ofHours(24)) : instant("from", from, now);
        return new TimeRange(start, end);
    }

    static Instant instant(String name, String value, Instant now) {
        String v = value.trim();
        Matcher m = RELATIVE.matcher(v);
        if (m.matches()) {
            if (m.group(1) == null) {
                return now;
            }
            long n = Long.parseLong(m.group(2));
            Duration d = switch (m.group(3)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return m.group(1).equals("-") ? now.minus(d) : now.plus(d);
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestException("'" + name + "' must be an RFC 3339 time (2026-11-22T10:00:00Z) or"
                    + " now-<n><s|m|h|d|w>, not '" + abbreviate(v) + "'");
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
