package dev.agentlake.ingest;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import java.util.Map;

/**
 * Framework settings the OTLP receiver depends on, wherever it runs (Lambda, local server, tests):
 * <ul>
 *   <li>the server must hand us bodies as sent: {@link BodyInflater} inflates them with a bound,
 *       so a gzip bomb is refused with 413 and bad gzip is a 400, not a 500 from the transport;</li>
 *   <li>the transport limit only has to let a full-size compressed body through; the real limit is
 *       {@code agentlake.ingest.max-body-bytes}, counted while inflating;</li>
 *   <li>on Lambda, protobuf responses must be base64-encoded or API Gateway mangles them.</li>
 * </ul>
 */
@ContextConfigurer
public final class IngestDefaults implements ApplicationContextConfigurer {
    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.properties(Map.of(
                "micronaut.server.netty.request-decompression-enabled", false,
                "micronaut.server.max-request-size", 64L * 1024 * 1024,
                // Bodies are buffered whole: without this the framework refuses anything over its
                // default 10 MiB buffer (with its own JSON error), below the ingest's 16 MiB limit.
                "micronaut.server.max-request-buffer-size", 64L * 1024 * 1024,
                "micronaut.function.binary-types.additional-types", "application/x-protobuf"));
    }
}
