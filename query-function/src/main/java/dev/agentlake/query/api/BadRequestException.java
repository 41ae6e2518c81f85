package dev.agentlake.query.api;

/** A request parameter is invalid; answered 400 with {@code {error, message}}. Never a silent fallback. */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message, null, false, false);
    }
}
