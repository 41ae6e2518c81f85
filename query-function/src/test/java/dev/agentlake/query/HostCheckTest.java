package dev.agentlake.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.testing.LakeTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Given a token-less API on loopback, a request that names another host (a web page whose name was
 * pointed at 127.0.0.1: DNS rebinding) gets no data; localhost, IP addresses and allowed names do.
 */
class HostCheckTest {
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass();
    static RunningQuery open;
    static RunningQuery withToken;

    @BeforeAll
    static void start() throws Exception {
        open = RunningQuery.start(s3, Map.of("agentlake.query.allowed-hosts", List.of("MyBox.lan")));
        withToken = RunningQuery.start(s3, Map.of("agentlake.query.tokens", List.of(AuthTest.TOKEN)));
    }

    @AfterAll
    static void stop() {
        open.close();
        withToken.close();
    }

    @Test
    void givenNoTokenWhenAPageUnderAnotherNameAsksThenTheApiRefusesWith403() throws IOException {
        int port = open.server.getPort();
        for (String host : List.of("attacker.example", "attacker.example:" + port, "127.0.0.1.nip.io:" + port, "localhost.attacker.example")) {
            String answer = get(port, "/api/logs", host, null);
            assertThat(statusLine(answer)).as(host).isEqualTo("HTTP/1.1 403 Forbidden");
            assertThat(answer).as(host).contains("\"error\":\"host_not_allowed\"")
                    .contains("not " + host.replace(":" + port, "").toLowerCase() + " (")
                    .contains("--allowed-host").doesNotContain("\"records\"");
        }
        assertThat(statusLine(get(port, "/api/sql?sql=SELECT%201", "evil.test", null))).isEqualTo("HTTP/1.1 403 Forbidden");
    }

    @Test
    void givenNoTokenWhenAskedUnderLocalhostAnIpOrAnAllowedNameThenItAnswers() throws IOException {
        int port = open.server.getPort();
        for (String host : List.of("localhost:" + port, "LOCALHOST", "app.localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port,
                "192.168.1.20:" + port, "mybox.lan:" + port, "MYBOX.LAN")) {
            assertThat(statusLine(get(port, "/api/logs", host, null))).as(host).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void givenATokenThenAnyHostIsAnsweredWithTheToken() throws IOException {
        int port = withToken.server.getPort();
        assertThat(statusLine(get(port, "/api/logs", "agentlake.example.org", AuthTest.TOKEN))).isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusLine(get(port, "/api/logs", "agentlake.example.org", null))).isEqualTo("HTTP/1.1 401 Unauthorized");
    }

    /** One GET over a plain socket: Java's HTTP clients do not let a caller set {@code Host}. */
    private static String get(int port, String path, String host, String token) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String statusLine(String answer) {
        return answer.substring(0, answer.indexOf("\r\n"));
    }
}
