package dev.agentlake.lake.store;

import dev.agentlake.lake.testing.LakeTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class S3ProxyObjectStoreTest extends ObjectStoreContract {
    private static LakeTestServer server;

    @BeforeAll
    static void start() {
        server = LakeTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Override
    protected ObjectStore store() {
        return server.store();
    }
}
