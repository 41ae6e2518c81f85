package dev.agentlake.lake.pricing;

import java.util.Objects;

/**
 * What one model costs, in USD per token, with every fallback already applied so that a price is
 * never missing for a known model. Rates apply to the usage table's token columns: fresh input,
 * output (reasoning included; {@code reasoning} is the rate for its reasoning part), cache read,
 * cache write with a 5 minute and with a 1 hour lifetime, and tool-use prompt tokens (billed as input).
 *
 * <p>Long-context tiers are applied as the providers bill them (and as LiteLLM computes them): when
 * the request's prompt — fresh input + cache read + cache write + tool tokens — exceeds
 * {@code tierThresholdTokens}, the {@code above} rates apply to <em>every</em> token of that request.
 *
 * @param key the price table key that priced the model (after normalisation and aliases)
 * @param source where the price comes from (the snapshot named in the price file, or {@code user})
 * @param tierThresholdTokens prompt size above which {@code above} applies, or 0 when the model has no tier
 */
public record ModelPrice(
        String key,
        String source,
        Rates base,
        long tierThresholdTokens,
        Rates above) {

    public ModelPrice {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(base, "base is null");
        Objects.requireNonNull(above, "above is null");
        if (tierThresholdTokens < 0) {
            throw new IllegalArgumentException("negative tier threshold for " + key);
        }
    }

    /** USD per token for each kind of token. */
    public record Rates(double input, double output, double reasoning, double cacheRead,
                        double cacheWrite5m, double cacheWrite1h) {
        public Rates {
            for (double r : new double[] {input, output, reasoning, cacheRead, cacheWrite5m, cacheWrite1h}) {
                if (!(r >= 0) || Double.isInfinite(r)) {
                    throw new IllegalArgumentException("a price must be a finite number ≥ 0: " + r);
                }
            }
        }
    }
}
