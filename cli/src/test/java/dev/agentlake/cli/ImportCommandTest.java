package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import dev.agentlake.lake.testing.LakeSql;
import dev.agentlake.lake.testing.LakeTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code agentlake import} end to end: the real CLIs' session files into a real S3 server. */
class ImportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass().emptiedBeforeEachTest();

    @TempDir
    Path home;

    /** Usage totals per tool over distinct calls, as every reader of the lake counts them. */
    static List<Map<String, Object>> totals() {
        return LakeSql.query(s3.store(), "landing/usage/", """
                select tool, count(*) as calls, sum(input_tokens) as input, sum(cache_read_tokens) as cache_read,
                       sum(cache_write_tokens) as cache_write, sum(output_tokens) as output,
                       sum(reasoning_tokens) as reasoning
                from (select distinct on (call_id) * from t order by call_id, output_tokens desc)
                group by tool order by tool""");
    }

    static Map<String, Object> row(String tool, long calls, long input, long cacheRead, long cacheWrite, long output,
                                   long reasoning) {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("tool", tool);
        m.put("calls", calls);
        m.put("input", java.math.BigInteger.valueOf(input));
        m.put("cache_read", java.math.BigInteger.valueOf(cacheRead));
        m.put("cache_write", java.math.BigInteger.valueOf(cacheWrite));
        m.put("output", java.math.BigInteger.valueOf(output));
        m.put("reasoning", java.math.BigInteger.valueOf(reasoning));
        return m;
    }

    static JsonNode summary(Cli.Run run, String tool) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        for (JsonNode s : JSON.readTree(run.out()).get("imports")) {
            if (s.get("tool").asText().equals(tool)) {
                return s;
            }
        }
        throw new AssertionError("no summary for " + tool + " in " + run.out());
    }

    @Test
    void givenTheRealSessionFilesWhenImportedThenUsageHasTheFixtureTotalsInOneTokenConvention() throws Exception {
        FixtureHome.all(home);

        Cli.Run run = Cli.run(s3, "import", "all", "--home", home.toString(), "--json");

        assertThat(summary(run, "claude-code").get("usage_lines").asLong()).isEqualTo(3); // 2 calls, one streamed twice
        assertThat(totals()).containsExactly(
                row("claude-code", 2, 2450, 8300, 350, 47, 0),
                row("codex", 2, 552, 3848, 0, 55, 16),
                row("gemini-cli", 2, 700, 5400, 0, 58, 30));
        assertThat(LakeSql.query(s3.store(), "landing/usage/",
                "select call_id, source, dt::varchar as dt, session_id from t order by timestamp")).extracting(r -> r.get("call_id"))
                .containsExactly("req_fake97def3377c8a458181a1e206", "req_fake77bfbf40594b4efb95521fcb",
                        "resp_fakea76da3d6dcbc4a65af99a856", "resp_fakefac4e8c1698843c0adcbdc0e",
                        "a3c8bff9-a769-47fb-8555-ac20b9ffc789", "f2493527-240f-46ce-8678-1098f20f4edc");
        assertThat(LakeSql.query(s3.store(), "landing/usage/",
                "select distinct source, dt::varchar as dt from t")).containsExactly(Map.of("source", "import", "dt", "2026-11-22"));
        assertThat(s3.keys()).filteredOn(k -> k.startsWith("_state/import/")).hasSize(3);
    }

    @Test
    void givenTheRealSessionFilesWhenImportedThenPromptsAnswersToolUsesAndResultsAreLogRows() {
        FixtureHome.all(home);

        assertThat(Cli.run(s3, "import", "all", "--home", home.toString()).exitCode()).isZero();

        assertThat(LakeSql.query(s3.store(), "landing/logs/", """
                select tool, event_name, count(*) as n from t where source = 'import'
                group by all order by tool, event_name""")).extracting(r -> r.get("tool") + " " + r.get("event_name") + " " + r.get("n"))
                .containsExactly(
                        "claude-code assistant_response 2", "claude-code tool_result 1", "claude-code tool_use 1",
                        "claude-code user_prompt 1",
                        "codex assistant_response 1", "codex tool_result 1", "codex tool_use 1", "codex user_prompt 1",
                        "gemini-cli assistant_response 1", "gemini-cli tool_result 1", "gemini-cli tool_use 1",
                        "gemini-cli user_prompt 1");
        assertThat(LakeSql.query(s3.store(), "landing/logs/", """
                select tool, body, session_id from t where event_name = 'user_prompt' order by tool"""))
                .extracting(r -> r.get("tool") + "|" + r.get("body") + "|" + r.get("session_id"))
                .containsExactly("claude-code|say hi|193b4fab-8599-4654-931d-65ef6669399e",
                        "codex|say hi|01a2049f-6432-7c33-8918-e683cdac78b7",
                        "gemini-cli|say hi|ed945cd9-1ebc-4a4f-bb44-307bd1e34cea");
        assertThat(LakeSql.query(s3.store(), "landing/logs/", """
                select tool, tool_name, success from t where event_name in ('tool_use', 'tool_result') order by tool, event_name"""))
                .extracting(r -> r.get("tool") + "|" + r.get("tool_name") + "|" + r.get("success"))
                .containsExactly("claude-code|Bash|true", "claude-code|Bash|null", "codex|exec_command|null",
                        "codex|exec_command|null", "gemini-cli|read_file|true", "gemini-cli|read_file|null");
    }

    @Test
    void givenAnImportedLakeWhenImportedAgainThenNothingIsReadAndNothingWritten() throws Exception {
        FixtureHome.all(home);
        assertThat(Cli.run(s3, "import", "all", "--home", home.toString()).exitCode()).isZero();
        List<String> before = s3.keys();

        Cli.Run again = Cli.run(s3, "import", "all", "--home", home.toString(), "--json");

        for (String tool : new String[] {"claude-code", "codex", "gemini"}) {
            JsonNode s = summary(again, tool);
            assertThat(s.get("files_unchanged").asInt()).isEqualTo(1);
            assertThat(s.get("bytes_read").asLong()).isZero();
            assertThat(s.get("landing_files").asInt()).isZero();
        }
        assertThat(s3.keys()).isEqualTo(before);
    }

    @Test
    void givenAnAppendedSessionFileWhenImportedAgainThenOnlyTheNewCallIsReadAndAdded() throws Exception {
        FixtureHome.copy(home, "claude-code");
        Path file = home.resolve(FixtureHome.CLAUDE_FILE);
        assertThat(Cli.run(s3, "import", "claude-code", "--home", home.toString()).exitCode()).isZero();
        long size = Files.size(file);
        Files.writeString(file, claudeCall("msg_new1", "req_new1", 100, 7, 1000, 20, 0, 20) + "\n",
                StandardOpenOption.APPEND);

        JsonNode s = summary(Cli.run(s3, "import", "claude-code", "--home", home.toString(), "--json"), "claude-code");

        assertThat(s.get("files_appended").asInt()).isEqualTo(1);
        assertThat(s.get("bytes_read").asLong()).isEqualTo(Files.size(file) - size);
        assertThat(s.get("calls").asInt()).isEqualTo(1);
        assertThat(totals()).containsExactly(row("claude-code", 3, 2550, 9300, 370, 54, 0));
    }

    @Test
    void givenAFileChangedBeforeItsOffsetWhenImportedAgainThenItIsReadAgainWithoutCountingTwice() throws Exception {
        FixtureHome.copy(home, "claude-code");
        Path file = home.resolve(FixtureHome.CLAUDE_FILE);
        assertThat(Cli.run(s3, "import", "claude-code", "--home", home.toString()).exitCode()).isZero();
        // The same number of bytes, changed in the middle: only the digest can tell.
        Files.writeString(file, Files.readString(file).replace("\"content\":\"say hi\"", "\"content\":\"say ho\""));

        JsonNode s = summary(Cli.run(s3, "import", "claude-code", "--home", home.toString(), "--json"), "claude-code");

        assertThat(s.get("files_read").asInt()).isEqualTo(1);
        assertThat(s.get("files_appended").asInt()).isZero();
        assertThat(s.get("calls").asInt()).isEqualTo(2);
        assertThat(totals()).containsExactly(row("claude-code", 2, 2450, 8300, 350, 47, 0));
        assertThat(LakeSql.query(s3.store(), "landing/logs/",
                "select distinct body from t where event_name = 'user_prompt' order by body"))
                .extracting(r -> r.get("body")).containsExactly("say hi", "say ho");
    }

    @Test
    void givenBookkeepingFromBeforeTheFingerprintWhenAnAppendedFileIsImportedThenItIsReadAgainWithoutCountingTwice()
            throws Exception {
        FixtureHome.copy(home, "claude-code");
        Path file = home.resolve(FixtureHome.CLAUDE_FILE);
        assertThat(Cli.run(s3, "import", "claude-code", "--home", home.toString()).exitCode()).isZero();
        // What an earlier version wrote: the consumed bytes' SHA-256 under another name, no fingerprint.
        String stateKey = s3.keys().stream().filter(k -> k.startsWith("_state/import/") && k.endsWith("/claude-code.json"))
                .findFirst().orElseThrow();
        String state = new String(s3.store().get(stateKey).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(state).contains("\"prefix_fingerprint\"");
        s3.store().put(stateKey, utf8(state.replaceAll("\"prefix_fingerprint\"\\s*:\\s*\"[0-9a-f]{16}\"",
                "\"prefix_sha256\":\"" + "ab".repeat(32) + "\"")));
        Files.writeString(file, claudeCall("msg_new1", "req_new1", 100, 7, 1000, 20, 0, 20) + "\n",
                StandardOpenOption.APPEND);

        JsonNode s = summary(Cli.run(s3, "import", "claude-code", "--home", home.toString(), "--json"), "claude-code");

        assertThat(s.get("files_read").asInt()).isEqualTo(1);
        assertThat(s.get("files_appended").asInt()).isZero();
        assertThat(s.get("calls").asInt()).isEqualTo(3);
        assertThat(totals()).containsExactly(row("claude-code", 3, 2550, 9300, 370, 54, 0));
    }

    @Test
    void givenADryRunThenTheCountsArePrintedAndNothingIsWritten() throws Exception {
        FixtureHome.all(home);

        Cli.Run run = Cli.run(s3, "import", "all", "--home", home.toString(), "--dry-run", "--json");

        JsonNode claude = summary(run, "claude-code");
        assertThat(claude.get("calls").asInt()).isEqualTo(2);
        assertThat(claude.get("tokens").get("cache_write").asLong()).isEqualTo(350);
        assertThat(claude.get("dry_run").asBoolean()).isTrue();
        assertThat(s3.keys()).isEmpty();
    }

    @Test
    void givenATimeWindowThenOnlyRecordsInsideAreImportedAndTheBookkeepingIsLeftAlone() throws Exception {
        FixtureHome.all(home);

        Cli.Run run = Cli.run(s3, "import", "all", "--home", home.toString(), "--json",
                "--from", "2026-11-22T18:58:00Z", "--to", "2026-11-22T18:59:00Z");

        assertThat(summary(run, "claude-code").get("calls").asInt()).isZero();
        assertThat(summary(run, "codex").get("calls").asInt()).isEqualTo(2);
        assertThat(summary(run, "gemini").get("calls").asInt()).isZero();
        assertThat(s3.keys()).noneMatch(k -> k.startsWith("_state/"));
    }

    @Test
    void givenPurgeWithoutYesAndNoTerminalThenItRefusesWithAUsageError() {
        FixtureHome.all(home);

        Cli.Run run = Cli.run(s3, "import", "all", "--home", home.toString(), "--purge");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).contains("add --yes");
        assertThat(s3.keys()).isEmpty();
    }

    @Test
    void givenPurgeWithYesThenEarlierImportedLandingFilesAreReplaced() throws Exception {
        FixtureHome.copy(home, "claude-code");
        assertThat(Cli.run(s3, "import", "claude-code", "--home", home.toString()).exitCode()).isZero();
        Path file = home.resolve(FixtureHome.CLAUDE_FILE);
        Files.writeString(file, Files.readString(file).replace("\"content\":\"say hi\"", "\"content\":\"say ho\""));

        JsonNode s = summary(Cli.run(s3, "import", "claude-code", "--home", home.toString(), "--purge", "--yes", "--json"),
                "claude-code");

        assertThat(s.get("purged_files").asInt()).isEqualTo(2);
        assertThat(LakeSql.query(s3.store(), "landing/logs/",
                "select distinct body from t where event_name = 'user_prompt'"))
                .extracting(r -> r.get("body")).containsExactly("say ho");
        assertThat(totals()).containsExactly(row("claude-code", 2, 2450, 8300, 350, 47, 0));
    }

    @Test
    void givenAnArchivedZstdCompressedCodexRolloutThenItCountsLikeThePlainFile() throws Exception {
        FixtureHome.copy(home, "codex");
        Path plain = home.resolve(FixtureHome.CODEX_FILE);
        Path archived = home.resolve(".codex/archived_sessions/" + plain.getFileName() + ".zst");
        Files.createDirectories(archived.getParent());
        Files.write(archived, Zstd.compress(Files.readAllBytes(plain)));
        Files.delete(plain);

        Cli.Run run = Cli.run(s3, "import", "codex", "--home", home.toString(), "--json");

        assertThat(summary(run, "codex").get("files_found").asInt()).isEqualTo(1);
        assertThat(totals()).containsExactly(row("codex", 2, 552, 3848, 0, 55, 16));
    }

    @Test
    void givenOneSessionFileThatCannotBeReadThenTheOthersAreImportedItIsNamedOnStderrAndItIsTriedAgainNextRun()
            throws Exception {
        // Before: the first unreadable file aborted the whole import (exit 4), after transcript rows of
        // other files were already stored and without bookkeeping for any of them.
        FixtureHome.all(home);
        Path bad = home.resolve(".codex/archived_sessions/rollout-2026-11-23T08-00-00-0a0b0c0d.jsonl.zst");
        Files.createDirectories(bad.getParent());
        Files.write(bad, utf8("not zstd at all"));
        String warning = "agentlake: warning: skipped " + bad + ": " + BAD_ZSTD + " (tried again next run)\n";

        Cli.Run first = Cli.run(s3, "import", "all", "--home", home.toString(), "--json");

        assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCode.PARTIAL.code()).isEqualTo(5);
        assertThat(first.err()).isEqualTo(warning);
        JsonNode codex = null;
        for (JsonNode s : JSON.readTree(first.out()).get("imports")) {
            assertThat(s.get("files_failed").asInt()).as(s.get("tool").asText()).isEqualTo(s.get("tool").asText().equals("codex") ? 1 : 0);
            codex = s.get("tool").asText().equals("codex") ? s : codex;
        }
        assertThat(codex.get("files_found").asInt()).isEqualTo(2);
        assertThat(codex.get("files_read").asInt()).isEqualTo(1);
        assertThat(codex.get("calls").asInt()).isEqualTo(2);
        assertThat(codex.get("failures").toString()).isEqualTo("[{\"file\":\"" + bad + "\",\"reason\":\"" + BAD_ZSTD + "\"}]");
        assertThat(totals()).hasSize(3).contains(row("claude-code", 2, 2450, 8300, 350, 47, 0),
                row("codex", 2, 552, 3848, 0, 55, 16));

        Cli.Run second = Cli.run(s3, "import", "codex", "--home", home.toString());
        assertThat(second.exitCode()).isEqualTo(ExitCode.PARTIAL.code());
        assertThat(second.err()).isEqualTo(warning);
        assertThat(second.out()).startsWith("codex: 2 files (1 unchanged, 0 appended, 0 read), 0 calls")
                .endsWith("  1 files failed: could not be read, skipped (tried again next run)\n");

        // Repaired (the archived copy of the same session): read now, counted once.
        Files.write(bad, Zstd.compress(Files.readAllBytes(home.resolve(FixtureHome.CODEX_FILE))));
        Cli.Run third = Cli.run(s3, "import", "codex", "--home", home.toString(), "--json");
        JsonNode repaired = summary(third, "codex");
        assertThat(third.err()).isEmpty();
        assertThat(repaired.get("files_read").asInt()).isEqualTo(1);
        assertThat(repaired.get("files_failed").asInt()).isZero();
        assertThat(totals()).contains(row("codex", 2, 552, 3848, 0, 55, 16));
    }

    private static final String BAD_ZSTD = "Unknown frame descriptor";

    /** An assistant line as Claude Code 2.1.330 writes it. */
    static String claudeCall(String messageId, String requestId, long input, long output, long cacheRead,
                             long cacheWrite, long cacheWrite1h, long cacheWrite5m) {
        return "{\"parentUuid\":null,\"isSidechain\":false,\"message\":{\"id\":\"" + messageId + "\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-opus-5-5\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],"
                + "\"usage\":{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":" + cacheWrite
                + ",\"cache_read_input_tokens\":" + cacheRead + ",\"output_tokens\":" + output
                + ",\"cache_creation\":{\"ephemeral_1h_input_tokens\":" + cacheWrite1h + ",\"ephemeral_5m_input_tokens\":"
                + cacheWrite5m + "}}},\"requestId\":\"" + requestId + "\",\"type\":\"assistant\",\"uuid\":\"u-" + messageId
                + "\",\"timestamp\":\"2026-11-22T19:00:00.000Z\",\"cwd\":\"/home/dev/sample/proj\","
                + "\"sessionId\":\"193b4fab-8599-4654-931d-65ef6669399e\",\"version\":\"2.1.330\"}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
