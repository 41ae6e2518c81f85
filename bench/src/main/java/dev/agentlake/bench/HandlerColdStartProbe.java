package dev.agentlake.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new RuntimeContext());
        long done = System.currentTimeMillis();
        System.out.println("COLD " + (done - jvmStart) + " " + (done - t0) + " " + response.getStatusCode());
        System.exit(0);
    }

    /** What the Lambda runtime passes per invocation; the handlers read none of it. */
    static final class RuntimeContext implements Context {
        public String getAwsRequestId() {
            return "cold-start";
        }

        public String getLogGroupName() {
            return "bench";
        }

        public String getLogStreamName() {
            return "bench";
        }

        public String getFunctionName() {
            return "bench";
        }

        public String getFunctionVersion() {
            return "$LATEST";
        }

        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:bench";
        }

        public CognitoIdentity getIdentity() {
            return null;
        }

        public ClientContext getClientContext() {
            return null;
        }

        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        public int getMemoryLimitInMB() {
            return 1024;
        }

        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) {
                    System.err.println(message);
                }

                public void log(byte[] message) {
                    System.err.println(new String(message));
                }
            };
        }
    }
}
