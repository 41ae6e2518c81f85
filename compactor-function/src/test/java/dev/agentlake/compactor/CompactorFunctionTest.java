package dev.agentlake.compactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.agentlake.lake.pricing.PriceMode;
import dev.agentlake.lake.pricing.PricingSettings;
import dev.agentlake.lake.sql.UsageSettings;
import dev.agentlake.lake.testing.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The EventBridge-scheduled Lambda handler, in process, and the compactor's configuration. */
class CompactorFunctionTest {

    @Test
    void givenAScheduledEventThenTheHandlerCompactsTheLakeAndReturnsItsReport() {
        try (TestLake lake = TestLake.start()) {
            lake.ingest(FixtureRun.GEMINI);
            var event = new ScheduledEvent().withSource("aws.events").withDetailType("Scheduled Event");

            try (CompactorFunction function = new CompactorFunction(lake.context())) {
                Map<String, Object> report = function.handleRequest(event, new TestLambdaContext("agentlake-compactor"));

                assertThat(report).containsEntry("outcome", "committed").containsEntry("version", 1L)
                        .containsEntry("landingFiles", 3).containsEntry("unknownModels", Map.of());
                assertThat(report.get("partitions")).isEqualTo(java.util.List.of("logs/dt=2026-11-22",
                        "metrics/dt=2026-11-22", "sessions/dt=2026-11-22", "spans/dt=2026-11-22", "usage/dt=2026-11-22"));
                assertThat(report.get("rowsWritten")).isEqualTo(Map.of("logs", 20L, "metrics", 34L, "spans", 5L,
                        "usage", 3L, "sessions", 1L));
            }
            assertThat(lake.usageTotals()).isEqualTo(Map.of("gemini-cli", FixtureRun.GEMINI.expected));
        }
    }

    @Test
    void givenNoConfigurationThenTheDefaultsApply() {
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).start()) {
            assertThat(context.getBean(CompactorSettings.class)).isEqualTo(CompactorSettings.defaults());
            assertThat(context.getBean(PricingSettings.class).priceMode()).isEqualTo(PriceMode.AUTO);
            assertThat(context.getBean(PricingSettings.class).file()).isNull();
            assertThat(context.getBean(UsageSettings.class).preferSource()).isEqualTo("import");
            assertThat(context.containsBean(CompactionTimer.class)).isFalse();
        }
    }

    @Test
    void givenInvalidSettingsThenStartingFailsWithTheKeyAndTheReason() {
        assertThatThrownBy(() -> {
            try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
                    .properties(Map.of("agentlake.compactor.memory-limit", "lots")).start()) {
                context.getBean(CompactorSettings.class);
            }
        }).hasStackTraceContaining("agentlake.compactor.memory-limit must look like 512MB or 2GB: lots");
        assertThatThrownBy(() -> {
            try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
                    .properties(Map.of("agentlake.usage.prefer-source", "both")).start()) {
                context.getBean(UsageSettings.class);
            }
        }).hasStackTraceContaining("agentlake.usage.prefer-source must be import or otlp: both");
    }
}
