package dev.agentlake.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionUrl;
import software.amazon.awscdk.services.lambda.FunctionUrlAuthType;
import software.amazon.awscdk.services.lambda.FunctionUrlCorsOptions;
import software.amazon.awscdk.services.lambda.FunctionUrlOptions;
import software.amazon.awscdk.services.lambda.HttpMethod;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Agentlake in one AWS account: the lake bucket, the ingest and query functions behind HTTPS Function
 * URLs with bearer tokens, the compactor on a schedule, a Glue catalog and an Athena workgroup over the
 * same files. Nothing runs, and almost nothing is billed, while nobody sends data (docs/deploy-aws.md).
 *
 * <p>Each function's role names exactly the bucket prefixes and actions it uses (tests walk every policy).
 */
public final class AgentlakeStack extends Stack {
    static final String LANDING = "landing/";
    static final String TABLES = "tables/";
    static final String LAKE_META = "_lake/";
    static final String DASHBOARDS = "_state/dashboards/";
    static final String EXPORTS = "exports/";
    /** The alias the Function URLs and SnapStart serve: a published version, never $LATEST. */
    static final String LIVE_ALIAS = "live";

    private final DeploymentSettings settings;
    private final Bucket bucket;
    private final Key key;
    private final Function ingest;
    private final Function query;
    private final Function compactor;

    public AgentlakeStack(Construct scope, String id, StackProps props, DeploymentSettings settings) {
        super(scope, id, props);
        this.settings = settings;
        this.key = settings.kmsKey()
                ? Key.Builder.create(this, "LakeKey").enableKeyRotation(true).removalPolicy(RemovalPolicy.RETAIN)
                        .description("Agentlake " + settings.stage() + ": encrypts the lake and Athena results").build()
                : null;
        this.bucket = lakeBucket();
        Bucket results = athenaResults();

        String ingestParameter = settings.tokenParameter("ingest");
        String queryParameter = settings.tokenParameter("query");
        var tokens = new TokenParameters(this, "Tokens",
                Map.of("Ingest", ingestParameter, "Query", queryParameter), logGroup("TokensLogs"));

        Map<String, String> lakeEnv = Map.of(
                "AGENTLAKE_S3_BUCKET", bucket.getBucketName(),
                "AGENTLAKE_S3_REGION", getRegion(),
                // Virtual-hosted requests on AWS; path-style is for MinIO and S3Proxy.
                "AGENTLAKE_S3_PATH_STYLE", "false");

        // Ingest: write landing files, nothing else.
        this.ingest = javaFunction("Ingest", LambdaHandlers.INGEST, settings.ingestCode(),
                settings.ingestMemoryMb(), 512, Duration.seconds(30), true,
                with(lakeEnv, Map.of("AGENTLAKE_INGEST_TOKENS_PARAMETER", ingestParameter)),
                "Agentlake ingest: OTLP/HTTP to landing Parquet",
                List.of(objects(List.of("s3:PutObject"), LANDING)), true, false, ingestParameter);
        ingest.getNode().addDependency(tokens.resourceOf(ingestParameter));

        // Query: read the lake, write dashboards and export bundles.
        this.query = javaFunction("Query", LambdaHandlers.QUERY, settings.queryCode(),
                settings.queryMemoryMb(), settings.queryTmpMb(), Duration.seconds(30), settings.querySnapStart(),
                with(lakeEnv, Map.of("AGENTLAKE_QUERY_TOKENS_PARAMETER", queryParameter,
                        "AGENTLAKE_QUERY_CACHE_DIR", "/tmp/agentlake-query-cache")),
                "Agentlake query: DuckDB over the lake, JSON API and dashboard",
                List.of(objects(List.of("s3:GetObject"), LANDING, TABLES, LAKE_META, DASHBOARDS, EXPORTS),
                        objects(List.of("s3:PutObject", "s3:DeleteObject"), DASHBOARDS),
                        objects(List.of("s3:PutObject"), EXPORTS),
                        listing(LANDING, TABLES, LAKE_META, DASHBOARDS, EXPORTS)),
                true, true, queryParameter);
        query.getNode().addDependency(tokens.resourceOf(queryParameter));

        // Compactor: landing -> tables, snapshots; deletes what a commit superseded.
        this.compactor = javaFunction("Compactor", LambdaHandlers.COMPACTOR, settings.compactorCode(),
                settings.compactorMemoryMb(), 512, Duration.minutes(4), false, lakeEnv,
                "Agentlake compactor: landing to tables, snapshot commits",
                List.of(objects(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), LANDING, TABLES, LAKE_META),
                        listing(LANDING, TABLES, LAKE_META)),
                true, true, null);
        Queue failures = schedule(compactor);

