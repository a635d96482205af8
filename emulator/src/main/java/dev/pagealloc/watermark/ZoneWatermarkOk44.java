package dev.pagealloc.watermark;

import static dev.pagealloc.gfp.AllocFlags.ALLOC_CMA;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_HARDER;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_HIGH;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_HIGHATOMIC;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_MIN_RESERVE;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NON_BLOCK;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_OOM;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_RESERVES;
import static dev.pagealloc.mmzone.Zone.MAX_ORDER;

/**
 * {@code __zone_watermark_ok()}, mm/page_alloc.c, 4.4 and later: order-0 pages against the mark,
 * then any free block big enough on a list the request may use.
 *
 * <h2>Notation</h2>
 * {@code free} = NR_FREE_PAGES; {@code mark} = the watermark asked for (with boost, 5.0+, already
 * added by the caller); {@code reserve} = {@code lowmem_reserve[classzone_idx]}; {@code highatomic}
 * = {@code nr_reserved_highatomic}, pageblocks kept for high-order atomic requests.
 *
 * <h2>The rule</h2>
 * <pre>
 *   free_pages = free − (2^order − 1);  min = mark
 *   4.4 … 6.3:  if ALLOC_HIGH: min −= min/2
 *               harder = ALLOC_HARDER (| ALLOC_OOM from 4.13)
 *               if !harder: free_pages −= highatomic
 *               else if ALLOC_OOM: min −= min/2  else: min −= min/4
 *   6.4+:       if no reserve flag (NON_BLOCK, MIN_RESERVE, HIGHATOMIC, OOM): free_pages −= highatomic
 *               if MIN_RESERVE: min −= min/2, and if also NON_BLOCK: min −= min/4
 *               if OOM: min −= min/2
 *   unless ALLOC_CMA: free_pages −= free CMA pages
 *   refuse if free_pages ≤ min + reserve           (signed: lowmem_reserve is long here)
 *   order 0: accept
 *   for o in order … MAX_ORDER−1: accept if free_area[o] has a block on an Unmovable, Movable or
 *       Reclaimable list (CMA with ALLOC_CMA; HighAtomic when harder / HIGHATOMIC|OOM)
 *   refuse
 * </pre>
 * Unlike 2.6.32's per-order halving, a high-order request passes as soon as the order-0 test
 * passes and one suitable block exists (spec §4.2).
 */
public final class ZoneWatermarkOk44 implements WatermarkCheck {
    /** Which version of the flag handling. */
    public enum Variant {
        /** 4.4 … 4.12: only ALLOC_HARDER is "harder". */
        V4_4,
        /** 4.13 … 6.3: ALLOC_OOM counts as harder and halves min. */
        V4_13,
        /** 6.4+ and Debian's 6.1.192 (backported): ALLOC_NON_BLOCK / ALLOC_MIN_RESERVE / ALLOC_HIGHATOMIC. */
        V6_4
    }

    /** Step code in {@link WatermarkVerdict#failedAtOrder}: no suitable block of the order or above. */
    public static final int NO_SUITABLE_BLOCK = -2;

    private final Variant variant;

    public ZoneWatermarkOk44(Variant variant) {
        this.variant = variant;
    }

    public Variant variant() {
        return variant;
    }

    /** {@code __zone_watermark_ok()}, mm/page_alloc.c (4.4+). */
    @Override
    public boolean zoneWatermarkOk(ZoneView z, int order, long mark, int classzoneIdx, int allocFlags,
            WatermarkVerdict v) {
        long min = mark;
        long free = z.freePages();
        long freePages = free - ((1L << order) - 1);
        boolean harder;
        if (variant == Variant.V6_4) {
            harder = (allocFlags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) != 0;
            if ((allocFlags & ALLOC_RESERVES) == 0) {
                freePages -= z.reservedHighatomic();
            } else {
                if ((allocFlags & ALLOC_MIN_RESERVE) != 0) {
                    min -= min / 2;
                    if ((allocFlags & ALLOC_NON_BLOCK) != 0) {
                        min -= min / 4;
                    }
                }
                if ((allocFlags & ALLOC_OOM) != 0) {
                    min -= min / 2;
                }
            }
        } else {
            int harderMask = variant == Variant.V4_4 ? ALLOC_HARDER : ALLOC_HARDER | ALLOC_OOM;
            harder = (allocFlags & harderMask) != 0;
            if ((allocFlags & ALLOC_HIGH) != 0) {
                min -= min / 2;
            }
            if (!harder) {
                freePages -= z.reservedHighatomic();
            } else if ((allocFlags & ALLOC_OOM) != 0) {
                min -= min / 2;
            } else {
                min -= min / 4;
            }
        }
        if ((allocFlags & ALLOC_CMA) == 0) {
            freePages -= z.freeCma();
        }
        long reserve = z.lowmemReserve(classzoneIdx);
        if (v != null) {
            v.reset(order, mark, allocFlags, free, reserve);
            v.min = min;
        }
        if (freePages <= min + reserve) {
            return WatermarkVerdict.decide(v, WatermarkVerdict.RESERVE_STEP, freePages, min + reserve);
        }
        if (order == 0) {
            return WatermarkVerdict.decide(v, WatermarkVerdict.PASSED, freePages, min + reserve);
        }
        for (int o = order; o < MAX_ORDER; o++) {
            if (z.nrFree(o) == 0) {
                continue;
            }
            if (z.hasFreeList(o, 'U') || z.hasFreeList(o, 'M') || z.hasFreeList(o, 'E')) {
                return WatermarkVerdict.decide(v, WatermarkVerdict.PASSED, freePages, min + reserve);
            }
            if ((allocFlags & ALLOC_CMA) != 0 && z.hasFreeList(o, 'C')) {
                return WatermarkVerdict.decide(v, WatermarkVerdict.PASSED, freePages, min + reserve);
            }
            if (harder && z.hasFreeList(o, 'H')) {
                return WatermarkVerdict.decide(v, WatermarkVerdict.PASSED, freePages, min + reserve);
            }
        }
        return WatermarkVerdict.decide(v, NO_SUITABLE_BLOCK, freePages, min + reserve);
    }


}
