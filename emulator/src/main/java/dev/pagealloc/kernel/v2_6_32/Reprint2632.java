package dev.pagealloc.kernel.v2_6_32;

import dev.pagealloc.kernel.v2_6_32.ShowMem2632.MemInfo;
import dev.pagealloc.kernel.v2_6_32.ShowMem2632.Swap;
import dev.pagealloc.kernel.v2_6_32.ShowMem2632.ZoneInfo;
import dev.pagealloc.pcp.PcpSizing;
import dev.pagealloc.report.Explanation.ZoneVerdict;
import dev.pagealloc.report.Explanation;
import dev.pagealloc.report.FailureReport.PerCpuLine;
import dev.pagealloc.report.FailureReport.ZoneReport;
import dev.pagealloc.report.FailureReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code explain --reprint}: the Mem-Info block regenerated through the 2.6.32 show_mem
 * formatter from the reconstructed state. Watermarks, lowmem_reserve and the per-CPU high/batch
 * are the ones recomputed from first principles (not copied), free lists and NR_FREE_PAGES are the
 * rebuilt zones'; counters the emulator does not model (LRU sizes, slab, swap) pass through from
 * the report. When the reconstruction is right, every number equals the input's.
 */
public final class Reprint2632 {
    private Reprint2632() {}

    /** Whether the report is of the 2.6.32 format this formatter writes. */
    public static boolean applies(FailureReport r) {
        return "2.6".equals(r.headerStyle());
    }

    public static String reprint(FailureReport r, Explanation e) {
        List<ZoneInfo> zones = new ArrayList<>();
        // 2.6.32 distro kernels (the kernel here) have CONFIG_NUMA: zone lines carry "Node N".
        boolean numa = true;
        for (int i = 0; i < r.zones().size(); i++) {
            ZoneReport z = r.zones().get(i);
            ZoneVerdict v = e.zones().get(i);
            List<PerCpuLine> pcp = r.perCpu().stream().filter(p -> p.node() == z.node() && p.zone().equals(z.name()))
                    .toList();
            int batch = PcpSizing.zoneBatchsize(z.kb().getOrDefault("present", 0L) / 4, 4096, PcpSizing.BATCH_CAP_512K);
            int[] high = new int[pcp.size()];
            int[] btch = new int[pcp.size()];
            int[] usd = new int[pcp.size()];
            for (int c = 0; c < pcp.size(); c++) {
                high[c] = PcpSizing.staticHigh(batch);
                btch[c] = Math.max(1, batch);
                usd[c] = pcp.get(c).count();
            }
            Map<String, Long> counters = new HashMap<>();
            z.kb().forEach((k, val) -> counters.put(k, val / 4));
            Long ks = z.kb().get("kernel_stack");
            counters.put("kernel_stack_kb", ks == null ? 0 : ks);
            var w = v.recomputed() != null ? v.recomputed() : v.reported();
            long[] reserve = v.lowmemReserveRecomputed() != null ? v.lowmemReserveRecomputed()
                    : z.lowmemReserve() != null ? z.lowmemReserve() : new long[0];
            zones.add(new ZoneInfo(z.node(), z.name(), high, btch, usd, v.freePages(), w == null ? 0 : w.min(),
                    w == null ? 0 : w.low(), w == null ? 0 : w.high(), counters, z.kb().getOrDefault("present", 0L) / 4,
                    z.pagesScanned() == null ? 0 : z.pagesScanned(), Boolean.TRUE.equals(z.allUnreclaimable()), reserve,
                    v.freeByOrder()));
        }
        Map<String, Long> t = r.totals();
        Swap swap = t.containsKey("Total swap kB")
                ? new Swap(t.getOrDefault("pages in swap cache", 0L), t.getOrDefault("swap cache add", 0L),
                        t.getOrDefault("swap cache delete", 0L), t.getOrDefault("swap cache find", 0L),
                        t.getOrDefault("swap cache find total", 0L), t.getOrDefault("Free swap kB", 0L),
                        t.get("Total swap kB"))
                : null;
        MemInfo m = new MemInfo(numa, zones, r.global(), t.getOrDefault("total pagecache pages", 0L), swap,
                t.getOrDefault("pages RAM", 0L), t.get("pages HighMem"), t.getOrDefault("pages reserved", 0L),
                t.getOrDefault("pages shared", 0L), t.getOrDefault("pages non-shared", 0L));
        return ShowMem2632.header(r.comm(), r.order(), (int) r.gfpMask()) + ShowMem2632.showMem(m);
    }
}
