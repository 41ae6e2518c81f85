package dev.agentlake.cli;

import dev.agentlake.cli.importer.ImportContext;
import dev.agentlake.cli.importer.ImportSummary;
import dev.agentlake.cli.importer.SessionScan;
import dev.agentlake.cli.importer.SessionTool;
import dev.agentlake.cli.lake.LakeUsage;
import dev.agentlake.cli.report.UsageReport;
import dev.agentlake.cli.report.UsageTotals;
import dev.agentlake.lake.model.UsageRow;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agentlake report daily|weekly|monthly|session|blocks}: ccusage's reports, from the lake or the files. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Token usage by day, week, month, session or 5-hour block: from the lake (imported and"
                + " compacted usage), or with --from-files straight from the local session files, writing nothing."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REPORT", defaultValue = "daily",
            description = "daily (default), weekly, monthly, session or blocks.")
    String kind;

    @Mixin
    StorageOptions storage;
    @Mixin
    SessionFilesOptions files;
    @Mixin
    OutputOptions output;
    @Mixin
    TimeRangeOptions time;

    @Option(names = "--from-files", description = "Read the local session files instead of the lake (no lake needed).")
    boolean fromFiles;
    @Option(names = "--tool", paramLabel = "TOOL", defaultValue = "all",
            description = "claude-code, codex, gemini or all (default).")
    String tool;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        UsageReport.Kind report = UsageReport.Kind.parse(kind);
        List<SessionTool> tools = SessionFilesOptions.tools(tool);
        TimeWindow window = time.window();
        // A 5-hour block depends on the calls before it: blocks are found over every call, then cut to the window.
        boolean allCalls = report == UsageReport.Kind.BLOCKS;
        Instant readFrom = allCalls ? null : window.from();
        Instant readTo = allCalls ? null : window.to();
        List<UsageRow> rows;
        List<ImportSummary.FailedFile> skipped = List.of();
        String source;
        if (fromFiles) {
            var ctx = new ImportContext(LocalHostName.get(), readFrom, readTo);
            var scan = new SessionScan(files.roots(), ctx, TerminalProgress.forThisProcess());
            rows = scan.usage(tools);
            skipped = scan.skipped();
            source = "files";
        } else {
            try (OpenedLake lake = OpenedLake.existing(storage)) {
                rows = LakeUsage.read(lake.store(), tools.size() == SessionTool.values().length ? List.of()
                        : tools.stream().map(SessionTool::lakeTool).toList(), readFrom, readTo);
            }
            source = "lake";
        }
        UsageReport.Result result = UsageReport.build(report, rows, window.zone(), source, window.from(), window.to());
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputOptions.printJson(out, result);
        } else {
            print(out, result);
        }
        return SessionFilesOptions.warnSkipped(spec.commandLine().getErr(), skipped, "this report");
    }

    private static void print(PrintWriter out, UsageReport.Result r) {
        String first = switch (r.report()) {
            case "session" -> "session";
            case "blocks" -> "block start (UTC)";
            case "weekly" -> "week of";
            case "monthly" -> "month";
            default -> "date";
        };
        // The text columns are as wide as their longest value (session ids, lists of models), so the numbers
        // line up whatever the report holds.
        int periodWidth = Math.max(first.length(), "total".length());
        int modelsWidth = "models".length();
        for (UsageReport.Group g : r.groups()) {
            periodWidth = Math.max(periodWidth, period(g).length());
            modelsWidth = Math.max(modelsWidth, String.join(",", g.modelsUsed()).length());
        }
        String format = "%-" + periodWidth + "s  %-" + modelsWidth + "s %12s %10s %12s %12s %14s %10s%n";
        out.printf(format, first, "models", "input", "output", "cache read", "cache write", "total tokens", "cost USD");
        for (UsageReport.Group g : r.groups()) {
            UsageTotals t = g.totals();
            out.printf(format, period(g), String.join(",", g.modelsUsed()), t.inputTokens(),
                    t.outputTokens(), t.cacheReadTokens(), t.cacheCreationTokens(), t.totalTokens(), cost(t));
        }
        UsageTotals t = r.totals();
        out.printf(format, "total", "", t.inputTokens(), t.outputTokens(), t.cacheReadTokens(), t.cacheCreationTokens(),
                t.totalTokens(), cost(t));
        if (t.unpricedCalls() > 0) {
            out.printf("%d of %d calls have no price yet (%s).%n", t.unpricedCalls(), t.calls(),
                    t.totalCost() == null ? "no cost shown" : "cost shown for priced calls only");
        }
        out.flush();
    }

    private static String period(UsageReport.Group g) {
        return g.period() == null ? "-" : g.period();
    }

    /** A dash where no call was priced, as the dashboard shows an unknown cost: never 0. */
    private static String cost(UsageTotals t) {
        return t.totalCost() == null ? "-" : String.format(Locale.ROOT, "%.4f", t.totalCost());
    }
}
