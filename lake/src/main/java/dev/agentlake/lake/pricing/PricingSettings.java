package dev.agentlake.lake.pricing;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Pricing configuration ({@code agentlake.pricing.*}, env {@code AGENTLAKE_PRICING_*}).
 *
 * @param mode {@code auto} (reported cost if any, else ours), {@code calculate} or {@code display}
 * @param file a JSON price file laid over the embedded table (LiteLLM field names, USD per token),
 *     to price models the table lacks or to correct a price
 */
@ConfigurationProperties("agentlake.pricing")
public record PricingSettings(
        @Bindable(defaultValue = "auto") String mode,
        @Nullable String file) {

    public PricingSettings {
        PriceMode.fromWord(mode == null ? "" : mode);
    }

    public PriceMode priceMode() {
        return PriceMode.fromWord(mode);
    }
}
