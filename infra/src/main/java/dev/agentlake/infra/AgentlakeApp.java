package dev.agentlake.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/** {@code cdk synth} / {@code cdk deploy} entry point (see docs/deploy-aws.md). */
public final class AgentlakeApp {
    private AgentlakeApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        Object stage = app.getNode().tryGetContext("stage");
        String name = "Agentlake" + (stage == null ? "" : "-" + stage);
        new AgentlakeStack(app, name, StackProps.builder().description("Agentlake: observability lake for AI coding assistants").build());
        app.synth();
    }
}
