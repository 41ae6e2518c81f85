package dev.agentlake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Synthesizes the stack offline and checks what it would deploy. */
class AgentlakeStackTest {
    static Template template;

    @BeforeAll
    static void synth() {
        App app = new App();
        template = Template.fromStack(new AgentlakeStack(app, "Test", StackProps.builder().build()));
    }

    @Test
    void theLakeBucketIsEncryptedPrivateAndExpiresExports() {
        template.resourceCountIs("AWS::S3::Bucket", 1);
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Id", "abort-incomplete-uploads",
                                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1))),
                        Match.objectLike(Map.of("Id", "expire-exports", "Prefix", "exports/", "ExpirationInDays", 7,
                                "Status", "Enabled")))))));
    }

    @Test
    void theBucketRefusesPlainHttp() {
        var policies = template.findResources("AWS::S3::BucketPolicy");
        assertThat(policies).hasSize(1);
        assertThat(policies.values().iterator().next().toString())
                .contains("aws:SecureTransport=false").contains("Effect=Deny");
    }
}
