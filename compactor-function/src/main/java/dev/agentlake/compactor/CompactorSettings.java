package dev.agentlake.compactor;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Compactor configuration ({@code agentlake.compactor.*}, env {@code AGENTLAKE_COMPACTOR_*}).
 *
 * @param landingGrace landing files younger than this are left for the next run, so a file still
 *     being retried by an exporter is taken once it has settled
 * @param orphanGrace table files no snapshot names are deleted once older than this; a run that
 *     has not committed within half of it gives up, so no compactor ever reaps another's files
 *     before they are committed. Zero reaps at once and is safe only with a single compactor.
 * @param maxLandingFiles most landing files one run takes (oldest first); the rest wait for the next run
 * @param targetFileBytes a partition's rows are split into several files above this size
 * @param rowGroupRows Parquet row group size; DuckDB reads row groups in parallel, 122,880 rows each
 * @param commitAttempts attempts when other compactors commit first, with backoff between them
 * @param snapshotsKept how many snapshot versions are kept as history
 * @param transferThreads parallel downloads and uploads
 * @param workDir local folder for copies of the objects and DuckDB's spill files; default: a folder
 *     under {@code java.io.tmpdir} (Lambda: {@code /tmp})
 * @param memoryLimit DuckDB memory limit, e.g. {@code 1GB}; default: DuckDB's (80% of RAM)
 * @param interval how often the local timer runs a compaction ({@code agentlake serve})
 * @param leaseDuration on a store that ignores put-if-absent, how long the commit lease is held: longer
 *     than a run (a run whose lease has expired does not commit); a crashed holder blocks others this long
 * @param leaseSettle on such a store, the wait between writing the lease and reading it back, so that
 *     of compactors starting together only the last writer keeps it
 * @param appendAboveRows late rows for a silver partition holding at least this many rows are written
 *     as one more sorted file of the new rows only, instead of rewriting the whole day (tables whose
 *     copies are equal, with an unchanged schema); 0 never appends
 * @param maxPartitionFiles a partition with this many files is rewritten whole (into as few sorted
 *     files as its size allows) at its next change instead of getting one more
 */
@ConfigurationProperties("agentlake.compactor")
public record CompactorSettings(
        @Bindable(defaultValue = "30s") Duration landingGrace,
        @Bindable(defaultValue = "1h") Duration orphanGrace,
        @Bindable(defaultValue = "20000") int maxLandingFiles,
        @Bindable(defaultValue = "67108864") long targetFileBytes,
        @Bindable(defaultValue = "122880") int rowGroupRows,
        @Bindable(defaultValue = "5") int commitAttempts,
        @Bindable(defaultValue = "20") int snapshotsKept,
        @Bindable(defaultValue = "16") int transferThreads,
        @Nullable String workDir,
        @Nullable String memoryLimit,
        @Bindable(defaultValue = "60s") Duration interval,
        @Bindable(defaultValue = "15m") Duration leaseDuration,
        @Bindable(defaultValue = "2s") Duration leaseSettle,
        @Bindable(defaultValue = "100000") long appendAboveRows,
        @Bindable(defaultValue = "8") int maxPartitionFiles) {

    public CompactorSettings {
        requireNotNegative(landingGrace, "landing-grace");
        requireNotNegative(orphanGrace, "orphan-grace");
        requireNotNegative(leaseSettle, "lease-settle");
        if (appendAboveRows < 0 || maxPartitionFiles < 1) {
            throw new IllegalArgumentException("agentlake.compactor.append-above-rows must be ≥ 0 and max-partition-files ≥ 1");
        }
        if (leaseDuration == null || leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("agentlake.compactor.lease-duration must be at least 1s");
        }
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("agentlake.compactor.interval must be positive");
        }
        if (maxLandingFiles < 1 || rowGroupRows < 1024 || targetFileBytes < 1024 * 1024 || commitAttempts < 1
                || snapshotsKept < 1 || transferThreads < 1) {
            throw new IllegalArgumentException("agentlake.compactor: max-landing-files, commit-attempts, snapshots-kept and"
                    + " transfer-threads must be ≥ 1, row-group-rows ≥ 1024, target-file-bytes ≥ 1 MiB");
        }
        if (memoryLimit != null && !memoryLimit.matches("\\d+(\\.\\d+)?\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)")) {
            throw new IllegalArgumentException("agentlake.compactor.memory-limit must look like 512MB or 2GB: " + memoryLimit);
        }
    }

    /** The defaults, as a Lambda or {@code agentlake serve} without configuration gets them. */
    public static CompactorSettings defaults() {
        return new CompactorSettings(Duration.ofSeconds(30), Duration.ofHours(1), 20000, 64L * 1024 * 1024, 122880,
                5, 20, 16, null, null, Duration.ofSeconds(60), Duration.ofMinutes(15), Duration.ofSeconds(2), 100_000, 8);
    }

    public CompactorSettings withGraces(Duration landing, Duration orphans) {
        return new CompactorSettings(landing, orphans, maxLandingFiles, targetFileBytes, rowGroupRows, commitAttempts,
                snapshotsKept, transferThreads, workDir, memoryLimit, interval, leaseDuration, leaseSettle, appendAboveRows, maxPartitionFiles);
    }

    public CompactorSettings withMaxLandingFiles(int max) {
        return new CompactorSettings(landingGrace, orphanGrace, max, targetFileBytes, rowGroupRows, commitAttempts,
                snapshotsKept, transferThreads, workDir, memoryLimit, interval, leaseDuration, leaseSettle, appendAboveRows, maxPartitionFiles);
    }

    public CompactorSettings withFileSizes(long targetBytes, int rowGroup) {
        return new CompactorSettings(landingGrace, orphanGrace, maxLandingFiles, targetBytes, rowGroup, commitAttempts,
                snapshotsKept, transferThreads, workDir, memoryLimit, interval, leaseDuration, leaseSettle, appendAboveRows, maxPartitionFiles);
    }

    public CompactorSettings withLease(Duration duration, Duration settle) {
        return new CompactorSettings(landingGrace, orphanGrace, maxLandingFiles, targetFileBytes, rowGroupRows, commitAttempts,
                snapshotsKept, transferThreads, workDir, memoryLimit, interval, duration, settle, appendAboveRows, maxPartitionFiles);
    }

    public CompactorSettings withAppends(long aboveRows, int maxFiles) {
        return new CompactorSettings(landingGrace, orphanGrace, maxLandingFiles, targetFileBytes, rowGroupRows, commitAttempts,
                snapshotsKept, transferThreads, workDir, memoryLimit, interval, leaseDuration, leaseSettle, aboveRows, maxFiles);
    }

    private static void requireNotNegative(Duration d, String name) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("agentlake.compactor." + name + " must be zero or positive");
        }
    }
}
