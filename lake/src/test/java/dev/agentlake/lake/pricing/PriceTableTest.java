package dev.agentlake.lake.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PriceTableTest {
    private static final PriceTable TABLE = PriceTable.embedded();

    @Test
    void givenTheEmbeddedTableThenItKeepsItsSourceLineAndAVersionThatNamesTheSnapshot() {
        assertThat(TABLE.source()).startsWith("LiteLLM model_prices_and_context_window.json (BerriAI/litellm, main branch)");
        assertThat(TABLE.version()).matches("litellm@2026-11-22\\+sha256:[0-9a-f]{12}");
        assertThat(TABLE.size()).isEqualTo(150); // 147 LiteLLM entries + 3 supplemental ids
    }

    @Test
    void givenTheFixtureModelsThenOnlyClaudeOpus55IsUnknown() {
        // The captures used models the snapshot was taken after: claude-opus-5-5 is in neither
        // LiteLLM snapshot, so it must stay unpriced — not be priced as claude-opus-5.
        assertThat(TABLE.resolve("claude-opus-5-5")).isEmpty();
        assertThat(TABLE.resolve("gpt-5-codex")).get().satisfies(p -> {
            assertThat(p.key()).isEqualTo("gpt-5-codex");
            assertThat(p.base()).isEqualTo(new ModelPrice.Rates(1.25e-6, 1e-5, 1e-5, 1.25e-7, 1.25e-6, 1.25e-6));
            assertThat(p.tierThresholdTokens()).isZero();
        });
        // gemini-3.8-flash is only in the file's supplemental (models.dev) section.
        assertThat(TABLE.resolve("gemini-3.8-flash")).get().satisfies(p -> {
            assertThat(p.source()).startsWith("models.dev catalog embedded in ccusage 20.0.24");
            assertThat(p.base()).isEqualTo(new ModelPrice.Rates(7.5e-7, 3.75e-6, 3.75e-6, 7.5e-8, 7.5e-7, 7.5e-7));
        });
        assertThat(TABLE.resolve("gemini-3.5-flash-lite")).get().satisfies(p ->
                assertThat(p.base()).isEqualTo(new ModelPrice.Rates(3e-7, 2.5e-6, 2.5e-6, 3e-8, 3e-7, 3e-7)));
    }

    @ParameterizedTest(name = "{0} is priced as {1}")
    @CsvSource({
            "claude-sonnet-4-5, claude-sonnet-4-5",
            "anthropic/claude-sonnet-4-5, claude-sonnet-4-5",
            "Claude-Sonnet-4-5, claude-sonnet-4-5",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0, claude-sonnet-4-5-20250929-v1:0",
            "eu.anthropic.claude-haiku-4-5-20251001-v1:0, claude-haiku-4-5-20251001",
            "claude-opus-4-1@20250805, claude-opus-4-1",
            "claude-haiku-4-5-20991231, claude-haiku-4-5",
            "claude-3-5-haiku-20241022, anthropic.claude-3-5-haiku-20241022-v1:0",
            "openai/gpt-5-codex, gpt-5-codex",
            "gpt-4o-2024-08-06, gpt-4o-2024-08-06",
            "gemini/gemini-3.5-flash-lite, gemini/gemini-3.5-flash-lite",
            "google/gemini-3.5-flash-lite, gemini-3.5-flash-lite",
    })
    void givenADecoratedModelIdThenItIsPricedUnderItsTableKey(String reported, String key) {
        assertThat(TABLE.resolve(reported)).get().extracting(ModelPrice::key).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource({"claude-opus-5-5", "gpt-5-codex-ultra", "my-local-llama", "' '"})
    void givenAnIdNoKeyMatchesThenTheModelIsUnknown(String reported) {
        assertThat(TABLE.resolve(reported)).isEmpty();
    }

    @Test
    void givenAnthropicCacheWritesThenThe1HourRateIsTheTablesOrTwiceInputWhereTheEntryHasNone() {
        // claude-opus-5: 5m write $6.25/M, 1h write $10/M as published.
        ModelPrice opus = TABLE.resolve("claude-opus-5").orElseThrow();
        assertThat(opus.base().cacheWrite5m()).isEqualTo(6.25e-6);
        assertThat(opus.base().cacheWrite1h()).isEqualTo(1e-5);
        // claude-mythos-5 comes from the newer snapshot, which carries no 1 hour price: 2 × input.
        ModelPrice mythos = TABLE.resolve("claude-mythos-5").orElseThrow();
        assertThat(mythos.base().cacheWrite1h()).isEqualTo(2 * mythos.base().input());
    }

    @Test
    void givenLongContextTiersThenTheThresholdComesFromTheFieldNames() {
        ModelPrice sonnet = TABLE.resolve("claude-sonnet-4-5").orElseThrow();
        assertThat(sonnet.tierThresholdTokens()).isEqualTo(200_000);
        assertThat(sonnet.above()).isEqualTo(new ModelPrice.Rates(6e-6, 2.25e-5, 2.25e-5, 6e-7, 7.5e-6, 1.2e-5));
        ModelPrice gpt = TABLE.resolve("gpt-5.4").orElseThrow();
        assertThat(gpt.tierThresholdTokens()).isEqualTo(272_000);
        // gpt-5.4 publishes no cache-write price: the input rate of each tier.
        assertThat(gpt.above()).isEqualTo(new ModelPrice.Rates(5e-6, 2.25e-5, 2.25e-5, 5e-7, 5e-6, 5e-6));
    }

    @Test
    void givenAUserPriceFileThenItPricesNewModelsOverridesFieldsAndChangesTheVersion() {
        PriceTable withUser = TABLE.withOverrides("""
                {"models": {
                  "claude-opus-5-5": {"input_cost_per_token": 5e-6, "output_cost_per_token": 2.5e-5,
                                      "cache_read_input_token_cost": 5e-7, "cache_creation_input_token_cost": 6.25e-6},
                  "gpt-5-codex": {"input_cost_per_token": 1e-6}
                }}""".getBytes(StandardCharsets.UTF_8), "prices.json");

        assertThat(withUser.resolve("claude-opus-5-5")).get().satisfies(p -> {
            assertThat(p.source()).isEqualTo("user price file");
            assertThat(p.base()).isEqualTo(new ModelPrice.Rates(5e-6, 2.5e-5, 2.5e-5, 5e-7, 6.25e-6, 1e-5));
        });
        assertThat(withUser.resolve("gpt-5-codex").orElseThrow().base())
                .isEqualTo(new ModelPrice.Rates(1e-6, 1e-5, 1e-5, 1.25e-7, 1e-6, 1e-6));
        assertThat(withUser.version()).startsWith(TABLE.version() + "+user:").isNotEqualTo(TABLE.version());
        assertThat(TABLE.resolve("claude-opus-5-5")).isEmpty();
    }

    @Test
    void givenAnUnusableUserPriceFileThenLoadingFailsWithTheReason() {
        assertThatThrownBy(() -> TABLE.withOverrides("{not json".getBytes(StandardCharsets.UTF_8), "p.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("price file p.json is not valid JSON");
        assertThatThrownBy(() -> TABLE.withOverrides("{\"new-model\": {\"input_cost_per_token\": 1e-6}}"
                .getBytes(StandardCharsets.UTF_8), "p.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("price file p.json: new-model needs input_cost_per_token and output_cost_per_token");
        assertThatThrownBy(() -> TABLE.withOverrides("{\"m\": {\"input_cost_per_token\": -1, \"output_cost_per_token\": 1}}"
                .getBytes(StandardCharsets.UTF_8), "p.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("price entry m: input_cost_per_token must be a number ≥ 0, not -1");
    }

    @Test
    void givenPriceModesThenTheirConfigurationWordsParse() {
        assertThat(PriceMode.fromWord("Calculate")).isEqualTo(PriceMode.CALCULATE);
        assertThatThrownBy(() -> new PricingSettings("cheapest", null))
                .hasMessage("price mode must be auto, calculate or display: cheapest");
    }
}
