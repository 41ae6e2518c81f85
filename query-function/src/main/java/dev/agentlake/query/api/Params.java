package dev.agentlake.query.api;

import io.micronaut.http.HttpParameters;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * An API call's query parameters, checked strictly: an unknown parameter is a 400 that names the
 * known ones (a typo must not silently widen a report), and each value is parsed or refused.
 */
final class Params {
    private final HttpParameters raw;

    private Params(HttpParameters raw) {
        this.raw = raw;
    }

    static Params of(HttpParameters raw, String... allowed) {
        Set<String> known = Set.of(allowed);
        for (String name : raw.names()) {
            if (!known.contains(name)) {
                throw new BadRequestException("unknown parameter '" + TimeRange.abbreviate(name) + "'; this endpoint takes"
                        + (known.isEmpty() ? " no parameters" : ": " + String.join(", ", new TreeSet<>(known))));
            }
        }
        return new Params(raw);
    }

    /**
     * The {@code tool} filter as the lake names tools: {@code gemini} and {@code claude_code}, which the
     * command line and the exporters' service names use, are {@code gemini-cli} and {@code claude-code}.
     */
    String tool() {
        String tool = text("tool");
        return tool == null ? null : dev.agentlake.lake.model.Tool.fromServiceName(tool);
    }

    String text(String name) {
        var all = raw.getAll(name);
        if (all.size() > 1) {
            throw new BadRequestException("'" + name + "' is given " + all.size() + " times");
        }
        String v = raw.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    TimeRange range() {
        return TimeRange.parse(text("from"), text("to"), Instant.now());
    }

    int limit(int defaultValue, int max) {
        return Limits.parse("limit", text("limit"), defaultValue, max);
    }

    int offset() {
        return Limits.parse("offset", text("offset"), 0, 1_000_000);
    }

    /** One of {@code choices}, or the default when absent. */
    String choice(String name, String defaultValue, String... choices) {
        String v = text(name);
        if (v == null) {
            return defaultValue;
        }
        for (String c : choices) {
            if (c.equals(v)) {
                return v;
            }
        }
        throw new BadRequestException("'" + name + "' must be one of " + String.join(", ", choices) + ", not '"
                + TimeRange.abbreviate(v) + "'");
    }
}
