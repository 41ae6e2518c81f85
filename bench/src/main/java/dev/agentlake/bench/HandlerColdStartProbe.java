package dev.agentlake.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.testing.TestLambdaContext;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One cold start, as the Lambda runtime does it: a fresh JVM constructs the handler (the function's
 * own configuration comes from AGENTLAKE_* environment variables) and handles one event: an API Gateway
 * v2 request (query, ingest), or an EventBridge scheduled event (compactor; the event has a
 * {@code detail-type}). Prints {@code COLD <ms from JVM start to the response> <ms of the first invocation>
 * <status>}, the status being the HTTP status, or 200 when a scheduled run returned its report.
 *
 * <p>{@code java -cp … HandlerColdStartProbe HANDLER_CLASS EVENT_JSON}
 */
public final class HandlerColdStartProbe {
    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        JsonNode tree = json.readTree(body);
        long t0;
        int status;
        if (tree.has("detail-type")) {
            @SuppressWarnings("unchecked")
            var scheduled = (RequestHandler<ScheduledEvent, Map<String, Object>>) handler;
            ScheduledEvent event = scheduledEvent(tree);
            t0 = System.currentTimeMillis();
            Map<String, Object> report = scheduled.handleRequest(event, new TestLambdaContext("cold-start"));
            status = report != null ? 200 : 500;
            System.out.println("REPORT " + report);
        } else {
            @SuppressWarnings("unchecked")
            var http = (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) handler;
            APIGatewayV2HTTPEvent event = json.readValue(body, APIGatewayV2HTTPEvent.class);
            t0 = System.currentTimeMillis();
            status = http.handleRequest(event, new TestLambdaContext("cold-start")).getStatusCode();
        }
        long done = System.currentTimeMillis();
        System.out.println("COLD " + (done - jvmStart) + " " + (done - t0) + " " + status);
        System.exit(0);
    }

    /** ScheduledEvent's setters take Joda/plain types Jackson cannot bind from EventBridge's JSON as is. */
    private static ScheduledEvent scheduledEvent(JsonNode tree) {
        var event = new ScheduledEvent();
        event.setId(tree.path("id").asText());
        event.setDetailType(tree.path("detail-type").asText());
        event.setSource(tree.path("source").asText());
        event.setAccount(tree.path("account").asText());
        event.setRegion(tree.path("region").asText());
        event.setTime(org.joda.time.DateTime.parse(tree.path("time").asText()));
        return event;
    }
}
