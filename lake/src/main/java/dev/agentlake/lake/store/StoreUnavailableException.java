package dev.agentlake.lake.store;

/**
 * The object store could not be reached or asked us to slow down, and the operation's outcome is
 * unknown: retrying later may succeed. Ingest answers 503 with Retry-After; a commit treats it as
 * "state unknown" and re-reads before deciding.
 */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
