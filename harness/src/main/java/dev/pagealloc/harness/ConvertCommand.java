package dev.pagealloc.harness;

import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.workloads.event.EventSource;
import dev.pagealloc.workloads.event.SourceStats;
import dev.pagealloc.workloads.event.WorkloadFormatException;
import dev.pagealloc.workloads.pgw.Pgw;
import dev.pagealloc.workloads.pgw.PgwReader;
import dev.pagealloc.workloads.pgw.PgwTextWriter;
import dev.pagealloc.workloads.trace.TraceOptions;
import dev.pagealloc.workloads.trace.TraceReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.CRC32C;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pagealloc convert IN OUT}: a kmem trace (ftrace, {@code trace-cmd report}, {@code perf
 * script}) or a {@code .pgw} file to {@code .pgw} (when OUT ends in {@code .pgw}) or to Linux 6.1
 * ftrace text (any other OUT, {@code -} for stdout). Prints one summary line on stderr. A file
 * OUT is written in full or not at all.
 */
@Command(
        name = "convert",
        description = {
            "Convert a kmem trace (ftrace text, trace-cmd report, perf script) or a .pgw file",
            "to the compact binary .pgw format (OUT ending in .pgw) or to Linux 6.1 ftrace text",
            "(any other OUT; - for stdout). Prints one summary line on stderr: events by kind,",
            "sizes and the compression ratio. A file OUT is written in full or not at all."
        },
        mixinStandardHelpOptions = true)
