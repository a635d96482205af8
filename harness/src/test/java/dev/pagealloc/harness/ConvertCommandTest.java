package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.workloads.event.EventSink;
import dev.pagealloc.workloads.event.SourceStats;
import dev.pagealloc.workloads.pgw.Pgw;
import dev.pagealloc.workloads.pgw.PgwReader;
import dev.pagealloc.workloads.pgw.PgwSample;
import dev.pagealloc.workloads.pgw.PgwWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pagealloc convert}: .pgw to text and back, the summary line, and bad input (exit 2, nothing written). */
class ConvertCommandTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "convert: (\\d+) events \\((.*)\\) (\\d+(?:\\.\\d)? [kMG]?B) -> (\\d+(?:\\.\\d)? [kMG]?B) \\((\\d+\\.\\d+)x\\)");

    @TempDir Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private Path samplePgw(int events) throws IOException {
        Path p = dir.resolve("sample.pgw");
        try (PgwWriter w = PgwWriter.create(p, "sample", "6.1", List.of())) {
            PgwSample.generate(5, events, w);
        }
        return p;
    }

    private Matcher summary() {
        String e = err.toString();
        assertEquals(1, e.lines().count(), () -> "one summary line on stderr: " + e);
        Matcher m = SUMMARY.matcher(e.strip());
        assertTrue(m.matches(), e);
        return m;
    }

    @Test
    void pgwToTextToStdout() throws IOException {
        Path pgw = samplePgw(1000);
        assertEquals(0, run("convert", pgw.toString(), "-"), err.toString());
        Matcher m = summary();
        assertEquals("1000", m.group(1));
        assertTrue(m.group(2).matches("mm_page_alloc \\d+, mm_page_free \\d+"), m.group(2));
        String text = out.toString();
        assertTrue(text.startsWith("# tracer: nop\n"), text);
        assertEquals(1000, text.lines().filter(l -> l.contains(": mm_page_")).count());
        assertTrue(Double.parseDouble(m.group(5)) < 0.1, "text is bigger: " + m.group(5));
    }

    @Test
    void pgwToPgwKeepsTheEventsAndRecordsProvenance() throws IOException {
        Path pgw = samplePgw(10_000);
        Path copy = dir.resolve("copy.pgw");
        assertEquals(0, run("convert", pgw.toString(), copy.toString()), err.toString());
        Matcher m = summary();
        assertEquals("10000", m.group(1));
        try (PgwReader a = PgwReader.open(pgw); PgwReader b = PgwReader.open(copy)) {
            assertEquals(Files.size(pgw), Files.size(copy) - (b.provenance().get(0).length() + 1 + b.sourceName().length()
                    - a.sourceName().length()), "the same records");
            assertTrue(b.provenance().get(0).matches("pagealloc convert .*sample\\.pgw; input \\d+ bytes, CRC-32C 0x[0-9a-f]{8}"),
                    b.provenance().toString());
            assertEquals("6.1", b.era());
        }
    }

    @Test
    void textRenderingConvertsBackToTheSameEvents() throws IOException {
        Path pgw = samplePgw(5000);
        Path text = dir.resolve("sample.txt");
        Path back = dir.resolve("back.pgw");
        assertEquals(0, run("convert", pgw.toString(), text.toString()), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(0, run("convert", text.toString(), back.toString()), err.toString());
        Matcher m = summary();
        assertEquals("5000", m.group(1));
        assertTrue(Double.parseDouble(m.group(5)) >= 8, "text -> pgw ratio " + m.group(5));
        // Times start at the first event and are cut to microseconds in text; the rest is equal.
        List<String> a = events(pgw);
        List<String> b = events(back);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), "event " + i);
        }
    }

    /** Alloc/free events as text without their times, gfp symbols resolved to their texts. */
    private static List<String> events(Path pgw) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        java.util.Map<Integer, String> syms = new java.util.HashMap<>();
        try (PgwReader r = PgwReader.open(pgw)) {
            Pgw.pump(r, new EventSink() {
                @Override
                public void symbol(int sym, String t) {
                    syms.put(sym, t.substring(t.indexOf(':') + 1));
                }

                @Override
                public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
                    lines.add("alloc cpu=" + cpu + " id=" + id + " order=" + order + " gfp=" + syms.get(gfpSym) + " pid=" + pid);
                    return true;
                }

                @Override
                public void free(long timeNs, int cpu, long id, int order) {
                    lines.add("free cpu=" + cpu + " id=" + id + " order=" + order);
                }

                @Override
                public void processStart(long timeNs, int pid, int commSym, int oomAdj) {}

                @Override
                public void processExit(long timeNs, int pid) {}

                @Override
                public void anonFault(long timeNs, int cpu, int pid, long pages) {}

                @Override
                public void fileRead(long timeNs, int cpu, long pages, boolean dirty) {}

                @Override
                public void bdevRead(long timeNs, int cpu, long pages, boolean dirty) {}

                @Override
                public void fileDrop(long timeNs, long pages) {}

                @Override
                public void marker(long timeNs, int kind, int nameSym) {}
            });
        }
        return lines;
    }

    private void assertBadInputLeavesNothing(Path input, Path output, String expectedStart) throws IOException {
        assertEquals(2, run("convert", input.toString(), output.toString()));
        String e = err.toString();
        assertEquals(1, e.lines().count(), () -> "one line on stderr: " + e);
        assertTrue(e.startsWith("pagealloc: " + expectedStart), e);
        assertFalse(e.contains("\tat "), "no stack trace");
        assertFalse(Files.exists(output), "OUT must not be created");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(input.getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("sample.pgw") || input.endsWith(n)).toList(),
                    "no temporary files left");
        }
    }

    @Test
    void aTruncatedPgwIsExit2AndWritesNothing() throws IOException {
        Path pgw = samplePgw(1000);
        Path cut = dir.resolve("cut.pgw");
        byte[] bytes = Files.readAllBytes(pgw);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
        Files.delete(pgw);
        assertBadInputLeavesNothing(cut, dir.resolve("out.pgw"), cut + ": byte offset ");
        err.getBuffer().setLength(0);
        assertBadInputLeavesNothing(cut, dir.resolve("out.txt"), cut + ": byte offset ");
    }

    @Test
    void aMalformedTraceLineIsExit2AndWritesNothing() throws IOException {
        Path trace = dir.resolve("bad.trace");
        Files.writeString(trace, "# tracer: nop\n"
                + "          replay-0       [000] .....     1.000000: mm_page_alloc: page=ffffea0000040000 pfn=0x1000"
                + " order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
                + "          replay-0       [000] .....     1.000001: mm_page_free: page=ffffea0000040000 pfn=0xZZ order=0\n");
        assertBadInputLeavesNothing(trace, dir.resolve("out.pgw"), trace + ":3: ");
    }

    @Test
    void missingInputIsExit2() {
        assertEquals(2, run("convert", dir.resolve("nope.trace").toString(), dir.resolve("o.pgw").toString()));
        assertEquals("pagealloc: no such file: " + dir.resolve("nope.trace"), err.toString().strip());
        assertFalse(Files.exists(dir.resolve("o.pgw")));
    }

    @Test
    void missingOutputDirectoryIsExit2() throws IOException {
        Path pgw = samplePgw(10);
        assertEquals(2, run("convert", pgw.toString(), dir.resolve("no/such/o.pgw").toString()));
        assertEquals("pagealloc: no such directory for OUT: " + dir.resolve("no/such"), err.toString().strip());
    }

    /** Runs convert with {@code stdin} as System.in. */
    private int runWithStdin(byte[] stdin, String... args) {
        java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream(stdin));
        try {
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void stdinIsReadAndNamedInMessages() throws IOException {
        Path pgw = samplePgw(100);
        Path out1 = dir.resolve("from-stdin.pgw");
        assertEquals(0, runWithStdin(Files.readAllBytes(pgw), "convert", "-", out1.toString()), err.toString());
        assertEquals("100", summary().group(1));
        try (PgwReader r = PgwReader.open(out1)) {
            assertTrue(r.provenance().get(0).startsWith("pagealloc convert <stdin>; input "), r.provenance().toString());
        }
        err.getBuffer().setLength(0);
        byte[] cut = Arrays.copyOf(Files.readAllBytes(pgw), 50);
        Path out2 = dir.resolve("bad.pgw");
        assertEquals(2, runWithStdin(cut, "convert", "-", out2.toString()));
        assertTrue(err.toString().startsWith("pagealloc: <stdin>: byte offset "), err.toString());
        assertFalse(Files.exists(out2));
        err.getBuffer().setLength(0);
        byte[] badTrace = ("# tracer: nop\n          replay-0       [000] .....     1.000001: mm_page_free: page=ffffea0000040000"
                + " pfn=0xZZ order=0\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(2, runWithStdin(badTrace, "convert", "-", out2.toString()));
        assertTrue(err.toString().startsWith("pagealloc: <stdin>:2: "), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
    }

    @Test
    void summaryLine() {
        SourceStats s = new SourceStats();
        s.events.put("mm_page_alloc", 500_000L);
        s.events.put("mm_page_free", 500_000L);
        s.unknown.put("sched_switch", 10L);
        s.unknown.put("kmalloc", 2L);
        assertEquals("convert: 1000000 events (mm_page_alloc 500000, mm_page_free 500000; 12 unknown skipped)"
                + " 98.3 MB -> 5.1 MB (19.3x)", ConvertCommand.summary(1_000_000, s, 98_300_000, 5_100_000));
        assertEquals("convert: 0 events (none) 999 B -> 30 B (33.3x)", ConvertCommand.summary(0, new SourceStats(), 999, 30));
        assertEquals("1.0 MB", ConvertCommand.size(999_999));
    }
}
