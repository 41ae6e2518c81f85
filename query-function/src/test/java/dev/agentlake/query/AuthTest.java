package dev.agentlake.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.store.S3Settings;
import dev.agentlake.lake.testing.LakeTestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With tokens configured, no /api endpoint answers data without one. */
class AuthTest {
    static final String TOKEN = "s3cr3t-token-0123456789";
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass();
    static RunningQuery api;

    @BeforeAll
    static void start() throws Exception {
        api = RunningQuery.start(s3, Map.of("agentlake.query.tokens", List.of(TOKEN, "second-token-abcdefghij")));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void everyApiEndpointNeedsABearerToken() throws Exception {
        for (String path : List.of("/api/logs", "/api/logs/levels", "/api/stats", "/api/services", "/api/live",
                "/api/dashboards", "/api/dashboards/abc", "/api/nope")) {
            api.token = null;
            var anonymous = api.get(path);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"agentlake\"");
            assertThat(anonymous.body()).contains("Authorization: Bearer");
            api.token = "wrong-token-0123456789";
            assertThat(api.get(path).statusCode()).as(path).isEqualTo(401);
        }
        api.token = null;
        assertThat(api.send("POST", "/api/sql", "{\"sql\":\"SELECT 1\"}").statusCode()).isEqualTo(401);
        assertThat(api.send("POST", "/api/dashboards", "{\"name\":\"x\",\"widgets\":[]}").statusCode()).isEqualTo(401);
        assertThat(s3.keys()).isEmpty();
    }

    @Test
    void aValidTokenOpensTheApiAndHealthAndThePageNeedNone() throws Exception {
        api.token = TOKEN;
        assertThat(api.get("/api/logs").statusCode()).isEqualTo(200);
        api.token = "second-token-abcdefghij";
        assertThat(api.get("/api/stats").statusCode()).isEqualTo(200);
        api.token = null;
        assertThat(api.get("/api/health").statusCode()).isEqualTo(200);
        assertThat(api.get("/health").statusCode()).isEqualTo(200);
        assertThat(api.get("/").statusCode()).isEqualTo(200);
    }

    /** Micronaut logs every bean it creates by its toString at debug level. */
    @Test
    void theSettingsNeverPrintTheTokensOrTheSecretKey() {
        var context = api.server.getApplicationContext();
        QuerySettings query = context.getBean(QuerySettings.class);
        S3Settings lake = context.getBean(S3Settings.class);

        assertThat(query.tokens()).containsExactly(TOKEN, "second-token-abcdefghij");
        assertThat(query.toString()).doesNotContain(TOKEN).doesNotContain("second-token-abcdefghij")
                .contains(", tokens=2 configured, ");
        assertThat(lake.secretKey()).isEqualTo("test-secret-key");
        assertThat(lake.toString()).isEqualTo("S3Settings[endpoint=" + lake.endpoint() + ", bucket=" + lake.bucket()
                + ", accessKey=" + lake.accessKey() + ", secretKey=(set), region=us-east-1, pathStyle=true, callTimeout=PT20S]");
    }
}
