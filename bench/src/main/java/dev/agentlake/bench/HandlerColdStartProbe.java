package dev.agentlake.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.testing.TestLambdaContext;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold start, as the Lambda runtime does it: a fresh JVM constructs the handler (the function's
 * own configuration comes from AGENTLAKE_* environment variables) and handles one API Gateway v2
 * event. Prints {@code COLD <ms from JVM start to the response> <ms of the first invocation> <status>}.
 *
 * <p>{@code java -cp … HandlerColdStartProbe HANDLER_CLASS EVENT_JSON}
 */
public final class HandlerColdStartProbe {
    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        @SuppressWarnings("unchecked")
        var handler = (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>)
                Class.forName(args[0]).getConstructor().newInstance();
        var event = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(Files.readAllBytes(Path.of(args[1])), APIGatewayV2HTTPEvent.class);
        long t0 = System.currentTimeMillis();
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestLambdaContext("cold-start"));
        long done = System.currentTimeMillis();
        System.out.println("COLD " + (done - jvmStart) + " " + (done - t0) + " " + response.getStatusCode());
        System.exit(0);
    }
}
