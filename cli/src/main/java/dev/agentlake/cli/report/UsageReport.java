package dev.agentlake.cli.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.agentlake.lake.model.UsageRow;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The ccusage reports over usage rows: calls grouped by day, week, month (in a time zone), by
 * session, or into 5-hour billing blocks.
 */
public final class UsageReport {
    /** A billing block lasts five hours from the hour of its first call. */
    static final Duration BLOCK = Duration.ofHours(5);

    public enum Kind {
        DAILY, WEEKLY, MONTHLY, SESSION, BLOCKS;

        public static Kind parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown report '" + s + "' (expected daily, weekly, monthly, session or blocks)");
            }
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One line of a report. {@code period} is the date, week start, month, session id or block start. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(
            @JsonProperty("period") String period,
            @JsonProperty("tools") List<String> tools,
            @JsonProperty("sessionId") String sessionId,
            @JsonProperty("project") String project,
            @JsonProperty("firstActivity") Instant firstActivity,
            @JsonProperty("lastActivity") Instant lastActivity,
            @JsonProperty("endTime") Instant endTime,
            @JsonProperty("modelsUsed") List<String> modelsUsed,
            @JsonProperty("totals") UsageTotals totals,
            @JsonProperty("modelBreakdowns") Map<String, UsageTotals> modelBreakdowns) {
    }

    /** The report: its groups in order, and the totals over all. */
    public record Result(
            @JsonProperty("report") String report,
            @JsonProperty("timezone") String timezone,
            @JsonProperty("source") String source,
            @JsonProperty("groups") List<Group> groups,
            @JsonProperty("totals") UsageTotals totals) {
    }

    private UsageReport() {
    }

    /**
     * @param rows the calls of the report's window; for {@link Kind#BLOCKS} every call, as a block depends on the
     *     calls before it: the blocks found over all of them that start in {@code [from, to)} are shown (a null
     *     end is open), as ccusage shows them
     */
    public static Result build(Kind kind, List<UsageRow> rows, ZoneId zone, String source, Instant from, Instant to) {
        List<UsageRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(UsageRow::timeUnixNano).thenComparing(UsageRow::callId));
        List<Group> groups;
        switch (kind) {
            case DAILY:
                groups = byPeriod(sorted, zone, LocalDate::toString);
                break;
            case WEEKLY:
                groups = byPeriod(sorted, zone, d -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY)).toString());
                break;
            case MONTHLY:
                groups = byPeriod(sorted, zone, d -> d.toString().substring(0, 7));
                break;
            case SESSION:
                groups = bySession(sorted);
                break;
            case BLOCKS:
                List<List<UsageRow>> shown = blocks(sorted).stream().filter(b -> {
                    Instant start = blockStart(b);
                    return (from == null || !start.isBefore(from)) && (to == null || start.isBefore(to));
                }).toList();
                groups = shown.stream().map(b -> group(blockStart(b).toString(), b, null, null, blockStart(b).plus(BLOCK)))
                        .toList();
                sorted = shown.stream().flatMap(List::stream).toList();
                break;
            default:
                throw new AssertionError(kind);
        }
        return new Result(kind.key(), zone.getId(), source, groups, UsageTotals.of(sorted));
    }

    static LocalDate date(UsageRow r, ZoneId zone) {
        return LocalDate.ofInstant(instant(r), zone);
    }

    private static long nanos(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }

    static Instant instant(UsageRow r) {
        return Instant.ofEpochSecond(Math.floorDiv(r.timeUnixNano(), 1_000_000_000L), Math.floorMod(r.timeUnixNano(), 1_000_000_000L));
    }

    /**
     * Groups rows (sorted by time) by the period of their date in {@code zone}. In a zone of one fixed
     * offset (UTC, the usual case) the date is worked out once per day that has calls, not once per call:
     * a row within the current day's bounds joins the current group. Elsewhere a day's instants need not
     * be one interval (Brazil ended summer time at midnight, back into the day before), so every row's
     * date is worked out.
     */
    private static List<Group> byPeriod(List<UsageRow> rows, ZoneId zone, Function<LocalDate, String> period) {
        var groups = new TreeMap<String, List<UsageRow>>();
        boolean fixedOffset = zone.getRules().isFixedOffset();
        long dayStart = Long.MAX_VALUE;
        long dayEnd = Long.MIN_VALUE;
        List<UsageRow> current = null;
        for (UsageRow r : rows) {
            long t = r.timeUnixNano();
            if (t < dayStart || t >= dayEnd) {
                LocalDate day = date(r, zone);
                if (fixedOffset) {
                    dayStart = nanos(day.atStartOfDay(zone).toInstant());
                    dayEnd = nanos(day.plusDays(1).atStartOfDay(zone).toInstant());
                }
                current = groups.computeIfAbsent(period.apply(day), k -> new ArrayList<>());
            }
            current.add(r);
        }
        var out = new ArrayList<Group>();
        groups.forEach((p, g) -> out.add(group(p, g, null, null, null)));
        return out;
    }

    private static Group group(String period, List<UsageRow> g, String sessionId, String project, Instant end) {
        Map<String, UsageTotals> models = UsageTotals.byModel(g);
        return new Group(period, UsageTotals.tools(g), sessionId, project, instant(g.get(0)), instant(g.get(g.size() - 1)),
                end, List.copyOf(models.keySet()), UsageTotals.of(g), models);
    }

    private static List<Group> bySession(List<UsageRow> rows) {
        var groups = new LinkedHashMap<String, List<UsageRow>>();
        for (UsageRow r : rows) {
            groups.computeIfAbsent(r.tool() + "|" + (r.sessionId() == null ? "" : r.sessionId()), k -> new ArrayList<>()).add(r);
        }
        var out = new ArrayList<Group>();
        for (List<UsageRow> g : groups.values()) {
            UsageRow first = g.get(0);
            out.add(group(first.sessionId(), g, first.sessionId(), first.project(), null));
        }
        // Most recent activity last, as ccusage lists sessions.
        out.sort(Comparator.comparing(Group::lastActivity).thenComparing(x -> x.sessionId() == null ? "" : x.sessionId()));
        return out;
    }

    /**
     * 5-hour blocks, each as its calls: a block starts at the full hour (UTC) of the first call not in a
     * block and takes every call until five hours after its start; a gap of five hours also ends it.
     */
    private static List<List<UsageRow>> blocks(List<UsageRow> rows) {
        var out = new ArrayList<List<UsageRow>>();
        List<UsageRow> current = new ArrayList<>();
        Instant start = null;
        Instant last = null;
        for (UsageRow r : rows) {
            Instant t = instant(r);
            if (start == null || !t.isBefore(start.plus(BLOCK)) || !t.isBefore(last.plus(BLOCK))) {
                if (!current.isEmpty()) {
                    out.add(current);
                }
                current = new ArrayList<>();
                start = t.truncatedTo(ChronoUnit.HOURS);
            }
            current.add(r);
            last = t;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private static Instant blockStart(List<UsageRow> block) {
        return instant(block.get(0)).truncatedTo(ChronoUnit.HOURS);
    }
}
