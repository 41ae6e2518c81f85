package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same data arriving or being compacted more than once is counted once. */
class IdempotenceTest {
    private static final List<FixtureRun> RUNS = List.of(FixtureRun.CLAUDE_CODE_PROTOBUF, FixtureRun.CODEX_JSON,
            FixtureRun.GEMINI);
    private static final Map<String, FixtureRun.Totals> ONE_OF_EACH = FixtureRun.totalsByTool(RUNS);
    @RegisterExtension
    static final TestLake lake = TestLake.perClass().emptiedBeforeEachTest();

    @Test
    void givenEveryRequestSentTwiceThenTheSecondOverwritesTheFirstAndTotalsAreOnce() {
        List<String> first = ingestOneOfEach();
        List<String> second = ingestOneOfEach();

        assertThat(second).isEqualTo(first); // content-addressed: a retry rewrites its own object
        assertThat(lake.job().run().committed()).isTrue();
        assertThat(lake.usageTotals()).isEqualTo(ONE_OF_EACH);
    }

    @Test
    void givenACompactionRunTwiceThenTheSecondHasNothingToDoAndChangesNothing() {
        ingestOneOfEach();
        CompactionReport first = lake.job().run();
        var snapshot = lake.snapshot();

        CompactionReport second = lake.job().run();

        assertThat(first.outcome()).isEqualTo("committed");
        assertThat(second.outcome()).isEqualTo("nothing_to_do");
        assertThat(second.version()).isEqualTo(first.version());
        assertThat(lake.snapshot()).isEqualTo(snapshot);
        assertThat(lake.usageTotals()).isEqualTo(ONE_OF_EACH);
        assertThat(lake.keys("landing/")).isEmpty();
    }

    @Test
    void givenAnExporterRetryingARequestAfterItWasCompactedThenItsRowsAreNotCountedAgain() {
        ingestOneOfEach();
        lake.job().run();
        long logs = logRows();

        // The exporter did not see our 200 and sends the Claude request again, after compaction.
        ingestOneOfEach();
        CompactionReport again = lake.job().run();

        assertThat(again.landingFiles() + again.reaped()).isPositive();
        assertThat(lake.usageTotals()).isEqualTo(ONE_OF_EACH);
        assertThat(logRows()).isEqualTo(logs);
    }

    @Test
    void givenTheSameRecordsReBatchedIntoAnotherLandingFileThenTheyAreKeptOnceByRecordId() {
        List<String> keys = ingestOneOfEach();
        // The same records stored under other keys (a re-batched retry, a landing file copied):
        for (String key : keys) {
            String copy = key.substring(0, key.lastIndexOf('/') + 1) + "0000000000000000" + key.substring(key.lastIndexOf('/') + 17);
            lake.store().put(copy, lake.store().get(key).orElseThrow());
        }
        assertThat(lake.keys("landing/")).hasSize(2 * keys.size());

        CompactionReport report = lake.job().run();

        assertThat(report.landingFiles()).isEqualTo(2 * keys.size());
        assertThat(lake.usageTotals()).isEqualTo(ONE_OF_EACH);
        assertThat(logRows()).isEqualTo(distinctLogRecords()).isEqualTo(report.rowsWritten().get("logs"));
    }

    private List<String> ingestOneOfEach() {
        return lake.ingestAll(RUNS);
    }

    private long logRows() {
        return TestLake.n(lake.query("logs", "select count(*) as n from t").get(0), "n");
    }

    private long distinctLogRecords() {
        return TestLake.n(lake.query("logs", "select count(distinct record_id) as n from t").get(0), "n");
    }
}
