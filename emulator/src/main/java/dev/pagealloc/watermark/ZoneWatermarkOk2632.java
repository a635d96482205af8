package dev.pagealloc.watermark;

import static dev.pagealloc.gfp.AllocFlags.ALLOC_HARDER;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_HIGH;


/**
 * {@code zone_watermark_ok()}, mm/page_alloc.c, 2.6.32 … 3.x: the per-order halving rule.
 *
 * <h2>Notation</h2>
 * {@code free} = NR_FREE_PAGES of the zone (per-CPU pages excluded); {@code mark} = one of
 * watermark[WMARK_MIN|LOW|HIGH]; {@code reserve} = {@code lowmem_reserve[classzone_idx]}, the
 * pages this zone keeps back from requests that could have been served by a higher zone.
 *
 * <h2>The rule</h2>
 * <pre>
 *   free_pages = free − 2^order + 1              (the request itself may take the last pages)
 *   min = mark;  if ALLOC_HIGH: min −= min/2;  if ALLOC_HARDER: min −= min/4
 *   refuse if free_pages ≤ min + reserve
 *   for o in 0 … order−1:                         (blocks of order o cannot serve this request)
 *       free_pages −= nr_free[o] &lt;&lt; o;  min &gt;&gt;= 1
 *       refuse if free_pages ≤ min
 * </pre>
 * free_pages may go negative, as the kernel's comment says. The first comparison is unsigned in C
 * ({@code min + lowmem_reserve[]} is an unsigned long), so a negative free_pages passes it; the
 * loop's comparisons are signed and refuse it.
 * Note the reserve is only added at the first step, and that the loop wants, at every order, more
 * than half the previous order's requirement to sit in blocks of higher order: a zone whose free
 * memory is mostly order-0 fails high-order requests even with large blocks free (spec §4.6).
 */
public final class ZoneWatermarkOk2632 implements WatermarkCheck {
    public static final ZoneWatermarkOk2632 INSTANCE = new ZoneWatermarkOk2632();

    private ZoneWatermarkOk2632() {}

    /** {@code zone_watermark_ok()}, mm/page_alloc.c (2.6.32). */
    @Override
    public boolean zoneWatermarkOk(
            ZoneView z, int order, long mark, int classzoneIdx, int allocFlags, WatermarkVerdict v) {
        // free_pages my go negative - that's OK
        long min = mark;
        long free = z.freePages();
        long freePages = free - (1L << order) + 1;
        long reserve = z.lowmemReserve(classzoneIdx);
        if ((allocFlags & ALLOC_HIGH) != 0) {
            min -= min / 2;
        }
        if ((allocFlags & ALLOC_HARDER) != 0) {
            min -= min / 4;
        }
        if (v != null) {
            v.reset(order, mark, allocFlags, free, reserve);
            v.min = min;
        }
        // lowmem_reserve[] is unsigned long, so C compares this step unsigned: a negative
        // free_pages becomes huge and passes here, to be refused by the loop below.
        if (Long.compareUnsigned(freePages, min + reserve) <= 0) {
            return WatermarkVerdict.decide(v, WatermarkVerdict.RESERVE_STEP, freePages, min + reserve);
        }
        for (int o = 0; o < order; o++) {
            // At the next order, this order's pages become unavailable
            freePages -= (long) z.nrFree(o) << o;
            // Require fewer higher order pages to be free
            min >>= 1;
            if (freePages <= min) {
                return WatermarkVerdict.decide(v, o, freePages, min);
            }
        }
        return WatermarkVerdict.decide(v, WatermarkVerdict.PASSED, freePages, order == 0 ? min + reserve : min);
    }

}
