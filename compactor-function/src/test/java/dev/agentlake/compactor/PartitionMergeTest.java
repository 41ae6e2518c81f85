package dev.agentlake.compactor;

import static dev.agentlake.lake.parquet.ColumnType.LONG;
import static dev.agentlake.lake.parquet.ColumnType.STRING;
import static dev.agentlake.lake.parquet.ColumnType.TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.ResourceColumns;
import dev.agentlake.lake.model.Tokens;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.snapshot.TableFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How landing rows are merged into partitions: by day, late or not, whatever the table's schema. */
class PartitionMergeTest {
    @RegisterExtension
    static final TestLake lake = TestLake.perClass().emptiedBeforeEachTest();

    /** A table the compactor has never heard of: it knows only record_id and timestamp. */
    record Span(String recordId, Instant time, String name, long durationNs) {
    }

    record SpanV2(String recordId, Instant time, String name, long durationNs, String status) {
    }

    static final TableSchema<Span> SPANS = TableSchema.<Span>builder("spans")
            .required("timestamp", TIMESTAMP, "start", s -> s.time().toEpochMilli() * 1000)
            .required("record_id", STRING, "id", Span::recordId)
            .optional("name", STRING, "name", Span::name)
            .required("duration_ns", LONG, "duration", Span::durationNs)
            .build();

    static final TableSchema<SpanV2> SPANS_V2 = TableSchema.<SpanV2>builder("spans")
            .required("timestamp", TIMESTAMP, "start", s -> s.time().toEpochMilli() * 1000)
            .required("record_id", STRING, "id", SpanV2::recordId)
            .optional("name", STRING, "name", SpanV2::name)
            .required("duration_ns", LONG, "duration", SpanV2::durationNs)
            .optional("status", STRING, "a column added later", SpanV2::status)
            .build();

    @Test
    void givenLateEventsForADayAlreadyCompactedThenTheyMergeIntoThatDaysPartition() {
        lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF);
        lake.job().run();
        List<TableFile> before = lake.snapshot().files("logs");
        assertThat(before).extracting(TableFile::dt).containsExactly(LocalDate.parse("2026-11-22"));

        // A call of the same session arriving a day late, and one event of the next day.
        lake.land("landing/logs/dt=2026-11-22/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.parquet", LakeSchemas.LOGS, List.of(
                claudeCall("late-1", "2026-11-22T23:59:59Z", "req_late"),
                claudeCall("next-1", "2026-11-23T00:00:01Z", "req_next")));
        CompactionReport report = lake.job().run();

