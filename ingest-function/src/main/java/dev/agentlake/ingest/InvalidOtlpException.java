package dev.agentlake.ingest;

/**
 * The request cannot be accepted as sent; retrying it unchanged will fail the same way. Carries
 * the HTTP status (400, 401, 413, 415) and a one-line reason for the client. Nothing was written.
 */
public final class InvalidOtlpException extends RuntimeException {
    private final int status;

    InvalidOtlpException(int status, String reason) {
        super(reason, null, false, false);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("not a client error status: " + status);
        }
        this.status = status;
    }

    /** The HTTP status that says what was wrong: 400, 401, 404, 413 or 415. */
    public int status() {
        return status;
    }
}
