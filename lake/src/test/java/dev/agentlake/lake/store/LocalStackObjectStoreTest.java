package dev.agentlake.lake.store;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/** The same contract against LocalStack's S3; skipped (not failed) where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackObjectStoreTest extends ObjectStoreContract {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices(LocalStackContainer.Service.S3);

    private static S3ObjectStore store;

    @BeforeAll
    static void connect() {
        store = S3ObjectStore.create(new S3Settings(LOCALSTACK.getEndpoint().toString(), "agentlake-localstack",
                LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey(), LOCALSTACK.getRegion(), true, Duration.ofSeconds(20)));
        store.createBucketIfMissing();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Override
    protected ObjectStore store() {
        return store;
    }
}
