package dev.agentlake.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Context parameters: defaults, parsing, and a one-line reason for every bad value (no synth needed). */
class AgentlakeSettingsTest {

    @Test
    void givenNoContextThenEveryDefaultSuitsOnePersonsAccount() {
        DeploymentSettings s = DeploymentSettings.fromContext(key -> null);
        String version = DeploymentSettings.projectVersion();
        assertThat(version).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(s).isEqualTo(new DeploymentSettings("default", "rate(5 minutes)", 7, 0, 7, 30, List.of(),
                1024, 2048, 2048, 512, false, true, null, 10,
                Path.of("../ingest-function/target/agentlake-ingest-function-" + version + "-lambda.jar"),
                Path.of("../query-function/target/agentlake-query-function-" + version + "-lambda.jar"),
                Path.of("../compactor-function/target/agentlake-compactor-function-" + version + "-lambda.jar")));
        assertThat(s.stackName()).isEqualTo("Agentlake");
        assertThat(s.querySnapStart()).isTrue();
        assertThat(s.tokenParameter("ingest")).isEqualTo("/agentlake/default/ingest-token");
        assertThat(s.glueDatabase()).isEqualTo("agentlake_default");
        assertThat(s.athenaWorkgroup()).isEqualTo("agentlake-default");
    }

    @Test
    void givenCdkJsonTypesThenNumbersBooleansAndArraysAreReadAsWellAsStrings() {
        DeploymentSettings s = DeploymentSettings.fromContext(Map.<String, Object>of(
                "stage", "prod", "ingestMemoryMb", 1536, "kmsKey", true,
                "corsOrigins", List.of("https://a.example", "https://b.example"), "queryTmpMb", 513.0)::get);
        assertThat(s.stackName()).isEqualTo("Agentlake-prod");
        assertThat(s.ingestMemoryMb()).isEqualTo(1536);
        assertThat(s.kmsKey()).isTrue();
        assertThat(s.corsOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(s.queryTmpMb()).isEqualTo(513);
        assertThat(s.querySnapStart()).isFalse();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "stage|Prod|stage must be 1-20 lower-case letters, digits or '-', starting with a letter: Prod",
        "stage|a-very-long-stage-name-x|stage must be 1-20 lower-case letters, digits or '-', starting with a letter: a-very-long-stage-name-x",
        "compactionSchedule|5 minutes|compactionSchedule must be an EventBridge rate(...) or cron(...) expression: 5 minutes",
        "exportRetentionDays|0|exportRetentionDays must be at least 1: 0",
        "tablesRetentionDays|-1|tablesRetentionDays must be at least 0: -1",
        "athenaResultRetentionDays|0|athenaResultRetentionDays must be at least 1: 0",
        "logRetentionDays|10|logRetentionDays must be one of CloudWatch's periods [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]: 10",
        "corsOrigins|*|corsOrigins lists origins like https://example.com (no path, no '*'): *",
        "corsOrigins|https://a.example/app|corsOrigins lists origins like https://example.com (no path, no '*'): https://a.example/app",
        "ingestMemoryMb|64|ingestMemoryMb must be between 128 and 10240: 64",
        "queryMemoryMb|20000|queryMemoryMb must be between 128 and 10240: 20000",
        "compactorMemoryMb|lots|compactorMemoryMb must be a whole number: lots",
        "queryTmpMb|256|queryTmpMb must be between 512 and 10240: 256",
        "kmsKey|yes|kmsKey must be true or false: yes",
        "reserveCompactorConcurrency|1|reserveCompactorConcurrency must be true or false: 1",
        "alarmEmail|me|alarmEmail is not an e-mail address: me",
        "athenaScanLimitGb|0|athenaScanLimitGb must be at least 1: 0",
    })
    void givenABadValueThenReadingTheContextFailsWithAOneLineReason(String key, String value, String message) {
        assertThatThrownBy(() -> DeploymentSettings.fromContext(Map.<String, Object>of(key, value)::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void givenAFractionalNumberFromCdkJsonThenItIsRefused() {
        assertThatThrownBy(() -> DeploymentSettings.fromContext(Map.<String, Object>of("ingestMemoryMb", 1024.5)::get))
                .hasMessage("ingestMemoryMb must be a whole number: 1024.5");
    }

    @Test
    void givenAMissingLambdaJarThenSynthStopsWithTheCommandThatBuildsIt() {
        DeploymentSettings s = DeploymentSettings.fromContext(Map.<String, Object>of(
                "ingestCode", SynthesizedStacks.placeholder("ingest").toString(),
                "queryCode", "target/no-such-query.jar",
                "compactorCode", SynthesizedStacks.placeholder("compactor").toString())::get);
        assertThatThrownBy(s::requireCodeExists).hasMessage("Lambda code target/no-such-query.jar not found: run "
                + "`mvn -B package -DskipTests` at the repository root first, or pass -c queryCode=PATH");
    }

    @Test
    void givenAllThreeJarsThenTheCodeCheckPasses() {
        DeploymentSettings s = DeploymentSettings.fromContext(Map.<String, Object>of(
                "ingestCode", SynthesizedStacks.placeholder("ingest").toString(),
                "queryCode", SynthesizedStacks.placeholder("query").toString(),
                "compactorCode", SynthesizedStacks.placeholder("compactor").toString())::get);
        s.requireCodeExists();
        assertThat(s.ingestCode()).isEqualTo(Path.of("target/test-lambda-assets/ingest.zip"));
    }
}
