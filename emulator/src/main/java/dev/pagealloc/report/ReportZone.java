package dev.pagealloc.report;

import dev.pagealloc.report.FailureReport.ZoneReport;
import dev.pagealloc.watermark.ZoneView;

/**
 * A zone rebuilt from the lines a failure report printed about it, as the watermark checks see
 * it: NR_FREE_PAGES from {@code free:}, {@code nr_free[]} from the buddy line, the migratetypes
 * present at each order from the buddy line's letters (4.4+), lowmem_reserve, the highatomic
 * reserve and free CMA pages. Page size is taken from the buddy line (4 kB on x86).
 */
public final class ReportZone implements ZoneView {
    public final ZoneReport src;
    /** The zone's kernel index (what lowmem_reserve[] is indexed by). */
    public final int idx;
    public final long pageKb;
    private final long free;
    private final int[] nrFree = new int[11];
    private final long[] reserve;
    private final long highatomic;
    private final long cma;
    /** True when the buddy line carried no migratetype letters and U/M/E were assumed. */
    public final boolean typesAssumed;

    public ReportZone(ZoneReport z, int idx, int maxNrZones) {
        this.src = z;
        this.idx = idx;
        this.pageKb = pageKb(z);
        Long f = z.kb().get("free");
        long buddyPages = 0;
        if (z.buddy() != null) {
            for (int o = 0; o < Math.min(11, z.buddy().length); o++) {
                nrFree[o] = (int) Math.min(Integer.MAX_VALUE, z.buddy()[o]);
                buddyPages += z.buddy()[o] << o;
            }
        }
        this.free = f != null ? f / pageKb : buddyPages;
        this.reserve = new long[Math.max(maxNrZones, z.lowmemReserve() == null ? 0 : z.lowmemReserve().length)];
        if (z.lowmemReserve() != null) {
            System.arraycopy(z.lowmemReserve(), 0, reserve, 0, z.lowmemReserve().length);
        }
        Long h = z.kb().get("reserved_highatomic");
        this.highatomic = h == null ? 0 : h / pageKb;
        Long c = z.kb().get("free_cma");
        this.cma = c == null ? 0 : c / pageKb;
        this.typesAssumed = z.buddyTypes() == null;
    }

    private static long pageKb(ZoneReport z) {
        if (z.buddy() != null && z.buddyTotalKb() != null) {
            long units = 0;
            for (int o = 0; o < z.buddy().length; o++) {
                units += z.buddy()[o] << o;
            }
            if (units > 0 && z.buddyTotalKb() % units == 0 && z.buddyTotalKb() / units >= 4) {
                return z.buddyTotalKb() / units;
            }
        }
        return 4;
    }

    public String label() {
        return "Node " + src.node() + " " + src.name();
    }

    @Override
    public long freePages() {
        return free;
    }

    @Override
    public int nrFree(int order) {
        return nrFree[order];
    }

    @Override
    public long lowmemReserve(int classzoneIdx) {
        return classzoneIdx < reserve.length ? reserve[classzoneIdx] : 0;
    }

    @Override
    public boolean hasFreeList(int order, char type) {
        if (nrFree[order] == 0) {
            return false;
        }
        if (typesAssumed) {
            return type == 'U' || type == 'M' || type == 'E';
        }
        String letters = order < src.buddyTypes().length ? src.buddyTypes()[order] : "";
        return letters != null && letters.indexOf(type) >= 0;
    }

    @Override
    public long reservedHighatomic() {
        return highatomic;
    }

    @Override
    public long freeCma() {
        return cma;
    }

    /** Pages held in blocks of {@code order} or more: {@code Σ nr_free[o] << o} for o ≥ order. */
    public long pagesInBlocksOfAtLeast(int order) {
        long n = 0;
        for (int o = order; o < 11; o++) {
            n += (long) nrFree[o] << o;
        }
        return n;
    }

    public boolean hasBuddyLine() {
        return src.buddy() != null;
    }
}
