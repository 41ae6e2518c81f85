package dev.agentlake.compactor;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a writer that lost a commit race (or could not reach the store) waits before it tries again
 * on the newer snapshot: exponential from 50 ms to 2 s, with jitter so two writers do not collide again.
 */
final class CommitBackoff {
    private CommitBackoff() {
    }

    static void pause(int attempt) {
        long millis = Math.min(2_000, 50L << Math.min(attempt, 6)) + ThreadLocalRandom.current().nextLong(50);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
