package dev.agentlake.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the lake lives, shared by every subcommand: the embedded S3-compatible server under
 * {@code --data-dir} (default), or an S3 endpoint such as MinIO or AWS with {@code --s3-endpoint}.
 * Each option also reads an {@code AGENTLAKE_*} environment variable.
 */
public final class StorageOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:AGENTLAKE_DATA_DIR:-agentlake-data}",
            description = "Folder of the embedded lake (objects under DIR/s3, query cache under DIR/cache). Default: ${DEFAULT-VALUE}; env AGENTLAKE_DATA_DIR.")
    Path dataDir;

    @Option(names = "--s3-endpoint", paramLabel = "URL", defaultValue = "${env:AGENTLAKE_S3_ENDPOINT}",
            description = "Use this S3-compatible endpoint (MinIO, AWS: https://s3.<region>.amazonaws.com) instead of the embedded server. Env AGENTLAKE_S3_ENDPOINT.")
    String s3Endpoint;

    @Option(names = "--bucket", paramLabel = "NAME", defaultValue = "${env:AGENTLAKE_BUCKET:-agentlake}",
            description = "Bucket of the lake. Default: ${DEFAULT-VALUE}; env AGENTLAKE_BUCKET.")
    String bucket;

    @Option(names = "--s3-access-key", paramLabel = "KEY", defaultValue = "${env:AGENTLAKE_S3_ACCESS_KEY}",
            description = "Access key for --s3-endpoint (else the AWS default credential chain). Env AGENTLAKE_S3_ACCESS_KEY.")
    String accessKey;

    @Option(names = "--s3-secret-key", paramLabel = "SECRET", defaultValue = "${env:AGENTLAKE_S3_SECRET_KEY}",
            description = "Secret key for --s3-endpoint. Env AGENTLAKE_S3_SECRET_KEY.")
    String secretKey;

    @Option(names = "--s3-region", paramLabel = "REGION", defaultValue = "${env:AGENTLAKE_S3_REGION:-us-east-1}",
            description = "Region of the bucket. Default: ${DEFAULT-VALUE}; env AGENTLAKE_S3_REGION.")
    String region;

    boolean embedded() {
        return s3Endpoint == null || s3Endpoint.isBlank();
    }

    @Override
    public String toString() {
        // Never print the secret.
        return embedded() ? "embedded S3 under " + dataDir.resolve("s3") + " (bucket " + bucket + ")"
                : s3Endpoint + " (bucket " + bucket + ")";
    }
}
