package dev.agentlake.lake.sql;

import dev.agentlake.lake.pricing.PriceTable;
import dev.agentlake.lake.pricing.PricingSettings;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The derivation every function uses, configured once from {@code agentlake.pricing.*} and {@code agentlake.usage.*}. */
@Factory
class DerivedViewsFactory {

    @Singleton
    DerivedViews derivedViews(PriceTable prices, PricingSettings pricing, UsageSettings usage) {
        return new DerivedViews(prices, pricing.priceMode(), usage);
    }
}
