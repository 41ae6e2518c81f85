package dev.agentlake.compactor;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/**
 * AWS Lambda entry point, invoked by an EventBridge schedule. Handler:
 * {@code dev.agentlake.compactor.CompactorFunction::handleRequest}. Deploy it with reserved
 * concurrency 1: the commit protocol is safe with concurrent runs, but they only waste work.
 */
public class CompactorFunction extends MicronautRequestHandler<ScheduledEvent, CompactionReport> {

    @Inject
    CompactionJob job;

    /** The constructor the Lambda runtime calls: builds and starts the application context. */
    public CompactorFunction() {
        super();
    }

    public CompactorFunction(io.micronaut.context.ApplicationContext context) {
        super(context);
    }

    @Override
    public CompactionReport execute(ScheduledEvent event) {
        return job.run();
    }
}
