package dev.agentlake.cli.importer;

import dev.agentlake.lake.model.UsageRow;
import dev.agentlake.lake.pricing.ModelPrice;
import dev.agentlake.lake.pricing.PriceTable;
import java.util.Optional;

/**
 * Prices imported calls as the lake's {@code usage} derivation does in {@code auto} mode (the cost
 * the assistant reported if any, else tokens × the price table's rates, tier rates for every token
 * of a request whose prompt exceeds the tier; unknown model: no cost, never 0), so imported rows
 * carry a cost before compaction re-derives it.
 */
public final class CallPricing {
    private final PriceTable prices;

    public CallPricing(PriceTable prices) {
        this.prices = prices;
    }

    /** With the configured price table (the embedded one, and the user's price file if set). */
    public static CallPricing configured() {
        return new CallPricing(dev.agentlake.cli.lake.ConfiguredPricing.table());
    }

    public UsageRow price(UsageRow r) {
        if (r.reportedCostUsd() != null) {
            return with(r, r.reportedCostUsd(), "reported");
        }
        Optional<ModelPrice> price = prices.resolve(r.model());
        if (price.isEmpty()) {
            return with(r, null, "unknown_model");
        }
        ModelPrice p = price.get();
        long prompt = r.input() + r.cacheRead() + r.cacheWrite() + r.toolTokens();
        ModelPrice.Rates rate = p.tierThresholdTokens() > 0 && prompt > p.tierThresholdTokens() ? p.above() : p.base();
        double cost = (r.input() + r.toolTokens()) * rate.input()
                + (r.output() - r.reasoning()) * rate.output()
                + r.reasoning() * rate.reasoning()
                + r.cacheRead() * rate.cacheRead()
                + (r.cacheWrite() - r.cacheWrite1h()) * rate.cacheWrite5m()
                + r.cacheWrite1h() * rate.cacheWrite1h();
        return with(r, cost, "calculated");
    }

    private static UsageRow with(UsageRow r, Double cost, String source) {
        return new UsageRow(r.timeUnixNano(), r.callId(), r.tool(), r.sessionId(), r.promptId(), r.model(), r.hostName(),
                r.project(), r.userId(), r.input(), r.output(), r.cacheRead(), r.cacheWrite(), r.cacheWrite1h(),
                r.reasoning(), r.toolTokens(), cost, source, r.reportedCostUsd(), r.durationMs(), r.success(), r.routing(),
                r.source());
    }
}
