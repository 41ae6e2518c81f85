package dev.agentlake.lake.testing;

import dev.agentlake.lake.store.EmbeddedS3Server;
import dev.agentlake.lake.store.S3ObjectStore;
import dev.agentlake.lake.store.S3Settings;
import dev.agentlake.lake.store.StoredObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3-compatible server (S3Proxy over HTTP, objects in memory) with the lake's bucket created:
 * what every test stores into instead of a mock. Start one with {@link #start()}, or let JUnit run it for
 * a test class: {@code @RegisterExtension static final LakeTestServer s3 = LakeTestServer.perClass();}
 * starts it before the class's {@code @BeforeAll} methods and closes it after its {@code @AfterAll} ones.
 */
public final class LakeTestServer implements AutoCloseable, BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    public static final String BUCKET = "agentlake-test";
    private static final String ACCESS_KEY = "test-access";
    private static final String SECRET_KEY = "test-secret-key";
    private final java.nio.file.Path folder;
    private int port;
    private EmbeddedS3Server server;
    private S3ObjectStore store;
    private boolean emptyBeforeEachTest;

    private LakeTestServer(java.nio.file.Path folder) {
        this.folder = folder;
    }

    private LakeTestServer open() {
        server = EmbeddedS3Server.start(folder, "127.0.0.1", 0, ACCESS_KEY, SECRET_KEY);
        port = server.port();
        store = S3ObjectStore.create(server.settings(BUCKET));
        store.createBucketIfMissing();
        return this;
    }

    public static LakeTestServer start() {
        return new LakeTestServer(null).open();
    }

    /** An in-memory server for one test class, run by JUnit (register it with {@code @RegisterExtension}). */
    public static LakeTestServer perClass() {
        return new LakeTestServer(null);
    }

    /** With {@link #perClass()}: every test starts from an empty bucket. */
    public LakeTestServer emptiedBeforeEachTest() {
        emptyBeforeEachTest = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (emptyBeforeEachTest) {
            store.delete(keys());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** A server storing its objects as files under {@code folder}, so they survive {@link #stop()}. */
    public static LakeTestServer startInFolder(java.nio.file.Path folder) {
        return new LakeTestServer(folder).open();
    }

    /** Stops the S3 server (an outage): clients get connection refused until {@link #restart()}. */
    public void stop() {
        server.close();
    }

    /** Starts a new server on the same port over the same folder (only for {@link #startInFolder}). */
    public void restart() {
        if (folder == null) {
            throw new IllegalStateException("an in-memory server loses its objects when stopped: use startInFolder");
        }
        server = EmbeddedS3Server.start(folder, "127.0.0.1", port, ACCESS_KEY, SECRET_KEY);
    }

    public S3ObjectStore store() {
        return store;
    }

    public S3Settings settings() {
        return server.settings(BUCKET);
    }

    public EmbeddedS3Server server() {
        return server;
    }

    /** Micronaut properties that point a function at this server. */
    public Map<String, Object> properties() {
        S3Settings s = settings();
        return Map.of(
                "agentlake.s3.endpoint", s.endpoint(),
                "agentlake.s3.bucket", s.bucket(),
                "agentlake.s3.access-key", s.accessKey(),
                "agentlake.s3.secret-key", s.secretKey(),
                "agentlake.s3.region", s.region());
    }

    /** Every key in the bucket, sorted. */
    public List<String> keys() {
        return store.list("").stream().map(StoredObject::key).toList();
    }

    @Override
    public void close() {
        store.close();
        server.close();
    }
}
