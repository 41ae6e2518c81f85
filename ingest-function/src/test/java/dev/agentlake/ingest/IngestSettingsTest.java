package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The defaults of every {@code agentlake.ingest.*} key (README's table) and what is refused at startup. */
class IngestSettingsTest {

    @Test
    void givenNoPropertiesThenEveryKeyHasItsDocumentedDefault() {
        try (ApplicationContext context = ApplicationContext.builder().start()) {
            IngestSettings settings = context.getBean(IngestSettings.class);

            assertThat(settings.maxBodyBytes()).isEqualTo(16_777_216L);
            assertThat(settings.keepCodexSseEvents()).isFalse();
            assertThat(settings.tokens()).isEmpty();
            assertThat(settings.redactPrompts()).isFalse();
            assertThat(context.getBean(IngestAuthenticator.class).required()).isFalse();
        }
    }

    @Test
    void givenEveryKeySetThenTheValuesAreBound() {
        try (ApplicationContext context = ApplicationContext.builder().properties(Map.of(
                "agentlake.ingest.max-body-bytes", "2048",
                "agentlake.ingest.keep-codex-sse-events", "true",
                "agentlake.ingest.tokens", " first-token-0123456789 , second-token-0123456789 ",
                "agentlake.ingest.redact-prompts", "true")).start()) {
            IngestSettings settings = context.getBean(IngestSettings.class);

            assertThat(settings.maxBodyBytes()).isEqualTo(2048L);
            assertThat(settings.keepCodexSseEvents()).isTrue();
            assertThat(settings.tokens()).containsExactly("first-token-0123456789", "second-token-0123456789");
            assertThat(settings.redactPrompts()).isTrue();
        }
    }

    @Test
    void aBodyLimitUnder1024BytesAndATokenWithSpacesAreRefused() {
        assertThatThrownBy(() -> new IngestSettings(100, false, List.of(), false, null, null))
                .hasMessage("agentlake.ingest.max-body-bytes must be at least 1024");
        assertThatThrownBy(() -> new IngestSettings(2048, false, List.of("a token with spaces in it"), false, null, null))
                .hasMessage("agentlake.ingest.tokens: tokens are printable ASCII without spaces");
    }
}
