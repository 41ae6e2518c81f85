package dev.agentlake.cli.importer;

import dev.agentlake.lake.model.Tool;
import dev.agentlake.lake.model.UsageRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Merges the sightings of each model call into one row, by the rule of the tool that wrote them:
 * <ul>
 *   <li>Claude Code and Codex: the most complete sighting (a later streamed snapshot has at least
 *       the tokens of an earlier one); among equals, the earliest (the original, not a replay);</li>
 *   <li>Gemini CLI: the last version of a message, as it rewrites messages in place.</li>
 * </ul>
 * The lake applies the same rule by {@code call_id} when rows of several imports meet.
 */
public final class UsageLedger {
    private static final Comparator<ImportedCall> READING_ORDER =
            Comparator.comparingInt(ImportedCall::fileOrder).thenComparingLong(ImportedCall::line);
    /**
     * The configured price table, read on a thread of its own from the ledger's start on, so that
     * reading it (~40 ms, once per process: {@code ConfiguredPricing} keeps it) overlaps the reading of
     * the session files instead of following it.
     */
    private final CompletableFuture<CallPricing> pricing = CompletableFuture.supplyAsync(CallPricing::configured);
    private final Map<String, ImportedCall> calls = new HashMap<>();
    private long sightings;

    public void add(ImportedCall call) {
        sightings++;
        calls.merge(call.row().tool() + "|" + call.dedupKey(), call, UsageLedger::keep);
    }

    public void addAll(List<ImportedCall> all) {
        all.forEach(this::add);
    }

    static ImportedCall keep(ImportedCall kept, ImportedCall seen) {
        if (kept.row().tool().equals(Tool.GEMINI_CLI)) {
            return READING_ORDER.compare(seen, kept) > 0 ? seen : kept;
        }
        if (seen.completeness() != kept.completeness()) {
            return seen.completeness() > kept.completeness() ? seen : kept;
        }
        int byTime = Long.compare(seen.row().timeUnixNano(), kept.row().timeUnixNano());
        if (byTime != 0) {
            return byTime < 0 ? seen : kept;
        }
        return READING_ORDER.compare(seen, kept) < 0 ? seen : kept;
    }

    /** How many sightings were added (lines with usage), before merging. */
    public long sightings() {
        return sightings;
    }

    public int size() {
        return calls.size();
    }

    /** One row per call, priced, by time then call id. */
    public List<UsageRow> rows() {
        CallPricing prices;
        try {
            prices = pricing.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        var rows = new ArrayList<UsageRow>(calls.size());
        for (ImportedCall c : calls.values()) {
            rows.add(prices.price(c.row()));
        }
        rows.sort(Comparator.comparingLong(UsageRow::timeUnixNano).thenComparing(UsageRow::callId));
        return rows;
    }
}
