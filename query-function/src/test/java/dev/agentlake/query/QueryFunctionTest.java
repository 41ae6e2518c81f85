package dev.agentlake.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.testing.LakeTestServer;
import dev.agentlake.lake.testing.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The query Lambda handler in-process: a Function URL (payload 2.0) event in, the API's JSON out. */
class QueryFunctionTest {
    static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass();
    static ApplicationContext context;
    static QueryFunction function;

    @BeforeAll
    static void start() throws Exception {
        s3.store().put(LakeLayout.landingKey(Signal.USAGE, LocalDate.parse("2026-11-20"), "cccccccccccccccc"),
                ParquetRowWriter.write(LakeSchemas.USAGE, List.of(
                        UsageApiTest.call("c1", "2026-11-20T23:30:00Z", "claude-code", "s-1", "claude-sonnet-4-5", 1000, 100, 5000, 200, 0, 0.0105),
                        UsageApiTest.call("c3", "2026-11-21T10:30:00Z", "codex", "x-1", "gpt-5", 552, 55, 3848, 0, 16, 0.00172))));
        var props = new HashMap<String, Object>(s3.properties());
        props.put("agentlake.query.cache-dir", Files.createTempDirectory("lambda-tmp").toString());
        context = ApplicationContext.builder().properties(props).environments(Environment.FUNCTION).start();
        function = new QueryFunction(context);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    static APIGatewayV2HTTPEvent event(String path, String query) throws Exception {
        String json = new String(QueryFunctionTest.class.getResourceAsStream("/apigw-v2-get-usage.json").readAllBytes(),
                StandardCharsets.UTF_8);
        APIGatewayV2HTTPEvent event = MAPPER.readValue(json, APIGatewayV2HTTPEvent.class);
        event.setRawPath(path);
        event.getRequestContext().getHttp().setPath(path);
        if (query != null) {
            event.setRawQueryString(query);
            var params = new HashMap<String, String>();
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], kv[1]);
            }
            event.setQueryStringParameters(params);
        }
        return event;
    }

    static String body(APIGatewayV2HTTPResponse r) {
        return r.getIsBase64Encoded() ? new String(Base64.getDecoder().decode(r.getBody()), StandardCharsets.UTF_8) : r.getBody();
    }

    @Test
    void givenAFunctionUrlEventForUsageThenTheHandlerAnswersTheTotalsByTool() throws Exception {
        APIGatewayV2HTTPResponse response = function.handleRequest(event("/api/usage",
                "from=2026-11-20T00:00:00Z&to=2026-11-22T00:00:00Z&groupBy=tool"), new TestLambdaContext("agentlake-query"));
        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = MAPPER.readTree(body(response));
        assertThat(body.get("rows")).extracting(r -> r.get("tool").asText() + ":" + r.get("input_tokens").asLong())
                .containsExactly("claude-code:1000", "codex:552");
        assertThat(body.get("totals").get("cache_read_tokens").asLong()).isEqualTo(8848);
    }

    @Test
    void theDashboardIsServedFromTheSameOrigin() throws Exception {
        APIGatewayV2HTTPEvent event = event("/", null);
        event.getHeaders().put("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        APIGatewayV2HTTPResponse response = function.handleRequest(event, new TestLambdaContext("agentlake-query"));
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(body(response)).contains("<title>Agentlake</title>");
        assertThat(response.getHeaders().get("Content-Type")).startsWith("text/html");
    }

    @Test
    void aBadParameterIsA400WithAReason() throws Exception {
        APIGatewayV2HTTPResponse response = function.handleRequest(event("/api/usage", "groupBy=colour"),
                new TestLambdaContext("agentlake-query"));
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(body(response)).get("message").asText()).startsWith("'groupBy' must be");
    }
}
