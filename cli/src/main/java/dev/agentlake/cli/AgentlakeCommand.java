package dev.agentlake.cli;

import dev.agentlake.lake.store.StoreUnavailableException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code agentlake}: the command line. Without a subcommand it runs {@code serve}. */
@Command(name = "agentlake", mixinStandardHelpOptions = true, version = "agentlake 0.1.0",
        description = "Serverless, open-format observability for AI coding assistants.")
public final class AgentlakeCommand implements Runnable {
    /**
     * The subcommands in the order help lists them. Added by code, not by the annotation, so that a
     * one-shot run builds only the subcommand it runs: picocli builds every subcommand's options
     * (mixins, converters, their classes) up front, a tenth of a second of start-up for nothing.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        var all = new LinkedHashMap<String, Supplier<Object>>();
        all.put("serve", ServeCommand::new);
        all.put("import", ImportCommand::new);
        all.put("report", ReportCommand::new);
        all.put("compact", CompactCommand::new);
        all.put("export", ExportCommand::new);
        all.put("delete", DeleteCommand::new);
        all.put("import-bundle", ImportBundleCommand::new);
        all.put("query", QueryCommand::new);
        all.put("pricing", PricingCommand::new);
        all.put("setup", SetupCommand::new);
        all.put("doctor", DoctorCommand::new);
        all.put("help", CommandLine.HelpCommand::new);
        return Collections.unmodifiableMap(all);
    }

    @Override
    public void run() {
        // No subcommand: serve, as the README's one command promises.
    }

    static {
        // picocli's default factory looks for Groovy's Closure class when it is first used; the class is
        // not there, so the lookup opens every one of the ~165 jars of the class path, the longest
        // single step of a one-shot command's start.
        System.setProperty("picocli.disable.closures", "true");
    }

    static final String ONE_SHOT_LOG_LEVEL = "org.slf4j.simpleLogger.log.dev.agentlake";

    public static void main(String[] args) {
        configureProcess(args);
        System.exit(run(args));
    }

    /** System properties of a process that runs {@code args}, set before anything reads them. */
    static void configureProcess(String[] args) {
        if (args.length > 0 && !args[0].equals("serve")) {
            // One-shot subcommands stop the embedded S3 server on exit, and its graceful stop waits for
            // idle keep-alive connections of the JDK's HTTP client: without them exit is seconds faster.
            System.setProperty("http.keepAlive", "false");
            // A one-shot command prints its own result: the functions' progress lines (a compaction committed,
            // a lease held) would only repeat it on stderr. Warnings still show.
            if (System.getProperty(ONE_SHOT_LOG_LEVEL) == null) {
                System.setProperty(ONE_SHOT_LOG_LEVEL, "warn");
            }
        }
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        String[] effective = args.length == 0 ? new String[] {"serve"} : args;
        return commandLine(effective[0]).execute(effective);
    }

    /** The whole command line, every subcommand. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line with only subcommand {@code first} when it names one (all that a run of it needs:
     * its help and errors read the same), else with every subcommand.
     */
    static CommandLine commandLine(String first) {
        var commandLine = new CommandLine(new AgentlakeCommand());
        boolean one = first != null && SUBCOMMANDS.containsKey(first) && !first.equals("help");
        SUBCOMMANDS.forEach((name, command) -> {
            if (!one || name.equals(first)) {
                commandLine.addSubcommand(command.get());
            }
        });
        return commandLine
                .setExitCodeExceptionMapper(AgentlakeCommand::exitCode)
                // A bad option or value: its one-line reason and where the options are, not the whole
                // usage text (50 lines for serve), which buries the reason.
                .setParameterExceptionHandler((e, args) -> {
                    CommandLine cmd = e.getCommandLine();
                    cmd.getErr().println("agentlake: " + e.getMessage());
                    CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
                    cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for its options.");
                    return ExitCode.USAGE.code();
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("agentlake: " + reason(e));
                    return exitCode(e);
                });
    }

    static int exitCode(Throwable e) {
        if (e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException
                || e instanceof java.nio.file.FileSystemException) {
            return ExitCode.USAGE.code();
        }
        if (e instanceof StoreUnavailableException) {
            return ExitCode.UNAVAILABLE.code();
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException) {
                return ExitCode.UNAVAILABLE.code(); // a port in use, however deep the framework wrapped it
            }
        }
        return ExitCode.INTERNAL.code();
    }

    /** The one line a failure prints: a file the user named says what is wrong with it, not only its path. */
    static String reason(Throwable e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
            String what = e instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : e instanceof java.nio.file.NotDirectoryException ? "not a folder"
                    : e instanceof java.nio.file.DirectoryNotEmptyException ? "folder not empty" : "cannot use it";
            return f.getFile() + ": " + what;
        }
        return e.getMessage();
    }
}
