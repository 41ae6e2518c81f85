package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each captured run ingested through the real pipeline and compacted: the usage table gives the
 * token totals the model API returned, to the token, and the costs the price table's arithmetic
 * gives (expected values written from the published per-token prices).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixtureCompactionTest {
    @RegisterExtension
    static final TestLake lake = TestLake.perClass();

    private final Map<FixtureRun, List<String>> sessions = new java.util.EnumMap<>(FixtureRun.class);

    @BeforeAll
    void ingestAndCompactEveryRun() {
        long t0 = System.nanoTime();
        System.out.println("START " + (System.nanoTime() - t0) / 1_000_000);
        for (FixtureRun run : FixtureRun.values()) {
            var keys = lake.ingest(run);
            System.out.println("INGEST " + (System.nanoTime() - t0) / 1_000_000);
            sessions.put(run, lake.sessionsIn(keys));
            System.out.println("SESS " + (System.nanoTime() - t0) / 1_000_000);
        }
        CompactionReport report = lake.job().run();
        System.out.println("REPORT " + report);
        assertThat(report.outcome()).isEqualTo("committed");
    }

    @ParameterizedTest
    @EnumSource(FixtureRun.class)
    void givenACapturedRunWhenCompactedThenItsUsageTotalsAreTheTokensTheApiReturned(FixtureRun run) {
        assertThat(sessions.get(run)).as("one session per run").hasSize(1);
        Map<String, Object> r = lake.query("usage", "select count(*) as calls, sum(input_tokens) as input,"
                + " sum(cache_read_tokens) as cache_read, sum(cache_write_tokens) as cache_write,"
                + " sum(output_tokens) as output, sum(reasoning_tokens) as reasoning from t"
                + " where session_id = '" + sessions.get(run).get(0) + "' and tool = '" + run.tool + "'").get(0);
        assertThat(new FixtureRun.Totals(TestLake.n(r, "calls"), TestLake.n(r, "input"), TestLake.n(r, "cache_read"),
                TestLake.n(r, "cache_write"), TestLake.n(r, "output"), TestLake.n(r, "reasoning")))
                .isEqualTo(run.expected);
    }

    @Test
    void givenAllRunsThenTotalsPerToolAreTwiceEachClaudeAndCodexRunAndOnceGemini() {
        assertThat(lake.usageTotals()).containsExactly(
                Map.entry("claude-code", new FixtureRun.Totals(4, 4900, 16600, 700, 94, 0)),
                Map.entry("codex", new FixtureRun.Totals(4, 1104, 7696, 0, 110, 32)),
                Map.entry("gemini-cli", new FixtureRun.Totals(3, 820, 5400, 0, 73, 35)));
    }

    @Test
    void givenTheDefaultAutoModeThenClaudeKeepsItsReportedCostAndCodexAndGeminiArePricedFromTheTable() {
        Map<String, Object> claude = lake.query("usage", "select sum(cost_usd) as cost, string_agg(distinct cost_source, ',')"
                + " as sources, sum(calculated_cost_usd) as ours from t where tool = 'claude-code'").get(0);
        // Claude Code reported $0.0078 + $0.00635 per run; claude-opus-5-5 is not in the price
        // table, so our own price is NULL, never 0.
        assertThat((Double) claude.get("cost")).isCloseTo(2 * 0.01415, within(1e-12));
        assertThat(claude).containsEntry("sources", "reported").containsEntry("ours", null);

        // gpt-5-codex: $1.25 input, $0.125 cache read, $10 output per million tokens.
        double codexRun = (300 + 252) * 1.25e-6 + (1_800 + 2_048) * 1.25e-7 + (40 + 15) * 1e-5;
        Map<String, Object> codex = lake.query("usage", "select sum(cost_usd) as cost, string_agg(distinct cost_source, ',')"
                + " as sources from t where tool = 'codex'").get(0);
        assertThat((Double) codex.get("cost")).isCloseTo(2 * codexRun, within(1e-12));
        assertThat(codex).containsEntry("sources", "calculated");

        // Router call on gemini-3.5-flash-lite ($0.30 in, $2.50 out per M): 120 in, 10 + 5 thoughts out.
        // gemini-3.8-flash (supplemental models.dev price: $0.75 in, $3.75 out, $0.075 cache read per M):
        // 500 + 200 fresh in, 2,500 + 2,900 cache read, (20 + 30) + 8 out.
        double gemini = 120 * 3e-7 + 15 * 2.5e-6 + 700 * 7.5e-7 + 5_400 * 7.5e-8 + 58 * 3.75e-6;
        Map<String, Object> g = lake.query("usage", "select sum(cost_usd) as cost, string_agg(distinct cost_source, ',')"
                + " as sources, count(*) filter (where routing) as routing from t where tool = 'gemini-cli'").get(0);
        assertThat((Double) g.get("cost")).isCloseTo(gemini, within(1e-12));
        assertThat(g).containsEntry("sources", "calculated").containsEntry("routing", 1L);
    }
}
