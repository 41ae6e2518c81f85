package dev.agentlake.lake.store;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Where the lake is stored ({@code agentlake.s3.*}, env {@code AGENTLAKE_S3_*}). With no endpoint
 * the AWS default endpoint is used; with no access key the AWS default credential chain (Lambda's role).
 *
 * @param endpoint S3-compatible endpoint, e.g. {@code http://127.0.0.1:9000} for MinIO
 * @param callTimeout how long one S3 call may take in all (retries included) before it counts as unavailable
 */
@ConfigurationProperties("agentlake.s3")
public record S3Settings(
        @Nullable String endpoint,
        @Bindable(defaultValue = "agentlake") String bucket,
        @Nullable String accessKey,
        @Nullable String secretKey,
        @Bindable(defaultValue = "us-east-1") String region,
        @Bindable(defaultValue = "true") boolean pathStyle,
        @Bindable(defaultValue = "20s") Duration callTimeout) {

    public S3Settings {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("agentlake.s3.bucket is not a valid bucket name: " + bucket);
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("agentlake.s3.access-key and secret-key go together");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("agentlake.s3.region is empty");
        }
        if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("agentlake.s3.call-timeout must be positive");
        }
    }

    /** Never prints the secret key, only whether one is set (Micronaut logs beans at debug level). */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", bucket=" + bucket + ", accessKey=" + accessKey
                + ", secretKey=" + (secretKey == null ? "null" : "(set)") + ", region=" + region + ", pathStyle=" + pathStyle
                + ", callTimeout=" + callTimeout + "]";
    }
}
