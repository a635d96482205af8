package dev.pagealloc.harness;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code pagealloc} command line (DESIGN §6). */
@Command(
        name = "pagealloc",
        mixinStandardHelpOptions = true,
        version = "pagealloc 0.1.0",
        description = "An emulator of the Linux kernel's physical page allocator.",
        subcommands = {ShowCommand.class, ExplainCommand.class, ReplayCommand.class, CompareCommand.class, ConvertCommand.class, HighallocCommand.class, ResultsCommand.class, BenchCommand.class, HelpCommand.class},
        footer = {"", "Bad input exits with status 2 and a one-line message; see 'pagealloc help COMMAND'."})
public final class Main implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "missing command (expected one of: "
                        + String.join(", ", spec.subcommands().keySet())
                        + "; see 'pagealloc --help')");
    }

    /** A configured command line, for {@link #main} and tests. */
    public static CommandLine commandLine() {
        return Cli.configure(new CommandLine(new Main()));
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
