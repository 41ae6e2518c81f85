package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.testing.LakeTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code agentlake report}: the ccusage reports, from the session files and from the lake. */
class ReportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass().emptiedBeforeEachTest();

    @TempDir
    Path home;

    static JsonNode json(Cli.Run run) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    static String counters(JsonNode totals) {
        return totals.get("inputTokens") + "/" + totals.get("cacheReadTokens") + "/" + totals.get("cacheCreationTokens")
                + "/" + totals.get("outputTokens") + "/" + totals.get("reasoningTokens");
    }

    @Test
    void givenTheRealSessionFilesWhenReportedDailyFromFilesThenEachToolHasTheFixtureTotals() throws Exception {
        FixtureHome.all(home);
        String[] expected = {"claude-code", "2450/8300/350/47/0", "codex", "552/3848/0/55/16", "gemini", "700/5400/0/58/30"};
        for (int i = 0; i < expected.length; i += 2) {
            JsonNode r = json(Cli.run("report", "daily", "--from-files", "--home", home.toString(), "--tool", expected[i],
                    "--tz", "UTC", "--json"));
            assertThat(r.get("groups")).hasSize(1);
            assertThat(r.get("groups").get(0).get("period").asText()).isEqualTo("2026-11-22");
            assertThat(counters(r.get("totals"))).as(expected[i]).isEqualTo(expected[i + 1]);
            assertThat(r.get("source").asText()).isEqualTo("files");
        }
        // Priced from the embedded price table, to the same dollars ccusage 20.0.24 shows for these files
        // (claude-opus-5-5, not in the table, is givenOnlyUnpricedCalls…'s).
        for (String[] cost : new String[][] {{"codex", "0.001721"}, {"gemini", "0.0011475"}}) {
            JsonNode t = json(Cli.run("report", "daily", "--from-files", "--home", home.toString(), "--tool", cost[0],
                    "--tz", "UTC", "--json")).get("totals");
            assertThat(t.get("totalCost").asDouble()).as(cost[0]).isCloseTo(Double.parseDouble(cost[1]),
                    org.assertj.core.data.Offset.offset(1e-12));
            assertThat(t.get("unpricedCalls").asInt()).as(cost[0]).isZero();
        }
        JsonNode all = json(Cli.run("report", "daily", "--from-files", "--home", home.toString(), "--tz", "UTC", "--json"));
        assertThat(counters(all.get("totals"))).isEqualTo("3702/17548/350/160/46");
        assertThat(all.get("groups").get(0).get("modelsUsed")).extracting(JsonNode::asText)
                .containsExactly("claude-opus-5-5", "gemini-3.8-flash", "gpt-5-codex");
        assertThat(all.get("totals").get("totalTokens").asLong()).isEqualTo(3702 + 17548 + 350 + 160);
    }

    @Test
    void givenASessionFileThatCannotBeReadWhenReportedOrExportedFromFilesThenTheRestIsShownItIsNamedAndTheExitSaysPartial()
            throws Exception {
        // Before: the first unreadable file stopped the report (exit 4) with no report at all.
        FixtureHome.all(home);
        JsonNode intact = JSON.readTree(Cli.run("export", "--from-files", "--home", home.toString(), "--output",
                home.resolve("intact").toString(), "--json").out()).get("manifest").get("rows");
        Path bad = home.resolve(".codex/archived_sessions/rollout-2026-11-23T08-00-00-0a0b0c0d.jsonl.zst");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "not zstd at all");

        Cli.Run report = Cli.run("report", "daily", "--from-files", "--home", home.toString(), "--tz", "UTC", "--json");

        assertThat(report.exitCode()).as(report.err()).isEqualTo(ExitCode.PARTIAL.code());
        assertThat(report.err()).isEqualTo("agentlake: warning: skipped " + bad
                + ": Unknown frame descriptor (left out of this report)\n");
        assertThat(counters(JSON.readTree(report.out()).get("totals"))).isEqualTo("3702/17548/350/160/46");

        Path bundle = home.resolve("bundle");
        Cli.Run export = Cli.run("export", "--from-files", "--home", home.toString(), "--output", bundle.toString(), "--json");

        assertThat(export.exitCode()).as(export.err()).isEqualTo(ExitCode.PARTIAL.code());
        assertThat(export.err()).isEqualTo("agentlake: warning: skipped " + bad
                + ": Unknown frame descriptor (left out of this bundle)\n");
        JsonNode rows = JSON.readTree(export.out()).get("manifest").get("rows");
        assertThat(rows.get("usage").asLong()).isEqualTo(6);
        assertThat(rows).isEqualTo(intact); // the same rows as before the unreadable file was there
    }

    @Test
    void givenTheDailyReportAsTextThenItsColumnsLineUpWhateverTheListOfModels() throws Exception {
        FixtureHome.all(home);

        Cli.Run run = Cli.run("report", "daily", "--from-files", "--home", home.toString(), "--tz", "UTC");

        assertThat(run.exitCode()).as(run.err()).isZero();
        java.util.List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(4); // header, the one day, totals, the unpriced-calls remark
        assertThat(lines.get(1).split(" +")).containsExactly("2026-11-22", "claude-opus-5-5,gemini-3.8-flash,gpt-5-codex",
                "3702", "160", "17548", "350", "21760", "0.0029");
        assertThat(lines.get(2).split(" +")).containsExactly("total", "3702", "160", "17548", "350", "21760", "0.0029");
        // Every number ends under the end of its heading.
        String header = lines.get(0);
        for (String heading : new String[] {"input", "output", "cache read", "cache write", "total tokens", "cost USD"}) {
            int end = header.indexOf(heading) + heading.length();
            for (String line : lines.subList(1, 3)) {
                assertThat(line.charAt(end - 1)).as(heading + " in: " + line).isNotEqualTo(' ');
                assertThat(end == line.length() || line.charAt(end) == ' ').as(heading + " in: " + line).isTrue();
            }
        }
        assertThat(lines.get(3)).isEqualTo("2 of 6 calls have no price yet (cost shown for priced calls only).");
    }

    @Test
    void givenOnlyUnpricedCallsInARowThenItsCostIsNullInJsonAndADashInTextNeverZero() throws Exception {
        // claude-opus-5-5 (the Claude fixture's two calls) is not in the embedded price table.
        FixtureHome.all(home);
        assertThat(Cli.run(s3, "import", "all", "--home", home.toString()).exitCode()).isZero();
        for (JsonNode report : new JsonNode[] {
                json(Cli.run("report", "daily", "--from-files", "--home", home.toString(), "--tool", "claude-code", "--tz", "UTC",
                        "--json")),
                json(Cli.run(s3, "report", "daily", "--tool", "claude-code", "--tz", "UTC", "--json"))}) {
            String source = report.get("source").asText();
            JsonNode day = report.get("groups").get(0);
            for (JsonNode totals : new JsonNode[] {report.get("totals"), day.get("totals"), day.get("modelBreakdowns").get("claude-opus-5-5")}) {
                assertThat(totals.has("totalCost")).as(source).isTrue();
                assertThat(totals.get("totalCost").isNull()).as(source + ": " + totals).isTrue();
                assertThat(totals.get("calls").asInt()).as(source).isEqualTo(2);
                assertThat(totals.get("unpricedCalls").asInt()).as(source).isEqualTo(2);
            }
        }
        // A row with priced and unpriced calls keeps the priced calls' sum; the unpriced model's breakdown has none.
        JsonNode all = json(Cli.run(s3, "report", "daily", "--tz", "UTC", "--json")).get("groups").get(0);
        assertThat(all.get("totals").get("totalCost").asDouble()).isCloseTo(0.001721 + 0.0011475, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(all.get("totals").get("unpricedCalls").asInt()).isEqualTo(2);
        assertThat(all.get("modelBreakdowns").get("claude-opus-5-5").get("totalCost").isNull()).isTrue();
        assertThat(all.get("modelBreakdowns").get("gpt-5-codex").get("totalCost").asDouble())
                .isCloseTo(0.001721, org.assertj.core.data.Offset.offset(1e-12));

        Cli.Run text = Cli.run(s3, "report", "daily", "--tool", "claude-code", "--tz", "UTC");
        assertThat(text.exitCode()).as(text.err()).isZero();
        java.util.List<String> lines = text.out().lines().toList();
        assertThat(lines.get(1).split(" +")).containsExactly("2026-11-22", "claude-opus-5-5", "2450", "47", "8300", "350", "11147", "-");
        assertThat(lines.get(2).split(" +")).containsExactly("total", "2450", "47", "8300", "350", "11147", "-");
        assertThat(lines.get(3)).isEqualTo("2 of 2 calls have no price yet (no cost shown).");
        assertThat(lines).hasSize(4);
    }

    @Test
    void givenATimeZoneThenDaysAreThatZonesDays() throws Exception {
        FixtureHome.all(home);

        JsonNode r = json(Cli.run("report", "daily", "--from-files", "--home", home.toString(), "--tz", "Pacific/Kiritimati",
                "--json"));

        assertThat(r.get("groups")).extracting(g -> g.get("period").asText()).containsExactly("2026-11-23");
        assertThat(r.get("timezone").asText()).isEqualTo("Pacific/Kiritimati");
    }

    @Test
    void givenTheRealSessionFilesThenWeeklyMonthlySessionAndBlockReportsGroupAsCcusageDoes() throws Exception {
        FixtureHome.all(home);
        String h = home.toString();

        JsonNode weekly = json(Cli.run("report", "weekly", "--from-files", "--home", h, "--tz", "UTC", "--json"));
        JsonNode monthly = json(Cli.run("report", "monthly", "--from-files", "--home", h, "--tz", "UTC", "--json"));
        JsonNode sessions = json(Cli.run("report", "session", "--from-files", "--home", h, "--tz", "UTC", "--json"));
        JsonNode blocks = json(Cli.run("report", "blocks", "--from-files", "--home", h, "--tz", "UTC", "--json"));

        assertThat(weekly.get("groups")).extracting(g -> g.get("period").asText()).containsExactly("2026-11-22"); // a Sunday
        assertThat(monthly.get("groups")).extracting(g -> g.get("period").asText()).containsExactly("2026-11");
        assertThat(sessions.get("groups")).extracting(g -> g.get("sessionId").asText() + " " + counters(g.get("totals")))
                .containsExactly("193b4fab-8599-4654-931d-65ef6669399e 2450/8300/350/47/0",
                        "01a2049f-6432-7c33-8918-e683cdac78b7 552/3848/0/55/16",
                        "ed945cd9-1ebc-4a4f-bb44-307bd1e34cea 700/5400/0/58/30");
        assertThat(sessions.get("groups").get(0).get("project").asText()).isEqualTo("/home/dev/sample/proj-claude-code-protobuf");
        assertThat(blocks.get("groups")).hasSize(1);
        JsonNode block = blocks.get("groups").get(0);
        assertThat(block.get("period").asText()).isEqualTo("2026-11-22T18:00:00Z");
        assertThat(block.get("endTime").asText()).isEqualTo("2026-11-22T23:00:00Z");
        assertThat(block.get("totals").get("calls").asInt()).isEqualTo(6);
    }

    @Test
    void givenAWindowThatStartsInsideABlockThenBlocksAreFoundOverAllCallsAndThoseStartingInTheWindowShownAsCcusageDoes()
            throws Exception {
        // New York's 2026-03-08 is 05:00Z to 04:00Z the next day. The calls at 04:30Z and 05:30Z share the block of
        // 04:00Z, which starts on the 7th there; 09:10Z opens the block of 09:00Z; 03:30Z opens the block of 03:00Z, the
        // 8th's last, which holds the call of 04:30Z on the 9th too.
        Path file = home.resolve(".claude/projects/-home-dev-ny/0c0c0c0c-0000-4000-8000-000000000000.jsonl");
        Files.createDirectories(file.getParent());
        var lines = new StringBuilder();
        String[] times = {"2026-03-08T04:30:00", "2026-03-08T05:30:00", "2026-03-08T09:10:00", "2026-03-09T03:30:00",
                "2026-03-09T04:30:00"};
        for (int i = 0; i < times.length; i++) {
            lines.append(ImportCommandTest.claudeCall("msg_ny" + i, "req_ny" + i, 1L << i, 1, 0, 0, 0, 0)
                    .replace("2026-11-22T19:00:00", times[i])).append('\n');
        }
        Files.writeString(file, lines);
        assertThat(Cli.run(s3, "import", "claude-code", "--home", home.toString()).exitCode()).isZero();
        String[] window = {"report", "blocks", "--from", "2026-03-08", "--to", "2026-03-08", "--tz", "America/New_York", "--json"};

        for (JsonNode r : new JsonNode[] {json(Cli.run(s3, window)),
                json(Cli.run(concat(window, "--from-files", "--home", home.toString())))}) {
            // Before: the window's calls alone made a block of 05:00Z to 10:00Z (05:30Z, 09:10Z) that was never one.
            assertThat(r.get("groups")).as(r.get("source").asText())
                    .extracting(g -> g.get("period").asText() + "/" + g.get("totals").get("inputTokens").asLong())
                    .containsExactly("2026-03-08T09:00:00Z/4", "2026-03-09T03:00:00Z/24");
            assertThat(r.get("totals").get("inputTokens").asLong()).isEqualTo(28);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void givenAPriceFileAsServeAndTheCompactorTakeItThenReportsFromFilesAndFromTheLakePriceWithIt() throws Exception {
        // claude-opus-5-5 is not in the embedded table; the user's file prices it (USD per token).
        Path prices = home.resolve("prices.json");
        Files.writeString(prices, "{\"claude-opus-5-5\": {\"input_cost_per_token\": 5e-06, \"output_cost_per_token\": 2.5e-05,"
                + " \"cache_read_input_token_cost\": 5e-07, \"cache_creation_input_token_cost\": 6.25e-06}}");
        FixtureHome.all(home);
        // The fixture's two calls: 2450 input, 47 output, 8300 cache read, 350 cache write (5 minutes).
        double expected = 2450 * 5e-06 + 47 * 2.5e-05 + 8300 * 5e-07 + 350 * 6.25e-06;
        System.setProperty("agentlake.pricing.file", prices.toString());
        try {
            assertThat(Cli.run(s3, "import", "all", "--home", home.toString()).exitCode()).isZero();
            for (JsonNode report : new JsonNode[] {
                    json(Cli.run("report", "daily", "--from-files", "--home", home.toString(), "--tool", "claude-code",
                            "--tz", "UTC", "--json")),
                    json(Cli.run(s3, "report", "daily", "--tool", "claude-code", "--tz", "UTC", "--json"))}) {
                assertThat(report.get("totals").get("totalCost").asDouble()).as(report.get("source").asText())
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
                assertThat(report.get("totals").get("unpricedCalls").asInt()).as(report.get("source").asText()).isZero();
            }
        } finally {
            System.clearProperty("agentlake.pricing.file");
        }
    }

    @Test
    void givenAnImportedLakeThenTheLakeReportEqualsTheFilesReportEvenAfterAFileWasReadTwice() throws Exception {
        FixtureHome.all(home);
        assertThat(Cli.run(s3, "import", "all", "--home", home.toString()).exitCode()).isZero();
        Path claude = home.resolve(FixtureHome.CLAUDE_FILE);
        Files.writeString(claude, Files.readString(claude).replace("\"content\":\"say hi\"", "\"content\":\"say ho\""));
        Files.writeString(claude, ImportCommandTest.claudeCall("msg_new1", "req_new1", 100, 7, 1000, 20, 0, 20) + "\n",
                StandardOpenOption.APPEND);
        assertThat(Cli.run(s3, "import", "all", "--home", home.toString()).exitCode()).isZero(); // read again from 0

        JsonNode lake = json(Cli.run(s3, "report", "session", "--tz", "UTC", "--json"));
        JsonNode files = json(Cli.run("report", "session", "--from-files", "--home", home.toString(), "--tz", "UTC", "--json"));

        assertThat(lake.get("source").asText()).isEqualTo("lake");
        assertThat(lake.get("groups")).isEqualTo(files.get("groups"));
        // The appended call made the Claude session the most recent: it is listed last.
        assertThat(lake.get("groups").get(2).get("sessionId").asText()).isEqualTo("193b4fab-8599-4654-931d-65ef6669399e");
        assertThat(counters(lake.get("groups").get(2).get("totals"))).isEqualTo("2550/9300/370/54/0");
        assertThat(lake.get("totals").get("calls").asInt()).isEqualTo(7);
    }

    @Test
    void givenAnUnknownReportThenItIsAUsageErrorWithTheChoices() {
        Cli.Run run = Cli.run("report", "hourly", "--from-files", "--home", home.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).contains("unknown report 'hourly' (expected daily, weekly, monthly, session or blocks)");
    }
}
