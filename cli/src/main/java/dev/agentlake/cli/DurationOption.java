package dev.agentlake.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Duration options ({@code --compact-every 60s}, {@code --landing-grace 30s}): a whole number and ms, s, m or h. */
final class DurationOption {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private DurationOption() {
    }

    /** {@code value} of {@code option} as a duration; anything else is a usage error naming the value. */
    static Duration parse(CommandSpec spec, String option, String value, boolean zeroAllowed) {
        Matcher m = DURATION.matcher(value == null ? "" : value.trim());
        if (!m.matches() || (!zeroAllowed && Long.parseLong(m.group(1)) == 0)) {
            throw new ParameterException(spec.commandLine(), option + " must be a duration such as 60s or 5m"
                    + (option.equals("--compact-every") ? ", or off" : "") + ": " + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
