package dev.pagealloc.vmstat;

import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.watermark.ZoneView;

/**
 * The fragmentation indices of mm/vmstat.c over a zone's free blocks per order (a live zone or one
 * rebuilt from a report), in thousandths as the kernel keeps them.
 * <pre>
 *   free_pages = Σ nr_free[o] × 2^o;  blocks = Σ nr_free[o];  suitable = Σ_{o ≥ order} nr_free[o] × 2^(o−order)
 *   fragmentation_index   = 0 (nothing free); −1000 (a suitable block exists);
 *                           else 1000 − (1000 + free_pages × 1000 / 2^order) / blocks
 *   unusable_free_index   = 1000 (nothing free); else (free_pages − suitable × 2^order) × 1000 / free_pages
 * </pre>
 * Towards 0 a failure is lack of memory, towards 1000 fragmentation.
 */
public final class FragmentationIndex {
    private FragmentationIndex() {}

    /** {@code fragmentation_index()} → {@code __fragmentation_index()}, mm/vmstat.c:1087. */
    public static int fragmentationIndex(ZoneView zone, int order) {
        long blocksTotal = 0;
        long freePages = 0;
        long suitable = 0;
        for (int o = 0; o < Zone.MAX_ORDER; o++) {
            long blocks = zone.nrFree(o);
            blocksTotal += blocks;
            freePages += blocks << o;
            if (o >= order) {
                suitable += blocks << (o - order);
            }
        }
        if (blocksTotal == 0) {
            return 0;
        }
        if (suitable != 0) {
            return -1000;
        }
        long requested = 1L << order;
        return (int) (1000 - (1000 + freePages * 1000 / requested) / blocksTotal);
    }

    /** {@code unusable_free_index()}, mm/vmstat.c:2125 (/sys/kernel/debug/extfrag/unusable_index). */
    public static int unusableFreeIndex(ZoneView zone, int order) {
        long freePages = 0;
        long suitable = 0;
        for (int o = 0; o < Zone.MAX_ORDER; o++) {
            long blocks = zone.nrFree(o);
            freePages += blocks << o;
            if (o >= order) {
                suitable += blocks << (o - order);
            }
        }
        if (freePages == 0) {
            return 1000;
        }
        return (int) ((freePages - (suitable << order)) * 1000 / freePages);
    }
}
