package dev.agentlake.query.api;

/** Parses paging parameters strictly: a bad value is a 400, never silently clamped. */
final class Limits {
    private Limits() {
    }

    static int parse(String name, String value, int defaultValue, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException("'" + name + "' must be a whole number, not '" + TimeRange.abbreviate(value) + "'");
        }
        if (n < 0 || n > max) {
            throw new BadRequestException("'" + name + "' must be between 0 and " + max + ", not " + n);
        }
        return n;
    }
}
