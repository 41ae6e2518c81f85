package dev.agentlake.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.agentlake.ingest.IngestFunction;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * What the Lambda runtime does on a cold start, in a fresh JVM whose class path is the ingest Lambda
 * jar (plus this class): construct the handler (building the application context), then hand it one
 * API Gateway HTTP API event carrying an OTLP request. Prints the time from JVM start to the handler's
 * 200, as {@code FIRST_200_MS <ms> CONSTRUCT_MS <ms> HANDLE_MS <ms> CPU_MS <ms> MAIN_MS <ms>
 * CPU_AT_CONTEXT_MS <ms>} (CPU: all threads, so it shows the work done even when other processes slow
 * the wall clock down; MAIN_MS: JVM start to this class's main; CPU_AT_CONTEXT_MS: CPU spent by the
 * time the handler and its context are built).
 *
 * <p>Usage: {@code java -cp ingest-lambda.jar:bench-classes ColdStartProbe BODY_FILE}; S3 settings from
 * the {@code AGENTLAKE_S3_*} environment, as on Lambda.
 */
public final class ColdStartProbe {
    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long inMain = System.currentTimeMillis();
        byte[] body = Files.readAllBytes(Path.of(args[0]));
        long beforeConstruct = System.currentTimeMillis();
        IngestFunction function = new IngestFunction();
        long constructed = System.currentTimeMillis();
        long cpuAtContext = processCpuMs();
        APIGatewayV2HTTPResponse response = function.handleRequest(event(body), new ProbeContext());
        long answered = System.currentTimeMillis();
        if (response.getStatusCode() != 200) {
            System.out.println("FAILED status " + response.getStatusCode() + " " + response.getBody());
            System.exit(1);
        }
        long cpuMs = processCpuMs();
        System.out.println("FIRST_200_MS " + (answered - jvmStart) + " CONSTRUCT_MS " + (constructed - beforeConstruct)
                + " HANDLE_MS " + (answered - constructed) + " CPU_MS " + cpuMs + " MAIN_MS " + (inMain - jvmStart)
                + " CPU_AT_CONTEXT_MS " + cpuAtContext);
        System.out.flush();
        function.close();
        System.exit(0);
    }

    private static long processCpuMs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000L;
    }

    private static APIGatewayV2HTTPEvent event(byte[] body) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath("/v1/logs")
                .withRawQueryString("")
                .withHeaders(Map.of("content-type", "application/x-protobuf", "content-length",
                        Integer.toString(body.length), "user-agent", "OTel-OTLP-Exporter-JavaScript/0.208.0"))
                .withBody(Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(true)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey("$default")
                        .withStage("$default")
                        .withRequestId("cold-start-probe")
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("POST").withPath("/v1/logs").withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1").withUserAgent("OTel-OTLP-Exporter-JavaScript/0.208.0").build())
                        .build())
                .build();
    }

    /**
     * The runtime's per-invocation context. Not the lake's TestLambdaContext: this probe runs on the
     * Lambda jar's class path alone (plus this class), as on Lambda, where test jars are absent.
     */
    private static final class ProbeContext implements Context {
        @Override
        public String getAwsRequestId() {
            return "cold-start-probe";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/agentlake-ingest";
        }

        @Override
        public String getLogStreamName() {
            return "probe";
        }

        @Override
        public String getFunctionName() {
            return "agentlake-ingest";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:agentlake-ingest";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.err.println(message);
                }

                @Override
                public void log(byte[] message) {
                    System.err.write(message, 0, message.length);
                }
            };
        }
    }
}
