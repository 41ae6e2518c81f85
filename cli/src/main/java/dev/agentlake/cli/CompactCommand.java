package dev.agentlake.cli;

import dev.agentlake.compactor.CompactionJob;
import dev.agentlake.compactor.CompactionReport;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentlake.lake.snapshot.LakeFiles;
import io.micronaut.context.ApplicationContext;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentlake compact [--reprice]}: one compaction run now, as the timer of {@code serve} and the
 * scheduled Lambda do. Safe next to a running {@code serve}: concurrent compactions settle by the
 * snapshot commit.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Merge the landing files into the lake's tables now (de-duplicated, sorted, priced) and"
                + " list the models that have no price.")
final class CompactCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;
    @Mixin
    OutputOptions output;

    @Option(names = "--reprice", description = "Derive every usage and sessions partition again with the current"
            + " prices (after editing the price file, agentlake.pricing.file / AGENTLAKE_PRICING_FILE).")
    boolean reprice;

    @Option(names = "--landing-grace", paramLabel = "DURATION", defaultValue = "${env:AGENTLAKE_COMPACTOR_LANDING_GRACE:-30s}",
            description = "Leave landing files younger than this for later (an exporter may still retry them)."
                    + " Default: ${DEFAULT-VALUE}; 0s takes everything.")
    String landingGrace;

    @Spec
    CommandSpec spec;

    /**
     * Landing files not consumed after the run that were written after {@code settled}: the ones the
     * grace left (the compactor takes every older one, up to its per-run limit).
     */
    private static int youngerThan(OpenedLake lake, Instant settled) {
        return (int) LakeFiles.resolve(lake.store()).landing().stream()
                .filter(o -> o.lastModified().isAfter(settled))
                .count();
    }

    @Override
    public Integer call() {
        // Checked before the lake is opened.
        long graceMillis = DurationOption.parse(spec, "--landing-grace", landingGrace, true).toMillis();
        CompactionReport report;
        int inGrace;
        try (OpenedLake lake = OpenedLake.open(storage)) {
            Instant started = Instant.now();
            Map<String, Object> props = new HashMap<>(lake.lake().properties());
            props.put("agentlake.ingest.enabled", "false");
            props.put("agentlake.query.enabled", "false");
            props.put("agentlake.compactor.landing-grace", graceMillis + "ms");
            try (ApplicationContext context = ApplicationContext.builder().properties(props).deduceEnvironment(false)
                    .start()) {
                report = context.getBean(CompactionJob.class).run(reprice);
            }
            inGrace = graceMillis == 0 ? 0 : youngerThan(lake, started.minusMillis(graceMillis));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectNode json = OutputOptions.JSON.valueToTree(report);
            json.put("landingFilesInGrace", inGrace);
            OutputOptions.printJson(out, json);
        } else {
            out.println(report.summary());
            if (inGrace > 0) {
                // An import just before a compact lands files the default grace leaves: say so, or the
                // compact looks like it did nothing with them.
                out.printf("%d landing file(s) left for a later run: younger than the landing grace (%s). To take them"
                        + " now: agentlake compact --landing-grace 0s%n", inGrace, landingGrace);
            }
            report.skipped().forEach((key, reason) -> out.println("  left in landing: " + key + " (" + reason + ")"));
            if (!report.unknownModels().isEmpty()) {
                out.println("Models the price table has no price for (cost_usd NULL unless the tool reported a cost):");
                report.unknownModels().forEach((model, calls) -> out.printf("  %-40s %d call(s)%n", model, calls));
                out.println("Add them to a price file (LiteLLM field names, USD per token) named by"
                        + " AGENTLAKE_PRICING_FILE, then run: agentlake compact --reprice");
            }
            out.flush();
        }
        return switch (report.outcome()) {
            case "committed", "nothing_to_do" -> ExitCode.OK.code();
            default -> ExitCode.UNAVAILABLE.code();
        };
    }
}
