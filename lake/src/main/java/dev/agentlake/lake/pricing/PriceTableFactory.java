package dev.agentlake.lake.pricing;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** The price table a function prices with: the embedded one, with the user's file over it if configured. */
@Factory
class PriceTableFactory {

    @Singleton
    PriceTable priceTable(PricingSettings settings) {
        return settings.file() == null || settings.file().isBlank()
                ? PriceTable.embedded()
                : PriceTable.embeddedWith(Path.of(settings.file()));
    }
}
