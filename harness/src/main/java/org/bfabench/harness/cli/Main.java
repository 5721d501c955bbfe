package org.bfabench.harness.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bfabench.spi.SpiVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bfabench} command line. {@link #main} exits the JVM; {@link #run} does not, so tests and
 * embedders run the CLI in-process. Exit codes are defined in {@link ExitCodes}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // JavaCPP logs through SLF4J (so into the log file) instead of printing to stderr itself
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs one command line in the working directory and returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, env, Path.of(""));
    }

    /**
     * Runs one command line and returns its exit code; {@code workDir} is where the log of a command
     * without {@code --out} goes when it fails.
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Path workDir) {
        try (Session session = new Session(out, err, env, workDir)) {
            CommandLine cli = commandLine(session);
            try {
                return cli.execute(args);
            } catch (RuntimeException | Error e) {
                return ExitCodes.ofFailure(e, session);
            }
        }
    }

    static CommandLine commandLine(Session session) {
        CommandLine cli = new CommandLine(new Bfabench(session));
        cli.addSubcommand(new RunCommand(session));
        cli.addSubcommand(new ListCommand(session));
        cli.addSubcommand(new GridsCommand(session));
        cli.addSubcommand(new MergeCommand(session));
        cli.addSubcommand(new DescribeCommand(session));
        cli.addSubcommand(new ImportCommand(session));
        cli.addSubcommand(new AttackCommand(session));
        cli.addSubcommand(new NightlyCommand(session));
        cli.addSubcommand(new BenchCommand(session));
        cli.setOut(new java.io.PrintWriter(session.out(), true));
        cli.setErr(new java.io.PrintWriter(session.err(), true));
        cli.setParameterExceptionHandler((e, args) ->
                ExitCodes.ofUsage(e.getMessage(), commandName(e.getCommandLine()), session));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> ExitCodes.ofFailure(e, session));
        return cli;
    }

    private static String commandName(CommandLine c) {
        return c.getParent() == null ? "" : c.getCommandName();
    }

    @Command(name = "bfabench", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Benchmark defenses against adversarial bit-flip attacks on neural-network weights.",
                    "Exit codes: 0 ok, 1 unexpected error (see the log), 2 bad input (one line), 3 some cells failed,",
                    "4 nightly found a regression."})
    static final class Bfabench implements Callable<Integer> {
        private final Session session;

        Bfabench(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() {
            return ExitCodes.ofUsage("a command is required: run, list, grids, merge, nightly, bench, describe, import or attack", "", session);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"bfabench " + (v == null ? "(development build)" : v) + ", SPI " + SpiVersion.string()};
        }
    }
}
