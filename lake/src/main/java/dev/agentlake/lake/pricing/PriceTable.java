package dev.agentlake.lake.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model prices in USD per token, from the LiteLLM snapshot embedded in this library
 * ({@code pricing/model-prices.json}, whose {@code source} line says exactly where it came from),
 * optionally overridden or extended by a user's price file with the same field names.
 *
 * <p>Fallbacks, so that a known model always has every rate: cache read → input rate (no discount
 * published); cache write 5m → input rate (OpenAI and Google do not bill cache writes apart);
 * cache write 1h → for Anthropic models 2 × input (Anthropic's published rule) when the entry has
 * no 1 hour price, else the 5 minute rate; reasoning → output rate. A tier rate that an entry lacks
 * is its base rate where the entry publishes that base rate, else derived inside the tier by the
 * same rules.
 *
 * <p>Unknown models resolve to empty: the caller records cost NULL with {@code unknown_model},
 * never 0.
 */
public final class PriceTable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMBEDDED = "/pricing/model-prices.json";
    private static final Pattern TIER = Pattern.compile("_above_(\\d+)k_tokens$");

    private final String source;
    private final String version;
    private final Map<String, String> aliases;
    private final Map<String, JsonNode> entries;
    private final Map<String, Optional<ModelPrice>> resolved = new ConcurrentHashMap<>();

    private PriceTable(String source, String version, Map<String, String> aliases, Map<String, JsonNode> entries) {
        this.source = source;
        this.version = version;
        this.aliases = Map.copyOf(aliases);
        this.entries = Map.copyOf(entries);
    }

    /** The price table embedded in this build. */
    public static PriceTable embedded() {
        try (InputStream in = PriceTable.class.getResourceAsStream(EMBEDDED)) {
            if (in == null) {
                throw new IllegalStateException("the embedded price table " + EMBEDDED + " is missing from the build");
            }
            return parse(in.readAllBytes(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The embedded table with {@code userFile} laid over it (see {@link #withOverrides(byte[], String)}). */
    public static PriceTable embeddedWith(Path userFile) {
        try {
            return embedded().withOverrides(Files.readAllBytes(userFile), userFile.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the price file " + userFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * A table with a user's prices laid over this one. The file is JSON in LiteLLM's field names,
     * either {@code {"models": {id: {...}}, "aliases": {...}}} or directly {@code {id: {...}}}. A
     * model already in the table keeps the fields the user did not give; a new id is added.
     *
     * @param what names the file in error messages
     */
    public PriceTable withOverrides(byte[] userJson, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(userJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("price file " + what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("price file " + what + " must be a JSON object of model ids");
        }
        JsonNode models = root.has("models") ? root.get("models") : root;
        var merged = new LinkedHashMap<>(entries);
        for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("aliases")) {
                continue;
            }
            if (!e.getValue().isObject()) {
                throw new IllegalArgumentException("price file " + what + ": " + e.getKey() + " must be an object of prices");
            }
            ObjectNode entry = merged.containsKey(e.getKey())
                    ? ((ObjectNode) merged.get(e.getKey())).deepCopy() : JSON.createObjectNode();
            entry.setAll((ObjectNode) e.getValue());
            entry.put("_source", "user price file");
            if (!entry.hasNonNull("input_cost_per_token") || !entry.hasNonNull("output_cost_per_token")) {
                throw new IllegalArgumentException("price file " + what + ": " + e.getKey()
                        + " needs input_cost_per_token and output_cost_per_token");
            }
            merged.put(e.getKey(), entry);
        }
        var mergedAliases = new LinkedHashMap<>(aliases);
        JsonNode userAliases = root.get("aliases");
        if (userAliases != null && userAliases.isObject()) {
            userAliases.fields().forEachRemaining(a -> mergedAliases.put(a.getKey(), a.getValue().asText()));
        }
        PriceTable table = new PriceTable(source, version + "+user:" + sha256(userJson), mergedAliases, merged);
        // Fail at startup, not at the first call, when a user price is unusable.
        for (String key : merged.keySet()) {
            if (!entries.containsKey(key) || merged.get(key) != entries.get(key)) {
                table.price(key);
            }
        }
        return table;
    }

    static PriceTable parse(byte[] json, String extraVersion) {
        try {
            JsonNode root = JSON.readTree(json);
            var entries = new LinkedHashMap<String, JsonNode>();
            // LiteLLM entries first; the supplemental catalog only fills ids LiteLLM lacks.
            JsonNode supplemental = root.path("supplemental_models_dev");
            supplemental.fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
            root.path("models").fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
            var aliases = new LinkedHashMap<String, String>();
            root.path("aliases").fields().forEachRemaining(e -> aliases.put(e.getKey(), e.getValue().asText()));
            String retrieved = root.path("retrieved").asText("unknown");
            String version = "litellm@" + retrieved + "+sha256:" + sha256(json) + (extraVersion == null ? "" : extraVersion);
            return new PriceTable(root.path("source").asText(""), version, aliases, entries);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable price table: " + e.getMessage(), e);
        }
    }

    /** The price file's {@code source} line: where the prices were taken from. */
    public String source() {
        return source;
    }

    /**
     * Identifies these prices: the snapshot date, a hash of the embedded file, and of the user file
     * if any. Stored in each snapshot, so a change of prices is seen and usage re-priced.
     */
    public String version() {
        return version;
    }

    /** Number of priced model ids. */
    public int size() {
        return entries.size();
    }

    /** The price of {@code model}, or empty when no key matches it after normalisation. */
    public Optional<ModelPrice> resolve(String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        return resolved.computeIfAbsent(model, this::lookup);
    }

    private Optional<ModelPrice> lookup(String model) {
        for (String candidate : ModelIds.candidates(model)) {
            String key = aliases.getOrDefault(candidate, candidate);
            if (entries.containsKey(key)) {
                return Optional.of(price(key));
            }
        }
        return Optional.empty();
    }

    private ModelPrice price(String key) {
        JsonNode e = entries.get(key);
        double input = rate(e, key, "input_cost_per_token", null);
        double output = rate(e, key, "output_cost_per_token", null);
        boolean anthropic = "anthropic".equals(e.path("_family").asText()) || key.contains("claude");
        double cacheRead = rate(e, key, "cache_read_input_token_cost", input);
        double cacheWrite5m = rate(e, key, "cache_creation_input_token_cost", input);
        double cacheWrite1h = rate(e, key, "cache_creation_input_token_cost_above_1hr",
                anthropic ? 2 * input : cacheWrite5m);
        double reasoning = rate(e, key, "output_cost_per_reasoning_token", output);
        var base = new ModelPrice.Rates(input, output, reasoning, cacheRead, cacheWrite5m, cacheWrite1h);

        long threshold = 0;
        String suffix = null;
        for (Iterator<String> names = e.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            Matcher m = TIER.matcher(name);
            if (m.find()) {
                long t = Long.parseLong(m.group(1)) * 1000;
                if (threshold != 0 && threshold != t) {
                    throw new IllegalStateException("price entry " + key + " has two long-context thresholds");
                }
                threshold = t;
                suffix = "_above_" + m.group(1) + "k_tokens";
            }
        }
        if (threshold == 0) {
            return new ModelPrice(key, e.path("_source").asText("price table"), base, 0, base);
        }
        // A tier rate the entry lacks is its base rate where the entry publishes one, else it is
        // derived inside the tier by the same rule as the base (e.g. no cache price → the tier's input).
        double inputAbove = rate(e, key, "input_cost_per_token" + suffix, input);
        double outputAbove = rate(e, key, "output_cost_per_token" + suffix, output);
        double cacheReadAbove = rate(e, key, "cache_read_input_token_cost" + suffix,
                e.has("cache_read_input_token_cost") ? cacheRead : inputAbove);
        double cacheWrite5mAbove = rate(e, key, "cache_creation_input_token_cost" + suffix,
                e.has("cache_creation_input_token_cost") ? cacheWrite5m : inputAbove);
        double cacheWrite1hAbove = rate(e, key, "cache_creation_input_token_cost_above_1hr" + suffix,
                e.has("cache_creation_input_token_cost_above_1hr") ? cacheWrite1h
                        : anthropic ? 2 * inputAbove : cacheWrite5mAbove);
        var above = new ModelPrice.Rates(
                inputAbove,
                outputAbove,
                rate(e, key, "output_cost_per_reasoning_token" + suffix,
                        e.has("output_cost_per_reasoning_token") ? reasoning : outputAbove),
                cacheReadAbove,
                cacheWrite5mAbove,
                cacheWrite1hAbove);
        return new ModelPrice(key, e.path("_source").asText("price table"), base, threshold, above);
    }

    private static double rate(JsonNode entry, String key, String field, Double fallback) {
        JsonNode v = entry.get(field);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                throw new IllegalStateException("price entry " + key + " has no " + field);
            }
            return fallback;
        }
        if (!v.isNumber() || v.asDouble() < 0) {
            throw new IllegalArgumentException("price entry " + key + ": " + field + " must be a number ≥ 0, not " + v);
        }
        return v.asDouble();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "PriceTable[" + version + ", " + entries.size() + " models]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PriceTable t && t.version.equals(version);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version);
    }
}
