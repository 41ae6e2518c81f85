package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentlake.lake.testing.ChildProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults, local process: {@code agentlake serve} (a JVM of its own, embedded S3 over a data folder)
 * killed with SIGKILL while three clients post OTLP logs to it, then started again on the same data
 * folder and port. The clients behave like exporters: a request that was not answered 200 is sent
 * again, the same bytes, until it is. Afterwards (and after a compaction) every record is in the lake
 * exactly once: nothing acknowledged is lost, nothing sent twice is counted twice.
 *
 * <p>Kills: {@code -Dfaults.serveKills} (default 1; the {@code faults} profile runs 3).
 */
class FaultsServeKilledTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int SENDERS = 3;
    private static final int LOGS_PER_REQUEST = 20;
    private static final Pattern PORT = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");

    @Test
    void givenServeKilledMidIngestWhenRestartedOnTheSameDataThenNothingAcknowledgedIsLostOrDuplicated(
            @TempDir Path tmp) throws Exception {
        int kills = Integer.getInteger("faults.serveKills", 1);
        var random = new Random(20261123L);
        Path dataDir = tmp.resolve("data");
        var acked = new ConcurrentHashMap<String, GeneratedLogs.Log>();
        var attempts = new AtomicLong();
        var failedAttempts = new AtomicLong();
        var sending = new AtomicBoolean(true);
        // The first start picks free ports itself (a port probed free here could be taken before the child
        // binds it); the restarts reuse them, as a user's exporters expect the same address.
        ChildProcess serve = serve(tmp, dataDir, 0, 0);
        int ingestPort = port(serve, "OTLP/HTTP ingest");
        int httpPort = port(serve, "dashboard and API");
        String ingest = "http://127.0.0.1:" + ingestPort + "/v1/logs";
        var senders = new ArrayList<Thread>();
        for (int t = 0; t < SENDERS; t++) {
            int id = t;
            Thread sender = new Thread(() -> send(id, ingest, sending, acked, attempts, failedAttempts), "sender-" + t);
            senders.add(sender);
            sender.start();
        }
        try {
            for (int kill = 1; kill <= kills; kill++) {
                long before = acked.size();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (acked.size() < before + 10L * LOGS_PER_REQUEST) {
                    assertThat(System.nanoTime()).as("serve acknowledges posts").isLessThan(deadline);
                    Thread.sleep(20);
                }
                Thread.sleep(random.nextInt(300));
                long failedBefore = failedAttempts.get();
                serve.process().destroyForcibly(); // SIGKILL, mid-ingest: the senders never pause
                assertThat(serve.process().waitFor(1, TimeUnit.MINUTES)).isTrue();
                assertThat(serve.process().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
                System.out.printf("faults: serve killed (#%d) with %d logs acknowledged so far%n", kill, acked.size());
                // A sender notices the kill when its request is cut off or its next one refused; on a loaded
                // machine that can take longer than any fixed pause, so wait for it (bounded).
                long noticed = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (failedAttempts.get() <= failedBefore && System.nanoTime() < noticed) {
                    Thread.sleep(20);
                }
                assertThat(failedAttempts.get()).as("posts cut off or refused by the kill").isGreaterThan(failedBefore);
                serve = serve(tmp, dataDir, ingestPort, httpPort);
            }
            long after = acked.size();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (acked.size() < after + 10L * LOGS_PER_REQUEST) {
                assertThat(System.nanoTime()).as("serve acknowledges posts after the restart").isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            sending.set(false);
            for (Thread sender : senders) {
                sender.join(); // each finishes its request: every body sent is acknowledged in the end
            }
        }
        System.out.printf("faults: %d posts, %d of them cut off or refused and sent again; %d logs acknowledged%n",
                attempts.get(), failedAttempts.get(), acked.size());

        // Then: the restarted server sees every acknowledged record once, before compaction...
        String api = "http://127.0.0.1:" + httpPort;
        assertExact(api, acked, "before compaction");
        serve.terminate();

        // ...and after it (`agentlake compact`, then `agentlake query`, over the same data folder).
        Cli.Run compact = Cli.run("compact", "--data-dir", dataDir.toString(), "--landing-grace", "0s");
        assertThat(compact.exitCode()).as(compact.out() + compact.err()).isZero();
        long input = acked.values().stream().mapToLong(GeneratedLogs.Log::inputTokens).sum();
        long output = acked.values().stream().mapToLong(GeneratedLogs.Log::outputTokens).sum();
        Cli.Run query = Cli.run("query", "--data-dir", dataDir.toString(), "--json", "select (select count(*) from logs"
                + " where event_name = 'api_request') as logs, (select count(distinct prompt_id) from logs where"
                + " event_name = 'api_request') as ids, (select sum(input_tokens) from usage) as input,"
                + " (select sum(output_tokens) from usage) as output");
        assertThat(query.exitCode()).as(query.err()).isZero();
        JsonNode row = new com.fasterxml.jackson.databind.ObjectMapper().readTree(query.out()).get("rows").get(0);
        assertThat(List.of(row.get(0).asLong(), row.get(1).asLong(), row.get(2).asLong(), row.get(3).asLong()))
                .as("logs, distinct prompt ids, usage input and output tokens after compaction")
                .containsExactly((long) acked.size(), (long) acked.size(), input, output);
        System.out.printf("faults: after compaction the lake holds %d logs, %d input and %d output tokens, as"
                + " acknowledged%n", acked.size(), input, output);
    }

    private static ChildProcess serve(Path tmp, Path dataDir, int ingestPort, int httpPort) throws Exception {
        ChildProcess serve = ChildProcess.java(tmp, "dev.agentlake.cli.AgentlakeCommand", "serve", "--data-dir",
                dataDir.toString(), "--ingest-port", Integer.toString(ingestPort), "--http-port",
                Integer.toString(httpPort), "--grpc-port", "-1", "--compact-every", "5s");
        serve.awaitLine(l -> l.contains("Press Ctrl-C to stop."), 180);
        return serve;
    }

    /** An exporter's behaviour: a body not answered 200 is sent again, the same bytes, until it is. */
    private static void send(int id, String url, AtomicBoolean sending, Map<String, GeneratedLogs.Log> acked,
                             AtomicLong attempts, AtomicLong failed) {
        Instant base = Instant.now().minusSeconds(3600);
        for (long batch = 0; sending.get(); batch++) {
            var logs = new ArrayList<GeneratedLogs.Log>();
            for (int i = 0; i < LOGS_PER_REQUEST; i++) {
                long n = batch * LOGS_PER_REQUEST + i;
                logs.add(GeneratedLogs.log("serve-" + id + "-", n, base.plusMillis(n)));
            }
            var request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(GeneratedLogs.body("serve-session-" + id, logs))).build();
            while (true) {
                attempts.incrementAndGet();
                try {
                    if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        logs.forEach(l -> acked.put(l.promptId(), l));
                        break;
                    }
                } catch (IOException e) {
                    // cut off or refused: the server is down
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                failed.incrementAndGet();
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void assertExact(String api, Map<String, GeneratedLogs.Log> acked, String when) throws Exception {
        long input = acked.values().stream().mapToLong(GeneratedLogs.Log::inputTokens).sum();
        long output = acked.values().stream().mapToLong(GeneratedLogs.Log::outputTokens).sum();
        JsonNode row = FaultsS3UnderLoadTest.sql(api, "select count(*), count(distinct prompt_id), sum(input_tokens),"
                + " sum(output_tokens) from logs where event_name = 'api_request'").get("rows").get(0);
        assertThat(List.of(row.get(0).asLong(), row.get(1).asLong(), row.get(2).asLong(), row.get(3).asLong()))
                .as("logs, distinct prompt ids, input and output tokens " + when)
                .containsExactly((long) acked.size(), (long) acked.size(), input, output);
        JsonNode total = FaultsS3UnderLoadTest.get(api, "/api/usage?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z")
                .get("totals");
        assertThat(List.of(total.get("input_tokens").asLong(), total.get("output_tokens").asLong()))
                .as("/api/usage input and output tokens " + when).containsExactly(input, output);
        System.out.printf("faults: %s the lake holds %d logs, %d input and %d output tokens, as acknowledged%n", when,
                acked.size(), input, output);
    }

    /** The port on the line of serve's start-up message that names {@code what}. */
    private static int port(ChildProcess serve, String what) {
        String line = serve.output().lines().filter(l -> l.contains(what)).findFirst().orElseThrow(
                () -> new AssertionError("no line with " + what + " in:\n" + serve.output()));
        Matcher m = PORT.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
