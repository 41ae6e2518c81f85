package dev.agentlake.bench;

import dev.agentlake.lake.store.EmbeddedS3Server;
import dev.agentlake.lake.store.S3ObjectStore;
import dev.agentlake.lake.store.S3Settings;
import dev.agentlake.lake.testing.Fixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures the ingest Lambda jar's cold start: JVM start → the handler's first 200, over and over in
 * fresh JVMs ({@link ColdStartProbe}), against an S3-compatible server running in this (separate)
 * process. Prints the jar's size and, per JVM setting, the median, min and max over the runs.
 *
 * <p>Usage: {@code LambdaColdStart LAMBDA_JAR PROBE_CLASSES [RUNS]}.
 */
public final class LambdaColdStart {
    private LambdaColdStart() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String probeClasses = args[1];
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        Path body = Files.createTempFile("claude-logs", ".bin");
        Files.write(body, Fixtures.bytes("otlp/claude-code-protobuf/0001-claude-code-logs.bin"));
        Path archive = Files.createTempDirectory("cds").resolve("ingest.jsa");
        System.out.printf("jar %s: %.1f MB (%d bytes)%n", jar.getFileName(), Files.size(jar) / 1e6, Files.size(jar));
        try (EmbeddedS3Server s3 = EmbeddedS3Server.start(null, "127.0.0.1", 0, "bench-access", "bench-secret-key")) {
            S3Settings settings = s3.settings("agentlake-bench");
            try (S3ObjectStore store = S3ObjectStore.create(settings)) {
                store.createBucketIfMissing();
            }
            String classpath = jar + java.io.File.pathSeparator + probeClasses;
            // The JVM settings Lambda's Java runtime starts with by default (C1 only), and plain java.
            measure("java (default JIT)", List.of(), classpath, body, settings, runs);
            measure("-XX:TieredStopAtLevel=1 (Lambda's default)", List.of("-XX:+TieredCompilation",
                    "-XX:TieredStopAtLevel=1"), classpath, body, settings, runs);
            // An AppCDS archive made by one training run, shipped with the function.
            run(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:ArchiveClassesAtExit=" + archive),
                    classpath, body, settings);
            measure("-XX:TieredStopAtLevel=1 + AppCDS archive", List.of("-XX:+TieredCompilation",
                    "-XX:TieredStopAtLevel=1", "-XX:SharedArchiveFile=" + archive), classpath, body, settings, runs);
        }
    }

    private static void measure(String label, List<String> jvmOptions, String classpath, Path body, S3Settings settings,
                                int runs) throws Exception {
        run(jvmOptions, classpath, body, settings); // page cache warm-up, not counted
        List<long[]> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            results.add(run(jvmOptions, classpath, body, settings));
        }
        System.out.printf("%-42s first 200 after JVM start: median %5d ms (min %5d, max %5d) | context %5d ms,"
                        + " first request %5d ms | CPU %5d ms | spawn -> 200 %5d ms  [%d runs, medians]%n",
                label, median(results, 0), min(results, 0), max(results, 0), median(results, 2), median(results, 3),
                median(results, 4), median(results, 1), runs);
    }

    private static long median(List<long[]> results, int field) {
        List<Long> values = new ArrayList<>(results.stream().map(r -> r[field]).toList());
        Collections.sort(values);
        return values.get(values.size() / 2);
    }

    private static long min(List<long[]> results, int field) {
        return results.stream().mapToLong(r -> r[field]).min().orElseThrow();
    }

    private static long max(List<long[]> results, int field) {
        return results.stream().mapToLong(r -> r[field]).max().orElseThrow();
    }

    /**
     * One cold start: returns {ms from JVM start to the 200 as the JVM reports it, ms from spawn to the
     * line, ms building the context, ms of the first request, CPU ms of the JVM until the 200}.
     */
    private static long[] run(List<String> jvmOptions, String classpath, Path body, S3Settings settings) throws Exception {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(Arrays.asList("-cp", classpath, ColdStartProbe.class.getName(), body.toString()));
        var pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("AGENTLAKE_S3_ENDPOINT", settings.endpoint());
        pb.environment().put("AGENTLAKE_S3_BUCKET", settings.bucket());
        pb.environment().put("AGENTLAKE_S3_ACCESS_KEY", settings.accessKey());
        pb.environment().put("AGENTLAKE_S3_SECRET_KEY", settings.secretKey());
        pb.environment().put("AGENTLAKE_S3_REGION", settings.region());
        long spawned = System.nanoTime();
        Process p = pb.start();
        long lineAt = -1;
        long first200 = -1;
        long construct = -1;
        long handle = -1;
        long cpu = -1;
        var output = new StringBuilder();
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("FIRST_200_MS ")) {
                    lineAt = System.nanoTime();
                    String[] f = line.split(" ");
                    first200 = Long.parseLong(f[1]);
                    construct = Long.parseLong(f[3]);
                    handle = Long.parseLong(f[5]);
                    cpu = Long.parseLong(f[7]);
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || first200 < 0) {
            throw new IllegalStateException("cold start probe failed:\n" + output);
        }
        return new long[] {first200, TimeUnit.NANOSECONDS.toMillis(lineAt - spawned), construct, handle, cpu};
    }
}
