package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code pagealloc show --from-zoneinfo}: fed the /proc/zoneinfo of a real Debian 6.1 boot (the oracle
 * captures), it rebuilds the machine and prints the same watermarks, protection and pagesets; where
 * they differ it says so; a malformed file is one line naming file and line, status 2.
 */
class ShowFromZoneinfoTest {
    static final Path CAPTURES = Path.of("../emulator/src/test/resources/fixtures/oracle-boots");

    @TempDir Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    /** The first /proc/zoneinfo of a capture, as a file of its own. */
    private Path zoneinfo(String capture) throws IOException {
        String text = Files.readString(CAPTURES.resolve(capture + ".txt"));
        String marker = "=== /proc/zoneinfo ===\n";
        int s = text.indexOf(marker) + marker.length();
        Path f = dir.resolve(capture + ".zoneinfo");
        Files.writeString(f, text.substring(s, text.indexOf("\n=== ", s) + 1));
        return f;
    }

    private static List<String> kernelComputed(String zoneinfo) {
        return zoneinfo.lines()
                .filter(l -> l.matches("^Node \\d+, zone .*|^ {8}(min|low|high|spanned|present|managed) .*"
                        + "|^ {8}protection: .*|^ {14}(high|batch): .*|^ +cpu: .*"))
                .toList();
    }

    static Stream<String> captures() {
        return Stream.of("x86_64-512M-smp1", "x86_64-512M-smp4", "x86_64-1G-smp1", "x86_64-1G-smp2", "x86_64-2G-smp4",
                "x86_64-4G-smp1", "x86_64-4G-smp2", "x86_64-4G-smp4", "i386-pae-1G-smp2", "i386-pae-4G-smp4");
    }

    @ParameterizedTest
    @MethodSource("captures")
    void printsTheFilesWatermarksProtectionAndPagesets(String capture) throws IOException {
        Path f = zoneinfo(capture);
        assertEquals(0, run("show", "--from-zoneinfo", f.toString()), () -> "stderr: " + err);
        assertEquals(kernelComputed(Files.readString(f)), kernelComputed(out.toString()));
        assertEquals("", err.toString(), "no note when everything matches");
    }

    @Test
    void compareListsEveryNumberAndSaysAllEqual() throws IOException {
        assertEquals(0, run("show", "--from-zoneinfo", zoneinfo("x86_64-4G-smp2").toString(), "--compare"));
        String c = out.toString();
        assertTrue(c.contains("DMA32    min                     12829        12829"), c);
        assertTrue(c.endsWith("all equal\n"), c);
    }

    @Test
    void aKernelLoadedInAnotherZoneShowsAsANoteUntilSaidWhere() throws IOException {
        // 16G: KASLR put the kernel image (8008K of init sections) in Normal, the initrd stayed in DMA32
        Path f = zoneinfo("x86_64-16G-smp2");
        assertEquals(0, run("show", "--from-zoneinfo", f.toString()));
        String note = err.toString();
        assertEquals(1, note.lines().count(), note);
        assertTrue(note.startsWith("pagealloc: note: "), note);
        assertTrue(note.contains("Normal min 13711 -> "), note);
        assertTrue(note.contains("--late-freed-kb"), note);
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(0, run("show", "--from-zoneinfo", f.toString(), "--late-freed-kb", "DMA32=1008,Normal=8008"));
        assertEquals("", err.toString());
        assertEquals(kernelComputed(Files.readString(f)), kernelComputed(out.toString()));
    }

