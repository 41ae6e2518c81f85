package dev.agentlake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.SessionRow;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.model.UsageRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.snapshot.CommitOutcome;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.SnapshotStore;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.testing.LakeTestServer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A session compacted from telemetry whose session file is imported afterwards (its calls wait in landing
 * until the next compaction, up to minutes, or for good with the timer off) is counted once by the API,
 * from the preferred source, exactly as the compactor will count it.
 */
class CompactedAndLandingOverlapTest {
    private static final String DAY = "2026-11-22";
    private static final String SESSION = "193b4fab-8599-4654-931d-65ef6669399e";
    private static final String RANGE = "from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z";
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass().emptiedBeforeEachTest();

    @BeforeEach
    void telemetryCompactedAndTheSessionFileImported() {
        // Compacted: the session's two calls from Claude Code's api_request events, with their reported costs.
        byte[] usage = ParquetRowWriter.write(LakeSchemas.USAGE, List.of(
                call("req_1", "2026-11-22T18:57:09.052Z", 1200, 35, 4000, 300, 0.0078, 278.0, true, "otlp"),
                call("req_2", "2026-11-22T18:57:09.286Z", 1250, 12, 4300, 50, 0.00635, 209.0, true, "otlp")));
        byte[] sessions = ParquetRowWriter.write(LakeSchemas.SESSIONS, List.of(new SessionRow("claude-code", SESSION,
                micros("2026-11-22T18:57:08.503Z"), micros("2026-11-22T18:57:09.287Z"), null, "demo", null, 1, 2, 1, 0, 0,
                2450, 47, 8300, 350, 0, 0, 0.01415, 0, "claude-opus-5-5", "otlp", null, null, null, null)));
        String usageKey = "tables/usage/dt=" + DAY + "/compacted-usage.parquet";
        String sessionsKey = "tables/sessions/dt=" + DAY + "/compacted-sessions.parquet";
        s3.store().put(usageKey, usage);
        s3.store().put(sessionsKey, sessions);
        var snapshot = new Snapshot(Snapshot.FORMAT, 1, 0, Instant.now(), List.of(
                new TableFile("usage", usageKey, LocalDate.parse(DAY), 2, usage.length),
                new TableFile("sessions", sessionsKey, LocalDate.parse(DAY), 1, sessions.length)), Set.of(), null);
        var snapshots = new SnapshotStore(s3.store());
        CommitOutcome outcome = snapshots.commit(snapshot);
        if (outcome == CommitOutcome.UNKNOWN) {
            outcome = snapshots.settle(snapshot);
        }
        assertThat(outcome).isEqualTo(CommitOutcome.COMMITTED);

        // In landing: the same two calls as `agentlake import` reads them from the session file (no cost).
        s3.store().put(LakeLayout.landingKey(Signal.USAGE, LocalDate.parse(DAY), "0123456789abcdef"),
                ParquetRowWriter.write(LakeSchemas.USAGE, List.of(
                        call("req_1", "2026-11-22T18:57:08.800Z", 1200, 35, 4000, 300, null, null, null, "import"),
                        call("req_2", "2026-11-22T18:57:09.100Z", 1250, 12, 4300, 50, null, null, null, "import"))));
    }

    @Test
    void givenTheDefaultPreferenceForImportsThenTheApiCountsTheImportedCallsOnce() throws Exception {
        try (RunningQuery api = RunningQuery.start(s3, Map.of())) {
            JsonNode totals = api.json("/api/usage?" + RANGE).get("totals");
            assertThat(totals.get("calls").asLong()).isEqualTo(2);
            assertThat(totals.get("input_tokens").asLong()).isEqualTo(2450);
            assertThat(totals.get("cache_read_tokens").asLong()).isEqualTo(8300);
            assertThat(totals.get("cache_write_tokens").asLong()).isEqualTo(350);
            assertThat(totals.get("output_tokens").asLong()).isEqualTo(47);
            assertThat(sql(api, "select string_agg(distinct source, ',') from usage")).isEqualTo("import");
            assertThat(sql(api, "select count(*) || '/' || sum(model_calls) || '/' || sum(input_tokens) || '/' || min(sources)"
                    + " from sessions")).as("the session once, from the import").isEqualTo("1/2/2450/import");
        }
    }

    @Test
    void givenThePreferenceForTelemetryThenTheApiKeepsTheCompactedCallsWithTheirReportedCosts() throws Exception {
        try (RunningQuery api = RunningQuery.start(s3, Map.of("agentlake.usage.prefer-source", "otlp"))) {
            JsonNode totals = api.json("/api/usage?" + RANGE).get("totals");
            assertThat(totals.get("calls").asLong()).isEqualTo(2);
            assertThat(totals.get("input_tokens").asLong()).isEqualTo(2450);
            assertThat(totals.get("cost_usd").asDouble()).isCloseTo(0.01415, within(1e-12));
            assertThat(sql(api, "select string_agg(distinct source, ',') from usage")).isEqualTo("otlp");
            assertThat(sql(api, "select count(*) || '/' || sum(model_calls) || '/' || min(sources) from sessions"))
                    .isEqualTo("1/2/otlp");
        }
    }

    private static String sql(RunningQuery api, String sql) throws Exception {
        var r = api.send("POST", "/api/sql", RunningQuery.JSON.writeValueAsString(Map.of("sql", sql)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RunningQuery.JSON.readTree(r.body()).get("rows").get(0).get(0).asText();
    }

    private static UsageRow call(String id, String time, long in, long out, long read, long write, Double reported,
                                 Double durationMs, Boolean success, String source) {
        return new UsageRow(micros(time) * 1_000L, id, "claude-code", SESSION, null, "claude-opus-5-5", null, "demo", null,
                in, out, read, write, 0, 0, 0, reported, reported == null ? "unknown_model" : "reported", reported,
                durationMs, success, false, source);
    }

    private static long micros(String time) {
        Instant t = Instant.parse(time);
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
