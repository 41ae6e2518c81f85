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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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
    /**
     * Encode and store landing files, one task per date, on as many threads as there are cores; the
     * threads end when idle, so an importer needs no closing.
     */
    private final ThreadPoolExecutor encoders;

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
        int threads = Runtime.getRuntime().availableProcessors();
        this.encoders = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "agentlake-write");
            t.setDaemon(true);
            return t;
        });
        encoders.allowCoreThreadTimeOut(true);
    }

    /** Imports one tool's files: reads them, stores their rows and then the bookkeeping. */
    public ImportSummary run(SessionTool tool) {
        return start(tool).finish();
    }

    /**
     * Imports several tools' files. Each tool's rows are stored in the background while the next tool's
     * files are read (reading and encoding share the cores instead of taking turns); each tool's
     * bookkeeping is written once its own rows are stored. A failure is thrown after every tool
     * already started has finished (its rows and bookkeeping stored).
     */
    public List<ImportSummary> runAll(List<SessionTool> tools) {
        var started = new ArrayList<Started>();
        RuntimeException failure = null;
        for (SessionTool tool : tools) {
            try {
                started.add(start(tool));
            } catch (RuntimeException e) {
                failure = e;
                break;
            }
        }
        var summaries = new ArrayList<ImportSummary>();
        for (Started s : started) {
            try {
                summaries.add(s.finish());
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return summaries;
    }

    /** A tool whose files are read and whose rows are being stored; {@link #finish()} waits for them. */
    @FunctionalInterface
    public interface Started {
        /** Waits for the rows to be stored, then writes the bookkeeping; what was imported. */
        ImportSummary finish();
    }

    /** Reads a tool's files and hands their rows to the encoders; the rows are stored when {@link Started#finish()} returns. */
    public Started start(SessionTool tool) {
        SessionRoots.Found search = roots.find(tool);
        List<SessionFile> found = search.files();
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
        // Transcript batches and, once the files are read, the last batch and the usage rows are sorted,
        // encoded and stored date by date on the encoders while this thread goes on: with the next batch, the
        // next tool of runAll, or waiting in finish().
        var landing = new LandingFiles(store, options.dryRun(), encoders);
        var events = new LinkedHashMap<String, LogRow>();
        var cursors = new HashMap<String, FileCursor>();
        long[] counters = new long[3]; // bytes read, events, skipped lines
        var failed = new ArrayList<FileReads.Failure>(); // not read: no cursor, so the next run tries again
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
                    List<LogRow> batch = new ArrayList<>(events.values());
                    events.clear();
                    landing.await(); // one batch in writing, one being collected: memory stays bounded
                    landing.writeLogs(batch);
                }
                cursors.put(read.file().path().toString(), new FileCursor(read.file().size(),
                        read.file().modified().toEpochMilli(), read.offset(), read.prefixFingerprint(), read.context()));
            }, failed::add);
        } catch (RuntimeException e) {
            awaitQuietly(landing, e); // no write of this tool still running when the failure is reported
            throw e;
        } finally {
            progress.end();
        }
        counters[1] += events.size();
        landing.writeLogs(new ArrayList<>(events.values()));
        events.clear();
        var rows = ledger.rows();
        landing.writeUsage(rows);
        int purgedFiles = purged;
        int unchangedFiles = unchanged;
        int failedAppends = (int) failed.stream().filter(f -> f.job().start().offset() > 0).count();
        int appendedFiles = appended - failedAppends;
        int readFiles = jobs.size() - appended - (failed.size() - failedAppends);
        var failures = new ArrayList<>(search.unreadable()); // folders not listed: their files are tried next run
        failed.forEach(f -> failures.add(new ImportSummary.FailedFile(f.job().file().path().toString(), f.reason())));
        ImportState before = state;
        return () -> {
            List<String> written = landing.written(); // waits for the rows to be stored
            if (!options.dryRun() && store != null && (bookkeeping || options.purge())) {
                before.with(bookkeeping ? cursors : Map.of(), written).save(store);
            }
            return new ImportSummary(tool.argument(), found.size(), unchangedFiles, appendedFiles, readFiles,
                    counters[0], ledger.sightings(), rows.size(), counters[1], counters[2], written.size(),
                    landing.bytes(), purgedFiles, TokenTotals.of(rows), options.dryRun(), failures);
        };
    }

    private static void awaitQuietly(LandingFiles landing, RuntimeException failure) {
        try {
            landing.await();
        } catch (RuntimeException e) {
            if (e != failure) {
                failure.addSuppressed(e);
            }
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
