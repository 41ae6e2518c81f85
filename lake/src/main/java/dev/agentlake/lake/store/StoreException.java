package dev.agentlake.lake.store;

/** The object store refused an operation for a reason that retrying will not fix (e.g. access denied). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
