package dev.agentlake.query;

import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

/**
 * AWS Lambda entry point: API Gateway HTTP API (payload 2.0) or a Function URL, in front of the
 * API and the dashboard. Handler: {@code dev.agentlake.query.QueryFunction::handleRequest}.
 */
public class QueryFunction extends APIGatewayV2HTTPEventFunction {
    public QueryFunction() {
    }

    public QueryFunction(ApplicationContext context) {
        super(context);
    }
}
