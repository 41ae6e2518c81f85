package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.parquet.Column;
import dev.agentlake.lake.parquet.ColumnType;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.lake.testing.LakeSql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code agentlake.ingest.redact-prompts=true}, every capture (each CLI was run with the prompt
 * {@code say hi} and prompt logging on) is stored without a byte of the prompt in any column of any
 * table; the redacted attributes keep the prompt's length and SHA-256.
 */
class PromptRedactionTest {
    private static final String PROMPT = "say hi";
    @RegisterExtension
    static final RunningIngest ingest = RunningIngest.perClass(Map.of("agentlake.ingest.redact-prompts", true));

    @BeforeAll
    static void postEveryCapture() throws Exception {
        for (String run : CapturedRequest.RUNS.keySet()) {
            for (CapturedRequest request : CapturedRequest.of(run)) {
                assertThat(request.sendTo(ingest).statusCode()).as(request.toString()).isEqualTo(200);
            }
        }
    }

    @Test
    void givenEveryCaptureStoredWithRedactionThenNoStringColumnOfAnyTableContainsThePrompt() {
        for (TableSchema<?> schema : List.of(LakeSchemas.LOGS, LakeSchemas.SPANS, LakeSchemas.METRICS)) {
            String strings = stringColumns(schema);
            var rows = LakeSql.query(ingest.s3.store(), "landing/" + schema.table() + "/",
                    "select count(*) as n, count(*) filter (where concat_ws('|', " + strings + ") like '%" + PROMPT
                            + "%') as with_prompt from t");
            assertThat((Long) rows.get(0).get("n")).as(schema.table() + " rows").isPositive();
            assertThat(rows.get(0)).as(schema.table()).containsEntry("with_prompt", 0L);
        }
        for (StoredObject o : ingest.s3.store().list("")) {
            byte[] bytes = ingest.s3.store().get(o.key()).orElseThrow();
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).as(o.key()).doesNotContain(PROMPT);
        }
    }

    @Test
    void givenRedactionThenThePromptAttributesHoldItsLengthAndSha256() throws Exception {
        String redacted = "{\"redacted\":true,\"length\":6,\"sha256\":\"" + sha256(PROMPT) + "\"}";

        var logs = LakeSql.query(ingest.s3.store(), "landing/logs/",
                "select tool, log_attributes->>'prompt' as prompt, log_attributes->>'prompt_text' as prompt_text,"
                        + " log_attributes->>'prompt_length' as prompt_length from t"
                        + " where event_name in ('user_prompt', 'codex.user_prompt', 'gemini_cli.user_prompt') order by tool");
        assertThat(logs).extracting(r -> r.get("tool")).containsExactly("claude-code", "claude-code", "codex", "codex",
                "gemini-cli");
        assertThat(logs).allSatisfy(r -> assertThat(r.get("prompt")).isEqualTo(redacted));
        assertThat(logs.get(0).get("prompt_text")).isEqualTo(redacted);
        assertThat(logs.get(0).get("prompt_length")).as("lengths the tools report stay").isEqualTo("6");

        var spans = LakeSql.query(ingest.s3.store(), "landing/spans/",
                "select span_attributes->>'user_prompt' as user_prompt from t where span_name = 'claude_code.interaction'");
        assertThat(spans).hasSize(2).allSatisfy(r -> assertThat(r.get("user_prompt")).isEqualTo(redacted));

        String commandArgs = "[\"/usr/bin/node\",\"--max-old-space-size=12052\","
                + "\"/home/dev/sample/node_modules/.bin/gemini\",\"-p\",\"say hi\"]";
        var gemini = LakeSql.query(ingest.s3.store(), "landing/metrics/",
                "select distinct resource_attributes->>'process.command_args' as args from t where tool = 'gemini-cli'");
        assertThat(gemini).singleElement().satisfies(r -> assertThat(r.get("args")).isEqualTo(
                "{\"redacted\":true,\"length\":" + commandArgs.length() + ",\"sha256\":\"" + sha256(commandArgs) + "\"}"));
    }

    /** The check above can fail: without redaction the same columns do hold the prompt. */
    @Test
    void withoutRedactionTheGeminiLogsHoldThePromptInTheirStringColumns() {
        var settings = new IngestSettings(16 * 1024 * 1024, false, List.of(), false, null, null);
        var logs = new LogsIngest(new LogRowMapper(settings, new PromptRedaction(settings)));
        CapturedRequest request = CapturedRequest.load("gemini", "0001-gemini-logs");

        long withPrompt = logs.decode(request.encoding(), request.body()).rows().stream()
                .filter(row -> LakeSchemas.LOGS.columns().stream()
                        .filter(c -> c.type() == ColumnType.STRING)
                        .map(c -> String.valueOf(c.value().apply(row)))
                        .anyMatch(v -> v.contains(PROMPT)))
                .count();

        assertThat(withPrompt).as("every Gemini log carries the command line in its resource").isEqualTo(20);
    }

    private static String stringColumns(TableSchema<?> schema) {
        return schema.columns().stream().filter(c -> c.type() == ColumnType.STRING).map(Column::name)
                .map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
