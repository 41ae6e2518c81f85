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

    static void run(List<Job> jobs, ImportContext ctx, Progress progress, Consumer<FileRead> sink) {
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
                FileRead read = get(pending.get(done), jobs.get(done).file());
                pending.set(done, null);
                sink.accept(read);
                progress.advance(jobs.get(done).file().size());
            }
        } finally {
            pool.shutdownNow();
        }
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
