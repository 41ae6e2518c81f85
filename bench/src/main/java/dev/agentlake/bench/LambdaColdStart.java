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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures the ingest Lambda jar's cold start: JVM start → the handler's first 200, over and over in
 * fresh JVMs ({@link ColdStartProbe}), against an S3-compatible server running in this (separate)
 * process. Prints the jar's size and, per JVM setting, the median, min and max over the runs, with the
 * load average: on a shared machine the CPU time is the steadier figure.
 *
 * <p>Usage: {@code LambdaColdStart LAMBDA_JAR PROBE_JAR [RUNS] [BASELINE_JAR]}; with a baseline (e.g.
 * the jar of an earlier commit) the two run alternately, so both see the same load. The probe's
 * classes must be a jar (the bench jar): class-data sharing archives classes from jars only.
 */
public final class LambdaColdStart {
    /** Extra environment of the probe JVMs. */
    private static Map<String, String> snapshotInit = Map.of();

    private LambdaColdStart() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String probeClasses = args[1];
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        List<Path> jars = new ArrayList<>(List.of(jar));
        if (args.length > 3) {
            jars.add(Path.of(args[3])); // a baseline, run alternately with the jar in the same minutes
        }
        Path body = Files.createTempFile("claude-logs", ".bin");
        Files.write(body, Fixtures.bytes("otlp/claude-code-protobuf/0001-claude-code-logs.bin"));
        Path work = Files.createTempDirectory("cds");
        for (Path j : jars) {
            System.out.printf("jar %s: %.1f MB (%d bytes)%n", j, Files.size(j) / 1e6, Files.size(j));
        }
        try (EmbeddedS3Server s3 = EmbeddedS3Server.start(null, "127.0.0.1", 0, "bench-access", "bench-secret-key")) {
            S3Settings settings = s3.settings("agentlake-bench");
            try (S3ObjectStore store = S3ObjectStore.create(settings)) {
                store.createBucketIfMissing();
            }
            List<String> c1 = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
            // The JVM settings Lambda's Java runtime starts with by default (C1 only), and plain java.
            measure("java (default JIT)", jars, j -> List.of(), probeClasses, body, settings, runs);
            measure("-XX:TieredStopAtLevel=1 (Lambda's default)", jars, j -> c1, probeClasses, body, settings, runs);
            // A static AppCDS archive per jar from one training run: the class list of a cold start, then
            // -Xshare:dump. Static rather than -XX:ArchiveClassesAtExit: a dynamic archive is tied to the
            // JDK's own classes.jsa, and is silently ignored once anything regenerates that (-Xshare:dump).
            List<Path> archives = new ArrayList<>();
            for (int i = 0; i < jars.size(); i++) {
                archives.add(staticArchive(jars.get(i), probeClasses, body, settings, work.resolve("ingest-" + i)));
            }
            measure("-XX:TieredStopAtLevel=1 + AppCDS archive", jars, j -> with(c1, "-Xshare:on",
                    "-XX:SharedArchiveFile=" + archives.get(jars.indexOf(j))), probeClasses, body, settings, runs);
            // What Lambda runs when it takes a SnapStart snapshot: the handler primes its request path in
            // its constructor (RequestPathWarmUp), so "first request" approximates the first request after
            // a restore, and "context" the (unbilled, unwaited) snapshot initialisation.
            snapshotInit = Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
            measure("-XX:TieredStopAtLevel=1, SnapStart init", jars, j -> c1, probeClasses, body, settings, runs);
            snapshotInit = Map.of();
            if (Runtime.version().feature() >= 25) {
                // JDK 25's AOT cache (JEP 483/514/515): classes loaded and linked, and method profiles, from a
                // training run. Tied to the exact JVM build that made it, like a CDS archive.
                List<Path> caches = new ArrayList<>();
                for (int i = 0; i < jars.size(); i++) {
                    caches.add(aotCache(jars.get(i), probeClasses, body, settings, work.resolve("ingest-" + i)));
                }
                measure("-XX:TieredStopAtLevel=1 + JDK 25 AOT cache", jars, j -> with(c1,
                        "-XX:AOTCache=" + caches.get(jars.indexOf(j))), probeClasses, body, settings, runs);
                measure("java (default JIT) + JDK 25 AOT cache", jars, j -> List.of(
                        "-XX:AOTCache=" + caches.get(jars.indexOf(j))), probeClasses, body, settings, runs);
            }
        }
    }

    private static Path aotCache(Path jar, String probeClasses, Path body, S3Settings settings, Path base)
            throws Exception {
        Path config = Path.of(base + ".aotconf");
        Path cache = Path.of(base + ".aot");
        String classpath = jar + java.io.File.pathSeparator + probeClasses;
        run(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + config), classpath, body, settings);
        Process create = new ProcessBuilder(javaBinary(), "-XX:AOTMode=create", "-XX:AOTConfiguration=" + config,
                "-XX:AOTCache=" + cache, "-cp", classpath)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!create.waitFor(300, TimeUnit.SECONDS) || create.exitValue() != 0 || !Files.exists(cache)) {
            throw new IllegalStateException("-XX:AOTMode=create failed for " + jar);
        }
        System.out.printf("AOT cache for %s: %.1f MB%n", jar.getFileName(), Files.size(cache) / 1e6);
        return cache;
    }

    private static List<String> with(List<String> options, String... more) {
        var all = new ArrayList<>(options);
        all.addAll(Arrays.asList(more));
        return all;
    }

    private static Path staticArchive(Path jar, String probeClasses, Path body, S3Settings settings, Path base)
            throws Exception {
        Path classList = Path.of(base + ".classlist");
        Path archive = Path.of(base + ".jsa");
        String classpath = jar + java.io.File.pathSeparator + probeClasses;
        run(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:DumpLoadedClassList=" + classList),
                classpath, body, settings);
        Process dump = new ProcessBuilder(javaBinary(), "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + archive, "-cp", classpath)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!dump.waitFor(300, TimeUnit.SECONDS) || dump.exitValue() != 0 || !Files.exists(archive)) {
            throw new IllegalStateException("-Xshare:dump failed for " + jar);
        }
        return archive;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void measure(String label, List<Path> jars, java.util.function.Function<Path, List<String>> options,
                                String probeClasses, Path body, S3Settings settings, int runs) throws Exception {
        var load = (java.lang.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        double loadBefore = load.getSystemLoadAverage();
        var results = new ArrayList<List<long[]>>();
        for (Path jar : jars) {
            run(options.apply(jar), jar + java.io.File.pathSeparator + probeClasses, body, settings); // page cache
            results.add(new ArrayList<>());
        }
        for (int i = 0; i < runs; i++) {
            for (int j = 0; j < jars.size(); j++) { // alternately: each jar sees the same load
                Path jar = jars.get(j);
                results.get(j).add(run(options.apply(jar), jar + java.io.File.pathSeparator + probeClasses, body,
                        settings));
            }
        }
        for (int j = 0; j < jars.size(); j++) {
            List<long[]> r = results.get(j);
            System.out.printf("%-42s %-10s first 200 after JVM start: median %5d ms (min %5d, max %5d) | JVM -> main %4d ms,"
                            + " context %5d ms, first request %5d ms | CPU %5d ms, of which by context ready %5d ms"
                            + " | spawn -> 200 %5d ms  [%d runs, medians, load average %.1f -> %.1f]%n",
                    label, j == 0 ? "jar" : "baseline", median(r, 0), min(r, 0), max(r, 0), median(r, 5), median(r, 2),
                    median(r, 3), median(r, 4), median(r, 6), median(r, 1), runs, loadBefore, load.getSystemLoadAverage());
        }
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
     * line, ms building the context, ms of the first request, CPU ms of the JVM until the 200, ms from JVM
     * start to main, CPU ms until the context was built}.
     */
    private static long[] run(List<String> jvmOptions, String classpath, Path body, S3Settings settings) throws Exception {
        var command = new ArrayList<String>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.addAll(Arrays.asList("-cp", classpath, ColdStartProbe.class.getName(), body.toString()));
        var pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("AGENTLAKE_S3_ENDPOINT", settings.endpoint());
        pb.environment().put("AGENTLAKE_S3_BUCKET", settings.bucket());
        pb.environment().put("AGENTLAKE_S3_ACCESS_KEY", settings.accessKey());
        pb.environment().put("AGENTLAKE_S3_SECRET_KEY", settings.secretKey());
        pb.environment().put("AGENTLAKE_S3_REGION", settings.region());
        pb.environment().remove("AWS_LAMBDA_INITIALIZATION_TYPE");
        pb.environment().putAll(snapshotInit);
        long spawned = System.nanoTime();
        Process p = pb.start();
        long lineAt = -1;
        long first200 = -1;
        long construct = -1;
        long handle = -1;
        long cpu = -1;
        long main = -1;
        long cpuAtContext = -1;
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
                    main = Long.parseLong(f[9]);
                    cpuAtContext = Long.parseLong(f[11]);
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || first200 < 0) {
            throw new IllegalStateException("cold start probe failed:\n" + output);
        }
        return new long[] {first200, TimeUnit.NANOSECONDS.toMillis(lineAt - spawned), construct, handle, cpu, main,
            cpuAtContext};
    }
}
