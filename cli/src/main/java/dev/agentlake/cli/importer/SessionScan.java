package dev.agentlake.cli.importer;

import dev.agentlake.lake.model.UsageRow;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the usage of local session files straight into rows, writing nothing: what
 * {@code report --from-files} and {@code export --from-files} show. Same readers and merge rules
 * as an import, without transcript events or digests. A file that cannot be read is left out and
 * listed in {@link #skipped()}, as an import skips it.
 */
public final class SessionScan {
    private final SessionRoots roots;
    private final ImportContext ctx;
    private final Progress progress;
    private final List<ImportSummary.FailedFile> skipped = new ArrayList<>();

    public SessionScan(SessionRoots roots, ImportContext ctx, Progress progress) {
        this.roots = roots;
        this.ctx = ctx;
        this.progress = progress;
    }

    /** Every call of {@code tools}, merged, by time. */
    public List<UsageRow> usage(List<SessionTool> tools) {
        var ledger = new UsageLedger();
        var jobs = new ArrayList<FileReads.Job>();
        long total = 0;
        for (SessionTool tool : tools) {
            SessionRoots.Found found = roots.find(tool);
            skipped.addAll(found.unreadable());
            for (SessionFile file : found.files()) {
                if (ctx.from() != null && file.modified().isBefore(ctx.from())) {
                    continue;
                }
                jobs.add(new FileReads.Job(file, ReadStart.fromBeginning(jobs.size(), false, false)));
                total += file.size();
            }
        }
        progress.begin("read session files", total);
        try {
            FileReads.run(jobs, ctx, progress, read -> ledger.addAll(read.calls()), this::skip);
        } finally {
            progress.end();
        }
        return ledger.rows();
    }

    /** Calls and transcript events of {@code tools}, as an import would land them. */
    public Imported all(List<SessionTool> tools) {
        var ledger = new UsageLedger();
        var events = new java.util.LinkedHashMap<String, dev.agentlake.lake.model.LogRow>();
        var jobs = new ArrayList<FileReads.Job>();
        for (SessionTool tool : tools) {
            SessionRoots.Found found = roots.find(tool);
            skipped.addAll(found.unreadable());
            for (SessionFile file : found.files()) {
                if (ctx.from() != null && file.modified().isBefore(ctx.from())) {
                    continue;
                }
                jobs.add(new FileReads.Job(file, ReadStart.fromBeginning(jobs.size(), true, false)));
            }
        }
        FileReads.run(jobs, ctx, progress, read -> {
            ledger.addAll(read.calls());
            read.events().forEach(e -> events.put(e.recordId(), e));
        }, this::skip);
        return new Imported(ledger.rows(), List.copyOf(events.values()));
    }

    /**
     * Files that could not be read (unreadable, gone, a corrupt {@code .zst}) and were left out, as
     * {@code import} leaves them out: the caller names them and says the result is partial.
     */
    public List<ImportSummary.FailedFile> skipped() {
        return List.copyOf(skipped);
    }

    private void skip(FileReads.Failure failure) {
        skipped.add(new ImportSummary.FailedFile(failure.job().file().path().toString(), failure.reason()));
    }

    /** Rows an import of the files would produce. */
    public record Imported(List<UsageRow> usage, List<dev.agentlake.lake.model.LogRow> logs) {
    }
}
