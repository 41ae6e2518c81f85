package dev.agentlake.cli.importer;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.agentlake.lake.model.UsageRow;
import java.util.Collection;

/**
 * Sums of the usage convention's token columns (see {@link UsageRow}): an import's summary prints them,
 * a report's totals are built on them.
 */
public record TokenTotals(
        @JsonProperty("input") long input,
        @JsonProperty("output") long output,
        @JsonProperty("cache_read") long cacheRead,
        @JsonProperty("cache_write") long cacheWrite,
        @JsonProperty("reasoning") long reasoning) {

    public static TokenTotals of(Collection<UsageRow> rows) {
        long i = 0;
        long o = 0;
        long r = 0;
        long w = 0;
        long t = 0;
        for (UsageRow row : rows) {
            i += row.input();
            o += row.output();
            r += row.cacheRead();
            w += row.cacheWrite();
            t += row.reasoning();
        }
        return new TokenTotals(i, o, r, w, t);
    }

    /** Every token counted once: reasoning is part of output. */
    public long total() {
        return input + output + cacheRead + cacheWrite;
    }
}
