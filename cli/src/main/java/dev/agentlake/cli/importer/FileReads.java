package dev.agentlake.cli.importer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Reads session files on all cores and hands the results on in file order, so that what an import
 * or report produces does not depend on thread timing.
 */
final class FileReads {
    /** One file to read and where to start. */
    record Job(SessionFile file, ReadStart start) {
    }

    private FileReads() {
    }

    static SessionReader reader(SessionTool tool) {
        switch (tool) {
            case CLAUDE_CODE:
                return new ClaudeSessionReader();
            case CODEX:
                return new CodexSessionReader();
            case GEMINI:
                return new GeminiSessionReader();
        }
        throw new AssertionError(tool);
    }

    /** A file that could not be read, and why (one line). */
    record Failure(Job job, String reason) {
    }

    /** Reads every job; the first file that cannot be read fails the whole run (what a report needs). */
    static void run(List<Job> jobs, ImportContext ctx, Progress progress, Consumer<FileRead> sink) {
        run(jobs, ctx, progress, sink, null);
    }

    /**
     * Reads every job; a file that cannot be read (an I/O error: unreadable, gone, a corrupt
     * {@code .zst}) is handed to {@code failed} instead of the sink and the others are read on, when
     * {@code failed} is not null.
     */
    static void run(List<Job> jobs, ImportContext ctx, Progress progress, Consumer<FileRead> sink, Consumer<Failure> failed) {
        if (jobs.isEmpty()) {
            return;
        }
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), jobs.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "agentlake-read");
            t.setDaemon(true);
            return t;
        });
        try {
            // A window of futures bounds memory: at most 4 reads per thread wait to be consumed.
            int window = threads * 4;
            var pending = new ArrayList<Future<FileRead>>();
            int next = 0;
            for (int done = 0; done < jobs.size(); done++) {
                while (next < jobs.size() && pending.size() - done < window) {
                    Job job = jobs.get(next++);
                    pending.add(pool.submit(() -> reader(job.file().tool()).read(job.file(), job.start(), ctx)));
                }
                FileRead read;
                try {
                    read = get(pending.get(done), jobs.get(done).file());
                } catch (UncheckedIOException unreadable) {
                    if (failed == null) {
                        throw unreadable;
                    }
                    read = null;
                    failed.accept(new Failure(jobs.get(done), reason(unreadable.getCause())));
                }
                pending.set(done, null);
                if (read != null) {
                    sink.accept(read);
                }
                progress.advance(jobs.get(done).file().size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The reason of an I/O error in a few words (a bare path or class name says nothing). */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no longer there";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.split("\n", 2)[0];
    }

    private static FileRead get(Future<FileRead> f, SessionFile file) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException("cannot read " + file.path() + ": " + io.getMessage(), io);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }
}
