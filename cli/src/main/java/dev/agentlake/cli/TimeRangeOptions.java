package dev.agentlake.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --from/--to/--tz}: the time window of the rows a subcommand reads, writes or deletes, shared by
 * import, report, export and delete. Both ends are optional here; {@link #requireBothEnds()} is for the
 * subcommands that must not run on an open-ended window.
 */
public final class TimeRangeOptions {
    @Option(names = "--from", paramLabel = "DATE", description = "First date (YYYY-MM-DD in --tz) or instant.")
    String from;
    @Option(names = "--to", paramLabel = "DATE", description = "Last date (inclusive) or end instant (exclusive).")
    String to;
    @Option(names = "--tz", paramLabel = "ZONE",
            description = "Time zone of --from/--to dates (and of a report's days, weeks and months). Default: this machine's.")
    String tz;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The window as given; an end left out is open. */
    TimeWindow window() {
        return TimeWindow.parse(from, to, tz);
    }

    /**
     * The usage error picocli gives for a missing required option unless both ends are given (the options
     * are not declared required, as only some subcommands need them). Call it first, where picocli would
     * have checked.
     */
    void requireBothEnds() {
        String missing = from == null && to == null ? "options: '--from=DATE', '--to=DATE'"
                : from == null ? "option: '--from=DATE'"
                : to == null ? "option: '--to=DATE'"
                : null;
        if (missing != null) {
            throw new ParameterException(command.commandLine(), "Missing required " + missing);
        }
    }
}
