package dev.agentlake.cli;

import dev.agentlake.lake.store.StoreUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code agentlake}: the command line. Without a subcommand it runs {@code serve}. */
@Command(name = "agentlake", mixinStandardHelpOptions = true, version = "agentlake 0.1.0",
        description = "Serverless, open-format observability for AI coding assistants.",
        subcommands = {ServeCommand.class, ImportCommand.class, ReportCommand.class, CompactCommand.class, ExportCommand.class,
                DeleteCommand.class,
                ImportBundleCommand.class, QueryCommand.class, PricingCommand.class, SetupCommand.class, DoctorCommand.class,
                CommandLine.HelpCommand.class})
public final class AgentlakeCommand implements Runnable {

    @Override
    public void run() {
        // No subcommand: serve, as the README's one command promises.
    }

    public static void main(String[] args) {
        // One-shot subcommands stop the embedded S3 server on exit, and its graceful stop waits for
        // idle keep-alive connections of the JDK's HTTP client: without them exit is seconds faster.
        if (args.length > 0 && !args[0].equals("serve")) {
            System.setProperty("http.keepAlive", "false");
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        String[] effective = args.length == 0 ? new String[] {"serve"} : args;
        return commandLine().execute(effective);
    }

    static CommandLine commandLine() {
        return new CommandLine(new AgentlakeCommand())
                .setExitCodeExceptionMapper(AgentlakeCommand::exitCode)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("agentlake: " + e.getMessage());
                    return exitCode(e);
                });
    }

    static int exitCode(Throwable e) {
        if (e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException) {
            return ExitCode.USAGE.code();
        }
        if (e instanceof StoreUnavailableException || e instanceof java.net.BindException
                || e.getCause() instanceof java.net.BindException) {
            return ExitCode.UNAVAILABLE.code();
        }
        return ExitCode.INTERNAL.code();
    }
}
