package dev.agentlake.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.agentlake.lake.testing.LakeTestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On AWS the accepted tokens live in an SSM SecureString (infra writes it; the function gets only
 * its name). The real SSM client of the AWS SDK talks here to a stand-in for the SSM endpoint that
 * speaks its JSON protocol (GetParameter), as no AWS account is reachable from tests.
 */
class SsmTokensTest {
    static HttpServer ssm;
    static final AtomicReference<String> VALUE = new AtomicReference<>("ssm-token-aaaaaaaaaaaa,ssm-token-bbbbbbbbbbbb");
    static final AtomicInteger READS = new AtomicInteger();
    static final AtomicReference<String> ASKED = new AtomicReference<>();
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass();
    static RunningQuery api;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("aws.accessKeyId", "test-access");
        System.setProperty("aws.secretAccessKey", "test-secret");
        ssm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ssm.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer;
            int status;
            if ("AmazonSSM.GetParameter".equals(target) && body.contains("\"WithDecryption\":true")) {
                READS.incrementAndGet();
                ASKED.set(body);
                answer = ("{\"Parameter\":{\"Name\":\"/agentlake/prod/query-token\",\"Type\":\"SecureString\",\"Value\":\""
                        + VALUE.get() + "\",\"Version\":3}}").getBytes(StandardCharsets.UTF_8);
                status = 200;
            } else {
                answer = "{\"__type\":\"ValidationException\",\"message\":\"unexpected\"}".getBytes(StandardCharsets.UTF_8);
                status = 400;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        ssm.start();
        api = RunningQuery.start(s3, Map.of(
                "agentlake.query.tokens-parameter", "/agentlake/prod/query-token",
                "agentlake.query.ssm-endpoint", "http://127.0.0.1:" + ssm.getAddress().getPort()));
    }

    @AfterAll
    static void stop() {
        api.close();
        ssm.stop(0);
    }

    @Test
    void tokensFromTheParameterOpenTheApiAndNothingElseDoes() throws Exception {
        assertThat(READS.get()).as("not read at start (SnapStart would freeze it)").isZero();
        api.token = null;
        assertThat(api.get("/api/stats").statusCode()).isEqualTo(401);
        assertThat(READS.get()).as("a request without a token is refused without a read").isZero();
        api.token = "ssm-token-bbbbbbbbbbbb";
        assertThat(api.get("/api/stats").statusCode()).isEqualTo(200);
        assertThat(ASKED.get()).contains("\"Name\":\"/agentlake/prod/query-token\"");
        api.token = "ssm-token-aaaaaaaaaaaa";
        assertThat(api.get("/api/logs").statusCode()).isEqualTo(200);
        api.token = "ssm-token-cccccccccccc";
        assertThat(api.get("/api/logs").statusCode()).isEqualTo(401);
        assertThat(READS.get()).as("cached between requests").isEqualTo(1);
    }
}
