package dev.pagealloc.kernel.v6_1;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.kernel.v6_1.ShowMem61.Hugepages;
import dev.pagealloc.kernel.v6_1.ShowMem61.MemInfo;
import dev.pagealloc.kernel.v6_1.ShowMem61.NodeInfo;
import dev.pagealloc.kernel.v6_1.ShowMem61.Swap;
import dev.pagealloc.kernel.v6_1.ShowMem61.ZoneInfo;
import dev.pagealloc.report.Explanation.ZoneVerdict;
import dev.pagealloc.report.Explanation;
import dev.pagealloc.report.FailureReport.ZoneReport;
import dev.pagealloc.report.FailureReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code explain --reprint} for 6.1 reports: the {@code warn_alloc()} header and the Mem-Info block
 * regenerated through the 6.1 {@code __show_mem()} formatter ({@link ShowMem61}) from the
 * reconstructed state. min/low/high (boost added back) and lowmem_reserve are the ones the
 * explainer recomputed from first principles, not copied; the free blocks per order and
 * NR_FREE_PAGES are the rebuilt zones' (lowmem_reserve is the printed one when the report leaves out
 * a populated zone above gfp_zone(), whose size the recomputation would need); the GFP names are decoded again from the mask by the
 * release's GFP layout. Everything the emulator does not model (LRU sizes, slab, per-CPU counts,
 * the migratetype letters, boost and highatomic reserve, hugepages, swap) passes through from the
 * report. When the reconstruction is right, every number equals the input's.
 */
public final class Reprint61 {
    private Reprint61() {}

    /**
     * Whether the report is of the 6.1 format this formatter writes: names after the mode and a
     * {@code boost:} field on the zone lines, from a 5.18 … 6.3 release when the report names one.
     */
    public static boolean applies(FailureReport r) {
        if (!"4.9+".equals(r.headerStyle()) || r.zones().stream().noneMatch(z -> z.kb().containsKey("boost"))) {
            return false;
        }
        if (r.kernelRelease() == null) {
            return true;
        }
        try {
            return GfpBits.forKernel(r.kernelRelease()) == GfpBits.V6_1;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code warn_alloc()}'s header and {@code __show_mem()}, mm/page_alloc.c and lib/show_mem.c (6.1). */
    public static String reprint(FailureReport r, Explanation e) {
        GfpBits gfp = GfpBits.V6_1;
        if (r.kernelRelease() != null) {
            try {
                gfp = GfpBits.forKernel(r.kernelRelease());
            } catch (IllegalArgumentException ignored) {
                // keep 6.1's layout
            }
        }
        List<ZoneInfo> zones = new ArrayList<>();
        // CONFIG_NUMA ("Node N " before zone lines): the amd64 distro kernels have it, the 32-bit
        // ones (686, 686-pae) do not; the parsed report does not keep the prefix, so DMA32 or an
        // amd64/x86_64 release decides.
        boolean numa = r.zones().stream().anyMatch(z -> z.name().equals("DMA32"))
                || (r.kernelRelease() != null && (r.kernelRelease().contains("amd64") || r.kernelRelease().contains("x86_64")));
        // 6.1 prints only the zones up to gfp_zone(mode): when the report leaves a populated zone
        // out (its present pages are missing from "pages RAM"), the recomputed lowmem_reserve cannot
        // count it, and the printed one is kept.
        long printedPresent = r.zones().stream().mapToLong(z -> z.kb().getOrDefault("present", 0L) / 4).sum();
        Long ram = r.totals().get("pages RAM");
        boolean allZonesPrinted = ram == null || ram == printedPresent;
        for (int i = 0; i < r.zones().size(); i++) {
            ZoneReport z = r.zones().get(i);
            ZoneVerdict v = e.zones().get(i);
            Map<String, Long> kb = z.kb();
            Map<String, Long> counters = new HashMap<>();
            kb.forEach((k, val) -> counters.put(k, val / 4));
            var w = v.recomputed() != null ? v.recomputed() : v.reported();
            long[] reserve = v.lowmemReserveRecomputed() != null && (allZonesPrinted || z.lowmemReserve() == null)
                    ? v.lowmemReserveRecomputed()
                    : z.lowmemReserve() != null ? z.lowmemReserve() : new long[0];
            long[] nr = v.freeByOrder() != null ? v.freeByOrder() : new long[0];
            int[] types = new int[nr.length];
            for (int o = 0; o < nr.length; o++) {
                String letters = z.buddyTypes() != null && o < z.buddyTypes().length ? z.buddyTypes()[o] : "";
                for (char c : letters.toCharArray()) {
                    int t = ShowMem61.TYPE_LETTERS.indexOf(c);
                    if (t >= 0) {
                        types[o] |= 1 << t;
                    }
                }
            }
            zones.add(new ZoneInfo(z.node(), z.name(), v.freePages(), pages(kb, "boost"),
                    w == null ? 0 : w.min(), w == null ? 0 : w.low(), w == null ? 0 : w.high(),
                    pages(kb, "reserved_highatomic"), counters, pages(kb, "present"), pages(kb, "managed"),
                    pages(kb, "free_pcp"), pages(kb, "local_pcp"), reserve, nr, types));
        }
        List<NodeInfo> nodes = new ArrayList<>();
        r.nodes().forEach((id, map) -> nodes.add(new NodeInfo(id, map, map.getOrDefault("all_unreclaimable", 0L) == 1)));
        boolean thp = r.nodes().values().stream().anyMatch(map -> map.containsKey("anon_thp"));
        Map<String, Long> t = r.totals();
        List<Hugepages> huge = new ArrayList<>();
        t.forEach((k, val) -> {
            if (k.startsWith("hugepages_total ")) {
                String size = k.substring("hugepages_total ".length());
                long sizeKb = size.endsWith("kB") ? parse(size.substring(0, size.length() - 2)) : 0;
                huge.add(new Hugepages(0, val, t.getOrDefault("hugepages_free " + size, 0L),
                        t.getOrDefault("hugepages_surp " + size, 0L), sizeKb));
            }
        });
        huge.sort((a, b) -> Long.compare(a.sizeKb(), b.sizeKb()));
        Swap swap = new Swap(t.getOrDefault("pages in swap cache", 0L), t.getOrDefault("Free swap kB", 0L),
                t.getOrDefault("Total swap kB", 0L));
        MemInfo m = new MemInfo(numa, thp, r.global(), nodes, zones, huge, t.getOrDefault("total pagecache pages", 0L),
                swap, t.getOrDefault("pages RAM", 0L), t.getOrDefault("pages HighMem/MovableOnly", 0L),
                t.getOrDefault("pages reserved", 0L), t.get("pages hwpoisoned"));
        String header = ShowMem61.header(r.comm(), r.order(), gfp.headerMode((int) r.gfpMask()),
                r.nodemask() == null ? "(null)" : r.nodemask(), r.cpuset() == null ? "/" : r.cpuset(),
                r.memsAllowed() == null ? "0" : r.memsAllowed());
        return header + ShowMem61.showMem(m);
    }

    private static long pages(Map<String, Long> kb, String key) {
        Long v = kb.get(key);
        return v == null ? 0 : v / 4;
    }

    private static long parse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
