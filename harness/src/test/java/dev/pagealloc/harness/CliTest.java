package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The error contract of DESIGN §6: one line on stderr, status 2 for bad input, never a trace. */
class CliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** A command that throws what it is given, to exercise the execution exception handler. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        private final Exception toThrow;

        Boom(Exception toThrow) {
            this.toThrow = toThrow;
        }

        @Override
        public Integer call() throws Exception {
            throw toThrow;
        }
    }

    private int run(Exception boom, String... args) {
        CommandLine cmd = new CommandLine(new Main());
        if (boom != null) {
            cmd.addSubcommand("boom", new Boom(boom));
        }
        Cli.configure(cmd);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private void assertOneLine(String expected) {
        String e = err.toString();
        assertEquals(1, e.lines().count(), () -> "stderr should be one line: " + e);
        assertEquals(expected, e.strip());
        assertFalse(e.contains("\tat "), "no stack trace");
    }

    @Test
    void unknownCommandIsOneLineAndStatus2() {
        assertEquals(2, run(null, "frob"));
        assertOneLine("pagealloc: unknown command 'frob' (expected one of: show, explain, replay, compare, convert, highalloc, results, bench, help)");
    }

    @Test
    void unknownOptionNamesTheCommandAndTheChoices() {
        assertEquals(2, run(null, "bench", "--frob"));
        assertOneLine("pagealloc bench: unknown option '--frob' (expected one of: --quick, --json, --out, --help, --version)");
    }

    @Test
    void unexpectedArgument() {
        assertEquals(2, run(null, "bench", "extra"));
        assertOneLine("pagealloc bench: unexpected argument 'extra' (bench takes no arguments; see 'pagealloc bench --help')");
    }

    @Test
    void missingOptionValue() {
        assertEquals(2, run(null, "bench", "--out"));
        assertOneLine("pagealloc bench: Missing required parameter for option '--out' (DIR)");
    }

    @Test
    void missingCommand() {
        assertEquals(2, run(null));
        assertOneLine("pagealloc: missing command (expected one of: show, explain, replay, compare, convert, highalloc, results, bench, help; see 'pagealloc --help')");
    }

    @Test
    void helpAndVersionSucceed() {
        assertEquals(0, run(null, "--help"));
        assertTrue(out.toString().startsWith("Usage: pagealloc"));
        assertEquals(0, run(null, "--version"));
        assertTrue(out.toString().contains("pagealloc 0.1.0"));
        assertEquals("", err.toString());
    }

    @Test
    void usageExceptionIsStatus2() {
        assertEquals(2, run(new UsageException("trace.txt:12: expected 'order=N', got 'order=x'"), "boom"));
        assertOneLine("pagealloc: trace.txt:12: expected 'order=N', got 'order=x'");
    }

    @Test
    void illegalArgumentIsStatus2AndMultiLineMessagesAreJoined() {
        assertEquals(2, run(new IllegalArgumentException("cpus must be 1 … 4096,\n  got 0"), "boom"));
        assertOneLine("pagealloc: cpus must be 1 … 4096, got 0");
    }

    @Test
    void otherExceptionsAreStatus1WithOneLine() {
        assertEquals(1, run(new IOException("disk full"), "boom"));
        String e = err.toString();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith("pagealloc: error: IOException: disk full"), e);
    }

    @Test
    void missingFileIsStatus2() {
        assertEquals(2, run(new java.nio.file.NoSuchFileException("nope.trace"), "boom"));
        assertOneLine("pagealloc: no such file: nope.trace");
    }
}
