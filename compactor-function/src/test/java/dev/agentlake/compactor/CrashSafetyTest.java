package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.model.UsageRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.lake.store.S3ObjectStore;
import dev.agentlake.lake.store.S3Settings;
import dev.agentlake.lake.store.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A compaction that fails at every one of its store calls — the call fails, the call succeeds but
 * its answer is lost, or the process dies there — and a run afterwards: readers never see a row
 * twice or miss one, not even between the two runs; afterwards the totals are exact, nothing is
 * lost and no file is left that the snapshot does not name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashSafetyTest {
    /** Claude (both requests), Codex and Gemini, plus one imported Claude session of one call. */
    private static final Map<String, FixtureRun.Totals> EXPECTED = Map.of(
            "claude-code", new FixtureRun.Totals(3, 2550, 8300, 350, 57, 0),
            "codex", FixtureRun.CODEX_JSON.expected,
            "gemini-cli", FixtureRun.GEMINI.expected);

    @RegisterExtension
    static final TestLake lake = TestLake.perClass();
    /** A lake compacted once, with new landing files waiting: the state every case starts from. */
    private final Map<String, byte[]> template = new LinkedHashMap<>();
    private long logRows;
    private long spanRows;
    private int buckets;

    @BeforeAll
    void prepareTheStartingState() {
        lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF, "0001-claude-code-logs");
        lake.ingest(FixtureRun.GEMINI);
        assertThat(lake.job(lake.store()).run().committed()).isTrue();
        lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF, "0002-claude-code-logs");
        lake.ingest(FixtureRun.CODEX_JSON);
        long t = Instant.parse("2026-11-22T12:00:00Z").getEpochSecond() * 1_000_000_000L;
        lake.store().put("landing/usage/dt=2026-11-22/00112233445566778899aabbccddeeff.parquet",
                ParquetRowWriter.write(LakeSchemas.USAGE, List.of(new UsageRow(t, "msg_imported", "claude-code",
                        "imported-session", null, "claude-opus-5", "laptop", "demo", null, 100, 10, 0, 0, 0, 0, 0,
                        null, "unknown_model", null, null, true, false, "import"))));
        lake.store().put("landing/spans/dt=2026-11-22/0123456789abcdef.parquet", ParquetRowWriter.write(
                PartitionMergeTest.SPANS, List.of(new PartitionMergeTest.Span("s1", Instant.parse("2026-11-22T12:00:00Z"),
                        "span", 5))));
        for (StoredObject o : lake.store().list("")) {
            template.put(o.key(), lake.store().get(o.key()).orElseThrow());
        }
        try (LakeView view = LakeView.of(lake.store())) {
            logRows = view.visibleRows("logs", "logs");
            spanRows = view.visibleRows("spans", "spans");
        }
    }

    @TestFactory
    Stream<DynamicTest> givenAFaultAtEachStoreCallOfARunWhenTheNextRunCompletesThenTheLakeIsExact() {
        // How many store calls a healthy run makes from the starting state.
        ObjectStore reference = copyOfTemplate();
        var counting = FaultyObjectStore.counting(reference);
        assertThat(job(counting).run().committed()).isTrue();
        int calls = counting.calls();
        assertThat(calls).isBetween(15, 40);
        assertExact(reference, "a run without faults");

        var tests = new ArrayList<DynamicTest>();
        for (FaultyObjectStore.Fault fault : FaultyObjectStore.Fault.values()) {
            for (int n = 1; n <= calls; n++) {
                int at = n;
                tests.add(DynamicTest.dynamicTest(fault + " at call " + n + " of " + calls, () -> faultThenRecover(fault, at)));
            }
        }
        return tests.stream();
    }

    private void faultThenRecover(FaultyObjectStore.Fault fault, int at) {
        ObjectStore store = copyOfTemplate();
        try {
            job(new FaultyObjectStore(store, at, fault)).run();
        } catch (RuntimeException expected) {
            // the run may fail or not, depending on where the fault hit
        }
        // Between the failed run and the next one, readers still see every row exactly once.
        try (LakeView view = LakeView.of(store)) {
            assertThat(view.visibleRows("logs", "logs")).as("log rows visible after the fault").isEqualTo(logRows);
        }

        CompactionReport recovery = new CompactionJob(store, lake.settings().withGraces(Duration.ZERO, Duration.ZERO),
                lake.views(), Clock.systemUTC()).run();
        assertThat(recovery.outcome()).isIn("committed", "nothing_to_do");
        assertExact(store, fault + " at call " + at);
    }

    private void assertExact(ObjectStore store, String after) {
        try (LakeView view = LakeView.of(store)) {
            assertThat(view.usageTotals()).as("usage after " + after).isEqualTo(EXPECTED);
            assertThat(view.visibleRows("logs", "logs")).as("log rows after " + after).isEqualTo(logRows);
            assertThat(view.visibleRows("spans", "spans")).as("span rows after " + after).isEqualTo(spanRows);
            assertThat(view.visibleRows("imported_usage", "usage")).as("imported rows after " + after).isEqualTo(1);
        }
        assertThat(TestLake.unnamedTableFiles(store)).as("table files no snapshot names after " + after).isEmpty();
        assertThat(store.list("landing/")).as("landing after " + after).isEmpty();
    }

    /** A compactor as deployed: landing taken at once for the test, orphans reaped after the default grace. */
    private CompactionJob job(ObjectStore store) {
        return new CompactionJob(store, lake.settings(), lake.views(),
                Clock.systemUTC());
    }

    /** A new bucket on the same server holding the starting state. */
    private ObjectStore copyOfTemplate() {
        S3Settings base = lake.s3().settings();
        String bucket = String.format(Locale.ROOT, "crash-%04d", ++buckets);
        var store = S3ObjectStore.create(new S3Settings(base.endpoint(), bucket, base.accessKey(), base.secretKey(),
                base.region(), true, base.callTimeout()));
        store.createBucketIfMissing();
        template.forEach(store::put);
        return store;
    }
}
