package dev.agentlake.bench;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.model.UsageRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.store.EmbeddedS3Server;
import dev.agentlake.lake.store.S3ObjectStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cold starts of a function handler: N fresh JVMs, each answering one event against a real
 * S3-compatible server. {@code bench/run ColdStartBench HANDLER_CLASS EVENT_RESOURCE [runs] [java options…]}, e.g.
 * {@code bench/run ColdStartBench dev.agentlake.query.QueryFunction events/apigw-v2-get-usage.json 7}.
 * The JVM runs with this module's class path (the function's dependencies unshaded), since the Lambda
 * jar carries DuckDB's native library for linux-arm64 only.
 */
public final class ColdStartBench {
    public static void main(String[] args) throws Exception {
        String handler = args[0];
        Path event = Files.createTempFile("event", ".json");
        try (var in = ColdStartBench.class.getResourceAsStream("/" + args[1])) {
            Files.write(event, in.readAllBytes());
        }
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        List<String> javaOptions = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of();
        try (EmbeddedS3Server s3 = EmbeddedS3Server.start(null, "127.0.0.1", 0, "bench", "bench-secret-key");
             S3ObjectStore store = S3ObjectStore.create(s3.settings("agentlake"))) {
            store.createBucketIfMissing();
            // A scheduled compactor run gets a landing file of its own each time (else runs after the first
            // would find nothing to do); the query answers over the one file.
            boolean scheduled = args[1].contains("scheduled");
            seed(store, "d".repeat(16));
            long[] total = new long[runs];
            long[] invoke = new long[runs];
            for (int i = 0; i < runs; i++) {
                if (scheduled) {
                    seed(store, String.format("%016x", i + 1));
                }
                var command = new ArrayList<String>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                command.addAll(javaOptions);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), HandlerColdStartProbe.class.getName(),
                        handler, event.toString()));
                var pb = new ProcessBuilder(command).redirectErrorStream(true);
                pb.environment().put("AGENTLAKE_S3_ENDPOINT", s3.endpoint());
                pb.environment().put("AGENTLAKE_S3_BUCKET", "agentlake");
                pb.environment().put("AGENTLAKE_S3_ACCESS_KEY", s3.accessKey());
                pb.environment().put("AGENTLAKE_S3_SECRET_KEY", s3.secretKey());
                if (scheduled) {
                    pb.environment().put("AGENTLAKE_COMPACTOR_LANDING_GRACE", "0s"); // the file just seeded
                }
                pb.environment().put("AGENTLAKE_QUERY_CACHE_DIR", Files.createTempDirectory("lambda-tmp").toString());
                Process p = pb.start();
                String result = null;
                try (var out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("COLD ")) {
                            result = line;
                        } else if (line.startsWith("REPORT ") && (i == 0 || i == runs - 1)) {
                            System.out.println("run " + i + ": " + line); // what the scheduled run did
                        }
                    }
                }
                p.waitFor();
                if (result == null || !result.endsWith(" 200")) {
                    throw new IllegalStateException("run " + i + " did not answer 200: " + result);
                }
                String[] parts = result.split(" ");
                total[i] = Long.parseLong(parts[1]);
                invoke[i] = Long.parseLong(parts[2]);
            }
            System.out.printf("%s: JVM start → first response median %.0f ms (first invocation %.0f ms), %d runs %s%n",
                    handler, QueryBench.median(total), QueryBench.median(invoke), runs, javaOptions);
        }
    }

    /** One Claude Code model call (the fixture's numbers) as a usage landing file. */
    private static void seed(S3ObjectStore store, String hash) throws Exception {
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        store.put(LakeLayout.landingKey(Signal.USAGE, LocalDate.parse("2026-11-21"), hash),
                ParquetRowWriter.write(LakeSchemas.USAGE, List.of(new UsageRow(t.getEpochSecond() * 1_000_000_000L,
                        "c-" + hash, "claude-code", "s-1", null, "claude-opus-5-5", "laptop", "demo", null, 2450, 47, 8300,
                        350, 0, 0, 0, 0.01415, "reported", 0.01415, 1000.0, true, false, "otlp"))));
    }
}
