package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import dev.agentlake.compactor.CompactionJob;
import dev.agentlake.compactor.CompactionReport;
import dev.agentlake.lake.snapshot.LakeFiles;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.lake.testing.ChildProcess;
import dev.agentlake.lake.testing.LakeTestServer;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults, compactor side: {@code agentlake compact} in a JVM of its own, killed with SIGKILL at a
 * random point of its run (when its k-th S3 call arrives, k uniform over 1.5 times the calls a
 * clean run makes; the call dropped or made), again and again, with new OTLP logs (generated, each with a unique
 * {@code prompt.id} and tokens, over three days) ingested before every run. After every kill a reader
 * sees each record exactly once; after a last clean run (orphan grace 0) the totals are exact, the
 * landing folder is empty and every table file is one the snapshot names.
 *
 * <p>Runs: {@code -Dfaults.compactorKills} (default 3; the {@code faults} profile runs 50).
 */
class FaultsCompactorKilledTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<Instant> DAYS = List.of(Instant.parse("2026-11-20T09:00:00Z"),
            Instant.parse("2026-11-21T09:00:00Z"), Instant.parse("2026-11-22T09:00:00Z"));
    private static final int LOGS_PER_REQUEST = 40;

    private long sentLogs;
    private long sentInput;
    private long sentOutput;

    @Test
    void givenCompactionsKilledWithSigkillAtRandomPointsWhenACleanRunFollowsThenTotalsAreExactAndNothingIsOrphaned(
            @TempDir Path tmp) throws Exception {
        int runs = Integer.getInteger("faults.compactorKills", 3);
        var random = new Random(20261123L);
        try (LakeTestServer s3 = LakeTestServer.start();
             FaultyHttpProxy toS3 = FaultyHttpProxy.start(s3.server().port(), 20261123L)) {
            var s = s3.settings();
            // The child reaches S3 through a faithful proxy that numbers its calls: the kill points.
            List<String> storage = List.of("--s3-endpoint", toS3.endpoint(), "--bucket", s.bucket(), "--s3-access-key",
                    s.accessKey(), "--s3-secret-key", s.secretKey());
            LocalLake lake = LocalLake.external(s.endpoint(), s.bucket(), s.accessKey(), s.secretKey(), s.region());
            LocalServer server = LocalServer.start(lake, "127.0.0.1", 0, LocalServer.NO_GRPC, 0,
                    tmp.resolve("cache").toString(), List.of(), Map.of(), null);
            try {
                String ingest = "http://127.0.0.1:" + server.ingestPort();
                String api = "http://127.0.0.1:" + server.httpPort();

                // How many S3 calls a whole run makes here, once the tables exist (the second clean run): the
                // kills are spread over one and a half times that, as runs after kills have more to take.
                long before = 0;
                long started = 0;
                for (int clean = 0; clean < 2; clean++) {
                    ingestBatch(ingest, 100_000 + clean); // batch numbers the loop does not use
                    before = toS3.requests();
                    started = System.nanoTime();
                    try (ChildProcess run = compactChild(tmp, storage)) {
                        assertThat(run.process().waitFor(5, TimeUnit.MINUTES)).isTrue();
                        assertThat(run.process().exitValue()).as(run.output()).isZero();
                    }
                }
                long runMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                int callsPerRun = (int) (toS3.requests() - before);

                int killed = 0;
                int finished = 0;
                int killsLeavingOrphans = 0;
                int orphansBefore = 0;
                int killsLeavingLanding = 0;
                for (int run = 1; run <= runs; run++) {
                    ingestBatch(ingest, run);
                    // Killed when its k-th S3 call arrives; odd runs: that call never reaches S3, even runs:
                    // it does (the process died waiting for the answer).
                    long base = toS3.requests();
                    long target = base + 1 + random.nextInt(callsPerRun * 3 / 2);
                    boolean dropCall = run % 2 == 1;
                    var child = new java.util.concurrent.atomic.AtomicReference<ChildProcess>();
                    var killedAt = new java.util.concurrent.atomic.AtomicLong();
                    toS3.beforeEachRequest(n -> {
                        if (n != target) {
                            return false;
                        }
                        killedAt.set(n);
                        ChildProcess c = child.get();
                        c.process().destroyForcibly(); // SIGKILL: no shutdown hook, no finally
                        try {
                            c.process().waitFor(1, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return dropCall;
                    });
                    try (ChildProcess c = compactChild(tmp, storage)) {
                        child.set(c);
                        assertThat(c.process().waitFor(5, TimeUnit.MINUTES)).isTrue();
                        toS3.beforeEachRequest(null);
                        if (killedAt.get() == 0) {
                            assertThat(c.process().exitValue()).as(c.output()).isZero();
                            finished++; // it needed fewer calls than the kill point
                        } else {
                            assertThat(c.process().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
                            killed++;
                        }
                    }
                    // Right after the kill, a reader sees every record once: no orphan is visible.
                    int orphans = orphans(s3).size();
                    boolean landingLeft = !LakeFiles.resolve(s3.store()).landing().isEmpty();
                    killsLeavingOrphans += killedAt.get() != 0 && orphans > orphansBefore ? 1 : 0;
                    orphansBefore = orphans;
                    killsLeavingLanding += killedAt.get() != 0 && landingLeft ? 1 : 0;
                    String point = killedAt.get() == 0 ? "finished before S3 call " + (target - base)
                            : "killed at S3 call " + (target - base) + " of ~" + callsPerRun + " (" + (dropCall
                            ? "call dropped" : "call made") + ")";
                    System.out.printf("faults: run %d %s: %d table file(s) no snapshot names (invisible to"
                            + " readers; reaped once past the orphan grace), landing %s%n", run, point, orphans,
                            landingLeft ? "left to take" : "all taken");
                    assertExact(api, "after run " + run + " (" + point + ")");
                }
                System.out.printf("faults: %d compactor runs: %d killed with SIGKILL, %d finished first; %d kills"
                                + " left new table files no snapshot names, %d left landing files to take; a clean run"
                                + " made %d S3 calls and took ~%d ms%n", runs, killed, finished, killsLeavingOrphans,
                        killsLeavingLanding, callsPerRun, runMillis);

                // When: a last clean run, reaping orphans at once.
                CompactionReport report = compactInProcess(s3, "0s", "0s");
                assertThat(report.outcome()).isIn("committed", "nothing_to_do");

                // Then: totals exact, nothing left over.
                assertThat(s3.store().list("landing/")).extracting(StoredObject::key).isEmpty();
                assertThat(orphans(s3)).as("table files the snapshot does not name").isEmpty();
                assertExact(api, "after the clean run");
                System.out.printf("faults: after the clean run the lake holds %d logs, %d input and %d output tokens,"
                        + " as sent%n", sentLogs, sentInput, sentOutput);
            } finally {
                server.close();
                lake.close();
            }
        }
    }

    /** {@code agentlake compact} in a JVM of its own, taking every landing file (no grace). */
    private static ChildProcess compactChild(Path tmp, List<String> storage) throws Exception {
        var args = new ArrayList<>(List.of("compact", "--landing-grace", "0s"));
        args.addAll(storage);
        return ChildProcess.java(tmp, "dev.agentlake.cli.AgentlakeCommand", args.toArray(String[]::new));
    }

    private static CompactionReport compactInProcess(LakeTestServer s3, String landingGrace, String orphanGrace) {
        var props = new HashMap<String, Object>(s3.properties());
        props.put("agentlake.ingest.enabled", "false");
        props.put("agentlake.query.enabled", "false");
        props.put("agentlake.compactor.landing-grace", landingGrace);
        props.put("agentlake.compactor.orphan-grace", orphanGrace);
        try (ApplicationContext context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start()) {
            return context.getBean(CompactionJob.class).run(false);
        }
    }

    /** Parquet files under tables/ that the latest snapshot does not name (left by a killed run). */
    private static List<String> orphans(LakeTestServer s3) {
        Set<String> named = new HashSet<>();
        LakeFiles files = LakeFiles.resolve(s3.store());
        files.snapshot().ifPresent(snap -> snap.files().stream().map(TableFile::key).forEach(named::add));
        return s3.store().list("tables/").stream().map(StoredObject::key)
                .filter(k -> k.endsWith(".parquet") && !named.contains(k)).toList();
    }

    /** Two OTLP/JSON requests of generated api_request logs, spread over three days. */
    private void ingestBatch(String ingest, int batch) throws Exception {
        for (int request = 0; request < 2; request++) {
            var logs = new ArrayList<GeneratedLogs.Log>();
            for (int i = 0; i < LOGS_PER_REQUEST; i++) {
                long n = (long) batch * 1000 + request * 100 + i;
                GeneratedLogs.Log log = GeneratedLogs.log("kill-", n, DAYS.get((int) (n % DAYS.size())).plusSeconds(n % 36_000));
                logs.add(log);
                sentInput += log.inputTokens();
                sentOutput += log.outputTokens();
            }
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(ingest + "/v1/logs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(GeneratedLogs.body("kill-session-" + batch, logs))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            sentLogs += LOGS_PER_REQUEST;
        }
    }

    private void assertExact(String api, String when) throws Exception {
        Thread.sleep(1100); // the query function re-lists the lake at most once a second
        JsonNode row = FaultsS3UnderLoadTest.sql(api, "select count(*), count(distinct prompt_id),"
                + " sum(input_tokens), sum(output_tokens) from logs where event_name = 'api_request'").get("rows").get(0);
        assertThat(List.of(row.get(0).asLong(), row.get(1).asLong(), row.get(2).asLong(), row.get(3).asLong()))
                .as("logs, distinct prompt ids, input and output tokens " + when)
                .containsExactly(sentLogs, sentLogs, sentInput, sentOutput);
        JsonNode total = FaultsS3UnderLoadTest.get(api, "/api/usage?from=2026-11-19T00:00:00Z&to=2026-11-24T00:00:00Z")
                .get("totals");
        assertThat(List.of(total.get("input_tokens").asLong(), total.get("output_tokens").asLong()))
                .as("/api/usage input and output tokens " + when).containsExactly(sentInput, sentOutput);
    }
}
