package dev.pagealloc.harness;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line's error contract (DESIGN §6): a bad input gets one line on stderr that names
 * what was wrong and where, and exit status 2; anything else that goes wrong gets one line and
 * status 1. Never a stack trace, unless {@code PAGEALLOC_DEBUG} is set in the environment.
 */
public final class Cli {
    private Cli() {}

    /** Success. */
    public static final int EXIT_OK = 0;
    /** The command ran and failed (an I/O error, a bug). */
    public static final int EXIT_FAILURE = 1;
    /** Bad input: unknown option or value, malformed file, impossible machine. */
    public static final int EXIT_USAGE = 2;

    /** Installs the error handlers on {@code cmd} and returns it. */
    public static CommandLine configure(CommandLine cmd) {
        cmd.setParameterExceptionHandler(Cli::handleParameterException);
        cmd.setExecutionExceptionHandler(Cli::handleExecutionException);
        cmd.setUsageHelpAutoWidth(true);
        return cmd;
    }

    /** Picocli's parse errors, and {@link ParameterException}s thrown by a command's code. */
    static int handleParameterException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String where = cmd.getCommandSpec().qualifiedName();
        err.println(where + ": " + describe(ex));
        debugTrace(err, ex);
        err.flush();
        return EXIT_USAGE;
    }

    /** Exceptions thrown by a command while it runs. */
    static int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int status;
        String message;
        if (ex instanceof UsageException || ex instanceof IllegalArgumentException) {
            status = EXIT_USAGE;
            message = messageOf(ex);
        } else if (noSuchFile(ex) != null) {
            status = EXIT_USAGE;
            message = "no such file: " + noSuchFile(ex).getFile();
        } else {
            status = EXIT_FAILURE;
            message = "error: " + ex.getClass().getSimpleName() + ": " + messageOf(ex);
            if (System.getenv("PAGEALLOC_DEBUG") == null) {
                message += " (set PAGEALLOC_DEBUG=1 for the stack trace)";
            }
        }
        err.println(cmd.getCommandSpec().root().name() + ": " + message);
        debugTrace(err, ex);
        err.flush();
        return status;
    }

    private static String describe(ParameterException ex) {
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("-") && arg.length() > 1) {
                return "unknown option '" + arg + "' (expected one of: " + String.join(", ", optionNames(spec)) + ")";
            }
            if (!spec.subcommands().isEmpty() && ex.getCommandLine().getParseResult() != null
                    && ex.getCommandLine().getParseResult().subcommand() == null) {
                return "unknown command '" + arg + "' (expected one of: "
                        + String.join(", ", spec.subcommands().keySet()) + ")";
            }
            return "unexpected argument '" + arg + "'" + (spec.positionalParameters().isEmpty()
                    ? " (" + spec.name() + " takes no arguments; see '" + spec.qualifiedName() + " --help')"
                    : "");
        }
        return oneLine(messageOf(ex));
    }

    private static List<String> optionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden()) {
                names.add(o.longestName());
            }
        }
        return names;
    }

    private static NoSuchFileException noSuchFile(Throwable ex) {
        if (ex instanceof NoSuchFileException n) {
            return n;
        }
        if (ex instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException n) {
            return n;
        }
        return null;
    }

    private static String messageOf(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            m = ex.getCause() != null && ex.getCause().getMessage() != null
                    ? ex.getCause().getMessage()
                    : ex.getClass().getSimpleName();
        }
        return oneLine(m);
    }

    /** {@code s} on one line: line breaks and runs of blanks become one space. */
    public static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static void debugTrace(PrintWriter err, Throwable ex) {
        String debug = System.getenv("PAGEALLOC_DEBUG");
        if (debug != null && !debug.isEmpty() && !debug.toLowerCase(Locale.ROOT).equals("0")) {
            ex.printStackTrace(err);
        }
    }
}
