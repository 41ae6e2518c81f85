package dev.agentlake.query;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Query configuration ({@code agentlake.query.*}, env {@code AGENTLAKE_QUERY_*}).
 *
 * @param cacheDir where copies of the lake's objects are kept for DuckDB; default: a folder under
 *     {@code java.io.tmpdir} (Lambda: {@code /tmp})
 */
@ConfigurationProperties("agentlake.query")
public record QuerySettings(@Nullable String cacheDir) {
}
