package dev.agentlake.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.LogRow;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.model.Tokens;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.testing.LakeTestServer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One Claude Code session sent by telemetry and also imported from its session file: the sessions list and
 * the session's timeline show its one prompt and one tool result once, from the preferred source, as the
 * sessions table counts them; what only telemetry sends (a tool decision, an API error) is shown as well.
 */
class SessionFromBothSourcesTest {
    private static final String SESSION = "s-both";
    private static final String RANGE = "from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z";
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass();

    @BeforeAll
    static void landBothSources() {
        s3.store().put(LakeLayout.landingKey(Signal.LOGS, LocalDate.parse("2026-11-22"), "aaaaaaaaaaaaaaaa"),
                ParquetRowWriter.write(LakeSchemas.LOGS, List.of(
                        log("o1", "2026-11-22T18:57:08.503Z", "user_prompt", "otlp"),
                        log("o2", "2026-11-22T18:57:08.900Z", "tool_decision", "otlp"),
                        log("o3", "2026-11-22T18:57:09.000Z", "tool_result", "otlp"),
                        log("o4", "2026-11-22T18:57:09.100Z", "api_error", "otlp"))));
        s3.store().put(LakeLayout.landingKey(Signal.LOGS, LocalDate.parse("2026-11-22"), "bbbbbbbbbbbbbbbb"),
                ParquetRowWriter.write(LakeSchemas.LOGS, List.of(
                        log("i1", "2026-11-22T18:57:08.400Z", "user_prompt", "import"),
                        log("i2", "2026-11-22T18:57:09.050Z", "tool_result", "import"))));
    }

    @Test
    void givenTheDefaultPreferenceThenThePromptAndToolResultAreTheImportsAndShownOnce() throws Exception {
        try (RunningQuery api = RunningQuery.start(s3, Map.of())) {
            JsonNode row = api.json("/api/sessions?" + RANGE).get("rows").get(0);
            assertThat(counts(row)).isEqualTo("prompts=1 tool_calls=1 api_errors=1");
            assertThat(timeline(api)).containsExactly("prompt/i1", "tool_decision/o2", "tool_result/i2", "error/o4");
        }
    }

    @Test
    void givenThePreferenceForTelemetryThenThePromptAndToolResultAreTelemetrysAndShownOnce() throws Exception {
        try (RunningQuery api = RunningQuery.start(s3, Map.of("agentlake.usage.prefer-source", "otlp"))) {
            JsonNode row = api.json("/api/sessions?" + RANGE).get("rows").get(0);
            assertThat(counts(row)).isEqualTo("prompts=1 tool_calls=1 api_errors=1");
            assertThat(timeline(api)).containsExactly("prompt/o1", "tool_decision/o2", "tool_result/o3", "error/o4");
        }
    }

    private static String counts(JsonNode row) {
        return "prompts=" + row.get("prompts").asLong() + " tool_calls=" + row.get("tool_calls").asLong()
                + " api_errors=" + row.get("api_errors").asLong();
    }

    private static List<String> timeline(RunningQuery api) throws Exception {
        var items = new ArrayList<String>();
        for (JsonNode item : api.json("/api/sessions/" + SESSION).get("timeline")) {
            items.add(item.get("kind").asText() + "/" + item.get("attributes").get("id").asText());
        }
        return items;
    }

    private static LogRow log(String id, String time, String event, String source) {
        Instant t = Instant.parse(time);
        return new LogRow(id, t.getEpochSecond() * 1_000_000_000L + t.getNano(), 0, LogsApiTest.CLAUDE, null, null, null, 0,
                event, "body of " + id, SESSION, null, null, "demo", null, Tokens.NONE, null, null,
                event.equals("tool_result") ? Boolean.TRUE : null, null, null, null, null, null, 0,
                "{\"event.name\":\"" + event + "\",\"id\":\"" + id + "\"}", source);
    }
}
