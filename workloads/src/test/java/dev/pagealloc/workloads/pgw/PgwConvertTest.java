package dev.pagealloc.workloads.pgw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.workloads.event.WorkloadFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Pgw#convert} and {@link Pgw#convertToText}: complete output or none. */
class PgwConvertTest {
    @TempDir Path dir;

    static final byte[] SAMPLE = PgwRoundTripTest.encode(s -> PgwSample.generate(9, 20_000, s), "6.1", List.of());

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void convertWritesTheSameEventsWithProvenance() throws IOException {
        Path out = dir.resolve("a.pgw");
        assertEquals(20_000, Pgw.convert(PgwReader.of(SAMPLE, "in.pgw"), out, "input crc 0x1"));
        assertEquals(List.of("a.pgw"), files());
        HashingSink expected = new HashingSink();
        PgwSample.generate(9, 20_000, expected);
        HashingSink got = new HashingSink();
        try (PgwReader r = PgwReader.open(out)) {
            assertEquals("in.pgw", r.sourceName());
            assertEquals("6.1", r.era());
            assertEquals(List.of("input crc 0x1"), r.provenance());
            Pgw.pump(r, got);
        }
        assertEquals(expected.hash, got.hash);
    }

    @Test
    void aFailedConversionLeavesNothingAndKeepsAnOldFile() throws IOException {
        byte[] cut = Arrays.copyOf(SAMPLE, SAMPLE.length - 1);
        Path out = dir.resolve("b.pgw");
        assertThrows(WorkloadFormatException.class, () -> Pgw.convert(PgwReader.of(cut, "cut.pgw"), out, null));
        assertEquals(List.of(), files());
        Path text = dir.resolve("b.txt");
        assertThrows(WorkloadFormatException.class, () -> Pgw.convertToText(PgwReader.of(cut, "cut.pgw"), text, null, Kernels.byName("6.1")));
        assertEquals(List.of(), files());
        Files.writeString(out, "old");
        assertThrows(WorkloadFormatException.class, () -> Pgw.convert(PgwReader.of(cut, "cut.pgw"), out, null));
        assertArrayEquals("old".getBytes(), Files.readAllBytes(out));
        assertEquals(List.of("b.pgw"), files());
    }

    @Test
    void convertToTextWritesOneLinePerEvent() throws IOException {
        Path text = dir.resolve("c.txt");
        assertEquals(20_000, Pgw.convertToText(PgwReader.of(SAMPLE, "in.pgw"), text, "pagealloc: from in.pgw", Kernels.byName("6.1")));
        List<String> lines = Files.readAllLines(text);
        assertEquals("# tracer: nop", lines.get(0));
        assertTrue(lines.contains("# pagealloc: from in.pgw"));
        assertEquals(20_000, lines.stream().filter(l -> !l.startsWith("#")).count());
    }
}
