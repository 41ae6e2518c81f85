package dev.agentlake.bench;

import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.compactor.CompactionJob;
import dev.agentlake.compactor.CompactionReport;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.Tokens;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.store.S3ObjectStore;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Compaction throughput: {@code files} landing files of {@code rowsPerFile} log rows each (default
 * 1,000 × 1,000 = 1M rows, one day, 1% of records repeated in a second file as exporter retries do),
 * in an embedded S3-compatible server over a local folder, as {@code agentlake serve} stores them;
 * then one compaction run as the timer or the Lambda starts it (merge, de-duplicate, sort, derive
 * usage and sessions, upload, commit, clean up), after a reference of the steps no rewrite can skip
 * ({@link #floor}). Then a late batch merged into that day, and a re-pricing.
 *
 * <p>{@code bench/run CompactionBench [files] [rowsPerFile] [warmUps]}.
 */
public final class CompactionBench {
    private static final ResourceColumns[] RESOURCES = {
            new ResourceColumns("claude-code", "claude-code", "2.1.330", "laptop-1", "{\"service.name\":\"claude-code\","
                    + "\"service.version\":\"2.1.330\",\"host.arch\":\"amd64\",\"os.type\":\"linux\",\"project\":\"demo\"}"),
            new ResourceColumns("codex", "codex_exec", "0.169.0", "laptop-2", "{\"service.name\":\"codex_exec\","
                    + "\"service.version\":\"0.169.0\",\"host.name\":\"laptop-2\",\"telemetry.sdk.language\":\"rust\"}"),
            new ResourceColumns("gemini-cli", "gemini-cli", "v20.20.2", "laptop-3", "{\"service.name\":\"gemini-cli\","
                    + "\"host.name\":\"laptop-3\",\"process.runtime.name\":\"nodejs\"}")};

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.dev.agentlake.compactor.PartitionCompaction", "debug");
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int rowsPerFile = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        // Warm-up rounds: the same first compaction for earlier days (other records, other keys) before
        // the measured one, so that it runs in a JVM whose S3 client and server code is compiled, as a
        // long-running local server's or a warm Lambda's is. 0 measures a fresh JVM.
        int warmUps = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Path work = Files.createTempDirectory("agentlake-compaction-bench");
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        System.out.printf("machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(), loadAverage());

        try (LocalLake lake = LocalLake.embedded(work.resolve("s3"), "agentlake");
             S3ObjectStore store = S3ObjectStore.create(lake.settings())) {
            var props = new HashMap<String, Object>(lake.properties());
            props.put("agentlake.compactor.landing-grace", "0s");
            props.put("agentlake.compactor.work-dir", work.resolve("compactor").toString());
            try (ApplicationContext context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start()) {
                CompactionJob job = context.getBean(CompactionJob.class);
                for (int w = 1; w <= warmUps; w++) {
                    long warmRows = land(store, day.minusDays(w), w * 100_000, files, rowsPerFile);
                    timed("warm-up " + w + ": compaction of " + files + " landing files for " + day.minusDays(w), warmRows,
                            () -> job.run());
                }
                long t0 = System.nanoTime();
                long rows = land(store, day, 0, files, rowsPerFile);
                System.out.printf("landed %,d rows (%,d distinct records) in %,d files in %.1f s%n", rows,
                        (long) files * rowsPerFile, files, (System.nanoTime() - t0) / 1e9);
                // -Dbench.jfr=FILE: a JFR recording (profile settings) of the first compaction alone.
                String jfr = System.getProperty("bench.jfr");
                jdk.jfr.Recording recording = null;
                if (jfr != null) {
                    recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                    recording.setDestination(Path.of(jfr));
                    recording.start();
                }
                floor(store, day, work.resolve("floor"), rows);
                CompactionReport first = timed("compaction of " + files + " landing files", rows, () -> job.run());
                if (recording != null) {
                    recording.stop();
                    recording.close();
                }
                System.out.printf("  rows written per table: %s, %d file(s)%n", first.rowsWritten(), first.filesWritten());

                int late = Math.max(1, files / 100);
                long lateRows = land(store, day, files, late, rowsPerFile);
                CompactionReport merged = timed("late data: " + late + " landing files merged into the day's "
                        + first.rowsWritten().get("logs") + " rows", lateRows, () -> job.run());
                System.out.printf("  rows written per table: %s%n", merged.rowsWritten());

                // The day's log rows from the snapshot: a late batch may have been appended, not rewritten.
                long dayRows = new dev.agentlake.lake.snapshot.SnapshotStore(store).latest().orElseThrow().files("logs").stream()
                        .mapToLong(dev.agentlake.lake.snapshot.TableFile::rows).sum();
                timed("re-pricing (usage and sessions derived again from " + dayRows + " log rows)", dayRows,
                        () -> job.run(true));
            }
        }
    }

    /**
     * The same-run reference for the first compaction: the steps any compaction that rewrites the rows
     * must take, alone and with nothing else: fetch every landing file of {@code day} from the S3
     * server (16 threads, as the compactor), load every column into DuckDB, and write them back as one
     * zstd Parquet file, unsorted. No de-duplication, sort, gold tables, upload or commit; the landing
     * files stay for the compaction that follows.
     */
    static void floor(S3ObjectStore store, LocalDate day, Path dir, long rows) throws Exception {
        Files.createDirectories(dir);
        var keys = store.list("landing/logs/dt=" + day + "/").stream().map(dev.agentlake.lake.store.StoredObject::key).toList();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            var futures = new ArrayList<Future<Boolean>>();
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i);
                Path target = dir.resolve(String.format("%06d.parquet", i));
                futures.add(pool.submit(() -> store.download(key, target)));
            }
            for (Future<Boolean> f : futures) {
                if (!f.get()) {
                    throw new IllegalStateException("a landing file went missing");
                }
            }
        } finally {
            pool.shutdown();
        }
        long cpu1 = os.getProcessCpuTime();
        long t1 = System.nanoTime();
        try (var db = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             var st = db.createStatement()) {
            st.execute("SET preserve_insertion_order = false");
            st.execute("CREATE TEMP TABLE floor_rows AS SELECT * FROM read_parquet('" + dir + "/*.parquet')");
            long cpu2 = os.getProcessCpuTime();
            long t2 = System.nanoTime();
            st.execute("COPY floor_rows TO '" + dir.resolve("out.parquet") + "' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)");
            long cpu3 = os.getProcessCpuTime();
            long t3 = System.nanoTime();
            double wall = (t3 - t0) / 1e9;
            System.out.printf("floor (fetch %d files, load every column, write unsorted; nothing else): %.2f s wall,"
                    + " %,.0f rows/s; %.2f s CPU%n  fetch %.2f s / %.2f CPU-s, load %.2f s / %.2f CPU-s, write %.2f s / %.2f CPU-s%n",
                    keys.size(), wall, rows / wall, (cpu3 - cpu0) / 1e9, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9,
                    (t2 - t1) / 1e9, (cpu2 - cpu1) / 1e9, (t3 - t2) / 1e9, (cpu3 - cpu2) / 1e9);
        }
    }

    private interface Run {
        CompactionReport run() throws Exception;
    }

    private static CompactionReport timed(String what, long rows, Run run) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long t = System.nanoTime();
        CompactionReport report = run.run();
        double s = (System.nanoTime() - t) / 1e9;
        double cpuS = (os.getProcessCpuTime() - cpu) / 1e9;
        System.out.printf("%s: %s%n  %.2f s wall, %,.0f rows/s; %.2f s CPU (this process, S3 server included),"
                + " %,.0f rows per CPU-second; load average now %s%n  %s%n", what, report.outcome(), s, rows / s, cpuS,
                rows / cpuS, loadAverage(), report.summary());
        return report;
    }

    /** Writes {@code count} landing files of log rows, as ingest writes them; returns the rows written. */
    static long land(S3ObjectStore store, LocalDate day, int first, int count, int rowsPerFile) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            var futures = new ArrayList<Future<Integer>>();
            for (int f = first; f < first + count; f++) {
                int file = f;
                futures.add(pool.submit(() -> {
                    List<LogRow> rows = rows(day, file, rowsPerFile);
                    String key = "landing/logs/dt=" + day + "/" + HexFormat.of().toHexDigits((long) file) + "0000000000000000.parquet";
                    store.put(key, ParquetRowWriter.write(LakeSchemas.LOGS, rows));
                    return rows.size();
                }));
            }
            long total = 0;
            for (Future<Integer> f : futures) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * One file's rows: a mix of Claude Code, Codex and Gemini CLI events, one in ten a model call with
     * tokens, attributes as JSON of a realistic size; the first 1% repeat the previous file's records.
     */
    static List<LogRow> rows(LocalDate day, int file, int n) {
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000_000L;
        var out = new ArrayList<LogRow>(n + n / 100);
        for (int r = 0; r < n; r++) {
            out.add(row(dayStart, file, r, n));
        }
        if (file > 0) {
            for (int r = 0; r < n / 100; r++) {
                out.add(row(dayStart, file - 1, r, n));
            }
        }
        return out;
    }

    private static LogRow row(long dayStart, int file, int r, int n) {
        long i = (long) file * n + r;
        ResourceColumns resource = RESOURCES[(int) (i % 3)];
        long time = dayStart + (i * 997L % 86_000L) * 1_000_000_000L + r * 1000L;
        String session = "session-" + (i / 500);
        boolean call = i % 10 == 0;
        String event = call ? switch (resource.tool()) {
            case "claude-code" -> "api_request";
            case "codex" -> "codex.sse_event";
            default -> "gemini_cli.api_response";
        } : new String[] {"user_prompt", "tool_decision", "tool_result", "assistant_response"}[(int) (i % 4)];
        Tokens tokens = call ? new Tokens(1_000L + i % 3_000, 20L + i % 400, 4_000L + i % 9_000, i % 500, i % 500, 0L,
                resource.tool().equals("claude-code") ? null : i % 30, null) : Tokens.NONE;
        String model = call ? switch (resource.tool()) {
            case "claude-code" -> "claude-sonnet-4-5";
            case "codex" -> "gpt-5-codex";
            default -> "gemini-3.5-flash-lite";
        } : null;
        String attributes = "{\"event.name\":\"" + event + "\",\"session.id\":\"" + session + "\",\"event.sequence\":" + i
                + ",\"prompt.id\":\"prompt-" + (i / 20) + "\",\"terminal.type\":\"xterm\",\"user.id\":\"b8c3e1f0a9d2\","
                + (call && resource.tool().equals("codex") ? "\"event.kind\":\"response.completed\"," : "")
                + "\"tool_parameters\":\"{\\\"bash_command\\\":\\\"echo\\\",\\\"full_command\\\":\\\"echo " + i
                + "\\\",\\\"description\\\":\\\"Print a number\\\"}\",\"duration_ms\":" + (i % 900) + "}";
        return new LogRow(String.format("%032x", i), time, time, resource, "com.anthropic.claude_code.events", "2.1.330",
                null, 0, event, "claude_code." + event, session, "prompt-" + (i / 20), "b8c3e1f0a9d2", "demo", model, tokens,
                call && resource.tool().equals("claude-code") ? 0.0042 : null, (double) (i % 900),
                event.equals("tool_result") ? i % 17 != 0 : null, event.startsWith("tool") ? "Bash" : null,
                event.equals("tool_decision") ? "accept" : null, call ? "req_" + i : null, null, null, 0, attributes, "otlp");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private CompactionBench() {
    }

}
