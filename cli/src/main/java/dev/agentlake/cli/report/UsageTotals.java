package dev.agentlake.cli.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.agentlake.cli.importer.TokenTotals;
import dev.agentlake.lake.model.UsageRow;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Sums of a group of calls, named as ccusage names them so the two are easy to compare; the
 * numbers follow the lake's one token convention ({@link UsageRow}): output includes reasoning,
 * cache creation is every cache write. The token sums are {@link TokenTotals}' (an import's summary
 * names them its own way), with the calls' cost added.
 *
 * @param totalCost sum of the priced calls; {@code unpricedCalls} says how many had no price. Null when no call
 *                  was priced: an unknown cost, never 0 (as {@code sum(cost_usd)} is in the lake's SQL)
 */
public record UsageTotals(
        @JsonProperty("inputTokens") long inputTokens,
        @JsonProperty("outputTokens") long outputTokens,
        @JsonProperty("cacheReadTokens") long cacheReadTokens,
        @JsonProperty("cacheCreationTokens") long cacheCreationTokens,
        @JsonProperty("reasoningTokens") long reasoningTokens,
        @JsonProperty("totalTokens") long totalTokens,
        @JsonProperty("totalCost") Double totalCost,
        @JsonProperty("calls") long calls,
        @JsonProperty("unpricedCalls") long unpricedCalls) {

    public static UsageTotals of(List<UsageRow> rows) {
        TokenTotals tokens = TokenTotals.of(rows);
        Double cost = null;
        long unpriced = 0;
        for (UsageRow row : rows) {
            if (row.costUsd() == null) {
                unpriced++;
            } else {
                cost = cost == null ? row.costUsd() : cost + row.costUsd();
            }
        }
        return new UsageTotals(tokens.input(), tokens.output(), tokens.cacheRead(), tokens.cacheWrite(),
                tokens.reasoning(), tokens.total(), cost, rows.size(), unpriced);
    }

    /** Per model, by model name ({@code unknown} for calls without one). */
    static Map<String, UsageTotals> byModel(List<UsageRow> rows) {
        // Hashed while collecting (a report adds every call), sorted once per model at the end.
        var groups = new java.util.HashMap<String, List<UsageRow>>();
        for (UsageRow row : rows) {
            groups.computeIfAbsent(row.model() == null ? "unknown" : row.model(), k -> new java.util.ArrayList<>()).add(row);
        }
        var out = new TreeMap<String, UsageTotals>();
        groups.forEach((k, v) -> out.put(k, of(v)));
        return out;
    }

    static List<String> tools(List<UsageRow> rows) {
        var tools = new TreeSet<String>();
        rows.forEach(r -> tools.add(r.tool()));
        return List.copyOf(tools);
    }
}
