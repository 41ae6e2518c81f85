package dev.agentlake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The stack with every context parameter away from its default ({@link SynthesizedStacks#OPTIONS}). */
class AgentlakeStackOptionsTest {
    static SynthesizedStacks.Synth synth;
    static Template template;
    static Map<String, Object> json;

    @BeforeAll
    static void synth() {
        synth = SynthesizedStacks.options();
        template = synth.template();
        json = template.toJSON();
    }

    @Test
    void givenAStageThenTheStackParametersCatalogAndWorkgroupCarryIt() {
        assertThat(synth.stack().getStackName()).isEqualTo("Agentlake-team-a");
        var names = template.findResources("Custom::AgentlakeToken").values().stream()
                .map(r -> (String) ((Map<?, ?>) r.get("Properties")).get("ParameterName")).collect(Collectors.toSet());
        assertThat(names).containsExactlyInAnyOrder("/agentlake/team-a/ingest-token", "/agentlake/team-a/query-token");
        template.hasResourceProperties("AWS::Glue::Database",
                Map.of("DatabaseInput", Match.objectLike(Map.of("Name", "agentlake_team_a"))));
        template.resourcePropertiesCountIs("AWS::Glue::Table", Map.of("DatabaseName", "agentlake_team_a"), 5);
        template.hasResourceProperties("AWS::Athena::WorkGroup", Map.of("Name", "agentlake-team-a"));
    }

    @Test
    void givenKmsThenBothBucketsUseOneRotatingKeyWithBucketKeysAndAthenaEncryptsResultsWithIt() {
        template.resourceCountIs("AWS::KMS::Key", 1);
        String key = id("AWS::KMS::Key", "LakeKey");
        template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
        Object keyArn = Map.of("Fn::GetAtt", List.of(key, "Arn"));
        Object byDefault = Map.of("SSEAlgorithm", "aws:kms", "KMSMasterKeyID", keyArn);
        Object sse = List.of(Map.of("BucketKeyEnabled", true, "ServerSideEncryptionByDefault", byDefault));
        template.resourcePropertiesCountIs("AWS::S3::Bucket",
                Map.of("BucketEncryption", Map.of("ServerSideEncryptionConfiguration", sse)), 2);
        Object encryption = Map.of("EncryptionOption", "SSE_KMS", "KmsKey", keyArn);
        Object configuration = Match.objectLike(Map.of("BytesScannedCutoffPerQuery", 1073741824,
                "ResultConfiguration", Match.objectLike(Map.of("EncryptionConfiguration", encryption))));
        template.hasResourceProperties("AWS::Athena::WorkGroup", Map.of("WorkGroupConfiguration", configuration));
    }

    @Test
    void givenKmsThenEachFunctionMayUseTheKeyOnlyAsItReadsOrWrites() {
        String key = "<" + id("AWS::KMS::Key", "LakeKey") + ".Arn>";
        assertThat(kmsGrants("IngestRole")).containsExactly("kms:GenerateDataKey " + key);
        assertThat(kmsGrants("QueryRole")).containsExactlyInAnyOrder("kms:Decrypt " + key, "kms:GenerateDataKey " + key);
        assertThat(kmsGrants("CompactorRole")).containsExactlyInAnyOrder("kms:Decrypt " + key,
                "kms:GenerateDataKey " + key);
        assertThat(kmsGrants("TokensRole")).isEmpty();
        for (var s : TemplatePolicies.statements(json)) {
            for (String action : s.actions()) {
                assertThat(action).as(s.toString()).doesNotContain("*");
            }
            assertThat(s.resources()).as(s.toString()).doesNotContain("*");
        }
    }

    @Test
    void givenRetentionsThenTablesExportsResultsAndLogsExpireAsChosen() {
        template.hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of("Rules", List.of(
                Map.of("Id", "abort-incomplete-uploads", "AbortIncompleteMultipartUpload",
                        Map.of("DaysAfterInitiation", 1), "Status", "Enabled"),
                Map.of("Id", "expire-exports", "Prefix", "exports/", "ExpirationInDays", 3, "Status", "Enabled"),
                Map.of("Id", "expire-tables", "Prefix", "tables/", "ExpirationInDays", 400, "Status", "Enabled")))));
        template.hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of("Rules",
                Match.arrayWith(List.of(Map.of("Id", "expire-results", "ExpirationInDays", 2, "Status", "Enabled"))))));
        template.resourcePropertiesCountIs("AWS::Logs::LogGroup", Map.of("RetentionInDays", 7), 4);
    }

    @Test
    void givenMemorySizesAndALargeTmpThenTheQueryFunctionGetsThemAndRunsWithoutSnapStart() {
        assertThat(function("Ingest")).containsEntry("MemorySize", 768)
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
        assertThat(function("Query")).containsEntry("MemorySize", 3008)
                .containsEntry("EphemeralStorage", Map.of("Size", 2048))
                // Lambda refuses SnapStart with more than 512 MB of /tmp.
                .doesNotContainKey("SnapStart");
        assertThat(function("Compactor")).containsEntry("MemorySize", 1536);
        // The URL still serves the published version through the alias.
        template.hasResourceProperties("AWS::Lambda::Url", Map.of("Qualifier", "live",
                "TargetFunctionArn", Map.of("Fn::GetAtt", List.of(id("AWS::Lambda::Function", "Query"), "Arn"))));
    }

    @Test
    void givenNoReservationAndAnotherScheduleThenTheCompactorFollowsThem() {
        assertThat(function("Compactor")).doesNotContainKey("ReservedConcurrentExecutions");
        template.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "rate(15 minutes)"));
    }

    @Test
    void givenCorsOriginsThenBothUrlsAllowExactlyThoseOrigins() {
        template.resourcePropertiesCountIs("AWS::Lambda::Url", Map.of("Cors", Match.objectLike(Map.of(
                "AllowOrigins", List.of("https://dash.example.com", "http://localhost:5173"),
                "AllowHeaders", List.of("authorization", "content-type", "content-encoding"),
                "MaxAge", 3600))), 2);
        template.hasResourceProperties("AWS::Lambda::Url", Map.of("Cors", Match.objectLike(Map.of(
                "AllowMethods", List.of("POST")))));
    }

    @Test
    void givenAnAlarmEmailThenTheAlarmNotifiesATlsOnlyTopicWithThatSubscription() {
        String topic = id("AWS::SNS::Topic", "Alarms");
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email",
                "Endpoint", "me@example.com", "TopicArn", Map.of("Ref", topic)));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("AlarmActions", List.of(Map.of("Ref", topic))));
        Object denyPlainHttp = Match.objectLike(Map.of("Effect", "Deny",
                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))));
        template.hasResourceProperties("AWS::SNS::TopicPolicy",
                Map.of("PolicyDocument", Match.objectLike(Map.of("Statement", List.of(denyPlainHttp)))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> function(String constructId) {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) json.get("Resources"))
                .get(id("AWS::Lambda::Function", constructId))).get("Properties");
    }

    private static List<String> kmsGrants(String rolePrefix) {
        String role = id("AWS::IAM::Role", rolePrefix);
        return TemplatePolicies.statements(json).stream().filter(s -> s.role().equals(role))
                .flatMap(s -> s.actions().stream().filter(a -> a.startsWith("kms:"))
                        .flatMap(a -> s.resources().stream().map(r -> a + " " + r)))
                .collect(Collectors.toList());
    }

    @SuppressWarnings("unchecked")
    private static String id(String type, String constructId) {
        var resources = (Map<String, Map<String, Object>>) json.get("Resources");
        List<String> ids = resources.entrySet().stream().filter(e -> type.equals(e.getValue().get("Type")))
                .map(Map.Entry::getKey).filter(k -> k.matches(constructId + "[0-9A-F]{8}")).collect(Collectors.toList());
        assertThat(ids).as(type + " " + constructId).hasSize(1);
        return ids.get(0);
    }
}
