package dev.agentlake.cli;

import dev.agentlake.cli.bundle.BundleExport;
import dev.agentlake.cli.bundle.BundleFilter;
import dev.agentlake.cli.bundle.BundleImport;
import dev.agentlake.cli.bundle.BundleManifest;
import dev.agentlake.cli.bundle.Redaction;
import dev.agentlake.cli.importer.ImportContext;
import dev.agentlake.cli.importer.SessionScan;
import dev.agentlake.cli.lake.LakeCopy;
import dev.agentlake.cli.lake.LakeUsage;
import dev.agentlake.cli.lake.LakeViews;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.store.S3Settings;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** {@code agentlake export}: a shareable bundle of the lake's rows (or of local session files). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a shareable bundle: Parquet per table (usage, sessions, logs, spans, metrics), an"
                + " agentlake.duckdb of views over them, manifest.json (filters, row counts, price table, SHA-256 of"
                + " each file) and a README. Optionally redacted; to a folder, a .zip, or the bucket with a pre-signed link."})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;
    @Mixin
    SessionFilesOptions files;
    @Mixin
    OutputOptions output;
    @Mixin
    TimeRangeOptions time;
    @Mixin
    ToolFilterOptions tools;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR|FILE.zip", description = "Where to write the bundle (a folder, or a file ending in .zip).")
    Path target;
    @Option(names = "--to-bucket", description = "Write the bundle as a .zip under exports/ in the lake's bucket and print"
            + " a pre-signed link (7 days); with the embedded lake, the file's path.")
    boolean toBucket;
    @Option(names = "--from-files", description = "Build the bundle straight from the local session files, without a lake.")
    boolean fromFiles;
    @Option(names = "--project", paramLabel = "PROJECT", description = "Only this project (as the project column holds it).")
    String project;
    @Option(names = "--session", paramLabel = "ID", description = "Only this session.")
    String session;
    @Option(names = "--redact", paramLabel = "KINDS", description = "Replace by stable hashes: prompts, paths, emails, hosts (comma-separated) or all.")
    String redact;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (target == null && !toBucket) {
            throw new IllegalArgumentException("say where to write the bundle: --output DIR|FILE.zip or --to-bucket");
        }
        if (toBucket && fromFiles) {
            throw new IllegalArgumentException("--to-bucket needs a lake; with --from-files write to --output");
        }
        Set<Redaction> kinds = Redaction.parse(redact);
        TimeWindow window = time.window();
        String toolName = tools.lakeTool();
        var filter = new BundleFilter(window.from(), window.to(), toolName, project, session);
        Path scratch = Files.createTempDirectory("agentlake-export");
        PrintWriter out = spec.commandLine().getOut();
        List<dev.agentlake.cli.importer.ImportSummary.FailedFile> skipped = List.of();
        try (StagedOutput staged = target == null ? null : StagedOutput.of(target)) {
            Path bundleDir = staged != null && !staged.zip() ? staged.staged() : scratch.resolve("bundle");
            BundleManifest manifest;
            String link = null;
            String bucketKey = null;
            Path stored = null;
            if (fromFiles) {
                var ctx = new ImportContext(LocalHostName.get(), window.from(), window.to());
                var scan = new SessionScan(files.roots(), ctx, TerminalProgress.forThisProcess());
                SessionScan.Imported rows = scan.all(tools.tools());
                skipped = scan.skipped();
                Path usage = scratch.resolve("rows/imported_usage.parquet");
                Path logs = scratch.resolve("rows/logs.parquet");
                Files.createDirectories(usage.getParent());
                Files.write(usage, ParquetRowWriter.write(LakeSchemas.USAGE, rows.usage()));
                Files.write(logs, ParquetRowWriter.write(LakeSchemas.LOGS, rows.logs()));
                LakeCopy copy = LakeCopy.of(scratch.resolve("rows"), Map.of(LakeCopy.IMPORTED_USAGE, List.of(usage),
                        "logs", List.of(logs)), dev.agentlake.cli.lake.ConfiguredPricing.table().version());
                manifest = write(copy, "files", filter, kinds, bundleDir);
            } else {
                try (OpenedLake lake = OpenedLake.existing(storage)) {
                    LakeCopy copy = LakeCopy.download(lake.store(), scratch.resolve("lake"), List.of());
                    manifest = write(copy, "lake", filter, kinds, bundleDir);
                    if (toBucket) {
                        Path zip = scratch.resolve("bundle.zip");
                        BundleImport.zip(bundleDir, zip);
                        bucketKey = "exports/agentlake-export-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                                .withZone(ZoneOffset.UTC).format(Instant.now()) + "-" + manifest.files().get("usage.parquet")
                                .sha256().substring(0, 8) + ".zip";
                        lake.store().put(bucketKey, Files.readAllBytes(zip));
                        if (storage.embedded()) {
                            // The embedded S3 server lives as long as this command: a link to it would be dead
                            // on arrival. Its objects are files under the data folder.
                            stored = storage.dataDir.resolve("s3").resolve(storage.bucket).resolve(bucketKey);
                        } else {
                            link = presign(lake.lake().settings(), bucketKey, Duration.ofDays(7));
                        }
                    }
                }
            }
            if (staged != null) {
                if (staged.zip()) {
                    BundleImport.zip(bundleDir, staged.staged());
                }
                staged.moveIntoPlace();
            }
            if (output.json()) {
                var result = new LinkedHashMap<String, Object>();
                if (target != null) {
                    result.put("output", target.toString());
                }
                if (bucketKey != null) {
                    result.put("bucket_key", bucketKey);
                    if (link != null) {
                        result.put("link", link);
                    } else {
                        result.put("file", stored.toString());
                    }
                }
                result.put("manifest", manifest);
                OutputOptions.printJson(out, result);
            } else {
                if (target != null) {
                    out.printf("Bundle written to %s%n", target);
                }
                manifest.rows().forEach((t, n) -> out.printf("  %-9s %d rows%n", t, n));
                if (!manifest.redacted().isEmpty()) {
                    out.printf("  redacted: %s%n", String.join(", ", manifest.redacted()));
                }
                if (link != null) {
                    out.printf("Uploaded to %s; link valid for 7 days:%n%s%n", bucketKey, link);
                } else if (stored != null) {
                    out.printf("Uploaded to %s of the embedded lake (no link outlives this command): %s%n", bucketKey,
                            stored);
                }
                out.flush();
            }
            return SessionFilesOptions.warnSkipped(spec.commandLine().getErr(), skipped, "this bundle");
        } finally {
            LakeUsage.deleteTree(scratch);
        }
    }

    private static BundleManifest write(LakeCopy copy, String source, BundleFilter filter, Set<Redaction> kinds, Path dir)
            throws Exception {
        try (Connection c = LakeUsage.duckdb()) {
            try {
                LakeViews.create(c, copy, filter.from(), filter.to());
                return BundleExport.write(c, source, copy.priceTable() != null ? copy.priceTable()
                        : LakeViews.derivation().prices().version(), filter, kinds, dir);
            } catch (java.sql.SQLException e) {
                // DuckDB's error for a damaged page of a file names no file: say which object of the lake it is.
                throw copy.unreadable(c).<Exception>map(reason -> new IllegalStateException("cannot export: " + reason, e))
                        .orElse(e);
            }
        }
    }

    /** A GET link to {@code key} signed with the lake's credentials (SigV4 query string). */
    static String presign(S3Settings s, String key, Duration validFor) {
        var builder = S3Presigner.builder().region(Region.of(s.region()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s.pathStyle()).build());
        if (s.endpoint() != null) {
            builder.endpointOverride(URI.create(s.endpoint()));
        }
        builder.credentialsProvider(s.accessKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey()))
                : DefaultCredentialsProvider.builder().build());
        try (S3Presigner presigner = builder.build()) {
            return presigner.presignGetObject(r -> r.signatureDuration(validFor)
                    .getObjectRequest(g -> g.bucket(s.bucket()).key(key))).url().toString();
        }
    }
}
