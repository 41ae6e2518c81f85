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
    private final Map<Integer, Runnable> beforeFirst = new ConcurrentHashMap<>();

    @ResponseFilter
    void count(HttpResponse<?> response) {
        Runnable action = beforeFirst.remove(response.code());
        if (action != null) {
            action.run();
        }
        byStatus.computeIfAbsent(response.code(), s -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Runs {@code action} once, before the first answer with {@code status} leaves the server: a test
     * changes the world at a known point of a client's retries instead of racing them.
     */
    void onceBeforeAnswering(int status, Runnable action) {
        beforeFirst.put(status, action);
    }

    int count(int status) {
        AtomicInteger n = byStatus.get(status);
        return n == null ? 0 : n.get();
    }
}
