package dev.pagealloc.kernel.v6_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.OracleCapture;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * /proc/vmstat and /proc/meminfo of a machine booted from each real 6.1 capture's zone counts
 * (booted as {@link ProcViews61Test#boot} does) against the first {@code === /proc/vmstat ===} and
 * {@code === /proc/meminfo ===} sections that kernel wrote: the same items in the same order, the
 * same labels at the same columns, the values that follow from the layout alone byte for byte, and
 * MemAvailable and the dirty thresholds computed by the emulator's formulas from the real file's
 * own counters.
 */
class VmstatMeminfo61Test {

    static Stream<String> captures() {
        return OracleCapture.names61().stream();
    }

    static List<String> lines(String text) {
        return ProcViews61Test.lines(text);
    }

    /** The items of a vmstat text, in order, with their values. */
    static Map<String, Long> vmstatMap(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String l : lines(text)) {
            String[] p = l.split(" ");
            assertEquals(2, p.length, l);
            assertTrue(out.put(p[0], Long.parseLong(p[1])) == null, "duplicate " + p[0]);
        }
        return out;
    }

    /** The label of a meminfo line (up to the colon) and its number. */
    static Map<String, Long> meminfoMap(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String l : lines(text)) {
            int colon = l.indexOf(':');
            String[] rest = l.substring(colon + 1).trim().split(" ");
            out.put(l.substring(0, colon), Long.parseLong(rest[0]));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("captures")
    void vmstatHasTheRealItemsInTheRealOrder(String name) {
        OracleCapture c = OracleCapture.load(name);
        Map<String, Long> real = vmstatMap(c.section("/proc/vmstat"));
        try (Machine m = ProcViews61Test.boot(c)) {
            String text = VmstatView61.vmstat(m);
            assertTrue(text.endsWith("nr_unstable 0\n"), name);
            Map<String, Long> emu = vmstatMap(text);
            assertEquals(new ArrayList<>(real.keySet()), new ArrayList<>(emu.keySet()), name);
        }
    }

    /**
     * A fresh machine's vmstat: nr_free_pages is Σ NR_FREE_PAGES, pgfree and pgalloc_* the
     * allocator's counts, the thresholds the emulator's own formula; and a few counters that are 0
     * on the real idle boot (CMA, zsmalloc, bounce, swap, THP, balloon) are 0 here too.
     */
    @ParameterizedTest
    @MethodSource("captures")
    void vmstatValuesOfAFreshBoot(String name) {
        OracleCapture c = OracleCapture.load(name);
        Map<String, Long> real = vmstatMap(c.section("/proc/vmstat"));
        try (Machine m = ProcViews61Test.boot(c)) {
            Map<String, Long> emu = vmstatMap(VmstatView61.vmstat(m));
            long free = 0;
            for (Zone z : m.zones) {
                free += z.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()];
            }
            assertEquals(free, emu.get("nr_free_pages"), name);
            assertEquals(m.allocator.pgfree(), emu.get("pgfree"), name);
            for (Zone z : m.zones) {
                assertEquals(m.allocator.pgalloc(z.idx), emu.get("pgalloc" + z.type.vmstatSuffix), name);
            }
            for (String item : List.of("nr_free_cma", "nr_zspages", "nr_bounce", "nr_swapcached",
                    "nr_anon_transparent_hugepages", "thp_fault_alloc", "balloon_inflate", "pswpin", "pswpout")) {
                assertEquals(real.get(item), emu.get(item), name + ": " + item);
            }
            // the emulator's thresholds are its own formula on its own counters
            long[] d = VmstatView61.globalDirtyLimits(m);
            assertEquals(d[1], emu.get("nr_dirty_threshold"), name);
            assertEquals(d[0], emu.get("nr_dirty_background_threshold"), name);
            assertTrue(d[1] > 0 && d[0] > 0 && d[0] < d[1], name);
        }
    }

    /**
     * nr_dirty_threshold and nr_dirty_background_threshold of the real file follow from the same
     * file's nr_free_pages, nr_inactive_file and nr_active_file with the emulator's
     * totalreserve_pages ({@code global_dirtyable_memory()} → {@code domain_dirty_limits()}). On
     * i386 the highmem zones' free pages at that moment are not in /proc/vmstat: the HighFree of
     * the /proc/meminfo dumped just before stands in, within a few pages' drift (the file LRU is
     * empty on these boots, so highmem's part is its free pages above the high watermark).
     */
    @ParameterizedTest
    @MethodSource("captures")
    void realDirtyThresholdsFollowFromTheRealCounters(String name) {
        OracleCapture c = OracleCapture.load(name);
        Map<String, Long> real = vmstatMap(c.section("/proc/vmstat"));
        try (Machine m = ProcViews61Test.boot(c)) {
            long fileLru = real.get("nr_inactive_file") + real.get("nr_active_file");
            long highmem = 0;
            for (Zone z : m.zones) { // one populated HighMem zone on i386, none on x86_64
                if (z.isHighmem() && z.isPopulated()) {
                    long free = meminfoMap(c.section("/proc/meminfo")).get("HighFree") / 4;
                    highmem += free - Math.min(free, z.highWmark());
                }
            }
            long avail = VmstatView61.globalDirtyableMemory(real.get("nr_free_pages"),
                    VmstatView61.totalreservePages(m), fileLru, highmem);
            long[] d = VmstatView61.domainDirtyLimits(avail);
            if (m.layout.arch() == Arch.X86_64) {
                assertEquals(real.get("nr_dirty_threshold"), d[1], name + ": nr_dirty_threshold");
                assertEquals(real.get("nr_dirty_background_threshold"), d[0], name + ": nr_dirty_background_threshold");
            } else {
                // HighMem's free pages moved between the meminfo and vmstat dumps: the 1G captures
                // (a small HighMem above its high watermark) differ by up to 4 pages, the rest not
                assertEquals(real.get("nr_dirty_threshold"), d[1], 8, name + ": nr_dirty_threshold");
                assertEquals(real.get("nr_dirty_background_threshold"), d[0], 4,
                        name + ": nr_dirty_background_threshold");
            }
        }
    }

    /** meminfo labels whose value follows from the layout (and CPUs, arch) alone. */
    static final Set<String> FROM_LAYOUT = Set.of(
            "MemTotal", "HighTotal", "LowTotal", "CommitLimit", "VmallocTotal", "Hugepagesize",
            // constants of an idle boot without swap, hugepages or block devices
            "Buffers", "SwapCached", "SwapTotal", "SwapFree", "Zswap", "Zswapped", "NFS_Unstable", "Bounce",
            "WritebackTmp", "VmallocChunk", "HardwareCorrupted", "SecPageTables", "HugePages_Total",
            "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp", "Hugetlb");

    @ParameterizedTest
    @MethodSource("captures")
    void meminfoHasTheRealLinesAndTheLayoutLinesByteForByte(String name) {
        OracleCapture c = OracleCapture.load(name);
        List<String> real = lines(c.section("/proc/meminfo"));
        try (Machine m = ProcViews61Test.boot(c)) {
            String text = MeminfoView61.meminfo(m);
            assertTrue(text.endsWith(" kB\n"), name);
            List<String> emu = lines(text);
            assertEquals(real.size(), emu.size(), name + ": meminfo lines");
            int exact = 0;
            for (int i = 0; i < real.size(); i++) {
                String r = real.get(i);
                String e = emu.get(i);
                String where = name + ": meminfo line " + (i + 1);
                String label = r.substring(0, r.indexOf(':'));
                assertEquals(label, e.substring(0, e.indexOf(':')), where);
                // the column the number ends in: "%8lu" after the padded label, " kB" or not
                assertEquals(columnShape(r), columnShape(e), where + ": " + e);
                if (FROM_LAYOUT.contains(label)) {
                    assertEquals(r, e, where);
                    exact++;
                }
            }
            assertTrue(exact >= 20, name + ": " + exact);
        }
    }

    /**
     * A meminfo line's label with its padding: what stands before its number's field, the field
     * being {@code %8lu} ({@code %5lu} for HardwareCorrupted and the HugePages_* counts) or the
     * number's own width when it is wider.
     */
    static String columnShape(String line) {
        String suffix = line.endsWith(" kB") ? " kB" : "";
        String body = line.substring(0, line.length() - suffix.length());
        int digits = body.length() - body.replaceFirst("\\d+$", "").length();
        int width = line.startsWith("HardwareCorrupted:") || line.startsWith("HugePages_") ? 5 : 8;
        String prefix = body.substring(0, body.length() - Math.max(digits, width));
        return prefix + "|" + suffix;
    }

    /**
     * MemAvailable of the real file follows from the same file's MemFree, Active(file),
     * Inactive(file), SReclaimable and KReclaimable with the emulator's totalreserve_pages and low
     * watermarks ({@code si_mem_available()}): the watermarks and protection the emulator boots to
     * are the real ones.
     */
    @ParameterizedTest
    @MethodSource("captures")
    void realMemAvailableFollowsFromTheRealCounters(String name) {
        OracleCapture c = OracleCapture.load(name);
        Map<String, Long> real = meminfoMap(c.section("/proc/meminfo"));
        try (Machine m = ProcViews61Test.boot(c)) {
            long wmarkLow = 0;
            for (Zone z : m.zones) {
                wmarkLow += z.lowWmark();
            }
            long avail = MeminfoView61.siMemAvailable(real.get("MemFree") / 4, VmstatView61.totalreservePages(m),
                    wmarkLow, (real.get("Active(file)") + real.get("Inactive(file)")) / 4,
                    real.get("KReclaimable") / 4);
            assertEquals(real.get("MemAvailable"), avail * 4, name);
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    void freshBootMeminfoIsTheModelsCounters(String name) {
        OracleCapture c = OracleCapture.load(name);
        try (Machine m = ProcViews61Test.boot(c)) {
            Map<String, Long> mi = meminfoMap(MeminfoView61.meminfo(m));
            long free = 0;
            long highFree = 0;
            long managed = 0;
            for (Zone z : m.zones) {
                long f = z.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()];
                free += f;
                managed += z.managedPages;
                if (z.isHighmem()) {
                    highFree += f;
                }
            }
            assertTrue(free > 0, name);
            assertEquals(free * 4, mi.get("MemFree"), name);
            assertEquals(managed * 4, mi.get("MemTotal"), name);
            assertTrue(mi.get("MemFree") <= mi.get("MemTotal"), name);
            assertEquals(MeminfoView61.siMemAvailable(m) * 4, mi.get("MemAvailable"), name);
            if (m.layout.arch().hasHighmem()) {
                assertEquals(highFree * 4, mi.get("HighFree"), name);
                assertEquals((free - highFree) * 4, mi.get("LowFree"), name);
            }
        }
    }
}
