package dev.agentlake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token generator's code ({@code token-parameter.js}, inlined into the stack) run by the machine's
 * Node against a hand-written SSM fake (a stand-in {@code @aws-sdk/client-ssm} module that records
 * calls and fails as told) and a local HTTP server standing in for CloudFormation's response URL.
 */
class AgentlakeTokenGeneratorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NAME = "/agentlake/default/ingest-token";

    @TempDir
    static Path dir;
    static HttpServer server;
    static final List<Map<String, Object>> responses = new ArrayList<>();

    /** The fake SSM client: FAKE_SSM_FAIL names the error the next call throws. */
    static final String FAKE_SSM = """
            const fs = require('fs');
            class Command { constructor(input) { this.input = input; } }
            class PutParameterCommand extends Command {}
            class DeleteParameterCommand extends Command {}
            class SSMClient {
              async send(command) {
                fs.appendFileSync(process.env.FAKE_SSM_LOG,
                  JSON.stringify({ op: command.constructor.name, input: command.input }) + '\\n');
                if (process.env.FAKE_SSM_FAIL) {
                  const e = new Error('told to fail'); e.name = process.env.FAKE_SSM_FAIL; throw e;
                }
                return {};
              }
            }
            module.exports = { SSMClient, PutParameterCommand, DeleteParameterCommand };
            """;

    @BeforeAll
    static void start() throws IOException {
        Path module = dir.resolve("node_modules/@aws-sdk/client-ssm");
        Files.createDirectories(module);
        Files.writeString(module.resolve("index.js"), FAKE_SSM);
        Files.writeString(dir.resolve("index.js"), TokenParameters.code());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/response", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            synchronized (responses) {
                responses.add(Map.of("method", exchange.getRequestMethod(),
                        "contentType", String.valueOf(exchange.getRequestHeaders().getFirst("content-type")),
                        "body", new String(body, StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void givenCreateThenARandom43CharacterTokenIsPutOnceAsSecureStringAndOnlyItsNameIsReported() throws Exception {
        Run run = invoke("Create", null, null);
        assertThat(run.calls()).hasSize(1);
        JsonNode put = run.calls().get(0);
        assertThat(put.get("op").asText()).isEqualTo("PutParameterCommand");
        assertThat(put.get("input").get("Name").asText()).isEqualTo(NAME);
        assertThat(put.get("input").get("Type").asText()).isEqualTo("SecureString");
        assertThat(put.get("input").get("Overwrite").asBoolean()).isFalse();
        String token = put.get("input").get("Value").asText();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(run.response().get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(run.response().get("PhysicalResourceId").asText()).isEqualTo(NAME);
        assertThat(run.response().get("Data").get("ParameterName").asText()).isEqualTo(NAME);
        assertThat(run.response().get("RequestId").asText()).isEqualTo("req-1");
        assertThat(run.responseText()).doesNotContain(token);
        assertThat(run.output()).doesNotContain(token);
        assertThat(run.method()).isEqualTo("PUT");
        // The response URL is pre-signed without a content type.
        assertThat(run.contentType()).isEmpty();

        String second = invoke("Create", null, null).calls().get(0).get("input").get("Value").asText();
        assertThat(second).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(token);
    }

    @Test
    void givenAnUpdateOfAnExistingParameterThenTheTokenIsKept() throws Exception {
        Run run = invoke("Update", NAME, "ParameterAlreadyExists");
        assertThat(run.calls()).extracting(c -> c.get("op").asText()).containsExactly("PutParameterCommand");
        assertThat(run.calls().get(0).get("input").get("Overwrite").asBoolean()).isFalse();
        assertThat(run.response().get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(run.response().get("PhysicalResourceId").asText()).isEqualTo(NAME);
    }

    @Test
    void givenDeleteThenTheParameterIsRemovedAndAMissingOneIsFine() throws Exception {
        Run run = invoke("Delete", NAME, null);
        assertThat(run.calls()).hasSize(1);
        assertThat(run.calls().get(0).get("op").asText()).isEqualTo("DeleteParameterCommand");
        assertThat(run.calls().get(0).get("input").get("Name").asText()).isEqualTo(NAME);
        assertThat(run.response().get("Status").asText()).isEqualTo("SUCCESS");

        Run missing = invoke("Delete", NAME, "ParameterNotFound");
        assertThat(missing.response().get("Status").asText()).isEqualTo("SUCCESS");
    }

    @Test
    void givenDeleteOfSomethingThatIsNotAParameterNameThenNothingIsDeleted() throws Exception {
        Run run = invoke("Delete", "2026/11/22/[$LATEST]abc", null);
        assertThat(run.calls()).isEmpty();
        assertThat(run.response().get("Status").asText()).isEqualTo("SUCCESS");
    }

    @Test
    void givenSsmRefusesThenCloudFormationIsToldWhyAndTheStackDoesNotHang() throws Exception {
        Run run = invoke("Create", null, "AccessDeniedException");
        assertThat(run.response().get("Status").asText()).isEqualTo("FAILED");
        assertThat(run.response().get("Reason").asText()).isEqualTo("AccessDeniedException: told to fail");
        assertThat(run.response().get("PhysicalResourceId").asText()).isEqualTo(NAME);
        assertThat(run.output()).contains("Create " + NAME + " failed: AccessDeniedException");
    }

    record Run(List<JsonNode> calls, JsonNode response, String responseText, String method, String contentType,
            String output) {
    }

    private Run invoke(String type, String physicalId, String fail) throws Exception {
        Path log = Files.createTempFile(dir, "ssm", ".jsonl");
        var event = new java.util.LinkedHashMap<String, Object>();
        event.put("RequestType", type);
        event.put("ResponseURL", "http://127.0.0.1:" + server.getAddress().getPort() + "/response");
        event.put("StackId", "arn:aws:cloudformation:eu-west-1:123456789012:stack/Agentlake/1");
        event.put("RequestId", "req-1");
        event.put("LogicalResourceId", "TokensIngest");
        event.put("ResourceProperties", Map.of("ParameterName", NAME, "Description", "test"));
        if (physicalId != null) {
            event.put("PhysicalResourceId", physicalId);
        }
        int before;
        synchronized (responses) {
            before = responses.size();
        }
        ProcessBuilder pb = new ProcessBuilder("node", "-e",
                "require('./index.js').handler(JSON.parse(process.argv[1])).catch(e => { console.error(e); process.exit(3); })",
                JSON.writeValueAsString(event))
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("FAKE_SSM_LOG", log.toString());
        if (fail != null) {
            pb.environment().put("FAKE_SSM_FAIL", fail);
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        List<JsonNode> calls = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            calls.add(JSON.readTree(line));
        }
        Map<String, Object> response;
        synchronized (responses) {
            assertThat(responses).hasSize(before + 1);
            response = responses.get(before);
        }
        String body = (String) response.get("body");
        return new Run(calls, JSON.readTree(body), body, (String) response.get("method"),
                (String) response.get("contentType"), output);
    }
}
