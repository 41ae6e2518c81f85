package dev.agentlake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The stack {@code cdk deploy} builds with no context: what it would deploy, synthesized offline. */
class AgentlakeStackTest {
    static Template template;
    static Map<String, Object> json;
    static String lake;

    @BeforeAll
    static void synth() {
        template = SynthesizedStacks.defaults().template();
        json = template.toJSON();
        lake = logicalId("AWS::S3::Bucket", "Lake");
    }

    @Test
    void givenTheDefaultsThenTheStackHoldsExactlyTheseResources() {
        Map<String, Long> counts = resources().values().stream()
                .collect(Collectors.groupingBy(r -> (String) r.get("Type"), TreeMap::new, Collectors.counting()));
        assertThat(counts).isEqualTo(new TreeMap<>(Map.ofEntries(
                Map.entry("AWS::S3::Bucket", 2L), Map.entry("AWS::S3::BucketPolicy", 2L),
                Map.entry("AWS::Lambda::Function", 4L), Map.entry("AWS::Lambda::Version", 2L),
                Map.entry("AWS::Lambda::Alias", 2L), Map.entry("AWS::Lambda::Url", 2L),
                Map.entry("AWS::Lambda::Permission", 5L), Map.entry("AWS::Lambda::EventInvokeConfig", 1L),
                Map.entry("AWS::IAM::Role", 4L), Map.entry("AWS::IAM::Policy", 4L),
                Map.entry("AWS::Logs::LogGroup", 4L), Map.entry("Custom::AgentlakeToken", 2L),
                Map.entry("AWS::SQS::Queue", 1L), Map.entry("AWS::SQS::QueuePolicy", 1L),
                Map.entry("AWS::Events::Rule", 1L), Map.entry("AWS::CloudWatch::Alarm", 1L),
                Map.entry("AWS::Glue::Database", 1L), Map.entry("AWS::Glue::Table", 5L),
                Map.entry("AWS::Athena::WorkGroup", 1L))));
    }

