package dev.agentlake.cli;

/** Exit codes of every subcommand; one vocabulary with the HTTP API (user / external / internal). */
public enum ExitCode {
    /** Done as asked. */
    OK(0),
    /** The user asked for something invalid (bad option, bad input): like HTTP 4xx. */
    USAGE(2),
    /** Something outside us failed (bucket unreachable, port taken): like HTTP 503; retry may help. */
    UNAVAILABLE(3),
    /** A bug or unexpected state: like HTTP 500. */
    INTERNAL(4),
    /**
     * Partly done: the rest was done as asked, but some inputs could not be used (each named on
     * stderr, e.g. a session file {@code import} could not read); running again retries them.
     */
    PARTIAL(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
