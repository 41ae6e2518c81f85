package dev.agentlake.cli;

import dev.agentlake.cli.importer.Progress;
import dev.agentlake.compactor.DeletionJob;
import dev.agentlake.compactor.DeletionReport;
import dev.agentlake.compactor.RowDeletion;
import io.micronaut.context.ApplicationContext;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentlake delete logs|metrics|traces|usage|all --from --to [--tool]}: removes rows through
 * the compactor's snapshot commit ({@link DeletionJob}), so no reader ever sees them half deleted.
 * Safe next to a running {@code serve}: a compaction committing first makes the deletion start again
 * on top of it.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Delete the rows of a time window (--from and --to, both required; optionally one tool) from"
                + " the lake: logs, metrics, traces (spans), usage (the model calls: imported calls and the log records"
                + " they come from) or all. Rows still in landing are compacted first; the affected partitions are rewritten and usage and sessions"
                + " derived again in one snapshot commit. Prints row counts before and after per table."},
        footer = {"", "Exit codes: 0 done (or nothing matched, or declined), 2 bad arguments or no --yes without a terminal,"
                + " 3 the bucket did not answer or other writers kept committing first (nothing deleted, or run again),"
                + " 4 internal error."})
final class DeleteCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TABLE", description = "logs, metrics, traces, usage or all.")
    String table;
    @Mixin
    StorageOptions storage;
    @Mixin
    OutputOptions output;
    @Mixin
    TimeRangeOptions time;
    @Mixin
    ToolFilterOptions tools;

    @Option(names = "--dry-run", description = "Count what would be deleted (rows still in landing included); change nothing.")
    boolean dryRun;
    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (needed without a terminal).")
    boolean yes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        time.requireBothEnds();
        RowDeletion.Scope scope = scope(table);
        TimeWindow window = time.window();
        RowDeletion request = new RowDeletion(scope, window.from(), window.to(), tools.lakeTool());
        PrintWriter out = spec.commandLine().getOut();
        boolean ask = !yes && !dryRun;
        if (ask && System.console() == null) {
            // Without a terminal to answer on, refuse before touching the lake.
            Confirmation.ask(out, "Delete " + request.describe() + " from " + storage + "?", false);
        }
        try (OpenedLake lake = OpenedLake.existing(storage)) {
            Map<String, Object> props = new HashMap<>(lake.lake().properties());
            props.put("agentlake.ingest.enabled", "false");
            props.put("agentlake.query.enabled", "false");
            try (ApplicationContext context = ApplicationContext.builder().properties(props).deduceEnvironment(false)
                    .start()) {
                DeletionJob job = context.getBean(DeletionJob.class);
                DeletionJob.Progress progress = bar(TerminalProgress.forThisProcess());
                if (ask) {
                    DeletionReport preview = job.run(request, true, progress);
                    print(out, preview);
                    if (preview.outcome().equals("nothing_to_do")) {
                        return ExitCode.OK.code();
                    }
                    if (!Confirmation.ask(out, "Delete these rows from " + storage + "?", false)) {
                        out.println("Nothing deleted.");
                        out.flush();
                        return ExitCode.OK.code();
                    }
                }
                DeletionReport report = job.run(request, dryRun, progress);
                print(out, report);
                return switch (report.outcome()) {
                    case "committed", "nothing_to_do", "dry_run" -> ExitCode.OK.code();
                    default -> ExitCode.UNAVAILABLE.code();
                };
            }
        }
    }

    static RowDeletion.Scope scope(String word) {
        for (RowDeletion.Scope s : RowDeletion.Scope.values()) {
            if (s.word().equals(word.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown table '" + word + "' (expected logs, metrics, traces, usage or all)");
    }

    private void print(PrintWriter out, DeletionReport r) {
        if (output.json()) {
            OutputOptions.printJson(out, r);
            return;
        }
        String head = switch (r.outcome()) {
            case "committed" -> "Deleted " + r.deletion() + ": snapshot " + r.version();
            case "dry_run" -> "Dry run, nothing changed. Would delete " + r.deletion() + ":";
            case "nothing_to_do" -> "Nothing to delete: no rows of " + r.deletion();
            case "unknown" -> "The bucket did not confirm the commit; nothing was cleaned up. Run the same delete again"
                    + " (it is idempotent).";
            default -> "Gave up (" + r.outcome() + "): other writers kept committing first or rows of the window kept"
                    + " arriving; nothing was deleted. Run it again.";
        };
        out.println(head);
        if (!r.tables().isEmpty()) {
            out.printf("  %-15s %12s %12s %10s   %s%n", "table", "rows before", "rows after", "deleted", "in the window");
            r.tables().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                DeletionReport.TableCounts c = e.getValue();
                out.printf("  %-15s %12d %12d %10d   %d → %d%n", e.getKey(), c.rowsBefore(), c.rowsAfter(), c.deleted(),
                        c.windowRowsBefore(), c.windowRowsAfter());
            });
            out.println("  (rows of the window's UTC days; usage and sessions as derived from what is left)");
        }
        if (r.landingFilesCompacted() > 0) {
            out.printf("  %d landing file(s) compacted first%n", r.landingFilesCompacted());
        }
        r.leftInLanding().forEach((key, reason) -> out.println("  left in landing, not deleted: " + key + " (" + reason + ")"));
        out.flush();
    }

    private static DeletionJob.Progress bar(Progress p) {
        return new DeletionJob.Progress() {
            @Override
            public void begin(String task, long totalBytes) {
                p.begin(task, totalBytes);
            }

            @Override
            public void advance(long doneBytes) {
                p.advance(doneBytes);
            }

            @Override
            public void end() {
                p.end();
            }
        };
    }
}
