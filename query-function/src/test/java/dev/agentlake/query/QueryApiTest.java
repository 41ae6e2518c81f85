package dev.agentlake.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.testing.LakeTestServer;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API's endpoints over known landing data in a real S3-compatible server. */
class QueryApiTest {
    static final String RANGE = "from=2026-11-19T00:00:00Z&to=2026-11-22T00:00:00Z";
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass();
    static RunningQuery api;

    @BeforeAll
    static void start() throws Exception {
        s3.store().put(LakeLayout.landingKey(Signal.LOGS, LocalDate.parse("2026-11-20"), "aaaaaaaaaaaaaaaa"),
                ParquetRowWriter.write(LakeSchemas.LOGS, List.of(
                        LogsApiTest.row("r1", "2026-11-20T08:00:00Z", LogsApiTest.CLAUDE, "user_prompt", "s-1", "claude_code.user_prompt"),
                        LogsApiTest.row("r2", "2026-11-20T08:00:02Z", LogsApiTest.CLAUDE, "api_request", "s-1", "claude_code.api_request"))));
        s3.store().put(LakeLayout.landingKey(Signal.LOGS, LocalDate.parse("2026-11-21"), "bbbbbbbbbbbbbbbb"),
                ParquetRowWriter.write(LakeSchemas.LOGS, List.of(
                        LogsApiTest.row("r3", "2026-11-21T09:30:00Z", LogsApiTest.CODEX, "codex.sse_event", "c-9", null))));
        api = RunningQuery.start(s3, Map.of());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void logsFilterByToolSessionEventAndFullText() throws Exception {
        assertThat(api.json("/api/logs?" + RANGE + "&tool=codex").get("rows")).extracting(r -> r.get("session_id").asText())
                .containsExactly("c-9");
        assertThat(api.json("/api/logs?" + RANGE + "&session=s-1").get("rows")).hasSize(2);
        assertThat(api.json("/api/logs?" + RANGE + "&event=api_request").get("rows")).hasSize(1);
        assertThat(api.json("/api/logs?" + RANGE + "&search=USER_PROMPT").get("rows")).extracting(r -> r.get("event_name").asText())
                .containsExactly("user_prompt");
        assertThat(api.json("/api/logs?" + RANGE + "&search=sse_event").get("rows")).hasSize(1); // in the attributes
        assertThat(api.json("/api/logs?" + RANGE + "&tool=gemini-cli").get("rows")).isEmpty();
    }

    @Test
    void anUnknownParameterIsRefusedNamingTheKnownOnes() throws Exception {
        var r = api.get("/api/logs?" + RANGE + "&tol=codex");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = RunningQuery.JSON.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("bad_request");
        assertThat(body.get("message").asText()).startsWith("unknown parameter 'tol'; this endpoint takes: event, from, limit");
    }

    @Test
    void givenAPathUnderApiThatNoEndpointServesThenA404InTheApisShapeNamesItAndListsTheEndpoints() throws Exception {
        var r = api.get("/api/nope?x=1");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(errorAndMessage(r.body())).containsExactly("no_endpoint", "no endpoint GET /api/nope; the API has: " + ENDPOINTS);
        // Another method is no different: the path is unknown, not the method.
        var deleted = api.send("DELETE", "/api/sessions/s-1/timeline", null);
        assertThat(deleted.statusCode()).isEqualTo(404);
        assertThat(errorAndMessage(deleted.body()))
                .containsExactly("no_endpoint", "no endpoint DELETE /api/sessions/s-1/timeline; the API has: " + ENDPOINTS);
    }

    static final String ENDPOINTS = "GET /api/connect, GET /api/dashboards, POST /api/dashboards, DELETE /api/dashboards/{id}, "
            + "GET /api/dashboards/{id}, PUT /api/dashboards/{id}, GET /api/health, GET /api/live, GET /api/logs, "
            + "GET /api/logs/levels, POST /api/metrics/batch-series, GET /api/metrics/names, GET /api/metrics/series, "
            + "GET /api/pricing/unknown-models, GET /api/services, GET /api/sessions, GET /api/sessions/{id}, POST /api/sql, "
            + "GET /api/stats, GET /api/traces, GET /api/traces/{traceId}/spans, GET /api/usage, GET /api/usage/blocks";

    static List<String> errorAndMessage(String body) throws Exception {
        JsonNode json = RunningQuery.JSON.readTree(body);
        assertThat(json.size()).as(body).isEqualTo(2);
        return List.of(json.get("error").asText(), json.get("message").asText());
    }

    @Test
    void givenAKnownApiPathWithAMethodItDoesNotTakeThenA405InTheApisShapeNamesTheMethodsItTakes() throws Exception {
        var r = api.send("POST", "/api/logs", "{}");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(errorAndMessage(r.body())).containsExactly("method_not_allowed", "/api/logs takes GET, HEAD, not POST");
        var dashboard = api.send("PATCH", "/api/dashboards/abc", "{}");
        assertThat(dashboard.statusCode()).isEqualTo(405);
        assertThat(errorAndMessage(dashboard.body()))
                .containsExactly("method_not_allowed", "/api/dashboards/abc takes DELETE, GET, HEAD, PUT, not PATCH");
    }

    @Test
    void givenTheApisOwn404sAndTheSitesPathsThenTheyAnswerAsBefore() throws Exception {
        var noSession = api.get("/api/sessions/no-such-session");
        assertThat(noSession.statusCode()).isEqualTo(404);
        assertThat(errorAndMessage(noSession.body())).containsExactly("not_found", "no session no-such-session");
        var page = api.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        var noFile = api.get("/no-such-page.js");
        assertThat(noFile.statusCode()).isEqualTo(404);
        assertThat(errorAndMessage(noFile.body())).containsExactly("not_found", "no such file");
    }

    @Test
    void givenTheIngestPortServeListensOnThenTheConnectEndpointNamesItAndWithoutOneNothing() throws Exception {
        assertThat(api.json("/api/connect").toString()).isEqualTo("{\"ingest_port\":null,\"ingest_url\":null}");
        try (RunningQuery served = RunningQuery.start(s3, Map.of("agentlake.query.ingest-port", 14318))) {
            assertThat(served.json("/api/connect").toString()).isEqualTo("{\"ingest_port\":14318,\"ingest_url\":null}");
        }
        // The AWS deployment names its ingest function's URL.
        try (RunningQuery aws = RunningQuery.start(s3, Map.of("agentlake.query.ingest-url", "https://abc.lambda-url.eu-west-1.on.aws/"))) {
            assertThat(aws.json("/api/connect").toString())
                    .isEqualTo("{\"ingest_port\":null,\"ingest_url\":\"https://abc.lambda-url.eu-west-1.on.aws/\"}");
        }
    }

    @Test
    void givenAParameterToAnEndpointThatTakesNoneThenTheReasonSaysSoInsteadOfAnEmptyList() throws Exception {
        var r = api.get("/api/pricing/unknown-models?from=now-7d");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(RunningQuery.JSON.readTree(r.body()).get("message").asText())
                .isEqualTo("unknown parameter 'from'; this endpoint takes no parameters");
    }

    @Test
    void levelsAndServicesSummariseTheRange() throws Exception {
        assertThat(api.json("/api/logs/levels?" + RANGE).get("rows").toString())
                .isEqualTo("[{\"level\":\"UNSPECIFIED\",\"records\":3}]");
        JsonNode services = api.json("/api/services?" + RANGE).get("rows");
        assertThat(services).hasSize(2);
        assertThat(services.get(0).get("tool").asText()).isEqualTo("claude-code");
        assertThat(services.get(0).get("records").asLong()).isEqualTo(2);
        assertThat(services.get(0).get("first").asText()).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(services.get(0).get("last").asText()).isEqualTo("2026-11-20T08:00:02Z");
        assertThat(services.get(1).get("service_name").asText()).isEqualTo("codex_exec");
    }

    @Test
    void statsCountRowsAndFiles() throws Exception {
        JsonNode stats = api.json("/api/stats");
        assertThat(stats.get("snapshot_version").asLong()).isZero();
        assertThat(stats.get("landing").get("logs").get("files").asInt()).isEqualTo(2);
        assertThat(stats.get("rows").get("logs").asLong()).isEqualTo(3);
        // The one api_request log record is a model call, derived live into usage.
        assertThat(stats.get("rows").get("usage").asLong()).isEqualTo(1);
    }

    @Test
    void liveSaysWhetherAnythingArrivedSince() throws Exception {
        JsonNode all = api.json("/api/live?since=2020-01-01T00:00:00Z");
        assertThat(all.get("changed").asBoolean()).isTrue();
        assertThat(all.get("new_landing_files").asInt()).isEqualTo(2);
        JsonNode none = api.json("/api/live?since=now%2B1h");
        assertThat(none.get("changed").asBoolean()).isFalse();
        assertThat(none.get("new_landing_files").asInt()).isZero();
    }

    @Test
    void sqlRunsReadOnlySelectsOverTheViews() throws Exception {
        var r = api.send("POST", "/api/sql", "{\"sql\": \"SELECT tool, count(*) AS n FROM logs GROUP BY tool ORDER BY tool\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = RunningQuery.JSON.readTree(r.body());
        assertThat(body.get("columns").toString()).isEqualTo("[{\"name\":\"tool\",\"type\":\"VARCHAR\"},{\"name\":\"n\",\"type\":\"BIGINT\"}]");
        assertThat(body.get("rows").toString()).isEqualTo("[[\"claude-code\",2],[\"codex\",1]]");
        assertThat(body.get("truncated").asBoolean()).isFalse();

        JsonNode limited = RunningQuery.JSON.readTree(api.send("POST", "/api/sql",
                "{\"sql\": \"SELECT * FROM range(100)\", \"limit\": 7}").body());
        assertThat(limited.get("rows")).hasSize(7);
        assertThat(limited.get("truncated").asBoolean()).isTrue();
    }

    /** Every row is held in memory and answered as one document: a few huge rows are cut like many small ones. */
    @Test
    void sqlCutsAResultAt64MiBOfText() throws Exception {
        var r = api.send("POST", "/api/sql", "{\"sql\": \"SELECT i, repeat('x', 1000000) AS big FROM range(100) t(i) ORDER BY i\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = RunningQuery.JSON.readTree(r.body());
        // 64 MiB = 67,108,864 characters: 67 rows of 1,000,000 (plus 8 for each number) fit, the 68th does not.
        assertThat(body.get("rows")).hasSize(67);
        assertThat(body.get("rows").get(66).get(0).asLong()).isEqualTo(66);
        assertThat(body.get("rows").get(66).get(1).asText()).hasSize(1_000_000);
        assertThat(body.get("truncated").asBoolean()).isTrue();
    }

    static Stream<Arguments> hostileStatements() {
        String readOnly = "only a single SELECT statement is allowed (read-only SQL)";
        return Stream.of(
                Arguments.of("COPY logs TO '/tmp/stolen.csv'", readOnly),
                Arguments.of("ATTACH '/tmp/other.duckdb' AS other", readOnly),
                Arguments.of("INSTALL httpfs", readOnly),
                Arguments.of("LOAD httpfs", readOnly),
                Arguments.of("SET enable_external_access = true", readOnly),
                Arguments.of("PRAGMA database_list", readOnly),
                Arguments.of("SELECT 1; DROP VIEW logs", readOnly),
                Arguments.of("SELECT 1; SELECT 2", readOnly),
                Arguments.of("CREATE TABLE t AS SELECT 1", readOnly),
                Arguments.of("DELETE FROM logs", readOnly),
                Arguments.of("SELECT * FROM read_csv('/etc/passwd')", "function read_csv is not available here"),
                Arguments.of("SELECT * FROM read_text('/etc/hostname')", "function read_text is not available here"),
                Arguments.of("SELECT * FROM glob('/**')", "function glob is not available here"),
                Arguments.of("SELECT * FROM read_parquet('http://127.0.0.1:1/x.parquet')", "not available here"),
                Arguments.of("SELECT * FROM duckdb_settings()", "function duckdb_settings is not available here"),
                Arguments.of("SELECT current_setting('temp_directory')", "function current_setting is not available here"),
                Arguments.of("SELECT * FROM (SELECT 1) WHERE EXISTS (SELECT * FROM duckdb_extensions())", "duckdb_extensions"),
                // DuckDB's catalog views show the same server state (settings, the views' SQL with the cache's paths).
                Arguments.of("SELECT name, setting FROM pg_settings", "table pg_settings is not available here"),
                Arguments.of("SELECT sql FROM duckdb_views", "table duckdb_views is not available here"),
                Arguments.of("SELECT sql FROM system.main.sqlite_master", "table main.sqlite_master is not available here"),
                Arguments.of("SELECT view_definition FROM information_schema.views", "table information_schema.views is not available here"),
                Arguments.of("SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT * FROM duckdb_settings()'))",
                        "function json_execute_serialized_sql is not available here"),
                Arguments.of("SELECT * FROM no_such_table", "no_such_table"),
                Arguments.of("", "'sql' is empty"));
    }

    @ParameterizedTest
    @MethodSource("hostileStatements")
    void sqlRefusesEverythingButReadingTheLake(String sql, String reason) throws Exception {
        var r = api.send("POST", "/api/sql", RunningQuery.JSON.writeValueAsString(Map.of("sql", sql)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(RunningQuery.JSON.readTree(r.body()).get("message").asText()).contains(reason);
        // The lake is untouched: the views still answer.
        assertThat(RunningQuery.JSON.readTree(api.send("POST", "/api/sql", "{\"sql\":\"SELECT count(*) FROM logs\"}").body())
                .get("rows").toString()).isEqualTo("[[3]]");
    }

    @Test
    void dashboardsAreSavedInTheBucketAndCanBeReadReplacedAndDeleted() throws Exception {
        var created = api.send("POST", "/api/dashboards", "{\"name\":\"Costs\",\"widgets\":[{\"type\":\"stat\",\"query\":\"cost\"}]}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = RunningQuery.JSON.readTree(created.body()).get("id").asText();
        assertThat(s3.keys()).contains("_state/dashboards/" + id + ".json");

        JsonNode read = api.json("/api/dashboards/" + id);
        assertThat(read.get("name").asText()).isEqualTo("Costs");
        assertThat(read.get("widgets").get(0).get("type").asText()).isEqualTo("stat");
        assertThat(api.json("/api/dashboards").get("rows")).extracting(d -> d.get("id").asText()).contains(id);

        var replaced = api.send("PUT", "/api/dashboards/" + id, "{\"name\":\"Costs v2\",\"widgets\":[]}");
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(api.json("/api/dashboards/" + id).get("name").asText()).isEqualTo("Costs v2");

        assertThat(api.send("DELETE", "/api/dashboards/" + id, null).statusCode()).isEqualTo(204);
        assertThat(api.get("/api/dashboards/" + id).statusCode()).isEqualTo(404);
        assertThat(s3.keys()).doesNotContain("_state/dashboards/" + id + ".json");
    }

    @Test
    void aDashboardWithoutANameOrWithABadIdIsRefused() throws Exception {
        var noName = api.send("POST", "/api/dashboards", "{\"widgets\":[]}");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(noName.body()).contains("'name' must be text of 1 to 200 characters");
        var badId = api.get("/api/dashboards/..%2F..%2Fsecrets");
        assertThat(badId.statusCode()).isIn(400, 404);
        assertThat(api.send("PUT", "/api/dashboards/does-not-exist", "{\"name\":\"x\",\"widgets\":[]}").statusCode())
                .isEqualTo(404);
    }
}
