package dev.agentlake.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The stacks the tests assert on, each synthesized once per test JVM (a synth takes seconds), with
 * cdk-nag's AWS Solutions checks applied as {@code AgentlakeApp} applies them.
 */
final class SynthesizedStacks {
    /** Lambda code for the synth: the CDK hashes the file, nothing runs it. Made in target/, never committed. */
    static final Path ASSETS = Path.of("target", "test-lambda-assets");

    record Synth(App app, AgentlakeStack stack, DeploymentSettings settings, Template template) {
    }

    private SynthesizedStacks() {
    }

    /** Defaults, as {@code cdk deploy} with no context would build them. */
    static Synth defaults() {
        return Defaults.SYNTH;
    }

    /** Every option turned away from its default. */
    static Synth options() {
        return Options.SYNTH;
    }

    static final Map<String, Object> OPTIONS = Map.ofEntries(
            Map.entry("stage", "team-a"),
            Map.entry("compactionSchedule", "rate(15 minutes)"),
            Map.entry("exportRetentionDays", "3"),
            Map.entry("tablesRetentionDays", "400"),
            Map.entry("athenaResultRetentionDays", "2"),
            Map.entry("logRetentionDays", "7"),
            Map.entry("corsOrigins", "https://dash.example.com, http://localhost:5173"),
            Map.entry("ingestMemoryMb", "768"),
            Map.entry("queryMemoryMb", "3008"),
            Map.entry("compactorMemoryMb", "1536"),
            Map.entry("queryTmpMb", "2048"),
            Map.entry("kmsKey", "true"),
            Map.entry("reserveCompactorConcurrency", "false"),
            Map.entry("alarmEmail", "me@example.com"),
            Map.entry("athenaScanLimitGb", "1"));

    private static final class Defaults {
        static final Synth SYNTH = synth(Map.of());
    }

    private static final class Options {
        static final Synth SYNTH = synth(OPTIONS);
    }

    static Synth synth(Map<String, Object> context) {
        Map<String, Object> all = new HashMap<>(context);
        all.put("ingestCode", placeholder("ingest").toString());
        all.put("queryCode", placeholder("query").toString());
        all.put("compactorCode", placeholder("compactor").toString());
        App app = new App(AppProps.builder().context(all).build());
        DeploymentSettings settings = DeploymentSettings.fromContext(app.getNode()::tryGetContext);
        AgentlakeStack stack = new AgentlakeStack(app, settings.stackName(), StackProps.builder()
                .env(Environment.builder().account("123456789012").region("eu-west-1").build()).build(), settings);
        Aspects.of(app).add(new AwsSolutionsChecks());
        return new Synth(app, stack, settings, Template.fromStack(stack));
    }

    /** A small zip standing in for a function's Lambda jar. */
    static synchronized Path placeholder(String name) {
        Path zip = ASSETS.resolve(name + ".zip");
        if (Files.exists(zip)) {
            return zip;
        }
        try {
            Files.createDirectories(ASSETS);
            try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
                z.putNextEntry(new ZipEntry("README.txt"));
                z.write(("placeholder for the " + name + " function's Lambda jar in infra tests\n")
                        .getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
            return zip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
