package dev.pagealloc.kernel.v6_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.AllocFailure;
import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.gfp.GfpZone;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.layout.OracleCapture;
import dev.pagealloc.layout.PfnRange;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.report.FailureReport.ZoneReport;
import dev.pagealloc.report.FailureReport;
import dev.pagealloc.report.ReportParser;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real 6.1 failure reports of the oracle captures (a Debian 6.1 kernel under QEMU, the
 * {@code frag} module failing an allocation): the emulator boots the capture's machine, is put into
 * the state the report describes, and its own {@code warn_alloc()} report reprints the real
 * Mem-Info block byte for byte.
 *
 * <p>What is the emulator's own and what is loaded: min/low/high (with the loaded boost),
 * lowmem_reserve, present, managed and the page totals come from the boot alone. The free lists
 * (counts per order, which lists are non-empty), watermark_boost, nr_reserved_highatomic and the
 * per-CPU counts are loaded from the report into the model's real structures and read back by the
 * printer. NR_FREE_PAGES is the model's own sum of its free lists, then overwritten with the
 * printed value where the kernel's differs (per-CPU vmstat drift, which the emulator does not
 * model: DMA32 of x86_64-1G-smp2-frag prints free:403116kB over a buddy total of 403332kB).
 * Counters the emulator keeps but does not drive (LRU sizes, slab, mapped, shmem, page tables,
 * kernel stacks, file pages) are loaded as printed. Unmodeled state (hugetlb, swap, CMA, secondary
 * page tables, THP-backed shmem/anon, hwpoison) prints as zero, which is what these kernels printed.
 */
class MachineReport61Test {

    static Stream<String> captures() {
        return OracleCapture.names61().stream().filter(n -> n.contains("-frag"));
    }

    private static final Pattern STAMP = Pattern.compile("^\\[[ 0-9.]+\\] ");
    private static final Pattern CPU = Pattern.compile("CPU: (\\d+) PID: (\\d+) Comm: ");

    /** The test-dmesg section without timestamps. */
    static List<String> dmesg(OracleCapture c) {
        List<String> out = new ArrayList<>();
        for (String l : c.section("test-dmesg").split("\n")) {
            out.add(STAMP.matcher(l).replaceFirst(""));
        }
        return out;
    }

    /** From "Mem-Info:" through "N pages hwpoisoned". */
    static List<String> memInfoBlock(List<String> lines) {
        int s = lines.indexOf("Mem-Info:");
        int e = s;
        while (!lines.get(e).endsWith("pages hwpoisoned")) {
            e++;
        }
        return lines.subList(s, e + 1);
    }

    record Loaded(Machine m, FailureReport r, AllocFailure f, int cpu, int pid) {}

