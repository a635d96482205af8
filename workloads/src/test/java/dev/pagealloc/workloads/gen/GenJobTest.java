package dev.pagealloc.workloads.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.workloads.MachineFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job files: sections, [global] inheritance, overrides and errors with file:line. */
class GenJobTest {
    static final String JOB = """
            # a test job
            [global]
            seed = 7
            duration_ms = 300
            delay_us = 100

            [background]
            kind = "pagecache-stream"
            rate_mb_s = 400

            [nic]
            kind = "nic-jumbo-nosg"
            start_ms = 10
            mtu = 9000
            """;

    static GenJob parse(String text, String... overrides) {
        return GenJob.parse(text, "job.toml", "job", List.of(overrides));
    }

    static Map<String, Long> counters(GenJob job) {
        RecordingSink sink = RecordingSink.granting();
        GenSource src = job.open(new GenContext(Arch.X86_64, Kernels.byName("2.6.32"), 1_000_000, 2, sink::filePages));
        while (src.advance(sink)) {
            // run to the end
        }
        return src.counters();
    }

    @Test
    void parsesSectionsAndGlobals() {
        GenJob j = parse(JOB);
        assertEquals("job", j.name());
        assertEquals(7, j.seed());
        assertEquals(300_000_000L, j.durationNs());
        assertEquals(1_000_000L, j.kswapdIntervalNs()); // default 1000 us
        assertEquals(0, j.snapshotEveryNs());
        assertEquals(List.of("background:pagecache-stream", "nic:nic-jumbo-nosg"), j.sections());
        assertEquals(JOB, j.text());
        assertEquals(3, counters(j).get("nic.buffer_order"));
    }

    @Test
    void kindDefaultsToTheSectionName() {
        GenJob j = parse("[slab-churn]\nrate = 10\n[thp-faults]\nmb = 4\n");
        assertEquals(List.of("slab-churn:slab-churn", "thp-faults:thp-faults"), j.sections());
    }

    @Test
    void phaseJobsAreNotGeneratorJobs() {
        assertFalse(GenJob.isGenJob("name = \"x\"\n[[phase]]\nkind = \"pagecache\"\nuntil_percent = 9\n"));
        assertTrue(GenJob.isGenJob(JOB));
        MachineFileException e = assertThrows(MachineFileException.class,
                () -> parse("[[phase]]\nkind = \"pagecache\"\n"));
        assertTrue(e.getMessage().startsWith("job.toml:1: "), e.getMessage());
    }

    @Test
    void overridesWin() {
        // MTU 1500 on 2.6.32 x86_64, e1000 style: 1522 + 34 -> 1600 + 496 = 2096 -> kmalloc-4096 -> order 0
        assertEquals(0, counters(parse(JOB, "nic.mtu=1500")).get("nic.buffer_order"));
        // page style at 9000: 9544 bytes -> 3 pages -> order 2
        assertEquals(2, counters(parse(JOB, "nic.style=page")).get("nic.buffer_order"));
        assertEquals(2, counters(parse(JOB, "nic.style=\"page\"")).get("nic.buffer_order"));
        assertEquals(5, counters(parse(JOB, "nic.order=5")).get("nic.buffer_order"));
        GenJob j = parse(JOB, "duration_ms=500", "background.kind=\"pagecache-stream\"", "name=other");
        assertEquals(500_000_000L, j.durationNs());
        assertEquals("other", j.name());
        assertEquals(List.of("duration_ms=500", "background.kind=\"pagecache-stream\"", "name=other"), j.overrides());
        // the later override wins
        assertEquals(0, counters(parse(JOB, "nic.mtu=9000", "nic.mtu=1500")).get("nic.buffer_order"));
        // a section's own value wins over [global]: global delay_us 100 applies, a section value beats it
        GenJob k = parse(JOB + "delay_us = 50\n");
        assertEquals(List.of("background:pagecache-stream", "nic:nic-jumbo-nosg"), k.sections());
    }

