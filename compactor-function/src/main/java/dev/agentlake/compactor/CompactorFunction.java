package dev.agentlake.compactor;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * AWS Lambda entry point, invoked by an EventBridge schedule. Handler:
 * {@code dev.agentlake.compactor.CompactorFunction::handleRequest}. Deploy it with reserved
 * concurrency 1: the commit protocol is safe with concurrent runs, but they only waste work.
 */
public class CompactorFunction extends MicronautRequestHandler<ScheduledEvent, Map<String, Object>> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CompactionJob job;

    /** The constructor the Lambda runtime calls: builds and starts the application context. */
    public CompactorFunction() {
        super();
    }

    public CompactorFunction(io.micronaut.context.ApplicationContext context) {
        super(context);
    }

    /**
     * Runs one compaction and returns its report as plain JSON values: the Lambda runtime serialises
     * the result with its own JSON library, which need not know Java records.
     */
    @Override
    public Map<String, Object> execute(ScheduledEvent event) {
        return JSON.convertValue(job.run(), new TypeReference<Map<String, Object>>() { });
    }
}
