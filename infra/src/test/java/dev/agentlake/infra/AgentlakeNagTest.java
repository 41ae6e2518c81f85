package dev.agentlake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AWS Solutions rules: no unsuppressed error, with defaults and with every option. */
class AgentlakeNagTest {

    @Test
    void givenTheDefaultsWhenCheckedByCdkNagThenNoAwsSolutionsErrorIsUnsuppressed() {
        assertThat(render(errors(SynthesizedStacks.defaults()))).isEmpty();
    }

    @Test
    void givenEveryOptionWhenCheckedByCdkNagThenNoAwsSolutionsErrorIsUnsuppressed() {
        assertThat(render(errors(SynthesizedStacks.options()))).isEmpty();
    }

    @Test
    void givenEitherStackThenTheCdkItselfWarnsAboutNothing() {
        for (SynthesizedStacks.Synth synth : List.of(SynthesizedStacks.defaults(), SynthesizedStacks.options())) {
            List<SynthesisMessage> warnings = Annotations.fromStack(synth.stack())
                    .findWarning("*", Match.anyValue()).stream()
                    .filter(m -> !String.valueOf(m.getEntry().getData()).startsWith("AwsSolutions-"))
                    .collect(Collectors.toList());
            assertThat(render(warnings)).isEmpty();
        }
    }

    static List<SynthesisMessage> errors(SynthesizedStacks.Synth synth) {
        return Annotations.fromStack(synth.stack()).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    }

    static List<String> render(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData())
                .collect(Collectors.toList());
    }
}
