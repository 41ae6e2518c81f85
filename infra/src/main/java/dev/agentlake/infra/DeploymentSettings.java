package dev.agentlake.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything a deployment can choose, read from CDK context ({@code -c key=value} or {@code cdk.json}),
 * with defaults that suit one person's account. Checked when read, so a bad value stops {@code cdk synth}
 * with a one-line reason instead of failing half-way through a CloudFormation deployment.
 * Each key is listed in docs/deploy-aws.md.
 *
 * @param stage names the stack ({@code Agentlake} or {@code Agentlake-<stage>}), the token parameters,
 *     the Glue database and the Athena workgroup, so several deployments can share an account
 * @param compactionSchedule EventBridge schedule expression of the compactor
 * @param exportRetentionDays days before {@code exports/} bundles expire
 * @param tablesRetentionDays days before files under {@code tables/} expire; 0 keeps them
 * @param athenaResultRetentionDays days before Athena query results expire
 * @param logRetentionDays CloudWatch Logs retention of the three functions
 * @param corsOrigins browser origins allowed to call the function URLs; empty = same origin only
 * @param queryTmpMb the query function's {@code /tmp} (its DuckDB cache); above 512 MB Lambda does not
 *     allow SnapStart, so the query function then starts without it
 * @param kmsKey encrypt the lake with a customer-managed KMS key (about 1 USD a month) instead of S3-managed keys
 * @param reserveCompactorConcurrency reserve one concurrent execution for the compactor so runs never
 *     overlap; accounts whose concurrency quota is still 10 cannot reserve any
 * @param alarmEmail where the compactor-failure alarm is sent; null = alarm in the console only
 * @param athenaScanLimitGb largest amount of data one Athena query may scan (a cost cap)
 */