        FunctionUrl ingestUrl = url(ingest, "Ingest", List.of(HttpMethod.POST));
        // The dashboard's connect snippets name the ingest endpoint the assistants are to use.
        query.addEnvironment("AGENTLAKE_QUERY_INGEST_URL", ingestUrl.getUrl());
        FunctionUrl dashboardUrl = url(query, "Query", List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
                HttpMethod.DELETE));

        catalog(results);
        outputs(ingestUrl, dashboardUrl, ingestParameter, queryParameter);
        suppressFindings(results, failures);
    }

    public Bucket bucket() {
        return bucket;
    }

    public Function ingestFunction() {
        return ingest;
    }

    public Function queryFunction() {
        return query;
    }

    public Function compactorFunction() {
        return compactor;
    }

    private Bucket lakeBucket() {
        List<LifecycleRule> rules = new ArrayList<>(List.of(
                LifecycleRule.builder().id("abort-incomplete-uploads")
                        .abortIncompleteMultipartUploadAfter(Duration.days(1)).build(),
                LifecycleRule.builder().id("expire-exports").prefix(EXPORTS)
                        .expiration(Duration.days(settings.exportRetentionDays())).build()));
        if (settings.tablesRetentionDays() > 0) {
            rules.add(LifecycleRule.builder().id("expire-tables").prefix(TABLES)
                    .expiration(Duration.days(settings.tablesRetentionDays())).build());
        }
        Bucket.Builder builder = Bucket.Builder.create(this, "Lake")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                // Versioning would keep every file a compaction supersedes; the snapshot protocol already
                // makes commits safe, so it is off by default (trade-off in docs/deploy-aws.md).
                .versioned(false)
                .removalPolicy(RemovalPolicy.RETAIN)
                .lifecycleRules(rules);
        encrypt(builder);
        return builder.build();
    }

    private Bucket athenaResults() {
        Bucket.Builder builder = Bucket.Builder.create(this, "AthenaResults")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(false)
                .removalPolicy(RemovalPolicy.RETAIN)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("abort-incomplete-uploads")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build(),
                        LifecycleRule.builder().id("expire-results")
                                .expiration(Duration.days(settings.athenaResultRetentionDays())).build()));
        encrypt(builder);
        return builder.build();
    }

    private void encrypt(Bucket.Builder builder) {
        if (key == null) {
            builder.encryption(BucketEncryption.S3_MANAGED);
        } else {
            // Bucket keys cut the KMS requests (and their cost) of many small objects by ~99%.
            builder.encryption(BucketEncryption.KMS).encryptionKey(key).bucketKeyEnabled(true);
        }
    }

    private LogGroup logGroup(String id) {
        LogGroup group = LogGroup.Builder.create(this, id).removalPolicy(RemovalPolicy.DESTROY).build();
        // Set on the resource: the CDK's RetentionDays enum has no lookup by number; the value was checked.
        ((CfnLogGroup) group.getNode().getDefaultChild()).setRetentionInDays(settings.logRetentionDays());
        return group;
    }

    private Function javaFunction(String id, String handler, java.nio.file.Path code, int memoryMb, int tmpMb,
            Duration timeout, boolean snapStart, Map<String, String> environment, String description,
            List<PolicyStatement> lakeAccess, boolean writes, boolean reads, String tokenParameter) {
        List<PolicyStatement> statements = new ArrayList<>(lakeAccess);
        if (key != null) {
            List<String> actions = new ArrayList<>();
            if (reads) {
                actions.add("kms:Decrypt");
            }
            if (writes) {
                actions.add("kms:GenerateDataKey");
            }
            statements.add(PolicyStatement.Builder.create().actions(actions).resources(List.of(key.getKeyArn())).build());
        }
        if (tokenParameter != null) {
            // SecureString under the AWS-managed aws/ssm key: its key policy lets SSM decrypt for this account.
            statements.add(PolicyStatement.Builder.create().actions(List.of("ssm:GetParameter"))
                    .resources(List.of(TokenParameters.parameterArn(this, tokenParameter))).build());
        }
        Role role = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Agentlake " + id.toLowerCase() + " function")
                .inlinePolicies(Map.of("lake", PolicyDocument.Builder.create().statements(statements).build()))
                .build();
        LogGroup logs = logGroup(id + "Logs");
        logs.grantWrite(role);
        Function.Builder builder = Function.Builder.create(this, id)
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(handler)
                .code(Code.fromAsset(code.toString()))
                .memorySize(memoryMb)
                .ephemeralStorageSize(Size.mebibytes(tmpMb))
                .timeout(timeout)
                .role(role)
                .logGroup(logs)
                .environment(environment)
                .description(description);
        if (snapStart) {
            builder.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        }
        Function function = builder.build();
        if (snapStart) {
            // The CDK warns that SnapStart needs a published version: url() publishes one behind the alias.
            Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "the live alias serves the function's current published version");
        }
        function.getNode().addDependency(role);
        return function;
    }

    private FunctionUrl url(Function function, String id, List<HttpMethod> corsMethods) {
        // The URL serves a published version through an alias: SnapStart applies only to versions.
        Alias live = Alias.Builder.create(this, id + "Live").aliasName(LIVE_ALIAS)
                .version(function.getCurrentVersion()).build();
        FunctionUrlOptions.Builder options = FunctionUrlOptions.builder()
                // OTLP exporters cannot sign SigV4 requests: the function checks a bearer token itself.
                .authType(FunctionUrlAuthType.NONE);
        if (!settings.corsOrigins().isEmpty()) {
            options.cors(FunctionUrlCorsOptions.builder()
                    .allowedOrigins(settings.corsOrigins())
                    .allowedMethods(corsMethods)
                    .allowedHeaders(List.of("authorization", "content-type", "content-encoding"))
                    .maxAge(Duration.hours(1))
                    .build());
        }
        return live.addFunctionUrl(options.build());
    }

    private Queue schedule(Function function) {
        Queue failures = Queue.Builder.create(this, "CompactorFailures")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        if (settings.reserveCompactorConcurrency()) {
            // One compactor at a time. The snapshot commit is safe under concurrency anyway; this avoids
            // wasted work and conflicting commits.
            ((software.amazon.awscdk.services.lambda.CfnFunction) function.getNode().getDefaultChild())
                    .setReservedConcurrentExecutions(1);
        }
        // No retries: the next scheduled run is the retry. A run that fails, or waits longer than
        // 15 minutes behind a running one, lands in the queue and raises the alarm.
        function.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(0)
                .maxEventAge(Duration.minutes(15))
                .onFailure(new SqsDestination(failures))
                .build());
        Rule.Builder.create(this, "CompactionSchedule")
                .description("Agentlake: run the compactor")
                .schedule(Schedule.expression(settings.compactionSchedule()))
                .targets(List.of(new LambdaFunction(function, LambdaFunctionProps.builder()
                        .deadLetterQueue(failures)
                        .retryAttempts(2)
                        .maxEventAge(Duration.hours(1))
                        .build())))
                .build();
        Alarm alarm = Alarm.Builder.create(this, "CompactorFailing")
                .alarmDescription("Agentlake compactor runs failed or could not be delivered: see the "
                        + "CompactorFailures queue and the compactor's log group")
                .metric(failures.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .period(Duration.minutes(5)).statistic("Maximum").build()))
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        if (settings.alarmEmail() != null) {
            Topic topic = Topic.Builder.create(this, "Alarms").enforceSsl(true)
                    .displayName("Agentlake " + settings.stage() + " alarms").build();
            topic.addSubscription(new EmailSubscription(settings.alarmEmail()));
            alarm.addAlarmAction(new SnsAction(topic));
        }
        return failures;
    }

    private void catalog(Bucket results) {
        String database = settings.glueDatabase();
        CfnDatabase db = CfnDatabase.Builder.create(this, "Catalog")
                .catalogId(getAccount())
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder().name(database)
                        .description("Agentlake lake tables (compacted files under tables/)").build())
                .build();
        for (LakeTables.LakeTable table : LakeTables.ALL) {
            String location = "s3://" + bucket.getBucketName() + "/" + TABLES + table.name() + "/";
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("classification", "parquet");
            parameters.put("EXTERNAL", "TRUE");
            // Partition projection: Athena derives dt from the query instead of a partition list, so new
            // days need no crawler and no MSCK REPAIR.
            parameters.put("projection.enabled", "true");
            parameters.put("projection.dt.type", "date");
            parameters.put("projection.dt.format", "yyyy-MM-dd");
            parameters.put("projection.dt.range", "2024-01-01,NOW");
            parameters.put("projection.dt.interval", "1");
            parameters.put("projection.dt.interval.unit", "DAYS");
            parameters.put("storage.location.template", location + "dt=${dt}/");
            CfnTable t = CfnTable.Builder.create(this, "Table" + Character.toUpperCase(table.name().charAt(0))
                            + table.name().substring(1))
                    .catalogId(getAccount())
                    .databaseName(database)
                    .tableInput(CfnTable.TableInputProperty.builder()
                            .name(table.name())
                            .tableType("EXTERNAL_TABLE")
                            .parameters(parameters)
                            .partitionKeys(List.of(CfnTable.ColumnProperty.builder().name("dt").type("string")
                                    .comment("UTC event date, YYYY-MM-DD").build()))
                            .storageDescriptor(CfnTable.StorageDescriptorProperty.builder()
                                    .location(location)
                                    .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
                                    .outputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
                                    .serdeInfo(CfnTable.SerdeInfoProperty.builder()
                                            .serializationLibrary(
                                                    "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")
                                            .build())
                                    .columns(table.columns().stream().map(c -> (Object) CfnTable.ColumnProperty.builder()
                                            .name(c.name()).type(c.type()).comment(c.comment()).build()).toList())
                                    .build())
                            .build())
                    .build();
            t.getNode().addDependency(db);
        }
        CfnWorkGroup.Builder.create(this, "Athena")
                .name(settings.athenaWorkgroup())
                .description("Agentlake: query the lake with Athena")
                .state("ENABLED")
                .recursiveDeleteOption(true)
                .workGroupConfiguration(CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                        .enforceWorkGroupConfiguration(true)
                        .publishCloudWatchMetricsEnabled(false)
                        .bytesScannedCutoffPerQuery(settings.athenaScanLimitGb() * 1024L * 1024L * 1024L)
                        .engineVersion(CfnWorkGroup.EngineVersionProperty.builder()
                                .selectedEngineVersion("Athena engine version 3").build())
                        .resultConfiguration(CfnWorkGroup.ResultConfigurationProperty.builder()
                                .outputLocation("s3://" + results.getBucketName() + "/results/")
                                .encryptionConfiguration(key == null
                                        ? CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                                .encryptionOption("SSE_S3").build()
                                        : CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                                .encryptionOption("SSE_KMS").kmsKey(key.getKeyArn()).build())
                                .build())
                        .build())
                .build();
    }

    private void outputs(FunctionUrl ingestUrl, FunctionUrl dashboardUrl, String ingestParameter,
            String queryParameter) {
        // https://<id>.lambda-url.<region>.on.aws without the trailing '/': exporters append /v1/logs.
        String endpoint = "https://" + Fn.select(2, Fn.split("/", ingestUrl.getUrl()));
        String ingestToken = ClientSnippets.readTokenCommand(ingestParameter, getRegion());
        output("LakeBucket", bucket.getBucketName(), "Bucket holding the lake (landing/, tables/, _lake/)");
        output("IngestUrl", ingestUrl.getUrl(), "OTLP/HTTP ingest (POST /v1/logs, /v1/metrics, /v1/traces)");
        output("OtlpEndpoint", endpoint, "OTEL_EXPORTER_OTLP_ENDPOINT for every assistant");
        output("DashboardUrl", dashboardUrl.getUrl(), "Dashboard and JSON API");
        output("IngestTokenParameter", ingestParameter, "SSM SecureString with the ingest bearer token(s)");
        output("QueryTokenParameter", queryParameter, "SSM SecureString with the dashboard/API bearer token(s)");
        output("ReadIngestToken", ingestToken, "Prints the ingest token");
        output("ReadQueryToken", ClientSnippets.readTokenCommand(queryParameter, getRegion()),
                "Prints the dashboard/API token");
        output("ClaudeCodeEnv", ClientSnippets.claudeCodeEnv(endpoint, ingestToken),
                "Paste into the shell (or ~/.bashrc) before running claude");
        output("CodexConfigLogs", ClientSnippets.codexExporter(endpoint, "exporter", "logs"),
                "~/.codex/config.toml under [otel]; replace <INGEST_TOKEN> with ReadIngestToken's output");
        output("CodexConfigMetrics", ClientSnippets.codexExporter(endpoint, "metrics_exporter", "metrics"),
                "~/.codex/config.toml under [otel], next to the line above");
        output("GeminiSettings", ClientSnippets.geminiSettings(endpoint),
                "Merge into ~/.gemini/settings.json");
        output("GeminiEnv", "export " + ClientSnippets.headersEnv(ingestToken),
                "Paste into the shell before running gemini (its exporters read the standard header variable)");
        output("GlueDatabase", settings.glueDatabase(), "Glue database of the lake's tables");
        output("AthenaWorkgroup", settings.athenaWorkgroup(), "Athena workgroup (results encrypted, expire)");
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    private PolicyStatement objects(List<String> actions, String... prefixes) {
        List<String> resources = new ArrayList<>();
        for (String prefix : prefixes) {
            resources.add(bucket.arnForObjects(prefix + "*"));
        }
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources).build();
    }

    /** ListBucket on the bucket itself, only for the prefixes given. */
    private PolicyStatement listing(String... prefixes) {
        List<String> patterns = new ArrayList<>();
        for (String prefix : prefixes) {
            patterns.add(prefix + "*");
        }
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(List.of("s3:ListBucket"))
                .resources(List.of(bucket.getBucketArn()))
                .conditions(Map.of("StringLike", Map.of("s3:prefix", patterns)))
                .build();
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(base);
        all.putAll(more);
        return all;
    }

    /** Each cdk-nag AwsSolutions finding that is accepted, with the reason it is. */
    private void suppressFindings(Bucket results, Queue failures) {
        String objectKeys = "Object keys under each prefix are content hashes and dates written at run time; "
                + "each function gets only the prefixes (landing/, tables/, _lake/, _state/dashboards/, exports/) it uses.";
        for (Function function : List.of(ingest, query, compactor)) {
            NagSuppressions.addResourceSuppressions(function.getRole(), List.of(
                    NagPackSuppression.builder().id("AwsSolutions-IAM5").reason(objectKeys)
                            .appliesTo(List.of(RegexAppliesTo.builder()
                                    .regex("/^Resource::<Lake[0-9A-F]+\\.Arn>\\/(landing|tables|_lake|_state\\/dashboards|exports)\\/\\*$/")
                                    .build()))
                            .build()), true);
            NagSuppressions.addResourceSuppressions(function, List.of(
                    NagPackSuppression.builder().id("AwsSolutions-L1").reason("Java 21 is the runtime the "
                            + "functions are built and tested for (Java 17 bytecode); SnapStart is used on it.").build()),
                    true);
        }
        NagSuppressions.addResourceSuppressions(bucket, List.of(
                NagPackSuppression.builder().id("AwsSolutions-S1").reason("Server access logs need a second bucket "
                        + "and cost per request; only the three functions' roles write, and their logs record it. "
                        + "CloudTrail S3 data events can be turned on per account when an audit trail is needed.")
                        .build()), true);
        NagSuppressions.addResourceSuppressions(results, List.of(
                NagPackSuppression.builder().id("AwsSolutions-S1").reason("Holds only Athena query results, which "
                        + "expire after days; Athena's own query history records who ran what.").build()), true);
        NagSuppressions.addResourceSuppressions(failures, List.of(
                NagPackSuppression.builder().id("AwsSolutions-SQS3").reason("This queue is the dead-letter "
                        + "destination of the compactor's schedule and async invocations; it has no consumer to fail.")
                        .build()), true);
    }
}
