package dev.agentlake.ingest;

import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

/**
 * AWS Lambda entry point: API Gateway HTTP API (payload 2.0) or a Function URL, in front of the
 * same controller the local server runs. Handler: {@code dev.agentlake.ingest.IngestFunction::handleRequest}.
 */
public class IngestFunction extends APIGatewayV2HTTPEventFunction {
}