    @Test
    void jsonCarriesManagedAndTheDifferences() throws IOException {
        assertEquals(0, run("show", "--from-zoneinfo", zoneinfo("x86_64-1G-smp2").toString(), "--json"));
        JsonNode root = JsonMapper.builder().build().readTree(out.toString());
        assertEquals("6.1", root.get("kernel").asString());
        assertEquals(2, root.get("cpus").asInt());
        assertEquals(232818, root.get("zones").get(1).get("managed").asInt());
        assertEquals(0, root.get("from_zoneinfo").get("differences").size());
        out.getBuffer().setLength(0);
        assertEquals(0, run("show", "--from-zoneinfo", zoneinfo("x86_64-1G-smp2").toString(), "--json",
                "--late-freed-kb", "0"));
        root = JsonMapper.builder().build().readTree(out.toString());
        JsonNode d = root.get("from_zoneinfo").get("differences");
        // nothing freed late: DMA32 has 2254 more pages at watermark time, so higher watermarks
        JsonNode min = null;
        for (JsonNode x : d) {
            if (x.get("zone").asString().equals("DMA32") && x.get("field").asString().equals("min")) {
                min = x;
            }
        }
        assertEquals(11079, min.get("file").asLong());
        assertTrue(min.get("diff").asLong() > 0, min.toString());
        assertEquals(min.get("emulator").asLong() - min.get("file").asLong(), min.get("diff").asLong());
    }

    private void assertBadInput(String expectedPrefix, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(2, run(args), () -> "stderr: " + err);
        String e = err.toString().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith(expectedPrefix), e);
        assertEquals("", out.toString(), "nothing half-written on stdout");
    }

    @Test
    void aFileWithoutZonesIsMalformed() throws IOException {
        Path f = dir.resolve("meminfo.txt");
        Files.writeString(f, "MemTotal:        1004176 kB\nMemFree:          744872 kB\n");
        assertBadInput("pagealloc: " + f + ":1: expected a /proc/zoneinfo", "show", "--from-zoneinfo", f.toString());
    }

    @Test
    void aBadProtectionLineNamesItsLine() throws IOException {
        Path f = zoneinfo("x86_64-1G-smp2");
        List<String> lines = Files.readAllLines(f);
        int at = -1;
        for (int i = 0; i < lines.size() && at < 0; i++) {
            if (lines.get(i).contains("protection: (")) {
                at = i;
            }
        }
        lines.set(at, "        protection: (0,, 909)");
        Files.write(f, lines);
        assertBadInput("pagealloc: " + f + ":" + (at + 1) + ": expected numbers in protection", "show",
                "--from-zoneinfo", f.toString());
    }

    @Test
    void twoDumpsInOneFile() throws IOException {
        Path f = zoneinfo("x86_64-1G-smp2");
        String one = Files.readString(f);
        Files.writeString(f, one + one);
        assertBadInput("pagealloc: " + f + ":" + (one.lines().count() + 1) + ": expected one /proc/zoneinfo",
                "show", "--from-zoneinfo", f.toString());
    }

    @Test
    void optionsThatNeedAFileOrAModernKernel() throws IOException {
        assertBadInput("pagealloc: --compare goes with --from-zoneinfo", "show", "--compare");
        String f = zoneinfo("x86_64-1G-smp2").toString();
        assertBadInput("pagealloc: --from-zoneinfo rebuilds", "show", "--from-zoneinfo", f, "--kernel", "2.6.32");
        assertBadInput("pagealloc: --late-freed-kb: no zone 'Nope'", "show", "--from-zoneinfo", f,
                "--late-freed-kb", "Nope=4");
        assertBadInput("pagealloc: no such file: ", "show", "--from-zoneinfo", dir.resolve("missing").toString());
        assertBadInput("pagealloc: --thp: unknown THP mode 'sometimes'", "show", "--machine", "qemu-1g", "--thp", "sometimes");
    }

    @Test
    void presetsWith61AndThpNever() {
        assertEquals(0, run("show", "--machine", "qemu-1g", "--kernel", "6.1", "--cpus", "2"));
        String z = out.toString();
        assertTrue(z.contains("        managed  232818\n"), z);
        assertTrue(z.contains("        min      11079\n"), z);
        out.getBuffer().setLength(0);
        assertEquals(0, run("show", "--machine", "qemu-1g", "--kernel", "6.1", "--thp", "never", "--json"));
        JsonNode root = JsonMapper.builder().build().readTree(out.toString());
        assertEquals("never", root.get("thp").asString());
        assertTrue(root.get("min_free_kbytes").asInt() < 45056, "no khugepaged raise");
    }
}
