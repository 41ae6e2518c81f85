package dev.agentlake.lake.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentlake.lake.testing.LakeTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * S3Proxy answers 404 NoSuchBucket before it reads an upload and closes the connection: with a
     * large body the client mostly fails writing it and never sees the 404. Either way the put must say
     * "refused" (a configuration to fix), not "unavailable" (retry and wait).
     */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1_000, 32 * 1024 * 1024})
    void givenABucketThatDoesNotExistThenAPutIsRefusedNotUnavailableWhateverTheBodySize(int size) {
        S3ObjectStore missing = S3ObjectStore.create(server.server().settings("no-such-bucket"));

        Throwable thrown = catchThrowable(() -> missing.put("landing/logs/x.parquet", new byte[size]));

        assertThat(thrown).isInstanceOf(StoreException.class).isNotInstanceOf(StoreUnavailableException.class);
        assertThat(thrown.getMessage()).containsAnyOf("HTTP 404 NoSuchBucket", "no such bucket no-such-bucket");
    }
}
