package dev.agentlake.cli;

import dev.agentlake.cli.importer.ImportContext;
import dev.agentlake.cli.importer.ImportOptions;
import dev.agentlake.cli.importer.ImportSummary;
import dev.agentlake.cli.importer.SessionImport;
import dev.agentlake.cli.importer.SessionTool;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agentlake import claude-code|codex|gemini|all}: local session files into the lake. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import the local session files of Claude Code, Codex CLI and/or Gemini CLI into the lake"
                + " (usage and transcript rows, source=import).",
            "Incremental: files already imported are skipped, appended files are read on from where the last run stopped.",
            "A session file that cannot be read is skipped with a warning on stderr and tried again by the next run.",
            "Exit codes: 0 done, 2 bad input, 3 the bucket did not answer, 4 a bug,"
                    + " 5 partly done (some files could not be read; the rest is imported)."})
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TOOL", defaultValue = "all",
            description = "claude-code, codex, gemini or all (default).")
    String which;

    @Mixin
    StorageOptions storage;
    @Mixin
    SessionFilesOptions files;
    @Mixin
    OutputOptions output;
    @Mixin
    TimeRangeOptions time;

    @Option(names = "--dry-run", description = "Read and count; write nothing.")
    boolean dryRun;
    @Option(names = "--force", description = "Read every file from the start, ignoring what earlier imports read (rows stay unique).")
    boolean force;
    @Option(names = "--purge", description = "First remove this tool's imported rows not yet compacted and forget earlier imports, then import all again.")
    boolean purge;
    @Option(names = {"-y", "--yes"}, description = "Do not ask before --purge.")
    boolean yes;
    @Option(names = "--redact-prompts", defaultValue = "${env:AGENTLAKE_INGEST_REDACT_PROMPTS:-false}",
            description = "Store transcript text (prompts, responses, tool input and output) only as its length and SHA-256,"
                    + " as serve --redact-prompts does for OTLP. Applies to what this run writes. Env AGENTLAKE_INGEST_REDACT_PROMPTS.")
    boolean redactPrompts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<SessionTool> tools = SessionFilesOptions.tools(which);
        TimeWindow window = time.window();
        if (purge && !dryRun && !Confirmation.ask(out, "Remove the not-yet-compacted imported rows of "
                + which + " and import again?", yes)) {
            out.println("Nothing changed.");
            return ExitCode.OK.code();
        }
        var ctx = new ImportContext(LocalHostName.get(), window.from(), window.to(), redactPrompts);
        var summaries = new ArrayList<ImportSummary>();
        try (OpenedLake lake = OpenedLake.open(storage)) {
            var run = new SessionImport(lake.store(), files.roots(), ctx, new ImportOptions(dryRun, force, purge),
                    TerminalProgress.forThisProcess());
            summaries.addAll(run.runAll(tools));
        }
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (ImportSummary s : summaries) {
            for (ImportSummary.FailedFile f : s.failures()) {
                err.println("agentlake: warning: skipped " + f.file() + ": " + f.reason() + " (tried again next run)");
                failed++;
            }
        }
        err.flush();
        if (output.json()) {
            OutputOptions.printJson(out, Map.of("imports", summaries));
        } else {
            for (ImportSummary s : summaries) {
                out.printf("%s: %d files (%d unchanged, %d appended, %d read), %d calls from %d usage lines, %d transcript events%s%n",
                        s.tool(), s.filesFound(), s.filesUnchanged(), s.filesAppended(), s.filesRead(), s.calls(),
                        s.usageLines(), s.events(), s.dryRun() ? " (dry run: nothing written)"
                                : String.format(", %d landing files written", s.landingFiles()));
                out.printf("  tokens: input %d, output %d, cache read %d, cache write %d, reasoning %d%n",
                        s.tokens().input(), s.tokens().output(), s.tokens().cacheRead(), s.tokens().cacheWrite(),
                        s.tokens().reasoning());
                if (s.purgedFiles() > 0) {
                    out.printf("  purged %d landing files of earlier imports%n", s.purgedFiles());
                }
                if (s.skippedLines() > 0) {
                    out.printf("  %d lines were not valid JSON and were skipped%n", s.skippedLines());
                }
                if (s.filesFailed() > 0) {
                    out.printf("  %d files failed: could not be read, skipped (tried again next run)%n", s.filesFailed());
                }
            }
            out.flush();
        }
        return failed > 0 ? ExitCode.PARTIAL.code() : ExitCode.OK.code();
    }
}
