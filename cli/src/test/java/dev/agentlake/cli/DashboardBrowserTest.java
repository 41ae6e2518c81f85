package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import dev.agentlake.lake.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * The dashboard in real headless Chromium against {@code agentlake serve} with the real client
 * captures ingested: one run each of Claude Code, Codex CLI and Gemini CLI. Each view is opened,
 * its numbers are checked against the fixtures' expected usage (shared/fixtures/README.md), and a
 * screenshot lands in {@code target/screenshots/}. One server and one browser serve the whole class;
 * the nested token-prompt tests add a second query server with {@code agentlake.query.tokens} over
 * the same lake.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("agentlake.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("agentlake.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AWAIT = Duration.ofSeconds(90);

    /** The captures were made on 2026-11-22 (UTC); an absolute range keeps the page the same any day. */
    private static final String DAY = "from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z&tz=UTC";
    private static final String CLAUDE_SESSION = "193b4fab-8599-4654-931d-65ef6669399e";
    /** One capture per CLI (the JSON twins are the same kind of run and would double the totals). */
    private static final List<String> RUNS = List.of("claude-code-protobuf", "codex-binary", "gemini");

    @TempDir
    static Path dataDir;
    static LocalServer server;
    static ChromeDriver browser;
    static String base;

    @BeforeAll
    static void startServerIngestCapturesAndOpenBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install chromium chromium-driver");
        }
        LocalLake lake = LocalLake.embedded(dataDir.resolve("s3"), "agentlake");
        server = LocalServer.start(lake, "127.0.0.1", 0, 0, dataDir.resolve("cache").toString());
        base = "http://127.0.0.1:" + server.httpPort() + "/";
        for (String run : RUNS) {
            postCapture(run);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=" + Files.createDirectories(dataDir.resolve("chromium-profile")),
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--window-size=1440,960", "--lang=en-US");
        // The driver's start is given as long as the page's waits (Selenium's default is 20 s).
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withTimeout(AWAIT).build(), options);
        Files.createDirectories(SCREENSHOTS);
        open("#/overview?" + DAY);
        lightTheme();
    }

    /** Screenshots in the light theme whatever the machine prefers; one test switches to dark and back. */
    private static void lightTheme() {
        ((JavascriptExecutor) browser).executeScript("localStorage.setItem('agentlake.theme', 'light');"
                + " document.documentElement.dataset.theme = 'light';");
    }

    /** Posts each captured request body of a run to the ingest port exactly as the CLI sent it. */
    private static void postCapture(String run) throws Exception {
        for (int seq = 1; seq <= 9; seq++) {
            String prefix = "otlp/" + run + "/000" + seq + "-";
            String meta = findMeta(run, seq);
            if (meta == null) {
                return;
            }
            JsonNode m = JSON.readTree(Fixtures.text(prefix + meta + ".json"));
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.ingestPort() + m.get("path").asText()))
                    .header("Content-Type", m.get("content_type").asText())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes(prefix + meta + ".bin")));
            if (m.hasNonNull("content_encoding")) {
                request.header("Content-Encoding", m.get("content_encoding").asText());
            }
            var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(run + " " + meta + ": " + response.body()).isEqualTo(200);
        }
    }

    private static String findMeta(String run, int seq) {
        for (String tool : List.of("claude-code", "codex", "gemini")) {
            for (String signal : List.of("logs", "traces", "metrics")) {
                String name = tool + "-" + signal;
                try {
                    Fixtures.bytes("otlp/" + run + "/000" + seq + "-" + name + ".json");
                    return name;
                } catch (IllegalArgumentException absent) {
                    // try the next name
                }
            }
        }
        return null;
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
            server.lake().close();
        }
    }

    // ------------------------------------------------------------------ views

    @Test
    void givenTheCapturesWhenTheLogsViewIsFilteredToTheClaudeSessionThenItListsItsTwelveRecords() {
        open("#/logs?" + DAY + "&session=" + CLAUDE_SESSION);
        await("12 records", () -> text(By.cssSelector("[data-testid=logs-count]")).equals("12 records"));

        List<WebElement> rows = browser.findElements(By.cssSelector("[data-testid=logs-table] tbody tr"));
        assertThat(rows).hasSize(12);
        assertThat(browser.findElements(By.cssSelector("[data-testid=logs-table] td[data-col=session] a")))
                .hasSize(12)
                .allSatisfy(a -> assertThat(a.getAttribute("href")).contains("#/sessions/" + CLAUDE_SESSION + "?"));
        assertThat(rows.get(0).getText()).contains("claude-code");
        screenshot("logs");

        // A click opens the record's attributes: the tool call the assistant made.
        rows.stream().filter(r -> r.getText().contains("tool_result")).findFirst().orElseThrow().click();
        await("attributes", () -> text(By.cssSelector("tr.detail")).contains("\"tool_name\": \"Bash\""));
    }

    @Test
    void givenAllThreeToolsWhenTheLogsViewIsUnfilteredThenEveryToolAppearsAndTheToolFilterNarrowsIt() {
        open("#/logs?" + DAY);
        await("records", () -> !browser.findElements(By.cssSelector("[data-testid=logs-table] tbody tr")).isEmpty());
        String all = text(By.cssSelector("[data-testid=logs-table] tbody"));
        assertThat(all).contains("claude-code", "codex", "gemini-cli");

        open("#/logs?" + DAY + "&tool=gemini-cli");
        await("gemini only", () -> {
            List<WebElement> tools = browser.findElements(By.cssSelector("[data-testid=logs-table] tbody td .tool"));
            return !tools.isEmpty() && tools.stream().allMatch(t -> t.getText().equals("gemini-cli"));
        });
    }

    @Test
    void givenTheClaudeSessionWhenClickedInTheSessionsListThenItsTimelineShowsPromptModelCallsAndTheBashToolCall() {
        open("#/sessions?" + DAY);
        await("three sessions", () -> browser.findElements(By.cssSelector("[data-testid=sessions-table] tbody tr")).size() == 3);
        assertThat(text(By.cssSelector("[data-testid=sessions-count]"))).isEqualTo("3 sessions");
        WebElement listed = rowContaining("sessions-table", CLAUDE_SESSION);
        assertThat(cell(listed, "tool")).isEqualTo("claude-code");
        assertThat(cell(listed, "prompts")).isEqualTo("1");
        assertThat(cell(listed, "calls")).isEqualTo("2");
        assertThat(cell(listed, "tool_calls")).isEqualTo("1");
        assertThat(cell(listed, "input_tokens")).isEqualTo("2,450");
        assertThat(cell(listed, "cost_usd")).isEqualTo("$0.0142"); // 0.01415: two calls of claude-opus-5-5, as reported
        assertThat(cell(rowContaining("sessions-table", "codex"), "input_tokens")).isEqualTo("552");
        assertThat(cell(rowContaining("sessions-table", "gemini-cli"), "input_tokens")).isEqualTo("820");
        screenshot("sessions");

        listed.click();
        await("timeline", () -> browser.findElements(By.cssSelector("[data-testid=session-timeline] li")).size() == 5);
        assertThat(browser.getCurrentUrl()).contains("#/sessions/" + CLAUDE_SESSION);

        List<String> kinds = browser.findElements(By.cssSelector("[data-testid=session-timeline] li")).stream()
                .map(li -> li.getAttribute("data-kind")).toList();
        assertThat(kinds).containsExactly("prompt", "model_call", "tool_decision", "tool_result", "model_call");
        List<WebElement> items = browser.findElements(By.cssSelector("[data-testid=session-timeline] li .tl-main"));
        assertThat(items.get(0).getText()).isEqualTo("say hi");
        // The two model calls of the run: 1,200 and 1,250 fresh input tokens, with their reported cost.
        assertThat(items.get(1).getText()).isEqualTo("claude-opus-5-5 · in 1,200 · out 35 · cache read 4,000 · cache write 300 $0.0078 · 278 ms");
        assertThat(items.get(2).getText()).isEqualTo("Bash accept (config)");
        assertThat(items.get(3).getText()).isEqualTo("Bash ok · 32 ms");
        assertThat(items.get(4).getText()).isEqualTo("claude-opus-5-5 · in 1,250 · out 12 · cache read 4,300 · cache write 50 $0.0064 · 209 ms");
        assertThat(text(By.cssSelector("[data-testid=session-tokens]"))).contains("11.1k").contains("in 2,450 · out 47");
        assertThat(text(By.cssSelector("[data-testid=session-cache]"))).contains("8,300 read").contains("350 written");
        assertThat(text(By.cssSelector("[data-testid=session-calls]"))).contains("1 prompt · 1 tool call");
        // Claude Code logs its calls in the lake's convention already: the calls add up to the totals.
        assertThat(browser.findElements(By.cssSelector("[data-testid=timeline-convention]"))).isEmpty();
        // Beside it, the session's trace: the interaction, two model requests and the tool call.
        await("session waterfall", () -> browser.findElements(By.cssSelector("[data-testid=session-waterfall] [data-span]")).size() == 6);
        fullPageScreenshot("session");
    }

    @Test
    void givenTheCapturesWhenTheOverviewOpensThenTheByToolTableShowsTheThreeToolsAndClaudeCodesInputTokens() {
        open("#/overview?" + DAY);
        await("three tools", () -> browser.findElements(By.cssSelector("[data-testid=usage-by-tool] tbody tr")).size() == 3);
        assertThat(browser.findElements(By.cssSelector("[data-testid=usage-by-tool] tbody tr")))
                .extracting(r -> r.findElements(By.tagName("td")).get(0).getText())
                .containsExactly("claude-code", "codex", "gemini-cli"); // by cost, highest first
        assertThat(tokenCells("usage-by-tool", "claude-code", false)).containsExactly("2,450", "8,300", "350", "47");
        assertThat(tokenCells("usage-by-tool", "codex", false)).containsExactly("552", "3,848", "0", "55");
        assertThat(tokenCells("usage-by-tool", "gemini-cli", false)).containsExactly("820", "5,400", "0", "73");

        assertThat(text(By.cssSelector("[data-testid=tokens-by-kind]"))).isEqualTo(String.join("\n",
                "Input (fresh)", "3,822", "Output", "175", "Cache read", "17,548", "Cache write", "350", "Reasoning (part of output)", "51"));
        await("session figures", () -> text(By.cssSelector("[data-testid=stat-sessions]")).contains("3\n3 prompts"));
        assertThat(text(By.cssSelector("[data-testid=stat-tool-success]"))).contains("100%").contains("3 tool calls");
        assertThat(text(By.cssSelector("[data-testid=stat-api-errors]"))).contains("0%").contains("0 errors in 7 requests");
        // Call durations 26, 31, 191, 209 and 278 ms (Codex reports none): p50 191 ms, p95 264.2 ms.
        await("latency", () -> text(By.cssSelector("[data-testid=stat-latency]")).contains("191 ms"));
        assertThat(text(By.cssSelector("[data-testid=stat-latency]"))).contains("p95 264 ms");
        assertThat(text(By.cssSelector("[data-testid=user-facing]"))).contains("Claude Code: 2 user-facing of 2 model calls")
                .contains("1 of 7 calls were routing calls");
        assertThat(text(By.cssSelector("[data-testid=range-tokens]"))).contains("21.9k").contains("7 model calls");
        await("lake figures", () -> text(By.cssSelector("[data-testid=lake-stats]")).contains("model calls"));
        fullPageScreenshot("overview");
    }

    @Test
    void givenTheCapturesWhenTheUsageReportGroupsByToolThenEachToolHasTheFixturesTokens() {
        open("#/usage?" + DAY + "&group=tool");
        await("three tools", () -> browser.findElements(By.cssSelector("[data-testid=usage-table] tbody tr")).size() == 3);
        // input, cache read, cache write, output, reasoning: the lake's one convention.
        assertThat(tokenCells("usage-table", "claude-code", true)).containsExactly("2,450", "8,300", "350", "47", "0");
        assertThat(tokenCells("usage-table", "codex", true)).containsExactly("552", "3,848", "0", "55", "16");
        assertThat(tokenCells("usage-table", "gemini-cli", true)).containsExactly("820", "5,400", "0", "73", "35");
        assertThat(text(By.cssSelector("[data-testid=usage-totals]"))).isEqualTo("Total 7 3,822 175 350 17,548 51 21,895 $0.0171");
        screenshot("usage");

        open("#/usage?" + DAY + "&group=day");
        await("daily row", () -> text(By.cssSelector("[data-testid=usage-table] tbody")).startsWith("2026-11-22 7 3,822 175 350 17,548 51 21,895"));

        open("#/usage?" + DAY + "&group=blocks");
        await("one 5-hour block", () -> browser.findElements(By.cssSelector("[data-testid=usage-table] tbody tr")).size() == 1);
        WebElement block = browser.findElement(By.cssSelector("[data-testid=usage-table] tbody tr"));
        assertThat(cell(block, "start")).startsWith("2026-11-22 18:00:00"); // "active" follows while the block runs
        assertThat(cell(block, "end")).isEqualTo("2026-11-22 23:00:00");
        assertThat(cell(block, "models")).isEqualTo("claude-opus-5-5, gemini-3.5-flash-lite, gemini-3.8-flash, gpt-5-codex");
        assertThat(block.getText()).endsWith("7 3,822 175 350 17,548 51 21,895 $0.0171");
    }

    @Test
    void givenTheCapturesWhenTheClaudeTraceIsOpenedThenItsWaterfallShowsTheSpanTree() {
        open("#/traces?" + DAY + "&tool=claude-code");
        await("one Claude trace", () -> browser.findElements(By.cssSelector("[data-testid=traces-table] tbody tr")).size() == 1);
        WebElement trace = rowContaining("traces-table", "claude_code.interaction");
        assertThat(cell(trace, "spans")).isEqualTo("6");
        assertThat(cell(trace, "duration_ms")).isEqualTo("672 ms");
        trace.click();
        await("waterfall", () -> browser.findElements(By.cssSelector("[data-testid=trace-waterfall] [data-span]")).size() == 6);
        assertThat(browser.findElements(By.cssSelector("[data-testid=trace-waterfall] [data-span]")))
                .extracting(r -> r.getAttribute("data-span"))
                .containsExactly("claude_code.interaction", "claude_code.llm_request", "claude_code.tool",
                        "claude_code.tool.blocked_on_user", "claude_code.tool.execution", "claude_code.llm_request");
        browser.findElement(By.cssSelector("[data-testid=trace-waterfall] [data-span='claude_code.interaction']")).click();
        await("span attributes", () -> text(By.cssSelector("[data-testid=span-detail]")).contains("\"user_prompt\": \"say hi\""));
        screenshot("traces");
    }

    @Test
    void givenTheCodexRunWhenItsTurnIsOpenedThenTheTurnIsATraceOfItsOwn() {
        open("#/traces?" + DAY + "&tool=codex");
        await("the turn", () -> !browser.findElements(By.cssSelector("[data-testid=traces-table] tbody tr .badge")).isEmpty());
        WebElement turn = rowContaining("traces-table", "run_turn");
        assertThat(cell(turn, "name")).startsWith("run_turn");
        assertThat(turn.findElement(By.cssSelector(".badge")).getText()).isEqualTo("turn");
        assertThat(cell(turn, "spans")).isEqualTo("317");
        assertThat(cell(rowContaining("traces-table", "turn/start"), "spans")).isEqualTo("362"); // the whole session's trace
        turn.click();
        await("turn waterfall", () -> browser.findElements(By.cssSelector("[data-testid=trace-waterfall] [data-span]")).size() == 317);
        assertThat(browser.findElement(By.cssSelector("[data-testid=trace-waterfall] [data-span]")).getAttribute("data-span")).isEqualTo("run_turn");
        assertThat(browser.getCurrentUrl()).contains("#/traces/865de861d5a2c78289439d721455da8c-5d445f3f18a23285");
        screenshot("traces-codex");
    }

    @Test
    void givenClaudeCodesTokenMetricWhenGroupedByTypeThenEachTypeHasItsTotal() {
        open("#/metrics?" + DAY);
        await("metric names", () -> text(By.cssSelector("[data-testid=metric-names]")).contains("claude_code.token.usage"));
        browser.findElements(By.cssSelector("[data-testid=metric-names] button")).stream()
                .filter(b -> b.getText().startsWith("claude_code.token.usage")).findFirst().orElseThrow().click();
        await("type among the attributes", () -> browser.findElements(By.cssSelector("select[name=groupBy] option")).stream()
                .anyMatch(o -> o.getText().equals("type")));
        choose(browser.findElement(By.cssSelector("select[name=groupBy]")), "type");
        browser.findElements(By.cssSelector("[role=tablist][aria-label=chart] [role=tab]")).stream()
                .filter(t -> t.getText().equals("Stacked")).findFirst().orElseThrow().click();
        await("totals per type", () -> browser.findElements(By.cssSelector("[data-testid=metric-totals] tbody tr")).size() == 4);
        assertThat(browser.findElements(By.cssSelector("[data-testid=metric-totals] tbody tr"))).extracting(WebElement::getText)
                .containsExactly("cacheRead 8,300 8,300", "input 2,450 2,450", "cacheCreation 350 350", "output 47 47");
        assertThat(browser.findElements(By.cssSelector("[data-testid=metric-chart] canvas"))).isNotEmpty();
        assertThat(browser.getCurrentUrl()).contains("metric=claude_code.token.usage").contains("groupBy=type").contains("chart=stacked");
        screenshot("metrics");
    }

    @Test
    void givenTheSqlConsoleWhenAQueryRunsThenItsResultTableShowsOneRowPerTool() {
        open("#/sql?" + DAY);
        WebElement editor = await("editor", () -> browser.findElement(By.cssSelector("[data-testid=sql-editor]")));
        editor.clear();
        editor.sendKeys("SELECT tool, count(*) AS records, sum(input_tokens) AS input_tokens\nFROM logs\n"
                + "WHERE timestamp >= TIMESTAMPTZ '2026-11-22 00:00:00+00'\nGROUP BY tool\nORDER BY tool");
        browser.findElement(By.cssSelector("[data-testid=sql-run]")).click();
        await("answer", () -> browser.findElements(By.cssSelector("[data-testid=sql-result] tbody tr")).size() == 3);

        assertThat(browser.findElements(By.cssSelector("[data-testid=sql-result] thead th"))).extracting(WebElement::getText)
                .containsExactly("TOOL", "RECORDS", "INPUT_TOKENS");
        // Log records as the assistants sent them: Codex and Gemini count cached tokens inside input.
        assertThat(browser.findElements(By.cssSelector("[data-testid=sql-result] tbody tr"))).extracting(WebElement::getText)
                .containsExactly("claude-code 12 2450", "codex 12 4400", "gemini-cli 20 6220");
        assertThat(text(By.cssSelector("[data-testid=sql-summary]"))).startsWith("3 rows · ");
        screenshot("sql");
    }

    @Test
    void givenTheSessionsExampleWhenPickedAndRunThenEachToolsSessionShowsItsPromptCallsAndToolCall() {
        open("#/sql?" + DAY);
        await("examples", () -> browser.findElement(By.cssSelector("select[aria-label=Examples]")));
        browser.findElement(By.xpath("//select[@aria-label='Examples']/option[.='Costliest sessions']")).click();
        await("example in the editor", () -> browser.findElement(By.cssSelector("[data-testid=sql-editor]"))
                .getAttribute("value").contains("FROM sessions"));
        browser.findElement(By.cssSelector("[data-testid=sql-run]")).click();
        await("answer", () -> browser.findElements(By.cssSelector("[data-testid=sql-result] tbody tr")).size() == 3);

        assertThat(browser.findElements(By.cssSelector("[data-testid=sql-result] thead th"))).extracting(WebElement::getText)
                .containsExactly("TOOL", "SESSION_ID", "STARTED", "PROMPTS", "CALLS", "TOOL_CALLS", "COST_USD");
        // One session per fixture run, each with one prompt and one tool call (the fixtures' README); the
        // model calls add up to the overview's 7 and the costs to its $0.0171.
        List<List<String>> rows = browser.findElements(By.cssSelector("[data-testid=sql-result] tbody tr")).stream()
                .map(tr -> tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()).toList();
        assertThat(rows).extracting(r -> r.get(0)).containsExactlyInAnyOrder("claude-code", "codex", "gemini-cli");
        assertThat(rows).filteredOn(r -> r.get(0).equals("claude-code")).extracting(r -> r.get(1))
                .containsExactly("193b4fab-8599-4654-931d-65ef6669399e");
        assertThat(rows).extracting(r -> r.get(3)).containsOnly("1");
        assertThat(rows).extracting(r -> r.get(5)).containsOnly("1");
        assertThat(rows.stream().mapToLong(r -> Long.parseLong(r.get(4))).sum()).isEqualTo(7);
        assertThat(rows.stream().mapToDouble(r -> Double.parseDouble(r.get(6))).sum()).isCloseTo(0.0171, within(0.00005));
    }

    @Test
    void givenANewDashboardWhenAWidgetIsAddedAndSavedThenItIsThereAfterAReload() {
        open("#/dashboards?" + DAY);
        await("starter dashboard", () -> text(By.cssSelector("[data-widget='Input tokens'] [data-testid=widget-stat]")).equals("3,822"));
        await("model calls", () -> text(By.cssSelector("[data-widget='Model calls'] [data-testid=widget-stat]")).equals("7"));
        await("output tokens", () -> text(By.cssSelector("[data-widget='Output tokens'] [data-testid=widget-stat]")).equals("175"));
        await("cost", () -> text(By.cssSelector("[data-widget='Cost'] [data-testid=widget-stat]")).equals("$0.0171"));
        await("top model", () -> text(By.cssSelector("[data-widget='Top models by cost']")).contains("claude-opus-5-5\n$0.0142"));
        fullPageScreenshot("dashboards");

        try {
            createSaveAndReloadADashboard();
        } finally {
            // The other dashboard tests start from the starter dashboard, which shows only while none is saved.
            for (JsonNode d : getJson("/api/dashboards").path("rows")) {
                send("DELETE", "/api/dashboards/" + d.path("id").asText());
            }
        }
    }

    private static void createSaveAndReloadADashboard() {
        browser.findElement(By.cssSelector("[data-testid=dashboard-new]")).click();
        WebElement name = await("name field", () -> browser.findElement(By.cssSelector("[data-testid=dashboard-name]")));
        name.sendKeys(" (browser test)");
        browser.findElement(By.cssSelector("[data-testid=widget-add]")).click();
        browser.findElement(By.cssSelector("[data-testid=widget-editor] input[name=title]")).sendKeys("Input tokens");
        choose(browser.findElement(By.cssSelector("[data-testid=widget-editor] select[name=field]")), "input_tokens");
        browser.findElement(By.cssSelector("[data-testid=widget-save]")).click();
        browser.findElement(By.cssSelector("[data-testid=dashboard-save]")).click();
        await("saved", () -> browser.getCurrentUrl().matches(".*#/dashboards/[^?]+.*"));

        browser.navigate().refresh();
        await("reloaded", () -> text(By.cssSelector("[data-testid=dashboard-title]")).equals("New dashboard (browser test)"));
        assertThat(browser.findElements(By.cssSelector("[data-widget]"))).hasSize(1);
        await("widget figure", () -> text(By.cssSelector("[data-widget='Input tokens'] [data-testid=widget-stat]")).equals("3,822")); // 2,450 + 552 + 820
        String id = browser.getCurrentUrl().replaceFirst(".*#/dashboards/([^?]+).*", "$1");
        JsonNode saved = getJson("/api/dashboards/" + id);
        assertThat(saved.path("name").asText()).isEqualTo("New dashboard (browser test)");
        assertThat(saved.path("widgets").get(0).path("query").path("field").asText()).isEqualTo("input_tokens");
    }

    @Test
    void givenADashboardInEditModeWhenAWidgetIsDraggedAndResizedThenItMovesOnTheGrid() {
        open("#/dashboards?" + DAY);
        await("starter dashboard", () -> !browser.findElements(By.cssSelector("[data-widget='Cost']")).isEmpty());
        browser.findElement(By.cssSelector("[data-testid=dashboard-edit]")).click();
        WebElement cost = browser.findElement(By.cssSelector("[data-widget='Cost']"));
        assertThat(cost.getAttribute("style")).contains("grid-area: 1 / 1 / span 2 / span 3");
        // One grid column is (width + gap) / 12 wide; drag the header three columns right and one row down.
        int column = (browser.findElement(By.cssSelector("[data-testid=dashboard-grid]")).getSize().getWidth() + 12) / 12;
        new Actions(browser).dragAndDropBy(cost.findElement(By.cssSelector(".widget-head")), 3 * column, 84).perform();
        await("moved", () -> browser.findElement(By.cssSelector("[data-widget='Cost']")).getAttribute("style")
                .contains("grid-area: 2 / 4 / span 2 / span 3"));
        // The widgets it landed on were pushed down, not overlapped.
        assertThat(browser.findElement(By.cssSelector("[data-widget='Input tokens']")).getAttribute("style"))
                .contains("grid-area: 4 / 4 / span 2 / span 3");
        new Actions(browser).dragAndDropBy(browser.findElement(By.cssSelector("[data-widget='Cost'] .resize-handle")), 2 * column, 0)
                .perform();
        await("resized", () -> browser.findElement(By.cssSelector("[data-widget='Cost']")).getAttribute("style")
                .contains("grid-area: 2 / 4 / span 2 / span 5"));
    }

    @Test
    void givenAutoRefreshWhenARecordArrivesThenTheLogsViewShowsItWithoutAReload() throws Exception {
        // Another day than the other tests look at, so their counts stay exact.
        open("#/logs?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z&refresh=5s");
        await("empty", () -> text(By.cssSelector("[data-testid=logs-count]")).equals("0 records"));
        // The page's first /api/live answer sets its cursor; it must come before the post. Answered after it
        // (a slow machine), the cursor could pass the new object's time and the record never show.
        await("the live cursor", () -> !browser.findElements(By.cssSelector(".live-dot.live-live")).isEmpty());
        ((JavascriptExecutor) browser).executeScript("window.__notReloaded = true");

        String body = """
                {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gemini-cli"}}]},
                 "scopeLogs":[{"logRecords":[{"timeUnixNano":"1795262400000000000","body":{"stringValue":"User prompt. Length: 9."},
                 "attributes":[{"key":"event.name","value":{"stringValue":"gemini_cli.user_prompt"}},
                               {"key":"session.id","value":{"stringValue":"live-1"}}]}]}]}]}""";
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.ingestPort() + "/v1/logs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        await("the new record", () -> text(By.cssSelector("[data-testid=logs-count]")).equals("1 record"));
        assertThat(text(By.cssSelector("[data-testid=logs-table] tbody"))).contains("User prompt. Length: 9.");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__notReloaded")).isEqualTo(true);
    }

    @Test
    void givenARangeWithoutDataWhenTheLogsViewOpensThenItShowsHowToConnectEachAssistant() {
        open("#/logs?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z");
        WebElement help = await("connect help", () -> browser.findElement(By.cssSelector("[data-testid=connect-help]")));
        // The snippets name the port this server's ingest listens on (a free port here, not 4318).
        String endpoint = "http://127.0.0.1:" + server.ingestPort();
        await("the ingest port in the snippet", () -> browser.findElement(By.cssSelector("[data-testid=connect-help]")).getText()
                .contains("OTEL_EXPORTER_OTLP_ENDPOINT=" + endpoint + "\n"));
        browser.findElement(By.cssSelector("[data-testid=connect-help]")).findElements(By.cssSelector("[role=tab]")).stream().filter(t -> t.getText().equals("Codex CLI")).findFirst().orElseThrow().click();
        assertThat(text(By.cssSelector("[data-testid=connect-help] pre"))).contains("endpoint = \"" + endpoint + "/v1/logs\"");
        screenshot("empty-state");
    }

    @Test
    void givenTheDarkThemeWhenToggledThenItSticksAcrossAReload() {
        // Until a click chooses, the page follows the system and remembers nothing (it used to store the
        // theme it started with, and so stopped following the system after the first visit).
        open("#/sessions/" + CLAUDE_SESSION + "?" + DAY);
        ((JavascriptExecutor) browser).executeScript("localStorage.removeItem('agentlake.theme');");
        open("#/sessions/" + CLAUDE_SESSION + "?" + DAY);
        await("timeline", () -> !browser.findElements(By.cssSelector("[data-testid=session-timeline] li")).isEmpty());
        assertThat(((JavascriptExecutor) browser).executeScript("return localStorage.getItem('agentlake.theme')")).isNull();
        if ("dark".equals(((JavascriptExecutor) browser).executeScript("return document.documentElement.dataset.theme"))) {
            browser.findElement(By.cssSelector("[data-testid=theme-toggle]")).click(); // the system's is dark: to light first
        }
        browser.findElement(By.cssSelector("[data-testid=theme-toggle]")).click();
        browser.navigate().refresh();
        await("dark", () -> "dark".equals(((JavascriptExecutor) browser).executeScript("return document.documentElement.dataset.theme")));
        await("timeline", () -> !browser.findElements(By.cssSelector("[data-testid=session-timeline] li")).isEmpty());
        try {
            fullPageScreenshot("session-dark");
        } finally {
            lightTheme();
        }
    }

    /**
     * A deployment with query tokens: a second query server over the same lake that wants
     * {@code Authorization: Bearer}. The page asks for the token once and keeps it in the browser.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithAQueryToken {
        private static final String TOKEN = "browser-test-query-token-2f8c1d";
        private LocalServer guarded;
        private String guardedBase;

        @BeforeAll
        void startAQueryServerThatWantsAToken() {
            guarded = LocalServer.start(server.lake(), "127.0.0.1", 0, LocalServer.NO_GRPC, 0,
                    dataDir.resolve("guarded-cache").toString(), List.of(), Map.of("agentlake.query.tokens", List.of(TOKEN)),
                    null); // the class's own server already compacts this lake
            guardedBase = "http://127.0.0.1:" + guarded.httpPort() + "/";
        }

        @AfterAll
        void stopIt() {
            if (guarded != null) {
                guarded.close();
            }
        }

        @Test
        void givenAQueryTokenWhenThePageOpensThenItAsksForTheTokenOnceAndShowsTheNumbersWithIt() throws Exception {
            var denied = HTTP.send(HttpRequest.newBuilder(URI.create(guardedBase + "api/usage?groupBy=tool&" + DAY))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"agentlake\"");

            browser.manage().window().setSize(new Dimension(1440, 960));
            browser.get("about:blank");
            browser.get(guardedBase + "#/overview?" + DAY);
            lightTheme();
            WebElement prompt = await("token prompt", () -> browser.findElement(By.cssSelector("[data-testid=token-prompt]")));
            assertThat(prompt.getText()).contains("This lake needs a token").contains("401 Unauthorized");
            assertThat(browser.findElements(By.cssSelector("[data-testid=usage-by-tool] tbody tr"))).isEmpty();
            screenshot("token-prompt");

            // A wrong token is refused and asked for again.
            prompt.findElement(By.cssSelector("input[name=token]")).sendKeys("not-the-query-token-000000");
            prompt.findElement(By.cssSelector("button[type=submit]")).click();
            await("asked again", () -> !browser.findElements(By.cssSelector("[data-testid=token-refused]")).isEmpty());

            browser.findElement(By.cssSelector("[data-testid=token-prompt] input[name=token]")).sendKeys(TOKEN);
            browser.findElement(By.cssSelector("[data-testid=token-prompt] button[type=submit]")).click();
            await("numbers", () -> browser.findElements(By.cssSelector("[data-testid=usage-by-tool] tbody tr")).size() == 3);
            assertThat(cell(rowOf("usage-by-tool", "claude-code"), "input_tokens")).isEqualTo("2,450");
            assertThat(browser.findElements(By.cssSelector("[data-testid=token-prompt]"))).isEmpty();

            // Kept in this browser: a reload goes straight to the numbers.
            browser.navigate().refresh();
            await("numbers after a reload", () -> browser.findElements(By.cssSelector("[data-testid=usage-by-tool] tbody tr")).size() == 3);
            assertThat(browser.findElements(By.cssSelector("[data-testid=token-prompt]"))).isEmpty();
            assertThat(((JavascriptExecutor) browser).executeScript("return localStorage.getItem('agentlake.token')")).isEqualTo(TOKEN);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void open(String hash) {
        browser.manage().window().setSize(new Dimension(1440, 960));
        // Via a blank page: a new hash on the same page would not reload it, and each test starts fresh.
        browser.get("about:blank");
        browser.get(base + hash);
    }

    /** Picks an option the way a user's click does: value set, change event fired. */
    private static void choose(WebElement select, String value) {
        ((JavascriptExecutor) browser).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", select, value);
    }

    private static String text(By by) {
        List<WebElement> found = browser.findElements(by);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static WebElement rowOf(String table, String firstCell) {
        return browser.findElements(By.cssSelector("[data-testid=" + table + "] tbody tr")).stream()
                .filter(r -> r.findElements(By.tagName("td")).get(0).getText().equals(firstCell))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + firstCell + " in " + table));
    }

    /**
     * Polls until {@code condition} holds. The bound is generous on purpose: the first view after the
     * ingest waits for DuckDB's first queries and the page's own requests, and a new record for the live
     * poll (5 s) plus the query function's refresh; on a loaded 2-core CI machine 10 s was not enough.
     * Only correctness is asserted here, never speed.
     */
    private static <T> T await(String what, Supplier<T> condition) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = condition.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(100);
        }
        screenshot("failed-" + what.replaceAll("\\W+", "-"));
        throw new AssertionError("waited " + AWAIT.toSeconds() + " s for " + what + " on " + browser.getCurrentUrl(), last);
    }

    private static WebElement rowContaining(String table, String text) {
        return browser.findElements(By.cssSelector("[data-testid=" + table + "] tbody tr")).stream()
                .filter(r -> r.getText().contains(text))
                .findFirst().orElseThrow(() -> new AssertionError("no row with " + text + " in " + table));
    }

    private static String cell(WebElement row, String column) {
        return row.findElement(By.cssSelector("td[data-col=" + column + "]")).getText();
    }

    /** A tool's input, cache read, cache write and output tokens (and reasoning) as a table shows them. */
    private static List<String> tokenCells(String table, String tool, boolean reasoning) {
        WebElement row = rowOf(table, tool);
        var columns = new java.util.ArrayList<>(List.of("input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens"));
        if (reasoning) {
            columns.add("reasoning_tokens");
        }
        return columns.stream().map(c -> cell(row, c)).toList();
    }

    private static JsonNode getJson(String path) {
        HttpResponse<String> response = send("GET", path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A call to the query API, asking for JSON as the page does. */
    private static HttpResponse<String> send(String method, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + path.substring(1))).header("Accept", "application/json")
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void fullPageScreenshot(String name) {
        // Grow the window to the page until the height holds (charts and lists re-layout to the new size).
        int height = 0;
        for (int i = 0; i < 4; i++) {
            int wanted = Math.max(960, Math.min(((Number) ((JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight"))
                    .intValue(), 4000));
            if (wanted == height) {
                break;
            }
            height = wanted;
            browser.manage().window().setSize(new Dimension(1440, height));
            sleep(250);
        }
        screenshot(name);
    }

    private static void screenshot(String name) {
        try {
            sleep(150);
            Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