    @Test
    void badOverrides() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(JOB, "nic.mtu=abc"));
        assertFalse(e instanceof MachineFileException);
        assertTrue(e.getMessage().startsWith("--set nic.mtu=abc: expected an integer 68 … "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(JOB, "nic.bogus=1"));
        assertTrue(e.getMessage().startsWith("--set nic.bogus=1: unknown key 'bogus' in [nic]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(JOB, "nosuch.mtu=1"));
        assertTrue(e.getMessage().startsWith("--set nosuch.mtu=1: no section [nosuch]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(JOB, "mtu"));
        assertTrue(e.getMessage().startsWith("--set mtu: expected SECTION.KEY=VALUE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(JOB, "nic.style=jumbo"));
        assertEquals("--set nic.style=jumbo: expected one of e1000, page, got \"jumbo\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(JOB, "nic.gfp=GFP_BOGUS"));
        assertTrue(e.getMessage().startsWith("--set nic.gfp=GFP_BOGUS: unknown GFP flag 'GFP_BOGUS'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(JOB, "duration_ms=-5"));
        assertTrue(e.getMessage().startsWith("--set duration_ms=-5: expected an integer 1 … "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(JOB, "background.kind=nic"));
        assertTrue(e.getMessage().startsWith("--set background.kind=nic: unknown kind \"nic\""), e.getMessage());
    }

    @Test
    void fileErrorsNameTheLine() {
        // line 14 is "mtu = 9000" in [nic]
        assertMessage("job.toml:14: nic.mtu: expected an integer 68 … 16110, got \"big\"",
                JOB.replace("mtu = 9000", "mtu = \"big\""));
        assertMessage("job.toml:14: nic.mtux: unknown key 'mtux' in [nic] (a nic-jumbo-nosg section takes kind, cpu, "
                + "start_ms, stop_ms, ring, mtu, gfp, open_gfp, pps, delay_us, burst_pps, burst_every_ms, burst_ms, "
                + "site, style, order)", JOB.replace("mtu = 9000", "mtux = 9000"));
        // an inherited [global] value is reported where it was written (line 5)
        assertMessage("job.toml:5: delay_us: expected an integer 0 … 60000000, got -1",
                JOB.replace("delay_us = 100", "delay_us = -1"));
        assertMessage("job.toml:5: frobnicate: unknown key 'frobnicate' in [global] (expected name, description, seed, "
                + "duration_ms, swap_mb, kswapd_interval_us, snapshot_every_ms, or a default for the sections' keys)",
                JOB.replace("delay_us = 100", "frobnicate = 1"));
        assertMessage("job.toml:12: nic.kind: unknown kind \"nic-jumbo\" (expected one of nic-jumbo-nosg, nic-sg, "
                + "pagecache-stream, anon-growth, slab-churn, fork-storm, thp-faults)",
                JOB.replace("kind = \"nic-jumbo-nosg\"", "kind = \"nic-jumbo\""));
        assertMessage("job.toml:11: [nic] has no kind (expected kind = one of nic-jumbo-nosg, nic-sg, "
                + "pagecache-stream, anon-growth, slab-churn, fork-storm, thp-faults)",
                JOB.replace("kind = \"nic-jumbo-nosg\"\n", ""));
        assertMessage("job.toml:9: background.rate_mb_s: expected a number above 0 and at most 1000000, got 0",
                JOB.replace("rate_mb_s = 400", "rate_mb_s = 0"));
        assertMessage("job.toml:14: nic.stop_ms: expected stop_ms at or after start_ms (10)",
                JOB.replace("start_ms = 10", "start_ms = 10\nstop_ms = 5"));
        MachineFileException e = assertThrows(MachineFileException.class, () -> parse(JOB.replace("mtu = 9000", "mtu = ")));
        assertTrue(e.getMessage().startsWith("job.toml:14: malformed TOML: "), e.getMessage());
        e = assertThrows(MachineFileException.class, () -> parse("# nothing\n[global]\nseed = 1\n"));
        assertTrue(e.getMessage().startsWith("job.toml: no sections"), e.getMessage());
    }

    @Test
    void cpuMustExistOnTheMachine() {
        GenJob j = parse(JOB.replace("start_ms = 10", "start_ms = 10\ncpu = 3"));
        RecordingSink sink = RecordingSink.granting();
        MachineFileException e = assertThrows(MachineFileException.class, () -> j.open(
                new GenContext(Arch.X86_64, Kernels.byName("2.6.32"), 1_000_000, 2, sink::filePages)));
        assertEquals("job.toml:14: nic.cpu: cpu 3 does not exist: the machine has 2 CPUs (0 … 1)", e.getMessage());
    }

    static void assertMessage(String expected, String text) {
        MachineFileException e = assertThrows(MachineFileException.class, () -> parse(text));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void loadUsesTheFileStem(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("my-job.toml");
        Files.writeString(f, JOB);
        GenJob j = GenJob.load(f, List.of("nic.pps=1000"));
        assertEquals("my-job", j.name());
        MachineFileException e = assertThrows(MachineFileException.class,
                () -> GenJob.load(dir.resolve("none.toml"), List.of()));
        assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
    }

    @Test
    void everyShippedJobParsesAndStaysModerate() {
        for (String name : GenJob.BUNDLED) {
            GenJob j = GenJob.bundled(name, List.of());
            assertEquals(name, j.name());
            assertFalse(j.description().isBlank(), name);
            assertTrue(GenJob.isGenJob(j.text()), name);
            // a 4 GiB machine (~1M present pages) whose page cache tops out at 95% of it
            RecordingSink sink = new RecordingSink((t, o, g) -> true, 950_000, false);
            GenSource src = j.open(new GenContext(Arch.X86_64, Kernels.byName("2.6.32"), 1_000_000, 2, sink::filePages));
            long n = 0;
            while (src.advance(sink)) {
                n++;
            }
            assertEquals(sink.events, n, name);
            assertTrue(n > 100 && n < 3_000_000, name + ": " + n + " events");
            assertEquals(j.durationNs(), src.position(), name);
        }
        assertThrows(IllegalArgumentException.class, () -> GenJob.bundled("pagecache-pressure", List.of()));
    }
}