public final class ConvertCommand implements Callable<Integer> {
    static final String STDIN_NAME = "<stdin>";

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "A kmem trace or a .pgw file; - reads stdin.")
    String in;

    @Parameters(index = "1", paramLabel = "OUT", description = "A .pgw file, a text file, or - for text on stdout.")
    String out;

    @Option(names = "--lenient", description = "Skip malformed trace lines (counted) instead of stopping at the first.")
    boolean lenient;

    @Option(names = "--trace-kernel", paramLabel = "V",
            description = "The kernel release the trace was recorded on (e.g. 2.6.32, 6.1); default: detected.")
    String traceKernel;

    @Option(names = "--kernel", paramLabel = "K", defaultValue = "6.1", completionCandidates = KernelNames.class,
            description = "Text output only: whose ftrace text to write, one of ${COMPLETION-CANDIDATES}"
                    + " (default ${DEFAULT-VALUE}).")
    String kernel;

    @Override
    public Integer call() throws IOException {
        Kernel textKernel = Kernels.byName(kernel); // a bad name is bad input before anything is read
        if (!out.equals("-")) {
            Path dir = Path.of(out).toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new UsageException("no such directory for OUT: " + dir);
            }
        }
        Path stdinCopy = null;
        try {
            Path input;
            if (in.equals("-")) {
                // Readers take files (sizes for progress, a second look for the magic): spool stdin.
                stdinCopy = Files.createTempFile("pagealloc-convert-", ".in");
                try (InputStream is = System.in) {
                    Files.copy(is, stdinCopy, StandardCopyOption.REPLACE_EXISTING);
                }
                input = stdinCopy;
            } else {
                input = Path.of(in);
                if (!Files.exists(input)) {
                    throw new NoSuchFileException(in);
                }
                if (!Files.isRegularFile(input)) {
                    throw new UsageException(in + ": not a regular file");
                }
            }
            String inName = stdinCopy != null ? STDIN_NAME : in;
            try {
                return convert(input, inName, textKernel);
            } catch (WorkloadFormatException e) {
                throw renamed(e, input, inName);
            }
        } finally {
            if (stdinCopy != null) {
                Files.deleteIfExists(stdinCopy);
            }
        }
    }

    private int convert(Path input, String inName, Kernel textKernel) throws IOException {
        long inBytes = Files.size(input);
        String provenance = provenance(input, inName, inBytes);
        long events;
        long outBytes;
        SourceStats stats;
        try (EventSource src = open(input, inName)) {
            String comment = "pagealloc: converted from " + inName + " by 'pagealloc convert'; a rendering as Linux "
                    + textKernel.name() + " ftrace text";
            if (out.equals("-")) {
                PrintWriter w = spec.commandLine().getOut();
                PgwTextWriter text = new PgwTextWriter(w, textKernel);
                text.comment(comment);
                events = Pgw.pump(src, text);
                text.flush();
                outBytes = text.chars();
            } else if (out.toLowerCase(Locale.ROOT).endsWith(".pgw")) {
                events = Pgw.convert(src, Path.of(out), provenance);
                outBytes = Files.size(Path.of(out));
            } else {
                events = Pgw.convertToText(src, Path.of(out), comment, textKernel);
                outBytes = Files.size(Path.of(out));
            }
            stats = src.stats();
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println(summary(events, stats, inBytes, outBytes));
        err.flush();
        return Cli.EXIT_OK;
    }

    private EventSource open(Path input, String inName) throws IOException {
        if (PgwReader.isPgw(input)) {
            InputStream is = Files.newInputStream(input);
            try {
                return new PgwReader(is, inName, Files.size(input));
            } catch (RuntimeException e) {
                is.close();
                throw e;
            }
        }
        return TraceReader.open(input, new TraceOptions(lenient, traceKernel));
    }

    /** The header's provenance: where the events came from, to check a .pgw against its trace. */
    private String provenance(Path input, String inName, long bytes) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 16];
        try (InputStream is = Files.newInputStream(input)) {
            for (int n; (n = is.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        StringBuilder sb = new StringBuilder("pagealloc convert ").append(inName);
        if (lenient) {
            sb.append(" --lenient");
        }
        if (traceKernel != null) {
            sb.append(" --trace-kernel ").append(traceKernel);
        }
        return sb.append(String.format(Locale.ROOT, "; input %d bytes, CRC-32C 0x%08x", bytes, crc.getValue()))
                .toString();
    }

    /**
     * A reader's message names the spooled copy of stdin by its temporary path: name it
     * {@code <stdin>} instead.
     */
    private static WorkloadFormatException renamed(WorkloadFormatException e, Path input, String inName) {
        if (e.file().equals(inName)) {
            return e;
        }
        String prefix = e.file() + (e.line() > 0 ? ":" + e.line() : "") + ": ";
        String m = e.getMessage();
        return new WorkloadFormatException(inName, e.line(), m.startsWith(prefix) ? m.substring(prefix.length()) : m);
    }

    /** {@code convert: N events (mm_page_alloc a, mm_page_free b; 12 unknown skipped) 98.3 MB -> 5.1 MB (19.3x)}. */
    static String summary(long events, SourceStats stats, long inBytes, long outBytes) {
        List<String> kinds = new ArrayList<>();
        for (Map.Entry<String, Long> e : stats.events.entrySet()) {
            kinds.add(e.getKey() + " " + e.getValue());
        }
        List<String> skipped = new ArrayList<>();
        long unknown = 0;
        for (long n : stats.unknown.values()) {
            unknown += n;
        }
        if (unknown > 0) {
            skipped.add(unknown + " unknown skipped");
        }
        if (stats.malformed > 0) {
            skipped.add(stats.malformed + " malformed skipped, first " + stats.firstMalformed);
        }
        String inside = kinds.isEmpty() ? "none" : String.join(", ", kinds);
        if (!skipped.isEmpty()) {
            inside += "; " + String.join(", ", skipped);
        }
        String ratio = outBytes == 0 ? ""
                : String.format(Locale.ROOT, inBytes >= outBytes ? " (%.1fx)" : " (%.2fx)", (double) inBytes / outBytes);
        return Cli.oneLine("convert: " + events + " events (" + inside + ") " + size(inBytes) + " -> " + size(outBytes) + ratio);
    }

    /** Decimal units, as file managers show sizes. */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double v = bytes;
        String[] units = {"kB", "MB", "GB", "TB"};
        int u = -1;
        while (v >= 999.95 && u < units.length - 1) { // 999,999 B is 1.0 MB, not 1000.0 kB
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
