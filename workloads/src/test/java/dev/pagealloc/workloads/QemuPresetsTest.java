package dev.pagealloc.workloads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.proc.ZoneinfoParser.Pageset;
import dev.pagealloc.proc.ZoneinfoParser.ParsedZone;
import dev.pagealloc.proc.ZoneinfoParser;
import dev.pagealloc.profile.Thp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The qemu-* presets are the machines of the oracle captures (a real Debian 6.1 kernel under QEMU):
 * booted with 6.1 and the captured CPU count, each gives the capture's spanned, present and managed
 * pages, min_free_kbytes, min/low/high, protection and every CPU's pageset high and batch. (The
 * captures' /init reads /proc/sys/vm/lowmem_reserve_ratio before dumping zoneinfo, which makes 6.1
 * recompute protection from the final managed counts: the test does the same.)
 */
class QemuPresetsTest {
    static final Path CAPTURES = Path.of("../emulator/src/test/resources/fixtures/oracle-boots");

    static Stream<Arguments> captures() {
        return Stream.of("512M", "1G", "2G", "4G").flatMap(size -> Stream.of(1, 2, 4).map(
                cpus -> Arguments.of("qemu-" + size.toLowerCase(), "x86_64-" + size + "-smp" + cpus, cpus)));
    }

    static String section(String text, String title) {
        String marker = "=== " + title + " ===\n";
        int s = text.indexOf(marker) + marker.length();
        int e = text.indexOf("\n=== ", s);
        return text.substring(s, e + 1);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("captures")
    void presetBootsToTheCapturedZones(String preset, String capture, int cpus) throws Exception {
        String text = Files.readString(CAPTURES.resolve(capture + ".txt"));
        List<ParsedZone> real = ZoneinfoParser.parse(section(text, "/proc/zoneinfo"));
        Matcher mfk = Pattern.compile("min_free_kbytes: (\\d+)").matcher(section(text, "sysctl-vm"));
        assertTrue(mfk.find());
        MachineLayout l = Machines.preset(preset, cpus);
        assertEquals(cpus, l.cpus());
        assertEquals(Thp.ALWAYS, l.thp());
        try (Machine m = Kernels.byName("6.1").boot(l)) {
            m.kernel.lowmemReserveRatioSysctl(m);
            assertEquals(Integer.parseInt(mfk.group(1)), m.minFreeKbytes(), "min_free_kbytes");
            assertEquals(real.size(), m.zones.length, "zones");
            for (int i = 0; i < real.size(); i++) {
                ParsedZone r = real.get(i);
                Zone z = m.zones[i];
                String where = preset + "/" + capture + " " + r.name();
                assertEquals(r.name(), z.name, where);
                assertEquals(r.spanned(), z.spannedPages, where + " spanned");
                assertEquals(r.present(), z.presentPages, where + " present");
                assertEquals(r.managed(), z.managedPages, where + " managed");
                assertEquals(r.min(), z.minWmark(), where + " min");
                assertEquals(r.low(), z.lowWmark(), where + " low");
                assertEquals(r.high(), z.highWmark(), where + " high");
                assertArrayEquals(r.protection(), z.lowmemReserve, where + " protection");
                if (r.populated()) {
                    assertEquals(r.startPfn(), z.zoneStartPfn, where + " start_pfn");
                    assertEquals(cpus, r.pagesets().size(), where + " pagesets");
                    for (Pageset p : r.pagesets()) {
                        assertEquals(p.high(), z.pcp[p.cpu()].high, where + " cpu " + p.cpu() + " high");
                        assertEquals(p.batch(), z.pcp[p.cpu()].batch, where + " cpu " + p.cpu() + " batch");
                    }
                }
            }
        }
    }

    /** 8G has no capture: its DMA and DMA32 are 4G's, its Normal 5 GiB less ~180 MiB of boot allocations. */
    @Test
    void eightGigabytesIsSane() throws IOException {
        for (int cpus : new int[] {1, 2, 4}) {
            try (Machine m8 = Kernels.byName("6.1").boot(Machines.preset("qemu-8g", cpus));
                    Machine m4 = Kernels.byName("6.1").boot(Machines.preset("qemu-4g", cpus))) {
                assertEquals(67584, m8.minFreeKbytes(), "THP's recommended min_free_kbytes, as at 4G and 16G");
                for (int i = 0; i < 2; i++) {
                    assertEquals(m4.zones[i].presentPages, m8.zones[i].presentPages);
                    assertEquals(m4.zones[i].managedPages, m8.zones[i].managedPages);
                }
                Zone normal = m8.zones[2];
                assertEquals("Normal", normal.name);
                assertEquals(0x100000, normal.zoneStartPfn);
                assertEquals(5L << 18, normal.presentPages);
                long reserved = normal.presentPages - normal.managedPages;
                assertEquals(45320 + 62L * cpus, reserved, "boot allocations + per-CPU areas");
                long sumMin = 0;
                for (Zone z : m8.zones) {
                    sumMin += z.minWmark();
                }
                assertTrue(Math.abs(sumMin - 67584 / 4) <= 3, "min watermarks share min_free_kbytes: " + sumMin);
                assertTrue(normal.minWmark() > m4.zones[2].minWmark(), "a bigger Normal takes a bigger share");
                m8.kernel.lowmemReserveRatioSysctl(m8);
                assertEquals(m8.zones[1].managedPages / 256, m8.zones[0].lowmemReserve[1]);
                assertEquals(63, normal.pcp[0].batch);
            }
        }
    }

    @Test
    void perCpuAreasFollowTheCpuCount() {
        MachineLayout two = Machines.preset("qemu-1g");
        MachineLayout four = Machines.preset("qemu-1g", 4);
        long pages2 = two.reserved().stream().mapToLong(r -> r.pages()).sum();
        long pages4 = four.reserved().stream().mapToLong(r -> r.pages()).sum();
        assertEquals(2 * 62, pages4 - pages2);
    }

    @Test
    void badPercpuAndLateFreedEntriesNameTheLine() {
        String base = "name = \"x\"\narch = \"x86_64\"\nram = [ { start = 0x100000, end = 0x4000000 } ]\n";
        MachineFileException e = org.junit.jupiter.api.Assertions.assertThrows(MachineFileException.class,
                () -> Machines.parse(base + "percpu = { pages_per_cpu = 62 }\n", "m.toml"));
        assertTrue(e.getMessage().startsWith("m.toml:4: expected percpu = {"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(MachineFileException.class,
                () -> Machines.parse(base + "thp = \"sometimes\"\n", "m.toml"));
        assertTrue(e.getMessage().startsWith("m.toml:4: unknown THP mode 'sometimes'"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(MachineFileException.class,
                () -> Machines.parse(base + "reserved = [ { start = 0x1000000, end = 0x2000000 } ]\n"
                        + "late_freed = [ { start = 0x1800000, end = 0x1900000 } ]\n", "m.toml"));
        assertTrue(e.getMessage().startsWith("m.toml:5: late_freed range 0x1800000-0x1900000 overlaps"), e.getMessage());
    }
}
