package dev.agentlake.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * {@code cdk synth} / {@code cdk deploy} entry point (run from {@code infra/}; see docs/deploy-aws.md).
 * cdk-nag's AWS Solutions checks run on every synth: an unsuppressed error stops it.
 */
public final class AgentlakeApp {
    private AgentlakeApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        DeploymentSettings settings = DeploymentSettings.fromContext(app.getNode()::tryGetContext);
        settings.requireCodeExists();
        new AgentlakeStack(app, settings.stackName(), StackProps.builder()
                .description("Agentlake: observability lake for AI coding assistants (stage " + settings.stage() + ")")
                .build(), settings);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        app.synth();
    }
}