public record DeploymentSettings(
        String stage,
        String compactionSchedule,
        int exportRetentionDays,
        int tablesRetentionDays,
        int athenaResultRetentionDays,
        int logRetentionDays,
        List<String> corsOrigins,
        int ingestMemoryMb,
        int queryMemoryMb,
        int compactorMemoryMb,
        int queryTmpMb,
        boolean kmsKey,
        boolean reserveCompactorConcurrency,
        String alarmEmail,
        int athenaScanLimitGb,
        Path ingestCode,
        Path queryCode,
        Path compactorCode) {

    public static final String DEFAULT_STAGE = "default";
    /** The largest {@code /tmp} with which Lambda still allows SnapStart. */
    public static final int SNAPSTART_MAX_TMP_MB = 512;
    /** The retention periods CloudWatch Logs accepts. */
    static final Set<Integer> LOG_RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
            545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    public DeploymentSettings {
        Objects.requireNonNull(stage, "stage is null");
        if (!stage.matches("[a-z][a-z0-9-]{0,19}")) {
            throw new IllegalArgumentException(
                    "stage must be 1-20 lower-case letters, digits or '-', starting with a letter: " + stage);
        }
        Objects.requireNonNull(compactionSchedule, "compactionSchedule is null");
        if (!compactionSchedule.matches("(rate|cron)\\(.+\\)")) {
            throw new IllegalArgumentException(
                    "compactionSchedule must be an EventBridge rate(...) or cron(...) expression: " + compactionSchedule);
        }
        requireAtLeast("exportRetentionDays", exportRetentionDays, 1);
        requireAtLeast("tablesRetentionDays", tablesRetentionDays, 0);
        requireAtLeast("athenaResultRetentionDays", athenaResultRetentionDays, 1);
        if (!LOG_RETENTION_DAYS.contains(logRetentionDays)) {
            throw new IllegalArgumentException("logRetentionDays must be one of CloudWatch's periods "
                    + LOG_RETENTION_DAYS.stream().sorted().collect(Collectors.toList()) + ": " + logRetentionDays);
        }
        corsOrigins = List.copyOf(corsOrigins);
        for (String origin : corsOrigins) {
            if (!origin.matches("https?://[^/*\\s]+")) {
                throw new IllegalArgumentException(
                        "corsOrigins lists origins like https://example.com (no path, no '*'): " + origin);
            }
        }
        requireMemory("ingestMemoryMb", ingestMemoryMb);
        requireMemory("queryMemoryMb", queryMemoryMb);
        requireMemory("compactorMemoryMb", compactorMemoryMb);
        if (queryTmpMb < 512 || queryTmpMb > 10240) {
            throw new IllegalArgumentException("queryTmpMb must be between 512 and 10240: " + queryTmpMb);
        }
        if (alarmEmail != null && !alarmEmail.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new IllegalArgumentException("alarmEmail is not an e-mail address: " + alarmEmail);
        }
        requireAtLeast("athenaScanLimitGb", athenaScanLimitGb, 1);
        Objects.requireNonNull(ingestCode, "ingestCode is null");
        Objects.requireNonNull(queryCode, "queryCode is null");
        Objects.requireNonNull(compactorCode, "compactorCode is null");
    }

    /** Reads the settings from CDK context; {@code context} returns null for keys that are not set. */
    public static DeploymentSettings fromContext(Function<String, Object> context) {
        String version = projectVersion();
        return new DeploymentSettings(
                text(context, "stage", DEFAULT_STAGE),
                text(context, "compactionSchedule", "rate(5 minutes)"),
                number(context, "exportRetentionDays", 7),
                number(context, "tablesRetentionDays", 0),
                number(context, "athenaResultRetentionDays", 7),
                number(context, "logRetentionDays", 30),
                list(context, "corsOrigins"),
                number(context, "ingestMemoryMb", 1024),
                number(context, "queryMemoryMb", 2048),
                number(context, "compactorMemoryMb", 2048),
                number(context, "queryTmpMb", SNAPSTART_MAX_TMP_MB),
                flag(context, "kmsKey", false),
                flag(context, "reserveCompactorConcurrency", true),
                text(context, "alarmEmail", null),
                number(context, "athenaScanLimitGb", 10),
                Path.of(text(context, "ingestCode", lambdaJar("ingest-function", version))),
                Path.of(text(context, "queryCode", lambdaJar("query-function", version))),
                Path.of(text(context, "compactorCode", lambdaJar("compactor-function", version))));
    }

    /**
     * Where {@code mvn package} leaves a function's Lambda jar, relative to {@code infra/} (where
     * {@code cdk} runs): {@code ../<module>/target/agentlake-<module>-<version>-lambda.jar}.
     */
    public static String lambdaJar(String module, String version) {
        return "../" + module + "/target/agentlake-" + module + "-" + version + "-lambda.jar";
    }

    /** Whether the query function can use SnapStart with the {@code /tmp} size chosen. */
    public boolean querySnapStart() {
        return queryTmpMb <= SNAPSTART_MAX_TMP_MB;
    }

    /** {@code Agentlake} for the default stage, else {@code Agentlake-<stage>}. */
    public String stackName() {
        return DEFAULT_STAGE.equals(stage) ? "Agentlake" : "Agentlake-" + stage;
    }

    /** The SSM parameter holding the bearer token(s) of a function, e.g. {@code /agentlake/default/ingest-token}. */
    public String tokenParameter(String function) {
        return "/agentlake/" + stage + "/" + function + "-token";
    }

    /** Glue database names allow no '-'. */
    public String glueDatabase() {
        return "agentlake_" + stage.replace('-', '_');
    }

    public String athenaWorkgroup() {
        return "agentlake-" + stage;
    }

    /** Fails with the command that builds the jar when a function's code is missing. */
    public void requireCodeExists() {
        for (var entry : List.of(List.of("ingestCode", ingestCode), List.of("queryCode", queryCode),
                List.of("compactorCode", compactorCode))) {
            Path path = (Path) entry.get(1);
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("Lambda code " + path + " not found: run `mvn -B package -DskipTests`"
                        + " at the repository root first, or pass -c " + entry.get(0) + "=PATH");
            }
        }
    }

    /** The project version, filtered into {@code agentlake-infra.properties} by Maven. */
    static String projectVersion() {
        try (InputStream in = DeploymentSettings.class.getResourceAsStream("/agentlake-infra.properties")) {
            if (in == null) {
                throw new IllegalStateException("agentlake-infra.properties is missing from the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("agentlake.version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireAtLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ": " + value);
        }
    }

    private static void requireMemory(String key, int mb) {
        if (mb < 128 || mb > 10240) {
            throw new IllegalArgumentException(key + " must be between 128 and 10240: " + mb);
        }
    }

    private static String text(Function<String, Object> context, String key, String defaultValue) {
        Object v = context.apply(key);
        if (v == null) {
            return defaultValue;
        }
        String s = v.toString().trim();
        return s.isEmpty() ? defaultValue : s;
    }

    private static int number(Function<String, Object> context, String key, int defaultValue) {
        Object v = context.apply(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            if (n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException(key + " must be a whole number: " + v);
            }
            return n.intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number: " + v);
        }
    }

    private static boolean flag(Function<String, Object> context, String key, boolean defaultValue) {
        Object v = context.apply(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + " must be true or false: " + v);
    }

    /** A comma-separated string ({@code -c}) or a JSON array ({@code cdk.json}). */
    private static List<String> list(Function<String, Object> context, String key) {
        Object v = context.apply(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Object::toString).map(String::trim).collect(Collectors.toList());
        }
        return Arrays.stream(v.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }
}
