package dev.pagealloc.kernel.v2_6_32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.layout.PfnRange;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /proc/vmstat and /proc/meminfo of a freshly booted machine: the 2.6.32 field order, the line
 * shapes (checked only where real 6.1 dumps in shared/oracle/captures share them with 2.6.32),
 * and the numbers the emulator has.
 */
class VmstatMeminfoTest {
    /** An x86_64 1 GiB machine, 2 CPUs: RAM pfns [0, 0x9f) and [0x100, 0x40000). */
    static MachineLayout layout(List<PfnRange> reserved) {
        return new MachineLayout("test-1g", Arch.X86_64, 2,
                List.of(new PfnRange(0, 0x9f, "low"), new PfnRange(0x100, 0x40000, "main")),
                reserved, 0, 0, 15);
    }

    static Map<String, Long> vmstatMap(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String l : text.split("\n")) {
            String[] p = l.split(" ");
            assertEquals(2, p.length, l);
            assertFalse(out.containsKey(p[0]), "duplicate " + p[0]);
            out.put(p[0], Long.parseLong(p[1]));
        }
        return out;
    }

    static Map<String, Long> meminfoMap(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String l : text.split("\n")) {
            String[] p = l.trim().split(" +");
            out.put(p[0].substring(0, p[0].length() - 1), Long.parseLong(p[1]));
        }
        return out;
    }

    @Test
    void freshMachineVmstatFreePagesIsTheZonesSum() {
        try (Machine m = Linux2632.KERNEL.boot(layout(List.of()))) {
            Map<String, Long> v = vmstatMap(VmstatView2632.vmstat(m, null));
            long sum = 0;
            for (Zone z : m.zones) {
                sum += z.freePages();
            }
            assertTrue(sum > 0);
            assertEquals(sum, v.get("nr_free_pages"));
            // pgfree counts the boot frees; pgalloc per zone as the allocator counted them
            assertEquals(m.allocator.pgfree(), v.get("pgfree"));
            assertEquals(m.allocator.pgalloc(0), v.get("pgalloc_dma"));
            assertEquals(m.allocator.pgalloc(1), v.get("pgalloc_dma32"));
            assertEquals(m.allocator.pgalloc(2), v.get("pgalloc_normal"));
            assertEquals(m.allocator.pgalloc(3), v.get("pgalloc_movable"));
        }
    }

    @Test
    void vmstatOrderIs2632VmstatText() {
        try (Machine m = Linux2632.KERNEL.boot(layout(List.of()))) {
            List<String> names = new ArrayList<>(vmstatMap(VmstatView2632.vmstat(m, null)).keySet());
            List<String> expected = new ArrayList<>();
            for (ZoneStatItem i : ZoneStatItem.values()) {
                expected.add(i.procName);
            }
            expected.addAll(List.of("pgpgin", "pgpgout", "pswpin", "pswpout",
                    "pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable",
                    "pgfree", "pgactivate", "pgdeactivate", "pgfault", "pgmajfault"));
            for (String f : List.of("pgrefill", "pgsteal", "pgscan_kswapd", "pgscan_direct")) {
                for (String z : List.of("_dma", "_dma32", "_normal", "_movable")) {
                    expected.add(f + z);
                }
            }
            expected.addAll(List.of("zone_reclaim_failed", "pginodesteal", "slabs_scanned", "kswapd_steal",
                    "kswapd_inodesteal", "pageoutrun", "allocstall", "pgrotated",
                    "htlb_buddy_alloc_success", "htlb_buddy_alloc_fail",
                    "unevictable_pgs_culled", "unevictable_pgs_scanned", "unevictable_pgs_rescued",
                    "unevictable_pgs_mlocked", "unevictable_pgs_munlocked", "unevictable_pgs_cleared",
                    "unevictable_pgs_stranded", "unevictable_pgs_mlockfreed"));
            assertEquals(expected, names);
        }
    }

    @Test
    void freshMachineMeminfoFreeIsFreePagesTimesFour() {
        // one reserved range, to see MemTotal = RAM - reserved (what Boot freed)
        List<PfnRange> reserved = List.of(new PfnRange(0, 1, "bda"), new PfnRange(0x1000, 0x2000, "kernel"));
        try (Machine m = Linux2632.KERNEL.boot(layout(reserved))) {
            String text = MeminfoView2632.meminfo(m, null, 0);
            Map<String, Long> mi = meminfoMap(text);
            long free = vmstatMap(VmstatView2632.vmstat(m, null)).get("nr_free_pages");
            assertEquals(free * 4, mi.get("MemFree"));
            long ram = 0x9f + (0x40000 - 0x100);
            assertEquals((ram - 1 - 0x1000) * 4, mi.get("MemTotal"));
            // a fresh machine has handed out nothing but its pcp lists: free ≤ total
            assertTrue(mi.get("MemFree") <= mi.get("MemTotal"));
            assertEquals(mi.get("MemTotal") / 2, mi.get("CommitLimit"));
            assertEquals(34359738367L, mi.get("VmallocTotal"));
            assertEquals(2048L, mi.get("Hugepagesize"));
            assertFalse(mi.containsKey("HighTotal"));
            assertFalse(mi.containsKey("MemAvailable"));
            assertFalse(mi.containsKey("AnonHugePages"));
        }
    }

    @Test
    void meminfoLineShapesMatchTheKernelsAndThe61Capture() {
        try (Machine m = Linux2632.KERNEL.boot(layout(List.of()))) {
            String text = MeminfoView2632.meminfo(m, null, 0);
            List<String> labels = new ArrayList<>(meminfoMap(text).keySet());
            assertEquals(List.of("MemTotal", "MemFree", "Buffers", "Cached", "SwapCached", "Active", "Inactive",
                    "Active(anon)", "Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked",
                    "SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem", "Slab",
                    "SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "NFS_Unstable", "Bounce",
                    "WritebackTmp", "CommitLimit", "Committed_AS", "VmallocTotal", "VmallocUsed", "VmallocChunk",
                    "HardwareCorrupted", "HugePages_Total", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp",
                    "Hugepagesize", "DirectMap4k", "DirectMap2M"), labels);
            // "%-15s %8lu kB" (label + padding = 16 columns, then 8), as in the 6.1 capture:
            // "MemTotal:        3972284 kB", "SwapTotal:             0 kB", "Hugepagesize:       2048 kB",
            // "HardwareCorrupted:     0 kB", "HugePages_Total:       0".
            Pattern kb = Pattern.compile("[A-Za-z0-9_()]+: +\\d+ kB");
            for (String l : text.split("\n")) {
                if (l.startsWith("HugePages_")) {
                    assertEquals(24, l.length(), l); // "HugePages_Total:   %5lu"
                    continue;
                }
                assertTrue(kb.matcher(l).matches(), l);
                if (l.startsWith("HardwareCorrupted")) {
                    assertEquals("HardwareCorrupted:     0 kB", l);
                } else {
                    assertTrue(l.length() >= 27, l);
                    if (l.length() == 27) { // values of up to 8 digits end in column 24
                        assertEquals(' ', l.charAt(15), l);
                    }
                }
            }
            assertTrue(text.contains("\nSwapTotal:             0 kB\n"), text);
            assertTrue(text.contains("\nHugePages_Total:       0\n"), text);
            assertTrue(text.contains("\nHugepagesize:       2048 kB\n"), text);
            assertTrue(text.startsWith("MemTotal:       "));
        }
    }

    @Test
    void i386HasHighmemLinesAndHighVmstatZones() {
        // 1 GiB i386: DMA, Normal up to max_low_pfn, the rest HighMem
        MachineLayout l = new MachineLayout("i386-1g", Arch.I386, 1,
                List.of(new PfnRange(0, 0x9f, "low"), new PfnRange(0x100, 0x40000, "main")),
                List.of(), 0, 0, 14);
        try (Machine m = Linux2632.KERNEL.boot(l)) {
            Map<String, Long> mi = meminfoMap(MeminfoView2632.meminfo(m, null, 0));
            assertTrue(mi.containsKey("HighTotal"));
            assertEquals(mi.get("MemTotal"), mi.get("HighTotal") + mi.get("LowTotal"));
            assertEquals(mi.get("MemFree"), mi.get("HighFree") + mi.get("LowFree"));
            assertEquals(4096L, mi.get("Hugepagesize"));
            assertTrue(mi.containsKey("DirectMap4M"));
            Map<String, Long> v = vmstatMap(VmstatView2632.vmstat(m, null));
            assertTrue(v.containsKey("pgalloc_high"));
            assertFalse(v.containsKey("pgalloc_dma32"));
        }
    }
}
