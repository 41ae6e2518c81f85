package dev.agentlake.ingest;

import dev.agentlake.lake.model.RedactedText;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Optional redaction of prompt and response text at ingest ({@code agentlake.ingest.redact-prompts}):
 * the value of each attribute that carries what the user typed or the model answered is replaced by
 * {@code {"redacted":true,"length":N,"sha256":"…"}}, so reports can still count and match prompts
 * without storing them. The keys are the ones the three assistants use, as seen in their captures:
 * <ul>
 *   <li>Claude Code: {@code prompt}, {@code prompt_text} and {@code response} on log records, {@code user_prompt}
 *       on the interaction span;</li>
 *   <li>Codex: {@code prompt};</li>
 *   <li>Gemini CLI: {@code prompt}, {@code request_text}, {@code response_text}, and the resource attribute
 *       {@code process.command_args}, which repeats the prompt given with {@code -p};</li>
 *   <li>GenAI semantic conventions: {@code gen_ai.prompt}, {@code gen_ai.completion},
 *       {@code gen_ai.input.messages}, {@code gen_ai.output.messages}.</li>
 * </ul>
 * The same keys are redacted wherever they appear: record, span, event, point and resource attributes.
 */
@Singleton
final class PromptRedaction {
    static final Set<String> KEYS = Set.of(
            "prompt", "prompt_text", "response", "user_prompt",
            "request_text", "response_text",
            "process.command_args", "process.command_line",
            "gen_ai.prompt", "gen_ai.completion", "gen_ai.input.messages", "gen_ai.output.messages");

    private final boolean enabled;

    PromptRedaction(IngestSettings settings) {
        this.enabled = settings.redactPrompts();
    }

    boolean enabled() {
        return enabled;
    }

    /** The attributes with prompt text replaced; the same list when redaction is off or nothing matches. */
    List<KeyValue> apply(List<KeyValue> attributes) {
        if (!enabled) {
            return attributes;
        }
        List<KeyValue> result = null;
        for (int i = 0; i < attributes.size(); i++) {
            KeyValue kv = attributes.get(i);
            if (KEYS.contains(kv.getKey())) {
                if (result == null) {
                    result = new ArrayList<>(attributes);
                }
                result.set(i, KeyValue.newBuilder().setKey(kv.getKey())
                        .setValue(AnyValue.newBuilder().setStringValue(redacted(kv.getValue()))).build());
            }
        }
        return result == null ? attributes : result;
    }

    /** {@code {"redacted":true,"length":<code points>,"sha256":"<hex of the UTF-8 text>"}}, as import writes it too. */
    static String redacted(AnyValue value) {
        return RedactedText.of(AttributeValues.valueText(value));
    }
}
