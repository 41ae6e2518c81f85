package dev.agentlake.lake.store;

/**
 * A put-if-absent was refused as "exists" (412/409), but only after the client had retried it: the
 * object may be our own first attempt's. Still "outcome unknown" for a commit; it does prove that the
 * store evaluates the condition (a store that ignores it never answers 412).
 */
public final class RefusedAfterRetryException extends StoreUnavailableException {
    public RefusedAfterRetryException(String message, Throwable cause) {
        super(message, cause);
    }
}
