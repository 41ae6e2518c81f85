package dev.agentlake.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.model.UsageRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.testing.LakeTestServer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /api/usage and /api/usage/blocks over known usage rows (as importers land them). */
class UsageApiTest {
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass();
    static RunningQuery api;

    static UsageRow call(String id, String time, String tool, String session, String model, long in, long out,
                         long read, long write, long reasoning, Double cost) {
        Instant t = Instant.parse(time);
        return new UsageRow(t.getEpochSecond() * 1_000_000_000L + t.getNano(), id, tool, session, null, model, "laptop",
                "demo", null, in, out, read, write, 0, reasoning, 0, cost, cost == null ? "unknown_model" : "calculated",
                null, 1200.0, true, false, "import");
    }

    @BeforeAll
    static void start() throws Exception {
        s3.store().put(LakeLayout.landingKey(Signal.USAGE, LocalDate.parse("2026-11-20"), "cccccccccccccccc"),
                ParquetRowWriter.write(LakeSchemas.USAGE, List.of(
                        // 23:30 UTC on the 20th is already the 21st in Berlin (UTC+1).
                        call("c1", "2026-11-20T23:30:00Z", "claude-code", "s-1", "claude-sonnet-4-5", 1000, 100, 5000, 200, 0, 0.0105),
                        call("c2", "2026-11-21T10:00:00Z", "claude-code", "s-1", "claude-sonnet-4-5", 2000, 50, 6000, 0, 0, 0.0083),
                        call("c3", "2026-11-21T10:30:00Z", "codex", "x-1", "gpt-5", 552, 55, 3848, 0, 16, 0.00172),
                        call("c4", "2026-11-21T16:00:00Z", "gemini-cli", "g-1", "gemini-9-ultra", 820, 73, 5400, 0, 35, null))));
        // Outside RANGE, without a session: a block of 08:00 (b1, b2) and one of 13:00 (b3).
        s3.store().put(LakeLayout.landingKey(Signal.USAGE, LocalDate.parse("2026-11-25"), "bbbbbbbbbbbbbbbb"),
                ParquetRowWriter.write(LakeSchemas.USAGE, List.of(
                        call("b1", "2026-11-25T08:40:00Z", "claude-code", null, "claude-sonnet-4-5", 1, 1, 0, 0, 0, null),
                        call("b2", "2026-11-25T11:20:00Z", "claude-code", null, "claude-sonnet-4-5", 2, 1, 0, 0, 0, null),
                        call("b3", "2026-11-25T13:10:00Z", "claude-code", null, "claude-sonnet-4-5", 4, 1, 0, 0, 0, null))));
        api = RunningQuery.start(s3, Map.of());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static final String RANGE = "from=2026-11-20T00:00:00Z&to=2026-11-22T00:00:00Z";

    // Imported rows are priced from the embedded table (LiteLLM snapshot, USD per token):
    // claude-sonnet-4-5: input 3e-6, output 1.5e-5, cache read 3e-7, cache write (5m) 3.75e-6;
    // gpt-5: input 1.25e-6, output 1e-5, cache read 1.25e-7. gemini-9-ultra is unknown: NULL.
    static final double C1 = 1000 * 3e-6 + 100 * 1.5e-5 + 5000 * 3e-7 + 200 * 3.75e-6;
    static final double C2 = 2000 * 3e-6 + 50 * 1.5e-5 + 6000 * 3e-7;
    static final double C3 = 552 * 1.25e-6 + 55 * 1e-5 + 3848 * 1.25e-7;

    @Test
    void groupedByToolTheCountersAddUpExactly() throws Exception {
        JsonNode body = api.json("/api/usage?" + RANGE + "&groupBy=tool");
        JsonNode rows = body.get("rows");
        assertThat(rows).extracting(r -> r.get("tool").asText()).containsExactly("claude-code", "codex", "gemini-cli");
        assertThat(rows.get(0).toString()).startsWith("{\"tool\":\"claude-code\",\"calls\":2,\"input_tokens\":3000,"
                + "\"output_tokens\":150,\"cache_read_tokens\":11000,\"cache_write_tokens\":200,\"reasoning_tokens\":0,"
                + "\"cost_usd\":");
        assertThat(rows.get(0).get("cost_usd").asDouble()).isCloseTo(C1 + C2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(rows.get(0).get("reported_cost_usd").isNull()).isTrue();
        assertThat(rows.get(1).get("cost_usd").asDouble()).isCloseTo(C3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(rows.get(2).get("cost_usd").isNull()).isTrue();
        assertThat(rows.get(2).get("unpriced_calls").asLong()).isEqualTo(1);
        JsonNode totals = body.get("totals");
        assertThat(totals.get("calls").asLong()).isEqualTo(4);
        assertThat(totals.get("input_tokens").asLong()).isEqualTo(4372);
        assertThat(totals.get("cache_read_tokens").asLong()).isEqualTo(20248);
        assertThat(totals.get("reasoning_tokens").asLong()).isEqualTo(51);
        assertThat(totals.get("cost_usd").asDouble()).isCloseTo(C1 + C2 + C3, org.assertj.core.data.Offset.offset(1e-12));
    }

    /** "period=calls" per row of RANGE grouped by {@code group} (day, week or month) in {@code tz}. */
    static List<String> callsPer(String group, String tz) throws Exception {
        JsonNode body = api.json("/api/usage?" + RANGE + "&groupBy=" + group + (tz == null ? "" : "&tz=" + tz));
        assertThat(body.get("tz").asText()).isEqualTo(tz == null ? "UTC" : tz);
        var out = new ArrayList<String>();
        body.get("rows").forEach(r -> out.add(r.get(group).asText() + "=" + r.get("calls").asLong()));
        return out;
    }

    @Test
    void dayBoundariesFollowTheRequestedTimeZone() throws Exception {
        assertThat(callsPer("day", null)).containsExactly("2026-11-20=1", "2026-11-21=3");
        assertThat(callsPer("day", "Europe/Berlin")).containsExactly("2026-11-21=4");
        JsonNode byDayAndTool = api.json("/api/usage?" + RANGE + "&groupBy=month,tool&tool=codex");
        assertThat(byDayAndTool.get("rows").toString()).startsWith("[{\"month\":\"2026-11\",\"tool\":\"codex\",\"calls\":1,");
    }

    @Test
    void weeksStartOnSundayInTheRequestedZoneAsTheCommandLinesWeeklyReport() throws Exception {
        // In Tokyo (UTC+9) c1..c3 fall on Saturday the 21st and c4 (16:00 UTC) on Sunday the 22nd: a new week,
        // as `agentlake report weekly` and ccusage count them.
        assertThat(callsPer("week", "Asia/Tokyo")).containsExactly("2026-11-15=3", "2026-11-22=1");
        assertThat(callsPer("week", null)).containsExactly("2026-11-15=4");
    }

    @Test
    void theToolFilterTakesTheCommandLinesAndTheExportersNamesForATool() throws Exception {
        // `agentlake report --tool gemini` and Claude Code's service name claude_code name the lake's tools too.
        assertThat(api.json("/api/usage?" + RANGE + "&groupBy=tool&tool=gemini").get("rows").toString())
                .startsWith("[{\"tool\":\"gemini-cli\",\"calls\":1,\"input_tokens\":820,");
        assertThat(api.json("/api/usage?" + RANGE + "&tool=claude_code").get("totals").get("calls").asLong()).isEqualTo(2);
        assertThat(api.json("/api/sessions?" + RANGE + "&tool=gemini").get("rows"))
                .extracting(r -> r.get("session_id").asText()).containsExactly("g-1");
        assertThat(api.json("/api/usage?" + RANGE + "&tool=cursor").get("totals").get("calls").asLong())
                .as("another tool's name is taken as it is").isZero();
    }

    @Test
    void badGroupsAndZonesAre400s() throws Exception {
        var badGroup = api.get("/api/usage?groupBy=colour");
        assertThat(badGroup.statusCode()).isEqualTo(400);
        assertThat(badGroup.body()).contains("'groupBy' must be a comma-separated list of day, week, month, tool");
        var badZone = api.get("/api/usage?tz=Mars/Olympus");
        assertThat(badZone.statusCode()).isEqualTo(400);
        assertThat(badZone.body()).contains("'tz' must be an IANA time zone");
    }

    @Test
    void blocksAreFiveHourWindowsStartingOnTheHour() throws Exception {
        JsonNode rows = api.json("/api/usage/blocks?" + RANGE).get("rows");
        assertThat(rows).extracting(r -> r.get("start").asText() + "/" + r.get("calls").asLong())
                .containsExactly("2026-11-20T23:00:00Z/1", "2026-11-21T10:00:00Z/2", "2026-11-21T16:00:00Z/1");
        assertThat(rows.get(1).get("end").asText()).isEqualTo("2026-11-21T15:00:00Z");
        assertThat(rows.get(1).get("models").toString()).isEqualTo("[\"claude-sonnet-4-5\",\"gpt-5\"]");
        assertThat(rows.get(1).get("total_tokens").asLong()).isEqualTo(2000 + 50 + 6000 + 552 + 55 + 3848);
        assertThat(rows.get(1).get("active").asBoolean()).isFalse();
    }

    @Test
    void givenARangeThatStartsInsideABlockThenTheBlockKeepsItsStartAndItsCalls() throws Exception {
        // Before: the range's calls alone made a block of 11:00 to 16:00 (b2, b3), which never was one.
        JsonNode rows = api.json("/api/usage/blocks?from=2026-11-25T10:00:00Z&to=2026-11-26T00:00:00Z").get("rows");
        assertThat(rows).extracting(r -> r.get("start").asText() + "/" + r.get("end").asText() + "/" + r.get("input_tokens"))
                .containsExactly("2026-11-25T08:00:00Z/2026-11-25T13:00:00Z/3", "2026-11-25T13:00:00Z/2026-11-25T18:00:00Z/4");
        // A block that ended before the range is not shown.
        assertThat(api.json("/api/usage/blocks?from=2026-11-25T13:00:00Z&to=2026-11-26T00:00:00Z").get("rows"))
                .extracting(r -> r.get("start").asText()).containsExactly("2026-11-25T13:00:00Z");
    }

    @Test
    void sessionsListTotalsPerSessionFromUsage() throws Exception {
        JsonNode rows = api.json("/api/sessions?" + RANGE).get("rows");
        assertThat(rows).extracting(r -> r.get("session_id").asText()).containsExactly("g-1", "x-1", "s-1");
        JsonNode claude = rows.get(2);
        assertThat(claude.get("model_calls").asLong()).isEqualTo(2);
        assertThat(claude.get("input_tokens").asLong()).isEqualTo(3000);
        assertThat(claude.get("first").asText()).isEqualTo("2026-11-20T23:30:00Z");
        assertThat(claude.get("models").toString()).isEqualTo("[\"claude-sonnet-4-5\"]");
        assertThat(api.get("/api/sessions/nope").statusCode()).isEqualTo(404);
        // An imported call has no log record; the timeline lists it from the usage rows.
        JsonNode imported = api.json("/api/sessions/x-1").get("timeline");
        assertThat(imported).hasSize(1);
        assertThat(imported.get(0).get("kind").asText()).isEqualTo("model_call");
        assertThat(imported.get(0).get("source").asText()).isEqualTo("import");
        assertThat(imported.get(0).get("input_tokens").asLong()).isEqualTo(552);
        assertThat(imported.get(0).get("cache_read_tokens").asLong()).isEqualTo(3848);
        assertThat(imported.get(0).get("reasoning_tokens").asLong()).isEqualTo(16);
        assertThat(imported.get(0).get("time").asText()).isEqualTo("2026-11-21T10:29:58.800Z"); // started 1.2 s before it was logged
    }

    @Test
    void givenTheSqlConsoleThenTheSessionsViewHasARowPerSessionAndDayWithTheUsageTotals() throws Exception {
        var r = api.send("POST", "/api/sql", RunningQuery.JSON.writeValueAsString(Map.of("sql",
                "SELECT session_id, count(*) AS days, sum(model_calls) AS calls, sum(input_tokens) AS input,"
                        + " sum(cache_read_tokens) AS cache_read, sum(unpriced_calls) AS unpriced"
                        + " FROM sessions GROUP BY session_id ORDER BY session_id")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(RunningQuery.JSON.readTree(r.body()).get("rows").toString())
                .isEqualTo("[[\"g-1\",1,1,820,5400,1],[\"s-1\",2,2,3000,11000,0],[\"x-1\",1,1,552,3848,0]]");
    }
}