        assertThat(report.partitions()).containsExactly("logs/dt=2026-11-22", "logs/dt=2026-11-23",
                "sessions/dt=2026-11-22", "sessions/dt=2026-11-23", "usage/dt=2026-11-22", "usage/dt=2026-11-23");
        List<TableFile> after = lake.snapshot().files("logs");
        assertThat(after).extracting(TableFile::dt).containsExactly(LocalDate.parse("2026-11-22"), LocalDate.parse("2026-11-23"));
        assertThat(after.get(0).rows()).isEqualTo(before.get(0).rows() + 1);
        assertThat(after.get(1).rows()).isEqualTo(1);
        // The day's old file was superseded and deleted; only live files remain.
        assertThat(lake.keys("tables/logs/")).containsExactlyElementsOf(after.stream().map(TableFile::key).toList());
        assertThat(lake.usageTotals().get("claude-code")).isEqualTo(new FixtureRun.Totals(4, 2650, 8300, 350, 67, 0));
        assertThat(lake.query("usage", "select dt::varchar as dt, count(*) as n from t group by dt order by dt"))
                .containsExactly(Map.of("dt", "2026-11-22", "n", 3L), Map.of("dt", "2026-11-23", "n", 1L));
        // The late calls carry no cache tokens: Claude Code tool-routing calls, flagged; the captured ones are not.
        assertThat(lake.query("usage", "select call_id from t where routing order by call_id"))
                .containsExactly(Map.of("call_id", "req_late"), Map.of("call_id", "req_next"));
    }

    @Test
    void givenLateRowsForALargeDayThenTheyAreAppendedAsOneMoreFileUntilTheDayHasTooManyFiles() {
        // Days of at least 2 rows get late rows appended; a day with 3 files is rewritten whole.
        CompactionJob job = lake.job(lake.store(), lake.settings().withGraces(java.time.Duration.ZERO, java.time.Duration.ZERO)
                .withAppends(2, 3), java.time.Clock.systemUTC());
        lake.land("landing/spans/dt=2026-11-22/1111111111111111.parquet", SPANS, List.of(
                new Span("b", Instant.parse("2026-11-22T10:00:02Z"), "second", 20),
                new Span("a", Instant.parse("2026-11-22T10:00:01Z"), "first", 10)));
        job.run();
        List<String> first = keysOfDay("spans", "2026-11-22");
        assertThat(first).hasSize(1);

        // A new row and a copy of a live one (an exporter's retry): only the new row is written.
        lake.land("landing/spans/dt=2026-11-22/2222222222222222.parquet", SPANS, List.of(
                new Span("d", Instant.parse("2026-11-22T09:00:00Z"), "earliest", 5),
                new Span("b", Instant.parse("2026-11-22T10:00:02Z"), "second", 20)));
        CompactionReport appended = job.run();

        assertThat(appended.partitions()).containsExactly("spans/dt=2026-11-22");
        assertThat(appended.rowsWritten()).containsExactly(Map.entry("spans", 1L));
        List<String> second = keysOfDay("spans", "2026-11-22");
        assertThat(second).hasSize(2).containsAll(first);
        assertThat(lake.snapshot().files("spans")).extracting(TableFile::rows).containsExactlyInAnyOrder(2L, 1L);
        assertThat(spans()).containsExactly("a", "b", "d");

        lake.land("landing/spans/dt=2026-11-22/3333333333333333.parquet", SPANS, List.of(
                new Span("e", Instant.parse("2026-11-22T11:00:00Z"), "third", 7)));
        job.run();
        assertThat(keysOfDay("spans", "2026-11-22")).hasSize(3).containsAll(second);

        // Three files: the next change rewrites the day into one sorted file.
        lake.land("landing/spans/dt=2026-11-22/4444444444444444.parquet", SPANS, List.of(
                new Span("f", Instant.parse("2026-11-22T12:00:00Z"), "fourth", 9)));
        CompactionReport rewritten = job.run();

        assertThat(rewritten.rowsWritten()).containsExactly(Map.entry("spans", 5L));
        assertThat(lake.snapshot().files("spans")).extracting(TableFile::rows).containsExactly(5L);
        assertThat(lake.query("spans", "select record_id from t")).extracting(r -> r.get("record_id"))
                .containsExactly("d", "a", "b", "e", "f");
        assertThat(lake.keys("tables/spans/")).hasSize(1);

        // Landing rows with a column the live files lack: the day is rewritten, so every row has it.
        lake.land("landing/spans/dt=2026-11-22/5555555555555555.parquet", SPANS_V2, List.of(
                new SpanV2("g", Instant.parse("2026-11-22T13:00:00Z"), "fifth", 3, "ok")));
        CompactionReport widened = job.run();
        assertThat(widened.rowsWritten()).containsExactly(Map.entry("spans", 6L));
        assertThat(lake.snapshot().files("spans")).hasSize(1);
    }

    @Test
    void givenLateLogRowsForALargeDayThenTheyAreAppendedAndTheUsageOfTheDayIsExact() {
        CompactionJob job = lake.job(lake.store(), lake.settings().withGraces(java.time.Duration.ZERO, java.time.Duration.ZERO)
                .withAppends(1, 8), java.time.Clock.systemUTC());
        lake.ingest(FixtureRun.CLAUDE_CODE_PROTOBUF);
        job.run();
        List<String> before = keysOfDay("logs", "2026-11-22");
        long rowsBefore = lake.snapshot().files("logs").get(0).rows();

        lake.land("landing/logs/dt=2026-11-22/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.parquet", LakeSchemas.LOGS, List.of(
                claudeCall("late-1", "2026-11-22T23:59:59Z", "req_late")));
        CompactionReport report = job.run();

        assertThat(report.rowsWritten()).containsEntry("logs", 1L);
        assertThat(keysOfDay("logs", "2026-11-22")).hasSize(2).containsAll(before);
        assertThat(lake.snapshot().files("logs")).extracting(TableFile::rows).containsExactlyInAnyOrder(rowsBefore, 1L);
        assertThat(lake.usageTotals().get("claude-code")).isEqualTo(new FixtureRun.Totals(3, 2550, 8300, 350, 57, 0));
    }

    private List<String> keysOfDay(String table, String day) {
        return lake.snapshot().files(table).stream().filter(f -> f.dt().toString().equals(day)).map(TableFile::key).toList();
    }

    private List<String> spans() {
        return lake.query("spans", "select record_id from t order by record_id").stream()
                .map(r -> (String) r.get("record_id")).toList();
    }

    @Test
    void givenATableTheCompactorDoesNotKnowThenItIsMergedByRecordIdAndSortedByTime() {
        lake.land("landing/spans/dt=2026-11-22/1111111111111111.parquet", SPANS, List.of(
                new Span("b", Instant.parse("2026-11-22T10:00:02Z"), "second", 20),
                new Span("a", Instant.parse("2026-11-22T10:00:01Z"), "first", 10),
                new Span("c", Instant.parse("2026-11-23T08:00:00Z"), "next day", 30)));
        lake.land("landing/spans/dt=2026-11-22/2222222222222222.parquet", SPANS, List.of(
                new Span("a", Instant.parse("2026-11-22T10:00:01Z"), "first", 10)));
        lake.job().run();

        // A later writer adds a column; old rows read it as NULL.
        lake.land("landing/spans/dt=2026-11-22/3333333333333333.parquet", SPANS_V2, List.of(
                new SpanV2("d", Instant.parse("2026-11-22T09:00:00Z"), "earliest", 5, "ok"),
                new SpanV2("b", Instant.parse("2026-11-22T10:00:02Z"), "second", 20, "ok")));
        CompactionReport report = lake.job().run();

        assertThat(report.partitions()).containsExactly("spans/dt=2026-11-22");
        assertThat(lake.query("spans", "select record_id, name, status, dt::varchar as dt from t"))
                .extracting(r -> r.get("record_id") + " " + r.get("name") + " " + r.get("status") + " " + r.get("dt"))
                .containsExactly("d earliest ok 2026-11-22", "a first null 2026-11-22", "b second ok 2026-11-22",
                        "c next day null 2026-11-23");
        assertThat(lake.keys("tables/")).allMatch(k -> k.startsWith("tables/spans/"));
    }

    @Test
    void givenALandingFileThatIsNotParquetThenItIsLeftInPlaceAndReportedWhileTheRestIsCompacted() {
        lake.ingest(FixtureRun.GEMINI);
        String bad = "landing/logs/dt=2026-11-22/ffffffffffffffffffffffffffffffff.parquet";
        lake.store().put(bad, "not parquet".getBytes(StandardCharsets.UTF_8));
        String noKey = "landing/things/dt=2026-11-22/eeeeeeeeeeeeeeee.parquet";
        lake.land(noKey, TableSchema.<Instant>builder("things")
                .required("timestamp", TIMESTAMP, "t", t -> t.toEpochMilli() * 1000).build(), List.of(Instant.now()));

        CompactionReport report = lake.job().run();

        assertThat(report.committed()).isTrue();
        assertThat(report.skipped()).containsOnlyKeys(bad, noKey);
        assertThat(report.skipped().get(bad)).startsWith("not readable as Parquet");
        assertThat(report.skipped().get(noKey)).isEqualTo("rows have no record_id column");
        assertThat(lake.keys("landing/")).containsExactlyInAnyOrder(bad, noKey);
        assertThat(lake.usageTotals()).containsOnlyKeys("gemini-cli");
    }

    static LogRow claudeCall(String recordId, String time, String requestId) {
        Instant t = Instant.parse(time);
        return new LogRow(recordId, t.getEpochSecond() * 1_000_000_000L, 0,
                new ResourceColumns("claude-code", "claude-code", "2.1.330", null, "{}"), null, null, null, 0,
                "api_request", "claude_code.api_request", "36365f73-998e-44d7-9e10-400e14887217", null, null, "demo",
                "claude-opus-5-5", new Tokens(100L, 10L, 0L, 0L, 0L, 0L, null, null), 0.001, 10.0, null, null, null,
                requestId, null, null, 0, "{}", "otlp");
    }
}