    @Test
    void givenTheLakeBucketThenItIsEncryptedPrivateUnversionedRetainedAndExpiresExports() {
        Map<String, Object> bucket = resource(lake);
        assertThat(bucket.get("DeletionPolicy")).isEqualTo("Retain");
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "LifecycleConfiguration", Map.of("Rules", List.of(
                        Map.of("Id", "abort-incomplete-uploads",
                                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1), "Status", "Enabled"),
                        Map.of("Id", "expire-exports", "Prefix", "exports/", "ExpirationInDays", 7,
                                "Status", "Enabled")))));
        assertThat(properties(lake)).doesNotContainKey("VersioningConfiguration");
    }

    @Test
    void givenBothBucketsThenEachPolicyOnlyDeniesPlainHttp() {
        for (var policy : template.findResources("AWS::S3::BucketPolicy").values()) {
            @SuppressWarnings("unchecked")
            var statements = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) policy
                    .get("Properties")).get("PolicyDocument")).get("Statement");
            assertThat(statements).hasSize(1);
            assertThat(statements.get(0)).containsEntry("Effect", "Deny").containsEntry("Action", "s3:*")
                    .containsEntry("Principal", Map.of("AWS", "*"))
                    .containsEntry("Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")));
        }
        template.resourcePropertiesCountIs("AWS::S3::Bucket", Map.of("PublicAccessBlockConfiguration",
                Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                        "RestrictPublicBuckets", true)), 2);
    }

    @Test
    void givenTheJavaFunctionsThenTheyRunJava21OnArm64WithTheModulesHandlersAndDefaultSizes() {
        assertFunction("Ingest", LambdaHandlers.INGEST, 1024, 512, 30);
        assertFunction("Query", LambdaHandlers.QUERY, 2048, 512, 30);
        assertFunction("Compactor", LambdaHandlers.COMPACTOR, 2048, 512, 240);
    }

    @Test
    void givenIngestAndQueryThenSnapStartServesAPublishedVersionThroughTheLiveAliasAndItsUrl() {
        for (String id : List.of("Ingest", "Query")) {
            String function = logicalId("AWS::Lambda::Function", id);
            assertThat(properties(function)).containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
            String alias = logicalId("AWS::Lambda::Alias", id + "Live");
            assertThat(properties(alias)).containsEntry("Name", "live")
                    .containsEntry("FunctionName", Map.of("Ref", function));
            String version = TemplatePolicies.render(properties(alias).get("FunctionVersion"));
            assertThat(version).matches("<" + id + "CurrentVersion[0-9A-Fa-f]+\\.Version>");
            String url = logicalId("AWS::Lambda::Url", id + "LiveFunctionUrl");
            assertThat(properties(url)).containsEntry("AuthType", "NONE").containsEntry("Qualifier", "live")
                    .doesNotContainKey("Cors");
        }
        assertThat(properties(logicalId("AWS::Lambda::Function", "Compactor"))).doesNotContainKey("SnapStart");
    }

    @Test
    void givenTheFunctionsThenTheirEnvironmentNamesTheTokenParametersAndHoldsNoToken() {
        assertThat(environment("Ingest")).isEqualTo(Map.of(
                "AGENTLAKE_S3_BUCKET", "<" + lake + ">", "AGENTLAKE_S3_REGION", "eu-west-1",
                "AGENTLAKE_S3_PATH_STYLE", "false",
                "AGENTLAKE_INGEST_TOKENS_PARAMETER", "/agentlake/default/ingest-token"));
        assertThat(environment("Query")).isEqualTo(Map.of(
                "AGENTLAKE_S3_BUCKET", "<" + lake + ">", "AGENTLAKE_S3_REGION", "eu-west-1",
                "AGENTLAKE_S3_PATH_STYLE", "false",
                "AGENTLAKE_QUERY_TOKENS_PARAMETER", "/agentlake/default/query-token",
                "AGENTLAKE_QUERY_CACHE_DIR", "/tmp/agentlake-query-cache",
                // The dashboard's connect snippets name the ingest function's URL (the one the outputs give).
                "AGENTLAKE_QUERY_INGEST_URL", "<" + logicalId("AWS::Lambda::Url", "IngestLiveFunctionUrl") + ".FunctionUrl>"));
        assertThat(environment("Compactor")).isEqualTo(Map.of(
                "AGENTLAKE_S3_BUCKET", "<" + lake + ">", "AGENTLAKE_S3_REGION", "eu-west-1",
                "AGENTLAKE_S3_PATH_STYLE", "false"));
    }

    @Test
    void givenTheTokensThenTheyAreMadeAtDeployIntoSsmAndNoSecretValueIsInTheTemplate() {
        template.resourceCountIs("AWS::SSM::Parameter", 0);
        template.resourceCountIs("AWS::SecretsManager::Secret", 0);
        var tokens = template.findResources("Custom::AgentlakeToken");
        Set<String> names = new TreeSet<>();
        for (var token : tokens.values()) {
            @SuppressWarnings("unchecked")
            var props = (Map<String, Object>) token.get("Properties");
            assertThat(props.keySet()).containsExactlyInAnyOrder("ServiceToken", "ParameterName", "Description");
            names.add((String) props.get("ParameterName"));
            assertThat(token.get("DeletionPolicy")).isEqualTo("Delete");
        }
        assertThat(names).containsExactly("/agentlake/default/ingest-token", "/agentlake/default/query-token");
        // The functions start only after their parameter exists.
        assertThat(dependsOn(logicalId("AWS::Lambda::Function", "Ingest")))
                .contains(logicalId("Custom::AgentlakeToken", "TokensIngest"));
        assertThat(dependsOn(logicalId("AWS::Lambda::Function", "Query")))
                .contains(logicalId("Custom::AgentlakeToken", "TokensQuery"));
        Map<String, Object> generator = properties(logicalId("AWS::Lambda::Function", "TokensGenerator"));
        assertThat(generator).containsEntry("Runtime", "nodejs24.x").containsEntry("Handler", "index.handler");
        assertThat(generator.get("Code")).isEqualTo(Map.of("ZipFile", TokenParameters.code()));
    }

    @Test
    void givenTheCompactorThenItRunsEveryFiveMinutesOneAtATimeWithFailuresQueuedAndAlarmed() {
        String compactor = logicalId("AWS::Lambda::Function", "Compactor");
        String queue = logicalId("AWS::SQS::Queue", "CompactorFailures");
        assertThat(properties(compactor)).containsEntry("ReservedConcurrentExecutions", 1);
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(5 minutes)", "State", "ENABLED",
                "Targets", List.of(Map.of(
                        "Arn", Map.of("Fn::GetAtt", List.of(compactor, "Arn")),
                        "DeadLetterConfig", Map.of("Arn", Map.of("Fn::GetAtt", List.of(queue, "Arn"))),
                        "RetryPolicy", Map.of("MaximumEventAgeInSeconds", 3600, "MaximumRetryAttempts", 2),
                        "Id", "Target0"))));
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "FunctionName", Map.of("Ref", compactor), "MaximumRetryAttempts", 0,
                "MaximumEventAgeInSeconds", 900,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination",
                        Map.of("Fn::GetAtt", List.of(queue, "Arn"))))));
        assertThat(properties(queue)).containsEntry("SqsManagedSseEnabled", true)
                .containsEntry("MessageRetentionPeriod", 1209600);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible", "Namespace", "AWS/SQS",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value",
                        Map.of("Fn::GetAtt", List.of(queue, "QueueName")))),
                "Threshold", 1, "EvaluationPeriods", 1, "Period", 300, "Statistic", "Maximum",
                "ComparisonOperator", "GreaterThanOrEqualToThreshold", "TreatMissingData", "notBreaching"));
        template.resourceCountIs("AWS::SNS::Topic", 0);
    }

    @Test
    void givenTheLogGroupsThenTheyKeepThirtyDays() {
        for (var group : template.findResources("AWS::Logs::LogGroup").values()) {
            assertThat(group.get("Properties")).isEqualTo(Map.of("RetentionInDays", 30));
        }
    }

    @Test
    void givenEveryPolicyThenNoStatementAllowsAWildcardActionOrAnyResource() {
        var statements = TemplatePolicies.statements(json);
        assertThat(statements).hasSizeGreaterThanOrEqualTo(12);
        for (var s : statements) {
            assertThat(s.effect()).as(s.toString()).isEqualTo("Allow");
            for (String action : s.actions()) {
                assertThat(action).as(s.toString()).doesNotContain("*");
            }
            for (String resource : s.resources()) {
                assertThat(resource).as(s.toString()).isNotEqualTo("*").doesNotStartWith("arn:*");
                if (resource.startsWith("<" + lake + ".Arn>")) {
                    assertThat(resource.substring(("<" + lake + ".Arn>").length())).as(s.toString())
                            .matches("|/(landing|tables|_lake|_state/dashboards|exports)/\\*");
                }
            }
        }
    }

    @Test
    void givenIngestThenItMayOnlyPutLandingObjects() {
        assertThat(bucketGrants("IngestRole")).containsExactly("s3:PutObject LAKE/landing/*");
    }

    @Test
    void givenTheCompactorThenItMayReadWriteAndDeleteOnlyLandingTablesAndSnapshots() {
        assertThat(bucketGrants("CompactorRole")).containsExactlyInAnyOrder(
                "s3:GetObject LAKE/landing/*", "s3:GetObject LAKE/tables/*", "s3:GetObject LAKE/_lake/*",
                "s3:PutObject LAKE/landing/*", "s3:PutObject LAKE/tables/*", "s3:PutObject LAKE/_lake/*",
                "s3:DeleteObject LAKE/landing/*", "s3:DeleteObject LAKE/tables/*", "s3:DeleteObject LAKE/_lake/*",
                "s3:ListBucket LAKE if s3:prefix like [landing/*, tables/*, _lake/*]");
    }

    @Test
    void givenTheQueryFunctionThenItReadsTheLakeAndWritesOnlyDashboardsAndExports() {
        assertThat(bucketGrants("QueryRole")).containsExactlyInAnyOrder(
                "s3:GetObject LAKE/landing/*", "s3:GetObject LAKE/tables/*", "s3:GetObject LAKE/_lake/*",
                "s3:GetObject LAKE/_state/dashboards/*", "s3:GetObject LAKE/exports/*",
                "s3:PutObject LAKE/_state/dashboards/*", "s3:DeleteObject LAKE/_state/dashboards/*",
                "s3:PutObject LAKE/exports/*",
                "s3:ListBucket LAKE if s3:prefix like [landing/*, tables/*, _lake/*, _state/dashboards/*, exports/*]");
    }

    @Test
    void givenEachRoleThenItsOtherGrantsAreItsOwnLogGroupAndTokenParameter() {
        String partitionArn = "arn:<AWS::Partition>:ssm:eu-west-1:123456789012:parameter/agentlake/default/";
        assertThat(otherGrants("IngestRole")).containsExactlyInAnyOrder(
                "logs:CreateLogStream <" + logicalId("AWS::Logs::LogGroup", "IngestLogs") + ".Arn>",
                "logs:PutLogEvents <" + logicalId("AWS::Logs::LogGroup", "IngestLogs") + ".Arn>",
                "ssm:GetParameter " + partitionArn + "ingest-token");
        assertThat(otherGrants("QueryRole")).containsExactlyInAnyOrder(
                "logs:CreateLogStream <" + logicalId("AWS::Logs::LogGroup", "QueryLogs") + ".Arn>",
                "logs:PutLogEvents <" + logicalId("AWS::Logs::LogGroup", "QueryLogs") + ".Arn>",
                "ssm:GetParameter " + partitionArn + "query-token");
        String queue = "<" + logicalId("AWS::SQS::Queue", "CompactorFailures") + ".Arn>";
        assertThat(otherGrants("CompactorRole")).containsExactlyInAnyOrder(
                "logs:CreateLogStream <" + logicalId("AWS::Logs::LogGroup", "CompactorLogs") + ".Arn>",
                "logs:PutLogEvents <" + logicalId("AWS::Logs::LogGroup", "CompactorLogs") + ".Arn>",
                "sqs:SendMessage " + queue, "sqs:GetQueueAttributes " + queue, "sqs:GetQueueUrl " + queue);
        assertThat(otherGrants("TokensRole")).containsExactlyInAnyOrder(
                "logs:CreateLogStream <" + logicalId("AWS::Logs::LogGroup", "TokensLogs") + ".Arn>",
                "logs:PutLogEvents <" + logicalId("AWS::Logs::LogGroup", "TokensLogs") + ".Arn>",
                "ssm:PutParameter " + partitionArn + "ingest-token", "ssm:PutParameter " + partitionArn + "query-token",
                "ssm:DeleteParameter " + partitionArn + "ingest-token",
                "ssm:DeleteParameter " + partitionArn + "query-token");
    }

    @Test
    void givenTheCatalogThenEveryLakeTableIsAParquetTableProjectedOnDt() {
        template.hasResourceProperties("AWS::Glue::Database", Map.of("CatalogId", "123456789012",
                "DatabaseInput", Match.objectLike(Map.of("Name", "agentlake_default"))));
        var tables = template.findResources("AWS::Glue::Table");
        assertThat(tables).hasSize(5);
        Set<String> names = new TreeSet<>();
        for (var table : tables.values()) {
            @SuppressWarnings("unchecked")
            var input = (Map<String, Object>) ((Map<String, Object>) table.get("Properties")).get("TableInput");
            String name = (String) input.get("Name");
            names.add(name);
            @SuppressWarnings("unchecked")
            var params = (Map<String, Object>) input.get("Parameters");
            assertThat(params).containsEntry("classification", "parquet").containsEntry("projection.enabled", "true")
                    .containsEntry("projection.dt.type", "date").containsEntry("projection.dt.format", "yyyy-MM-dd")
                    .containsEntry("projection.dt.range", "2024-01-01,NOW")
                    .containsEntry("projection.dt.interval", "1").containsEntry("projection.dt.interval.unit", "DAYS");
            assertThat(TemplatePolicies.render(params.get("storage.location.template")))
                    .isEqualTo("s3://<" + lake + ">/tables/" + name + "/dt=${dt}/");
            assertThat(input.get("PartitionKeys")).isEqualTo(List.of(Map.of("Name", "dt", "Type", "string",
                    "Comment", "UTC event date, YYYY-MM-DD")));
            @SuppressWarnings("unchecked")
            var storage = (Map<String, Object>) input.get("StorageDescriptor");
            assertThat(storage.get("SerdeInfo")).isEqualTo(Map.of("SerializationLibrary",
                    "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"));
            var expected = LakeTables.ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
            assertThat(storage.get("Columns")).isEqualTo(expected.columns().stream()
                    .map(c -> Map.of("Name", c.name(), "Type", c.type(), "Comment", c.comment()))
                    .collect(Collectors.toList()));
        }
        assertThat(names).containsExactly("logs", "metrics", "sessions", "spans", "usage");
    }

    @Test
    void givenAthenaThenItsWorkgroupWritesEncryptedResultsToItsOwnExpiringBucketAndCapsScans() {
        String results = logicalId("AWS::S3::Bucket", "AthenaResults");
        template.hasResourceProperties("AWS::Athena::WorkGroup", Map.of(
                "Name", "agentlake-default",
                "WorkGroupConfiguration", Map.of(
                        "BytesScannedCutoffPerQuery", 10737418240L,
                        "EnforceWorkGroupConfiguration", true,
                        "PublishCloudWatchMetricsEnabled", false,
                        "EngineVersion", Map.of("SelectedEngineVersion", "Athena engine version 3"),
                        "ResultConfiguration", Map.of(
                                "EncryptionConfiguration", Map.of("EncryptionOption", "SSE_S3"),
                                "OutputLocation", Map.of("Fn::Join", List.of("", List.of("s3://",
                                        Map.of("Ref", results), "/results/")))))));
        assertThat(properties(results).get("LifecycleConfiguration")).isEqualTo(Map.of("Rules", List.of(
                Map.of("Id", "abort-incomplete-uploads", "AbortIncompleteMultipartUpload",
                        Map.of("DaysAfterInitiation", 1), "Status", "Enabled"),
                Map.of("Id", "expire-results", "ExpirationInDays", 7, "Status", "Enabled"))));
    }

    @Test
    void givenTheOutputsThenTheyGiveTheUrlsTokenCommandsAndThePasteableClientSettings() {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> outputs = (Map<String, Map<String, Object>>) (Object) template.findOutputs("*");
        assertThat(outputs.keySet()).containsExactlyInAnyOrder("LakeBucket", "IngestUrl", "OtlpEndpoint",
                "DashboardUrl", "IngestTokenParameter", "QueryTokenParameter", "ReadIngestToken", "ReadQueryToken",
                "ClaudeCodeEnv", "CodexConfigLogs", "CodexConfigMetrics", "GeminiSettings", "GeminiEnv",
                "GlueDatabase", "AthenaWorkgroup");
        String ingestUrl = logicalId("AWS::Lambda::Url", "IngestLiveFunctionUrl");
        String host = "https://{host of <" + ingestUrl + ".FunctionUrl>}";
        String read = "aws ssm get-parameter --region eu-west-1 --name /agentlake/default/ingest-token"
                + " --with-decryption --query Parameter.Value --output text";
        assertThat(output(outputs, "IngestUrl")).isEqualTo("<" + ingestUrl + ".FunctionUrl>");
        assertThat(output(outputs, "DashboardUrl"))
                .isEqualTo("<" + logicalId("AWS::Lambda::Url", "QueryLiveFunctionUrl") + ".FunctionUrl>");
        assertThat(output(outputs, "OtlpEndpoint")).isEqualTo(host);
        assertThat(output(outputs, "ReadIngestToken")).isEqualTo(read);
        assertThat(output(outputs, "ReadQueryToken")).isEqualTo(read.replace("ingest-token", "query-token"));
        assertThat(output(outputs, "ClaudeCodeEnv")).isEqualTo("export CLAUDE_CODE_ENABLE_TELEMETRY=1"
                + " OTEL_LOGS_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
                + " OTEL_EXPORTER_OTLP_ENDPOINT=" + host
                + " OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer $(" + read + ")\"");
        assertThat(output(outputs, "CodexConfigLogs")).isEqualTo("exporter = { otlp-http = { endpoint = \"" + host
                + "/v1/logs\", protocol = \"binary\", headers = { \"Authorization\" = \"Bearer <INGEST_TOKEN>\" } } }");
        assertThat(output(outputs, "CodexConfigMetrics")).isEqualTo("metrics_exporter = { otlp-http = { endpoint = \""
                + host + "/v1/metrics\", protocol = \"binary\", headers = { \"Authorization\" = \"Bearer <INGEST_TOKEN>\" } } }");
        assertThat(output(outputs, "GeminiSettings")).isEqualTo("{\"telemetry\": {\"enabled\": true, \"target\": \"local\","
                + " \"useCollector\": true, \"otlpEndpoint\": \"" + host + "\", \"otlpProtocol\": \"http\"}}");
        assertThat(output(outputs, "GeminiEnv"))
                .isEqualTo("export OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer $(" + read + ")\"");
        assertThat(output(outputs, "IngestTokenParameter")).isEqualTo("/agentlake/default/ingest-token");
        assertThat(output(outputs, "LakeBucket")).isEqualTo("<" + lake + ">");
        assertThat(output(outputs, "GlueDatabase")).isEqualTo("agentlake_default");
        assertThat(output(outputs, "AthenaWorkgroup")).isEqualTo("agentlake-default");
    }

    // --- helpers

    private static void assertFunction(String id, String handler, int memory, int tmp, int timeout) {
        assertThat(properties(logicalId("AWS::Lambda::Function", id)))
                .containsEntry("Runtime", "java21").containsEntry("Architectures", List.of("arm64"))
                .containsEntry("Handler", handler).containsEntry("MemorySize", memory)
                .containsEntry("EphemeralStorage", Map.of("Size", tmp)).containsEntry("Timeout", timeout)
                .containsEntry("LoggingConfig", Map.of("LogGroup", Map.of("Ref", logicalId("AWS::Logs::LogGroup", id + "Logs"))))
                .containsEntry("Role", Map.of("Fn::GetAtt", List.of(logicalId("AWS::IAM::Role", id + "Role"), "Arn")));
    }

    /** s3 grants of a role as "action resource [condition]", the lake bucket's ARN written LAKE. */
    static List<String> bucketGrants(String rolePrefix) {
        return grants(rolePrefix, true);
    }

    static List<String> otherGrants(String rolePrefix) {
        return grants(rolePrefix, false);
    }

    @SuppressWarnings("unchecked")
    private static List<String> grants(String rolePrefix, boolean s3) {
        String role = logicalId("AWS::IAM::Role", rolePrefix);
        return TemplatePolicies.statements(json).stream()
                .filter(st -> st.role().equals(role))
                .flatMap(st -> st.actions().stream().filter(a -> a.startsWith("s3:") == s3)
                        .flatMap(a -> st.resources().stream().map(r -> {
                            String grant = a + " " + r.replace("<" + lake + ".Arn>", "LAKE");
                            if (st.condition() != null) {
                                var like = (Map<String, Object>) ((Map<String, Object>) st.condition()).get("StringLike");
                                grant += " if s3:prefix like " + like.get("s3:prefix");
                            }
                            return grant;
                        })))
                .collect(Collectors.toList());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String id) {
        var variables = (Map<String, Object>) ((Map<String, Object>) properties(
                logicalId("AWS::Lambda::Function", id)).get("Environment")).get("Variables");
        return variables.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> TemplatePolicies.render(e.getValue())));
    }

    @SuppressWarnings("unchecked")
    private static String output(Map<String, Map<String, Object>> outputs, String key) {
        return renderWithSplits(outputs.get(key).get("Value"));
    }

    /** Renders Fn::Select(2, Fn::Split("/", url)) as {host of url}. */
    @SuppressWarnings("unchecked")
    private static String renderWithSplits(Object value) {
        if (value instanceof Map<?, ?> map && map.containsKey("Fn::Select")) {
            var select = (List<Object>) map.get("Fn::Select");
            var split = (List<Object>) ((Map<String, Object>) select.get(1)).get("Fn::Split");
            assertThat(select.get(0)).isEqualTo(2);
            assertThat(split.get(0)).isEqualTo("/");
            return "{host of " + TemplatePolicies.render(split.get(1)) + "}";
        }
        if (value instanceof Map<?, ?> map && map.containsKey("Fn::Join")) {
            var join = (List<Object>) map.get("Fn::Join");
            return ((List<Object>) join.get(1)).stream().map(AgentlakeStackTest::renderWithSplits)
                    .collect(Collectors.joining((String) join.get(0)));
        }
        return TemplatePolicies.render(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) json.get("Resources");
    }

    static Map<String, Object> resource(String logicalId) {
        return resources().get(logicalId);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(String logicalId) {
        return (Map<String, Object>) resource(logicalId).get("Properties");
    }

    @SuppressWarnings("unchecked")
    static List<String> dependsOn(String logicalId) {
        Object d = resource(logicalId).get("DependsOn");
        return d == null ? List.of() : (List<String>) d;
    }

    /** The one resource of a type whose logical id is the construct id plus the CDK's 8-hex-digit hash. */
    static String logicalId(String type, String constructId) {
        List<String> ids = resources().entrySet().stream()
                .filter(e -> type.equals(e.getValue().get("Type")))
                .map(Map.Entry::getKey)
                .filter(id -> id.matches(constructId + "[0-9A-F]{8}"))
                .collect(Collectors.toList());
        assertThat(ids).as(type + " " + constructId).hasSize(1);
        return ids.get(0);
    }
}
