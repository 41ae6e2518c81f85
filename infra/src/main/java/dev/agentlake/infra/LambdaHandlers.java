package dev.agentlake.infra;

/**
 * The Lambda handler of each function, as the function modules define them. Infra does not depend on
 * those modules (its runtime is the CDK only); a test loads the classes from them instead.
 */
public final class LambdaHandlers {
    /** API Gateway HTTP API payload 2.0 / Function URL events. */
    public static final String INGEST = "dev.agentlake.ingest.IngestFunction::handleRequest";
    /** API Gateway HTTP API payload 2.0 / Function URL events. */
    public static final String QUERY = "dev.agentlake.query.QueryFunction::handleRequest";
    /** EventBridge scheduled events. */
    public static final String COMPACTOR = "dev.agentlake.compactor.CompactorFunction";

    private LambdaHandlers() {
    }

    /** The class part of a handler string. */
    public static String className(String handler) {
        int i = handler.indexOf("::");
        return i < 0 ? handler : handler.substring(0, i);
    }
}
