package dev.agentlake.compactor;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Wall and process CPU time per phase of a run, logged at debug level: where a compaction's time
 * goes (docs/benchmarks.md). CPU is the whole process's (other threads included), so it is exact
 * only when the compactor is alone in it, as in the benchmark.
 */
final class PhaseClock {
    private static final com.sun.management.OperatingSystemMXBean OS = processCpu();

    private final Logger log;
    private final List<String> phases = new ArrayList<>();
    private long wall = System.nanoTime();
    private long cpu = cpuNanos();

    PhaseClock(Logger log) {
        this.log = log;
    }

    /** Ends the current phase under {@code name}, starts the next. */
    void lap(String name) {
        if (!log.isDebugEnabled()) {
            return;
        }
        long w = System.nanoTime();
        long c = cpuNanos();
        phases.add(String.format("%s %d ms (CPU %d ms)", name, (w - wall) / 1_000_000, (c - cpu) / 1_000_000));
        wall = w;
        cpu = c;
    }

    void log(String what) {
        if (log.isDebugEnabled() && !phases.isEmpty()) {
            log.debug("{}: {}", what, String.join(", ", phases));
        }
    }

    private static long cpuNanos() {
        return OS == null ? 0 : OS.getProcessCpuTime();
    }

    private static com.sun.management.OperatingSystemMXBean processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os : null;
    }
}
