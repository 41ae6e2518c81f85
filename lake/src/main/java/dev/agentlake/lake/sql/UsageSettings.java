package dev.agentlake.lake.sql;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How the {@code usage} table is derived ({@code agentlake.usage.*}, env {@code AGENTLAKE_USAGE_*}).
 *
 * @param preferSource when one session arrives both by OTLP and by an import of its local session
 *     file, the calls of this source are counted and the other's dropped: {@code import} (default:
 *     the session file is complete even when telemetry was switched on late) or {@code otlp}
 */
@ConfigurationProperties("agentlake.usage")
public record UsageSettings(@Bindable(defaultValue = "import") String preferSource) {

    public UsageSettings {
        if (!"import".equals(preferSource) && !"otlp".equals(preferSource)) {
            throw new IllegalArgumentException("agentlake.usage.prefer-source must be import or otlp: " + preferSource);
        }
    }
}
