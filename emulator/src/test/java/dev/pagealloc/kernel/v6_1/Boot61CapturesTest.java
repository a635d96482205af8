package dev.pagealloc.kernel.v6_1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.OracleCapture;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.proc.ZoneinfoParser.Pageset;
import dev.pagealloc.proc.ZoneinfoParser.ParsedZone;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every boot of a real Debian 6.1 kernel under QEMU (shared/oracle/captures): given the capture's
 * spanned, present and managed pages per zone, its CPU count, its THP mode and the pages its boot
 * log says were freed late, the emulator computes the kernel's min_free_kbytes, min, low, high,
 * protection and every CPU's pageset high and batch. The protection the captures show is the one
 * recomputed when /init read /proc/sys/vm/lowmem_reserve_ratio, after the late frees.
 */
class Boot61CapturesTest {

    static Stream<String> captures() {
        return OracleCapture.names61().stream();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void watermarksProtectionAndPagesetsEqualTheRealKernel(String name) {
        OracleCapture c = OracleCapture.load(name);
        List<ParsedZone> real = c.zoneinfo();
        Matcher mfk = Pattern.compile("min_free_kbytes: (\\d+)").matcher(c.section("sysctl-vm"));
        mfk.find();
        try (Machine m = Linux61.KERNEL.boot(c.layout())) {
            // the oracle's /init reads /proc/sys/vm/lowmem_reserve_ratio before it dumps zoneinfo
            m.kernel.lowmemReserveRatioSysctl(m);
            assertEquals(Integer.parseInt(mfk.group(1)), m.minFreeKbytes(), name + ": min_free_kbytes");
            assertEquals(real.size(), m.zones.length, name + ": zones");
            for (int i = 0; i < real.size(); i++) {
                ParsedZone r = real.get(i);
                Zone z = m.zones[i];
                String where = name + " " + r.name();
                assertEquals(r.name(), z.name, where);
                assertEquals(r.spanned(), z.spannedPages, where + " spanned");
                assertEquals(r.present(), z.presentPages, where + " present");
                assertEquals(r.managed(), z.managedPages, where + " managed");
                assertEquals(r.min(), z.minWmark(), where + " min");
                assertEquals(r.low(), z.lowWmark(), where + " low");
                assertEquals(r.high(), z.highWmark(), where + " high");
                assertArrayEquals(r.protection(), z.lowmemReserve, where + " protection");
                if (!r.populated()) {
                    continue;
                }
                assertEquals(c.cpus(), r.pagesets().size(), where + " pagesets");
                for (Pageset p : r.pagesets()) {
                    PerCpuPages e = z.pcp[p.cpu()];
                    assertEquals(p.high(), e.high, where + " cpu " + p.cpu() + " high");
                    assertEquals(p.batch(), e.batch, where + " cpu " + p.cpu() + " batch");
                }
            }
        }
    }
}
