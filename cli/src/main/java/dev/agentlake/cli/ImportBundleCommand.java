package dev.agentlake.cli;

import dev.agentlake.cli.bundle.BundleImport;
import dev.agentlake.cli.lake.LakeUsage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agentlake import-bundle FILE}: someone's export bundle into this lake, without duplicates. */
@Command(name = "import-bundle", mixinStandardHelpOptions = true,
        description = "Check an export bundle (folder or .zip) against the SHA-256s of its manifest and merge its rows"
                + " into this lake; rows already present are kept once.")
final class ImportBundleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle: a folder or a .zip written by agentlake export.")
    Path bundle;
    @Mixin
    StorageOptions storage;
    @Mixin
    OutputOptions output;
    @Option(names = "--dry-run", description = "Check the bundle and count its rows; write nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(bundle)) {
            throw new IllegalArgumentException("no such bundle: " + bundle);
        }
        Path scratch = Files.createTempDirectory("agentlake-bundle");
        PrintWriter out = spec.commandLine().getOut();
        try (OpenedLake lake = OpenedLake.open(storage)) {
            BundleImport.Result r = BundleImport.merge(bundle, lake.store(), scratch, dryRun);
            if (output.json()) {
                var json = new LinkedHashMap<String, Object>();
                json.put("rows", r.rows());
                json.put("landing_files", r.landingKeys().size());
                json.put("dry_run", dryRun);
                json.put("manifest", r.manifest());
                OutputOptions.printJson(out, json);
            } else {
                out.printf("Bundle checked (%d files match their SHA-256)%s%n", r.manifest().files().size(),
                        dryRun ? "; dry run: nothing written" : "; merged into the lake:");
                r.rows().forEach((t, n) -> out.printf("  %-8s %d rows%n", t, n));
                out.flush();
            }
            return ExitCode.OK.code();
        } finally {
            LakeUsage.deleteTree(scratch);
        }
    }
}
