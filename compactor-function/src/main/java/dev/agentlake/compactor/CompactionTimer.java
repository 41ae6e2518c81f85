package dev.agentlake.compactor;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a compaction every {@code agentlake.compactor.interval} in the local process
 * ({@code agentlake serve}); in AWS, EventBridge invokes {@link CompactorFunction} instead. Enabled by
 * {@code agentlake.compactor.timer=true}. A failed run is logged and retried at the next tick: the
 * protocol leaves the lake consistent whatever step failed.
 */
@Context
@Requires(property = "agentlake.compactor.timer", value = "true")
public final class CompactionTimer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactionTimer.class);
    private final ScheduledExecutorService executor;

    CompactionTimer(CompactionJob job, CompactorSettings settings) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agentlake-compactor");
            t.setDaemon(true);
            return t;
        });
        long millis = settings.interval().toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                // The job logs what a run committed.
                job.run();
            } catch (RuntimeException e) {
                LOG.warn("compaction failed, retrying in {} s: {}", millis / 1000, e.getMessage());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops the timer; a run in progress may finish for up to 30 s (a run cut short is safe, only wasted). */
    @PreDestroy
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
