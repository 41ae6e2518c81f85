package dev.agentlake.cli.local;

import dev.agentlake.lake.store.EmbeddedS3Server;
import dev.agentlake.lake.store.S3ObjectStore;
import dev.agentlake.lake.store.S3Settings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lake a local command works on: the embedded S3-compatible server over a data folder, or an
 * external endpoint. Owns the embedded server's lifetime.
 */
public final class LocalLake implements AutoCloseable {
    private final EmbeddedS3Server embedded;
    private final S3Settings settings;

    private LocalLake(EmbeddedS3Server embedded, S3Settings settings) {
        this.embedded = embedded;
        this.settings = settings;
    }

    /**
     * Starts the embedded server storing under {@code folder}. It listens on loopback only, with
     * credentials made up for this process: nothing outside the process needs them.
     */
    public static LocalLake embedded(Path folder, String bucket) {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        EmbeddedS3Server server = EmbeddedS3Server.start(folder, "127.0.0.1", 0, "agentlake-local",
                HexFormat.of().formatHex(secret));
        LocalLake lake = new LocalLake(server, server.settings(bucket));
        lake.createBucket();
        return lake;
    }

    public static LocalLake external(String endpoint, String bucket, String accessKey, String secretKey, String region) {
        LocalLake lake = externalAsIs(endpoint, bucket, accessKey, secretKey, region);
        lake.createBucket();
        return lake;
    }

    /** An S3-compatible server's bucket, not created when missing (see {@link #bucketExists()}). */
    public static LocalLake externalAsIs(String endpoint, String bucket, String accessKey, String secretKey, String region) {
        return new LocalLake(null, new S3Settings(endpoint, bucket, accessKey, secretKey, region, true,
                Duration.ofSeconds(20)));
    }

    public boolean bucketExists() {
        try (S3ObjectStore store = S3ObjectStore.create(settings)) {
            return store.bucketExists();
        }
    }

    private void createBucket() {
        try (S3ObjectStore store = S3ObjectStore.create(settings)) {
            store.createBucketIfMissing();
        }
    }

    public S3Settings settings() {
        return settings;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Micronaut properties that point a function at this lake. */
    public Map<String, Object> properties() {
        var p = new LinkedHashMap<String, Object>();
        if (settings.endpoint() != null) {
            p.put("agentlake.s3.endpoint", settings.endpoint());
        }
        p.put("agentlake.s3.bucket", settings.bucket());
        if (settings.accessKey() != null) {
            p.put("agentlake.s3.access-key", settings.accessKey());
            p.put("agentlake.s3.secret-key", settings.secretKey());
        }
        p.put("agentlake.s3.region", settings.region());
        return p;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
