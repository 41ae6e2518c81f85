package dev.agentlake.lake.pricing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The ids under which a reported model may be priced, most specific first. Assistants and gateways
 * report the same model as {@code claude-sonnet-4-5-20250929}, {@code anthropic/claude-sonnet-4-5},
 * {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0} (Bedrock), {@code claude-sonnet-4-5@20250929}
 * (Vertex) or {@code gemini/gemini-2.5-pro}; the price table has one key per model. Each step only
 * removes decoration (provider prefix, region, version suffix, date), never a part of the model's
 * own name: {@code claude-opus-5-5} is not {@code claude-opus-5}.
 */
final class ModelIds {
    private static final Pattern PROVIDER = Pattern.compile(
            "^(anthropic|openai|gemini|google|vertex_ai|vertex_ai-language-models|bedrock|azure|openrouter|models)/");
    private static final Pattern BEDROCK_REGION = Pattern.compile("^(us|eu|apac|ap|au|jp|ca|global|us-gov)\\.");
    private static final Pattern BEDROCK_VENDOR = Pattern.compile("^(anthropic|openai|google)\\.");
    private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+(:\\d+)?$");
    private static final Pattern AT_DATE = Pattern.compile("@[0-9-]+$");
    private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{8}|\\d{4}-\\d{2}-\\d{2})$");

    private ModelIds() {
    }

    /** Candidate keys for {@code model}, in the order they should be tried. */
    static List<String> candidates(String model) {
        var out = new LinkedHashSet<String>();
        String id = model.trim();
        out.add(id);
        id = id.toLowerCase(Locale.ROOT);
        out.add(id);
        String stripped;
        while (!(stripped = PROVIDER.matcher(id).replaceFirst("")).equals(id)) {
            id = stripped;
            out.add(id);
        }
        id = BEDROCK_REGION.matcher(id).replaceFirst("");
        out.add(id);
        String bare = BEDROCK_VENDOR.matcher(id).replaceFirst("");
        if (!bare.equals(id)) {
            out.add(bare);
            id = BEDROCK_VERSION.matcher(bare).replaceFirst("");
            out.add(id);
        }
        id = AT_DATE.matcher(id).replaceFirst("");
        out.add(id);
        id = DATE_SUFFIX.matcher(id).replaceFirst("");
        out.add(id);
        return new ArrayList<>(out);
    }
}
