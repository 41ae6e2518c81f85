package dev.agentlake.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * Bearer tokens generated at deploy time into SSM Parameter Store SecureString parameters (free; the
 * AWS-managed {@code aws/ssm} key), by a small custom resource whose code is
 * {@code token-parameter.js}. CloudFormation cannot create SecureString parameters itself, and a
 * Secrets Manager secret would cost 0.40 USD a month each, more than the rest of an idle deployment.
 */
final class TokenParameters extends Construct {
    /** Inline Lambda code is limited to 4 KB by CloudFormation. */
    static final int MAX_INLINE_CODE = 4096;

    private final Map<String, CustomResource> parameters = new LinkedHashMap<>();
    private final Function generator;

    /** @param parametersById parameter names by construct id, e.g. {@code Ingest -> /agentlake/default/ingest-token} */
    TokenParameters(Construct scope, String id, Map<String, String> parametersById, LogGroup logGroup) {
        super(scope, id);
        List<String> parameterNames = List.copyOf(parametersById.values());
        Stack stack = Stack.of(this);
        PolicyStatement write = PolicyStatement.Builder.create()
                .actions(List.of("ssm:PutParameter", "ssm:DeleteParameter"))
                .resources(parameterNames.stream().map(name -> parameterArn(stack, name)).toList())
                .build();
        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Agentlake token generator: creates and deletes the token parameters only")
                .inlinePolicies(Map.of("token-parameters", PolicyDocument.Builder.create()
                        .statements(List.of(write)).build()))
                .build();
        logGroup.grantWrite(role);
        this.generator = Function.Builder.create(this, "Generator")
                .runtime(Runtime.NODEJS_24_X)
                .architecture(Architecture.ARM_64)
                .handler("index.handler")
                .code(Code.fromInline(code()))
                .role(role)
                .logGroup(logGroup)
                .memorySize(128)
                .timeout(Duration.seconds(30))
                .description("Agentlake: generates bearer tokens into SSM SecureString parameters at deploy")
                .build();
        generator.getNode().addDependency(role);
        for (var entry : parametersById.entrySet()) {
            String name = entry.getValue();
            CustomResource resource = CustomResource.Builder.create(this, entry.getKey())
                    .serviceToken(generator.getFunctionArn())
                    .resourceType("Custom::AgentlakeToken")
                    .properties(Map.of("ParameterName", name,
                            "Description", "Agentlake bearer token(s), comma-separated (rotate: docs/deploy-aws.md)"))
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            parameters.put(name, resource);
        }
    }

    /** The custom resource that creates a parameter: functions depend on it so it exists before they run. */
    CustomResource resourceOf(String parameterName) {
        return parameters.get(parameterName);
    }

    Function generator() {
        return generator;
    }

    static String parameterArn(Stack stack, String parameterName) {
        // ARNs name the parameter without its leading '/'.
        return stack.formatArn(ArnComponents.builder().service("ssm").resource("parameter")
                .resourceName(parameterName.substring(1)).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }

    static String code() {
        try (InputStream in = TokenParameters.class.getResourceAsStream("token-parameter.js")) {
            if (in == null) {
                throw new IllegalStateException("token-parameter.js is missing from the classpath");
            }
            String js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (js.getBytes(StandardCharsets.UTF_8).length > MAX_INLINE_CODE) {
                throw new IllegalStateException("token-parameter.js exceeds CloudFormation's 4 KB inline limit");
            }
            return js;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
