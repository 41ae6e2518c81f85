package dev.agentlake.cli.importer;

import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.store.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Imports one tool's local session files into the lake's landing area ({@code source = import}):
 * usage rows to {@code landing/usage/}, transcript rows to {@code landing/logs/}.
 *
 * <p>Incremental and idempotent: per file, the bookkeeping ({@link ImportState}) holds the bytes
 * consumed and their SHA-256. An unchanged file is not opened; an appended one is read on from its
 * offset once its prefix still hashes the same; one changed before its offset is read again from
 * the start. Calls and events keep stable ids ({@code call_id}, {@code record_id}), so rows read
 * twice are one row to every reader. The bookkeeping is written only after the rows are stored.
 * A run with a time window ({@code --from/--to}) reads whole files and leaves the bookkeeping alone.
 */
public final class SessionImport {
    /** Transcript rows held before they are written out. */
    static final int EVENT_BATCH = 200_000;

    private final ObjectStore store;
    private final SessionRoots roots;
    private final ImportContext ctx;
    private final ImportOptions options;
    private final Progress progress;
    private final int eventBatch;

    public SessionImport(ObjectStore store, SessionRoots roots, ImportContext ctx, ImportOptions options, Progress progress) {
        this(store, roots, ctx, options, progress, EVENT_BATCH);
    }

    SessionImport(ObjectStore store, SessionRoots roots, ImportContext ctx, ImportOptions options, Progress progress,
                  int eventBatch) {
        if (eventBatch < 1) {
            throw new IllegalArgumentException("eventBatch must be positive");
        }
        this.eventBatch = eventBatch;
        this.store = store;
        this.roots = Objects.requireNonNull(roots, "roots is null");
        this.ctx = Objects.requireNonNull(ctx, "ctx is null");
        this.options = Objects.requireNonNull(options, "options is null");
        this.progress = Objects.requireNonNull(progress, "progress is null");
    }

    public ImportSummary run(SessionTool tool) {
        List<SessionFile> found = roots.find(tool);
        boolean bookkeeping = !ctx.filtered();
        ImportState state = store == null ? ImportState.empty(tool, ctx.hostName())
                : ImportState.load(store, tool, ctx.hostName());
        int purged = 0;
        if (options.purge()) {
            purged = state.landingKeys().size();
            if (!options.dryRun()) {
                store.delete(state.landingKeys());
            }
            state = ImportState.empty(tool, ctx.hostName());
        }
        SessionReader reader = FileReads.reader(tool);
        var jobs = new ArrayList<FileReads.Job>();
        int unchanged = 0;
        int appended = 0;
        long total = 0;
        for (SessionFile file : found) {
            // A file last written before --from holds nothing newer.
            if (ctx.from() != null && file.modified().isBefore(ctx.from())) {
                unchanged++;
                continue;
            }
            FileCursor cursor = bookkeeping && !options.force() ? state.files().get(file.path().toString()) : null;
            ReadStart start = ReadStart.fromBeginning(jobs.size(), true, true);
            if (cursor != null) {
                if (cursor.size() == file.size() && cursor.modifiedMillis() == file.modified().toEpochMilli()) {
                    unchanged++;
                    continue;
                }
                if (reader.appendOnly(file) && cursor.offset() > 0) {
                    PrefixFingerprint prefix = prefixFingerprint(file, cursor.offset());
                    if (prefix != null && prefix.hex().equals(cursor.prefixFingerprint())) {
                        start = new ReadStart(cursor.offset(), prefix, cursor.context(), jobs.size(), true);
                        appended++;
                    }
                }
            }
            jobs.add(new FileReads.Job(file, start));
            total += file.size();
        }

        // Looked up once per file read: a search of the job list per file was quadratic in the files.
        var startOffsets = new java.util.IdentityHashMap<SessionFile, Long>();
        for (FileReads.Job j : jobs) {
            startOffsets.put(j.file(), j.start().offset());
        }
        var ledger = new UsageLedger();
        var landing = new LandingFiles(store, options.dryRun());
        var events = new LinkedHashMap<String, LogRow>();
        var cursors = new HashMap<String, FileCursor>();
        long[] counters = new long[3]; // bytes read, events, skipped lines
        var failed = new ArrayList<FileReads.Failure>(); // not read: no cursor, so the next run tries again
        // Transcript batches are encoded and stored on a thread of their own while the next batch is read:
        // encoding on this thread stalled the readers, which wait for it to take their results.
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "agentlake-write");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> pending = new ArrayList<>(List.of(CompletableFuture.completedFuture(null)));
        progress.begin("import " + tool.argument(), total);
        try {
            FileReads.run(jobs, ctx, progress, read -> {
                counters[0] += read.offset() - startOffsets.getOrDefault(read.file(), 0L);
                counters[2] += read.skippedLines();
                ledger.addAll(read.calls());
                for (LogRow e : read.events()) {
                    events.put(e.recordId(), e); // a later version of a record replaces the earlier
                }
                if (events.size() >= eventBatch) {
                    counters[1] += events.size();
                    List<LogRow> batch = List.copyOf(events.values());
                    events.clear();
                    await(pending.get(0)); // one batch in writing, one being collected: memory stays bounded
                    pending.set(0, writer.submit(() -> landing.writeLogs(batch)));
                }
                cursors.put(read.file().path().toString(), new FileCursor(read.file().size(),
                        read.file().modified().toEpochMilli(), read.offset(), read.prefixFingerprint(), read.context()));
            }, failed::add);
            await(pending.get(0));
        } finally {
            writer.shutdownNow();
            progress.end();
        }
        counters[1] += events.size();
        landing.writeLogs(List.copyOf(events.values()));
        var rows = ledger.rows();
        landing.writeUsage(rows);
        if (!options.dryRun() && store != null && (bookkeeping || options.purge())) {
            state.with(bookkeeping ? cursors : Map.of(), landing.written()).save(store);
        }
        int failedAppends = (int) failed.stream().filter(f -> f.job().start().offset() > 0).count();
        return new ImportSummary(tool.argument(), found.size(), unchanged, appended - failedAppends,
                jobs.size() - appended - (failed.size() - failedAppends), counters[0], ledger.sightings(), rows.size(),
                counters[1], counters[2], landing.written().size(), landing.bytes(), purged, TokenTotals.of(rows),
                options.dryRun(), failed.stream().map(f -> new ImportSummary.FailedFile(f.job().file().path().toString(),
                        f.reason())).toList());
    }

    /** Waits for a background write; its failure is this run's failure. */
    private static void await(Future<?> write) {
        try {
            write.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing imported rows", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static PrefixFingerprint prefixFingerprint(SessionFile file, long offset) {
        try {
            return PrefixFingerprint.of(file, offset);
        } catch (IOException e) {
            return null; // read from the start instead, where a file that cannot be read is counted as failed
        }
    }
}
