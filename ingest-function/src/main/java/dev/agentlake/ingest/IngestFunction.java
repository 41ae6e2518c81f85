package dev.agentlake.ingest;

import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

/**
 * AWS Lambda entry point: API Gateway HTTP API (payload 2.0) or a Function URL, in front of the
 * same controller the local server runs. Handler: {@code dev.agentlake.ingest.IngestFunction::handleRequest}.
 */
public class IngestFunction extends APIGatewayV2HTTPEventFunction {

    /**
     * The constructor the Lambda runtime calls: builds and starts the application context, and primes
     * the request path when a SnapStart snapshot is being taken (see {@link RequestPathWarmUp}).
     */
    public IngestFunction() {
        super();
        RequestPathWarmUp.primeIfWanted(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
    }

    public IngestFunction(io.micronaut.context.ApplicationContext context) {
        super(context);
    }
}
