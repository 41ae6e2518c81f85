package dev.agentlake.ingest;

import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

/**
 * AWS Lambda entry point: API Gateway HTTP API (payload 2.0) or a Function URL, in front of the
 * same controller the local server runs. Handler: {@code dev.agentlake.ingest.IngestFunction::handleRequest}.
 */
public class IngestFunction extends APIGatewayV2HTTPEventFunction {
    /**
     * Started when the class is initialised, i.e. before the constructor builds the application
     * context, so the two run side by side (see {@link RequestPathWarmUp}).
     */
    private static final Thread WARM_UP = RequestPathWarmUp.start();

    /** The constructor the Lambda runtime calls: builds and starts the application context. */
    public IngestFunction() {
        super();
        RequestPathWarmUp.await(WARM_UP);
    }

    public IngestFunction(io.micronaut.context.ApplicationContext context) {
        super(context);
        RequestPathWarmUp.await(WARM_UP);
    }
}
