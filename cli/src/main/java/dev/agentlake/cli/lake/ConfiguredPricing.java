package dev.agentlake.cli.lake;

import dev.agentlake.lake.pricing.PriceMode;
import dev.agentlake.lake.pricing.PriceTable;
import dev.agentlake.lake.sql.UsageSettings;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How usage is priced, as configured for {@code serve} and the compactor: {@code agentlake.pricing.file},
 * {@code agentlake.pricing.mode} and {@code agentlake.usage.prefer-source} (system properties), or the
 * variables {@code AGENTLAKE_PRICING_FILE}, {@code AGENTLAKE_PRICING_MODE} and
 * {@code AGENTLAKE_USAGE_PREFER_SOURCE}. The one-shot commands start no Micronaut context, so they read the
 * same names here: a report, an export and {@code pricing unknown} must price as the dashboard does.
 */
public final class ConfiguredPricing {
    private static volatile Loaded loaded;

    private record Loaded(String file, PriceTable table) {
    }

    private ConfiguredPricing() {
    }

    /** The embedded price table, with the configured price file over it if there is one (read once). */
    public static PriceTable table() {
        String file = setting("agentlake.pricing.file");
        Loaded l = loaded;
        if (l == null || !java.util.Objects.equals(l.file(), file)) {
            l = new Loaded(file, file == null ? PriceTable.embedded() : PriceTable.embeddedWith(Path.of(file)));
            loaded = l;
        }
        return l.table();
    }

    public static PriceMode mode() {
        String mode = setting("agentlake.pricing.mode");
        return mode == null ? PriceMode.AUTO : PriceMode.fromWord(mode);
    }

    public static UsageSettings usage() {
        String prefer = setting("agentlake.usage.prefer-source");
        return new UsageSettings(prefer == null ? "import" : prefer.trim());
    }

    /** A property, else its variable (Micronaut's mapping: upper case, dots and dashes as underscores). */
    static String setting(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? null : value;
    }
}
