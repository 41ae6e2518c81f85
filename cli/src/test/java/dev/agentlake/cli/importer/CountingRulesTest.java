package dev.agentlake.cli.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.model.UsageRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counting rules of issue 7, on session files shaped like the real ones' duplication patterns. */
class CountingRulesTest {
    @TempDir
    Path home;

    List<UsageRow> scan(SessionTool tool) {
        return new SessionScan(new SessionRoots(home, Map.of()), ImportContext.unfiltered("test-host"), Progress.NONE)
                .usage(List.of(tool));
    }

    void write(String path, String... lines) throws IOException {
        Path p = home.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, String.join("\n", lines) + "\n");
    }

    static String claude(String messageId, String requestId, String model, boolean sidechain, long input, long output,
                         long cacheRead, long cacheWrite, long cw1h, long cw5m, String time) {
        return "{\"isSidechain\":" + sidechain + ",\"message\":{\"id\":\"" + messageId + "\",\"role\":\"assistant\",\"model\":\""
                + model + "\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}],\"usage\":{\"input_tokens\":" + input
                + ",\"cache_creation_input_tokens\":" + cacheWrite + ",\"cache_read_input_tokens\":" + cacheRead
                + ",\"output_tokens\":" + output + ",\"cache_creation\":{\"ephemeral_1h_input_tokens\":" + cw1h
                + ",\"ephemeral_5m_input_tokens\":" + cw5m + "}}},\"requestId\":\"" + requestId + "\",\"type\":\"assistant\","
                + "\"uuid\":\"" + messageId + "-" + output + "\",\"timestamp\":\"" + time + "\",\"sessionId\":\"s1\",\"cwd\":\"/p\"}";
    }

    static long[] sums(List<UsageRow> rows) {
        long[] s = new long[6];
        for (UsageRow r : rows) {
            s[0] += r.input();
            s[1] += r.cacheRead();
            s[2] += r.cacheWrite();
            s[3] += r.output();
            s[4] += r.reasoning();
            s[5] += r.cacheWrite1h();
        }
        return s;
    }

    @Test
    void claudeCallsAreMergedOnMessageAndRequestIdKeepingTheMostCompleteSnapshotAcrossSidechainsSubagentsAndResumes()
            throws IOException {
        write(".claude/projects/-p/s1.jsonl",
                claude("m1", "r1", "claude-opus-5-5", false, 100, 1, 0, 0, 0, 0, "2026-11-20T10:00:00Z"),   // partial stream
                claude("m1", "r1", "claude-opus-5-5", false, 100, 50, 0, 0, 0, 0, "2026-11-20T10:00:01Z"),  // complete
                claude("m2", "r2", "claude-opus-5-5", false, 7, 3, 900, 400, 0, 0, "2026-11-20T10:01:00Z"), // zero breakdown
                claude("m3", "r3", "claude-opus-5-5", false, 5, 2, 0, 300, 300, 0, "2026-11-20T10:02:00Z"), // 1h cache write
                claude("m9", "r9", "<synthetic>", false, 0, 0, 0, 0, 0, 0, "2026-11-20T10:03:00Z"),
                claude("m4", "r4", "claude-haiku-5", true, 10, 5, 0, 0, 0, 0, "2026-11-20T10:04:00Z"));  // sidechain
        write(".claude/projects/-p/s1/subagents/agent-a1.jsonl",
                claude("m4", "r4", "claude-haiku-5", true, 10, 5, 0, 0, 0, 0, "2026-11-20T10:04:00Z"),   // replay
                claude("m5", "r5", "claude-haiku-5", true, 20, 3, 0, 0, 0, 0, "2026-11-20T10:05:00Z"));
        write(".claude/projects/-p/s2.jsonl", // a resumed session copies the history
                claude("m1", "r1", "claude-opus-5-5", false, 100, 50, 0, 0, 0, 0, "2026-11-20T10:00:01Z"),
                claude("m2", "r2", "claude-opus-5-5", false, 7, 3, 900, 400, 0, 0, "2026-11-20T10:01:00Z"));

        List<UsageRow> rows = scan(SessionTool.CLAUDE_CODE);

        assertThat(rows).extracting(UsageRow::callId).containsExactly("r1", "r2", "r3", "r4", "r5");
        assertThat(sums(rows)).containsExactly(142, 900, 700, 63, 0, 300);
        assertThat(rows.get(0).output()).isEqualTo(50);
        assertThat(rows.get(1).cacheWrite()).isEqualTo(400); // not 0, as ccusage counts it
    }

    @Test
    void codexCallsAreDeltasOfTheCumulativeTotalNeverRepeatedLastUsage() throws IOException {
        String meta = "{\"timestamp\":\"2026-11-20T09:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"c1\",\"cwd\":\"/p\"}}";
        String ctx = "{\"timestamp\":\"2026-11-20T09:00:01Z\",\"type\":\"turn_context\",\"payload\":{\"model\":\"gpt-5-codex\",\"turn_id\":\"t1\"}}";
        write(".codex/sessions/2026/11/20/rollout-2026-11-20T09-00-00-c1.jsonl", meta, ctx,
                tokenCount("09:01", "1000,200,50,10", "1000,200,50,10"),
                tokenCount("09:02", "1000,200,50,10", "1000,200,50,10"),  // repeated: no new call
                tokenCount("09:03", "1500,400,80,10", "500,200,30,0"),
                "{\"timestamp\":\"2026-11-20T09:04:00Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":null}}",
                tokenCount("09:05", "300,0,20,0", "300,0,20,0"));           // the counter restarted

        List<UsageRow> rows = scan(SessionTool.CODEX);

        assertThat(rows).hasSize(3);
        assertThat(sums(rows)).containsExactly(1400, 400, 0, 100, 10, 0);
        assertThat(rows).allSatisfy(r -> assertThat(r.model()).isEqualTo("gpt-5-codex"));
        assertThat(rows).extracting(UsageRow::callId).containsExactly("c1:1050", "c1:1580", "c1:320");
    }

    static String tokenCount(String hhmm, String total, String last) {
        return "{\"timestamp\":\"2026-11-20T" + hhmm + ":00Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\","
                + "\"info\":{\"total_token_usage\":" + usage(total) + ",\"last_token_usage\":" + usage(last) + "}}}";
    }

    static String usage(String csv) {
        String[] v = csv.split(",");
        long in = Long.parseLong(v[0]);
        long out = Long.parseLong(v[2]);
        return "{\"input_tokens\":" + in + ",\"cached_input_tokens\":" + v[1] + ",\"output_tokens\":" + out
                + ",\"reasoning_output_tokens\":" + v[3] + ",\"total_tokens\":" + (in + out) + "}";
    }

    @Test
    void geminiMessagesRewrittenWithTheSameIdCountOnceInTheirLastVersionWithThoughtsAsOutput() throws IOException {
        write(".gemini/tmp/proj/chats/session-2026-11-20T08-00-g1.jsonl",
                "{\"sessionId\":\"g1\",\"projectHash\":\"h\",\"startTime\":\"2026-11-20T08:00:00Z\",\"kind\":\"main\"}",
                "{\"id\":\"u1\",\"timestamp\":\"2026-11-20T08:00:01Z\",\"type\":\"user\",\"content\":[{\"text\":\"hi\"}]}",
                "{\"id\":\"a1\",\"timestamp\":\"2026-11-20T08:00:02Z\",\"type\":\"gemini\",\"content\":\"\",\"tokens\":{\"input\":1000,\"output\":5,\"cached\":0,\"thoughts\":0,\"tool\":0,\"total\":1005},\"model\":\"gemini-3.8-flash\"}",
                "{\"$set\":{\"lastUpdated\":\"2026-11-20T08:00:03Z\"}}",
                "{\"id\":\"a1\",\"timestamp\":\"2026-11-20T08:00:02Z\",\"type\":\"gemini\",\"content\":\"hello\",\"tokens\":{\"input\":1000,\"output\":40,\"cached\":600,\"thoughts\":12,\"tool\":3,\"total\":1052},\"model\":\"gemini-3.8-flash\"}");
        // The older whole-file format.
        write(".gemini/tmp/proj/chats/session-2026-10-01T08-00-g0.json",
                "{\"sessionId\":\"g0\",\"messages\":[{\"id\":\"b1\",\"timestamp\":\"2026-10-01T08:00:02Z\",\"type\":\"gemini\","
                        + "\"content\":\"x\",\"tokens\":{\"input\":200,\"output\":10,\"cached\":50,\"thoughts\":4,\"tool\":0},\"model\":\"gemini-3.8-flash\"}]}");

        List<UsageRow> rows = scan(SessionTool.GEMINI);

        assertThat(rows).extracting(UsageRow::callId).containsExactly("b1", "a1");
        assertThat(sums(rows)).containsExactly(550, 650, 0, 66, 16, 0);
        assertThat(rows.get(1).toolTokens()).isEqualTo(3);
        assertThat(rows.get(1).project()).isEqualTo("proj");
        assertThat(rows.get(1).sessionId()).isEqualTo("g1");
    }

    @Test
    void aLastLineWithoutItsNewlineIsReadOnlyWhenComplete() throws IOException {
        String complete = claude("m1", "r1", "claude-opus-5-5", false, 100, 50, 0, 0, 0, 0, "2026-11-20T10:00:01Z");
        Path p = home.resolve(".claude/projects/-p/s1.jsonl");
        Files.createDirectories(p.getParent());
        Files.writeString(p, complete + "\n" + complete.replace("m1", "m2").replace("r1", "r2").substring(0, 120));

        assertThat(scan(SessionTool.CLAUDE_CODE)).extracting(UsageRow::callId).containsExactly("r1");

        Files.writeString(p, complete + "\n" + complete.replace("m1", "m2").replace("r1", "r2"));
        assertThat(scan(SessionTool.CLAUDE_CODE)).extracting(UsageRow::callId).containsExactly("r1", "r2");
    }

    @Test
    void eachAssistantsOwnEnvironmentVariableMovesItsRoot() throws IOException {
        Path elsewhere = home.resolve("elsewhere");
        var roots = new SessionRoots(home, Map.of("CLAUDE_CONFIG_DIR", elsewhere + "/a," + elsewhere + "/b",
                "CODEX_HOME", elsewhere + "/codex", "GEMINI_CLI_HOME", elsewhere.toString()));

        assertThat(roots.roots(SessionTool.CLAUDE_CODE)).containsExactly(elsewhere.resolve("a/projects"),
                elsewhere.resolve("b/projects"));
        assertThat(roots.roots(SessionTool.CODEX)).containsExactly(elsewhere.resolve("codex/sessions"),
                elsewhere.resolve("codex/archived_sessions"));
        assertThat(roots.roots(SessionTool.GEMINI)).containsExactly(elsewhere.resolve(".gemini/tmp"));
        assertThat(new SessionRoots(home, Map.of()).roots(SessionTool.CLAUDE_CODE))
                .containsExactly(home.resolve(".config/claude/projects"), home.resolve(".claude/projects"));
    }
}
