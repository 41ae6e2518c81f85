package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.model.UsageRow;
import dev.agentlake.lake.parquet.LakeSchemas;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same call imported several times with different numbers: a Claude Code session imported while
 * a response was still streaming, then again once the response had its final usage (or the other way
 * round, an old copy of the session file imported last). Compaction keeps the most complete copy,
 * whichever arrives last; Gemini CLI, which rewrites a message in place, keeps the newest.
 */
class ImportedCallCopiesTest {
    private static final long T1 = Instant.parse("2026-11-22T18:57:08Z").getEpochSecond() * 1_000_000_000L;
    @RegisterExtension
    static final TestLake lake = TestLake.perClass().emptiedBeforeEachTest();

    @Test
    void givenTheFinalCopyCompactedThenAStalePartialCopyImportedLaterThenTheFinalCopyStays() {
        land("00", claude("msg_1", 3, 250, 9_000, 400), claude("msg_2", 5, 40, 9_400, 100));
        lake.job(lake.store()).run();
        land("01", claude("msg_1", 3, 12, 9_000, 400));

        lake.job(lake.store()).run();

        assertThat(calls()).containsExactly("msg_1 3 250 9000 400", "msg_2 5 40 9400 100");
        assertThat(lake.query("imported_usage", "select count(*) as n, sum(output_tokens)::BIGINT as output from t"))
                .containsExactly(java.util.Map.of("n", 2L, "output", 290L));
    }

    @Test
    void givenAPartialCopyCompactedThenTheFinalCopyImportedLaterThenTheFinalCopyReplacesIt() {
        land("00", claude("msg_1", 3, 12, 9_000, 400));
        lake.job(lake.store()).run();
        land("01", claude("msg_1", 3, 250, 9_000, 400));

        lake.job(lake.store()).run();

        assertThat(calls()).containsExactly("msg_1 3 250 9000 400");
    }

    @Test
    void givenCopiesInOneRunInEitherOrderThenTheMostCompleteIsKept() {
        land("00", claude("msg_1", 3, 250, 9_000, 400), claude("msg_2", 5, 7, 9_400, 100));
        land("01", claude("msg_1", 3, 12, 9_000, 400), claude("msg_2", 5, 40, 9_400, 100));

        lake.job(lake.store()).run();

        assertThat(calls()).containsExactly("msg_1 3 250 9000 400", "msg_2 5 40 9400 100");
    }

    @Test
    void givenAGeminiMessageRewrittenWithFewerTokensThenTheNewestCopyIsKept() {
        land("00", gemini("g_1", 820, 108));
        lake.job(lake.store()).run();
        land("01", gemini("g_1", 820, 73));

        lake.job(lake.store()).run();

        assertThat(calls()).containsExactly("g_1 820 73 0 0");
    }

    private List<String> calls() {
        return lake.query("usage", "select call_id || ' ' || input_tokens || ' ' || output_tokens || ' ' || cache_read_tokens"
                + " || ' ' || cache_write_tokens as c from t order by call_id").stream().map(r -> (String) r.get("c")).toList();
    }

    /** One landing file per import; {@code n} orders their keys (and they are written in that order). */
    private void land(String n, UsageRow... rows) {
        lake.land("landing/usage/dt=2026-11-22/" + n + "23456789abcdef0123456789abcdef.parquet", LakeSchemas.USAGE,
                List.of(rows));
    }

    private static UsageRow claude(String id, long in, long out, long cacheRead, long cacheWrite) {
        return new UsageRow(T1, id, "claude-code", "s-1", null, "claude-opus-5", null, "demo", null,
                in, out, cacheRead, cacheWrite, 0, 0, 0, null, "calculated", null, null, true, false, "import");
    }

    private static UsageRow gemini(String id, long in, long out) {
        return new UsageRow(T1, id, "gemini-cli", "g-1", null, "gemini-3-pro", null, "demo", null,
                in, out, 0, 0, 0, 0, 0, null, "calculated", null, null, true, false, "import");
    }
}
