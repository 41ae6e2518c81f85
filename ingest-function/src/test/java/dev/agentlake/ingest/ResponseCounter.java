package dev.agentlake.ingest;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the statuses the ingest endpoint answered, so a test can see what an exporter was told
 * between its retries. Only in contexts started with {@code test.count-responses=true}.
 */
@ServerFilter("/v1/**")
@Requires(property = "test.count-responses", value = "true")
final class ResponseCounter {
    private final Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();

    @ResponseFilter
    void count(HttpResponse<?> response) {
        byStatus.computeIfAbsent(response.code(), s -> new AtomicInteger()).incrementAndGet();
    }

    int count(int status) {
        AtomicInteger n = byStatus.get(status);
        return n == null ? 0 : n.get();
    }
}
