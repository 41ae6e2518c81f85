package dev.agentlake.infra;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

/**
 * The lake's AWS deployment. So far: the bucket (encrypted, never public, TLS only, incomplete
 * uploads aborted, export bundles expired). The functions follow.
 */
public final class AgentlakeStack extends Stack {
    private final Bucket bucket;

    public AgentlakeStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        Number exportDays = contextNumber("exportRetentionDays", 7);
        this.bucket = Bucket.Builder.create(this, "Lake")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                // Versioning would keep every superseded compaction file; the snapshot protocol
                // already makes commits safe, so it is off by default (docs/deploy-aws.md).
                .versioned(false)
                .removalPolicy(RemovalPolicy.RETAIN)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("abort-incomplete-uploads")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build(),
                        LifecycleRule.builder().id("expire-exports").prefix("exports/")
                                .expiration(Duration.days(exportDays.intValue())).build()))
                .build();
        CfnOutput.Builder.create(this, "LakeBucket").value(bucket.getBucketName())
                .description("Bucket holding the lake (landing/, tables/, _lake/)").build();
    }

    private Number contextNumber(String key, int defaultValue) {
        Object v = getNode().tryGetContext(key);
        return v == null ? defaultValue : Integer.parseInt(v.toString());
    }

    public Bucket bucket() {
        return bucket;
    }
}