    /** Boots the capture's machine and loads the report's state into it. */
    static Loaded load(String name) {
        OracleCapture c = OracleCapture.load(name);
        List<String> lines = dmesg(c);
        FailureReport r = ReportParser.parse(String.join("\n", lines) + "\n").get(0);
        Matcher cm = CPU.matcher(String.join("\n", lines));
        assertTrue(cm.find(), name + ": CPU line");
        int cpu = Integer.parseInt(cm.group(1));
        int pid = Integer.parseInt(cm.group(2));
        Machine m = Linux61.KERNEL.boot(lowHoleAsQemu(c.layout()));
        // the oracle's /init read /proc/sys/vm/lowmem_reserve_ratio (its sysctl-vm section) before
        // the test module ran: protection follows the managed counts after the late frees
        m.kernel.lowmemReserveRatioSysctl(m);
        int maxZoneIdx = GfpZone.gfpZone((int) r.gfpMask(), m.layout.arch());
        Set<Zone> printed = new HashSet<>();
        long printedFree = 0;
        Map<String, Long> node = r.nodes().get(0);
        long[] zoneSums = new long[5]; // active_anon, inactive_anon, active_file, inactive_file, unevictable
        String[] lru = {"active_anon", "inactive_anon", "active_file", "inactive_file", "unevictable"};
        ZoneStatItem[] lruItems = {ZoneStatItem.NR_ACTIVE_ANON, ZoneStatItem.NR_INACTIVE_ANON,
            ZoneStatItem.NR_ACTIVE_FILE, ZoneStatItem.NR_INACTIVE_FILE, ZoneStatItem.NR_UNEVICTABLE};
        // 1. the free lists of every printed zone, as its buddy line says
        for (ZoneReport zr : r.zones()) {
            Zone z = m.zone(zr.name());
            printed.add(z);
            int[] nr = new int[Zone.MAX_ORDER];
            for (int o = 0; o < Zone.MAX_ORDER; o++) {
                nr[o] = (int) zr.buddy()[o];
            }
            FreeListLoader61.load(m.allocator, z, nr, zr.buddyTypes());
            printedFree += zr.pages("free");
        }
        // 2. the free pages of the zones the report leaves out (above gfp_zone): global free minus
        // the printed zones', as max-order blocks and one block per set bit of the rest
        long rest = r.global().get("free") - printedFree;
        Zone unprinted = null;
        for (Zone z : m.populatedZones()) {
            if (!printed.contains(z) && unprinted == null) {
                unprinted = z;
            }
        }
        if (rest != 0) {
            int[] nr = new int[Zone.MAX_ORDER];
            nr[Zone.MAX_ORDER - 1] = (int) (rest >> (Zone.MAX_ORDER - 1));
            for (int o = 0; o < Zone.MAX_ORDER - 1; o++) {
                nr[o] = (int) ((rest >> o) & 1);
            }
            FreeListLoader61.load(m.allocator, unprinted, nr, null);
        }
        List<String> broken = InvariantChecker.check(m.allocator);
        assertEquals(List.of(), broken, name + ": invariants after loading the free lists");
        // 3. per-CPU lists, boost, highatomic reserve, NR_FREE_PAGES drift, zone counters
        for (ZoneReport zr : r.zones()) {
            Zone z = m.zone(zr.name());
            long local = zr.pages("local_pcp");
            long all = zr.pages("free_pcp");
            FreeListLoader61.loadPcp(m.allocator, z, cpu, local);
            FreeListLoader61.loadPcp(m.allocator, z, cpu == 0 && m.cpus() > 1 ? 1 : 0, all - local);
            z.watermarkBoost = zr.pages("boost");
            z.nrReservedHighatomic = zr.pages("reserved_highatomic");
            z.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] = zr.pages("free");
            for (int i = 0; i < lru.length; i++) {
                z.vmStat[lruItems[i].ordinal()] = zr.pages(lru[i]);
                zoneSums[i] += zr.pages(lru[i]);
            }
            z.vmStat[ZoneStatItem.NR_FILE_DIRTY.ordinal()] = zr.pages("writepending");
            z.vmStat[ZoneStatItem.NR_MLOCK.ordinal()] = zr.pages("mlocked");
            z.vmStat[ZoneStatItem.NR_BOUNCE.ordinal()] = zr.pages("bounce");
        }
        // 4. node-wide counters: the LRU pages outside the printed zones, and the counters that 6.1
        // keeps per node, go to one zone (the first unprinted one, else the first populated one)
        Zone sink = unprinted != null ? unprinted : m.populatedZones()[0];
        for (int i = 0; i < lru.length; i++) {
            sink.vmStat[lruItems[i].ordinal()] += node.get(lru[i]) / 4 - zoneSums[i];
        }
        Map<String, Long> g = r.global();
        sink.vmStat[ZoneStatItem.NR_ISOLATED_ANON.ordinal()] = g.get("isolated_anon");
        sink.vmStat[ZoneStatItem.NR_ISOLATED_FILE.ordinal()] = g.get("isolated_file");
        sink.vmStat[ZoneStatItem.NR_SLAB_RECLAIMABLE.ordinal()] = g.get("slab_reclaimable");
        sink.vmStat[ZoneStatItem.NR_SLAB_UNRECLAIMABLE.ordinal()] = g.get("slab_unreclaimable");
        sink.vmStat[ZoneStatItem.NR_FILE_MAPPED.ordinal()] = g.get("mapped");
        sink.vmStat[ZoneStatItem.NR_SHMEM.ordinal()] = g.get("shmem");
        sink.vmStat[ZoneStatItem.NR_PAGETABLE.ordinal()] = g.get("pagetables");
        sink.vmStat[ZoneStatItem.NR_WRITEBACK.ordinal()] = g.get("writeback");
        sink.vmStat[ZoneStatItem.NR_FILE_DIRTY.ordinal()] += g.get("dirty") - zoneWritepending(r);
        sink.vmStat[ZoneStatItem.NR_KERNEL_STACK.ordinal()] =
                node.get("kernel_stack") / MachineReport61.threadSizeKb(m.layout.arch());
        sink.vmStat[ZoneStatItem.NR_FILE_PAGES.ordinal()] = r.totals().get("total pagecache pages");
        boolean hopeless = node.getOrDefault("all_unreclaimable", 0L) == 1;
        for (Zone z : m.populatedZones()) {
            z.allUnreclaimable = hopeless; // 6.1: kswapd_failures >= MAX_RECLAIM_RETRIES
        }
        AllocFailure f = new AllocFailure((int) r.gfpMask(), r.order(), maxZoneIdx, maxZoneIdx, 0, -1, "", List.of());
        return new Loaded(m, r, f, cpu, pid);
    }

    /**
     * ZoneCounts puts ZONE_DMA's 97 holes just below its last pfn; QEMU's e820 has them at
     * 0x9f–0xff (640 KiB – 1 MiB), under the 158 pages x86 reserves below 1 MiB. Only there can
     * the top 3 MiB of ZONE_DMA be three free order-10 blocks, as x86_64-4G-smp2-frag's DMA line
     * prints them. Spans, present, managed and so the watermarks stay the same.
     */
    static MachineLayout lowHoleAsQemu(MachineLayout l) {
        List<PfnRange> ram = new ArrayList<>(l.ram());
        if (ram.size() >= 2 && ram.get(0).start() == 1 && ram.get(0).end() == 3998 && ram.get(1).start() == 4095) {
            PfnRange high = ram.get(1);
            ram.set(0, new PfnRange(1, 0x9f, "DMA below 640 KiB"));
            ram.set(1, new PfnRange(0x100, high.end(), high.label()));
        }
        return new MachineLayout(l.name(), l.arch(), l.cpus(), ram, l.reserved(), l.dmaReserve(), l.maxLowPfn(),
                l.sectionBits(), l.lateFreed(), l.thp());
    }

    private static long zoneWritepending(FailureReport r) {
        long n = 0;
        for (ZoneReport zr : r.zones()) {
            n += zr.pages("writepending");
        }
        return n;
    }

    @ParameterizedTest
    @MethodSource("captures")
    void theEmulatorsReportReprintsTheRealMemInfoBlock(String name) {
        List<String> real = dmesg(OracleCapture.load(name));
        Loaded l = load(name);
        try (Machine m = l.m()) {
            String report = MachineReport61.failureReport(m, l.f(), l.r().comm(), l.pid(), l.cpu());
            List<String> ours = List.of(report.split("\n"));
            // the warn_alloc header, byte for byte
            String header = real.stream().filter(s -> s.contains(": page allocation failure: ")).findFirst().orElseThrow();
            assertEquals(header, ours.get(0), name + ": header");
            assertTrue(ours.get(1).startsWith("CPU: " + l.cpu() + " PID: " + l.pid() + " Comm: insmod "), ours.get(1));
            assertEquals("Hardware name: pagealloc emulator", ours.get(2));
            assertEquals("Call Trace:", ours.get(3));
            // the Mem-Info block, line by line: zone lines, lowmem_reserve, buddy lines, totals
            assertEquals(memInfoBlock(real), memInfoBlock(ours), name + ": Mem-Info block");
            // and the report parser reads the emulator's report as it reads the kernel's
            FailureReport back = ReportParser.parse(report).get(0);
            assertEquals("6.1.0-pagealloc", back.kernelRelease());
            assertEquals(l.r().gfpMask(), back.gfpMask());
            assertEquals(l.r().zones().size(), back.zones().size());
            for (int i = 0; i < back.zones().size(); i++) {
                assertEquals(l.r().zones().get(i).kb(), back.zones().get(i).kb(), name + " zone " + i);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    void zoneFieldsComeFromTheModel(String name) {
        Loaded l = load(name);
        try (Machine m = l.m()) {
            ShowMem61.MemInfo mi = MachineReport61.memInfo(m, l.f().highZoneIdx(), l.cpu());
            assertEquals(l.r().zones().size(), mi.zones().size(), name + ": zones printed (≤ gfp_zone)");
            for (int i = 0; i < mi.zones().size(); i++) {
                ShowMem61.ZoneInfo z = mi.zones().get(i);
                ZoneReport zr = l.r().zones().get(i);
                String w = name + " " + z.name();
                assertEquals(zr.kb().get("min"), z.min() * 4, w + " min");
                assertEquals(zr.kb().get("low"), z.low() * 4, w + " low");
                assertEquals(zr.kb().get("high"), z.high() * 4, w + " high");
                assertEquals(zr.kb().get("present"), z.present() * 4, w + " present");
                assertEquals(zr.kb().get("managed"), z.managed() * 4, w + " managed");
                assertEquals(zr.kb().get("free_pcp"), z.freePcp() * 4, w + " free_pcp");
                assertEquals(List.of(toBoxed(zr.lowmemReserve())), List.of(toBoxed(z.lowmemReserve())), w + " lowmem_reserve");
            }
            assertEquals(l.r().totals().get("pages RAM"), mi.pagesRam(), name + ": pages RAM");
            assertEquals(l.r().totals().get("pages reserved"), mi.pagesReserved(), name + ": pages reserved");
        }
    }

    private static Long[] toBoxed(long[] a) {
        Long[] b = new Long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }

    @Test
    void showMigrationTypesPrintsLettersInKernelOrder() {
        assertEquals("(UMEH) ", ShowMem61.showMigrationTypes(0b1111));
        assertEquals("(MH) ", ShowMem61.showMigrationTypes(0b1010));
        assertEquals("() ", ShowMem61.showMigrationTypes(0));
    }
}
