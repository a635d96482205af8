package dev.pagealloc.watermark;

import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;

/**
 * The formulas that size a zone's reserves, one home each: {@code min_free_kbytes}, the min/low/high
 * watermarks, {@code lowmem_reserve[]}, {@code totalreserve_pages} and khugepaged's recommended
 * {@code min_free_kbytes} (mm/page_alloc.c, mm/khugepaged.c). A kernel's boot and its /proc/sys/vm
 * handlers call them with that kernel's sizes and rules; {@code explain} calls them with the sizes
 * a real report printed and the rules of the report's release.
 *
 * <h2>Notation</h2>
 * {@code size} = the pages a zone is sized by: present pages up to 3.9, managed pages from 3.10;
 * {@code lowmem} = Σ size over the zones that are not HighMem; {@code pages_min} =
 * {@code min_free_kbytes} in pages; {@code tmp} = a lowmem zone's share of it.
 * <pre>
 *   min_free_kbytes = clamp(int_sqrt(lowmem_kbytes × 16), 128, max)      max 65536 (≤ 5.6), 262144
 *   tmp  = pages_min × size / lowmem
 *   min  = tmp; HighMem: clamp(size / 1024, SWAP_CLUSTER_MAX, 128)
 *   ≤ 4.5:  low = min + tmp/4,      high = min + tmp/2
 *   4.6+:   gap = max(tmp/4, size × watermark_scale_factor / 10000);  low = min + gap, high = low + gap
 *   lowmem_reserve[j] of zone i < j = Σ size of zones i+1 … j / ratio[i]   (see {@link LowmemReserveRule})
 *   totalreserve = Σ over zones of min(size, max_j lowmem_reserve[j] + high)
 * </pre>
 *
 * <h2>Invariants</h2>
 * min ≤ low ≤ high; a lowmem zone's min is at most pages_min; lowmem_reserve[j] grows with j and
 * lowmem_reserve[i] of zone i is 0.
 */
public final class Watermarks {
    private Watermarks() {}

    /** {@code min_free_kbytes}' lower clamp ({@code init_per_zone_wmark_min()}, every release). */
    public static final int MIN_FREE_KBYTES_MIN = 128;

    /** {@code int_sqrt()}, lib/int_sqrt.c: the floor of the square root. */
    public static long intSqrt(long x) {
        long r = (long) Math.sqrt((double) x);
        while (r * r > x) {
            r--;
        }
        while ((r + 1) * (r + 1) <= x) {
            r++;
        }
        return r;
    }

    /** {@code watermark_scale_factor}'s default (4.6+): the low and high gaps are 0.1 % of the zone. */
    public static final int WATERMARK_SCALE_FACTOR_DEFAULT = 10;
    /** {@code watermark_boost_factor}'s default (5.0+): a boost of up to 150 % of the high watermark. */
    public static final int WATERMARK_BOOST_FACTOR_DEFAULT = 15000;

    /** The upper clamp of min_free_kbytes up to 5.6 ({@code init_per_zone_wmark_min()}). */
    public static final int MIN_FREE_KBYTES_MAX_TO_5_6 = 65536;
    /** The upper clamp of min_free_kbytes from 5.7 ({@code calculate_min_free_kbytes()}). */
    public static final int MIN_FREE_KBYTES_MAX_FROM_5_7 = 262144;

    /**
     * {@code init_per_zone_wmark_min()} (≤ 5.6) / {@code calculate_min_free_kbytes()} (5.7+),
     * mm/page_alloc.c: {@code clamp(int_sqrt(lowmem_kbytes × 16), 128, max)}.
     *
     * @param lowmemKbytes {@code nr_free_buffer_pages()} in kB
     * @param max {@link #MIN_FREE_KBYTES_MAX_TO_5_6} or {@link #MIN_FREE_KBYTES_MAX_FROM_5_7}
     */
    public static int minFreeKbytes(long lowmemKbytes, int max) {
        long v = intSqrt(lowmemKbytes * 16);
        return (int) Math.max(MIN_FREE_KBYTES_MIN, Math.min(max, v));
    }

    /** {@code tmp} of {@code setup_per_zone_wmarks()}: a zone's share of {@code pages_min}. */
    public static long zoneShare(long pagesMin, long size, long lowmemPages) {
        return lowmemPages == 0 ? 0 : pagesMin * size / lowmemPages;
    }

    /** HighMem's min watermark: {@code clamp(size / 1024, SWAP_CLUSTER_MAX, 128)}. */
    public static long highmemMin(long size) {
        return Math.max(Zone.SWAP_CLUSTER_MAX, Math.min(128, size / 1024));
    }

    /** {@code mult_frac(x, numer, denom)}, include/linux/math.h: x × numer / denom without overflow. */
    public static long multFrac(long x, long numer, long denom) {
        return (x / denom) * numer + (x % denom) * numer / denom;
    }

    /**
     * The watermarks of {@code setup_per_zone_wmarks()}, mm/page_alloc.c, 2.6.x … 4.5: low and high
     * a quarter and a half of the zone's share above min.
     */
    public static long[] quarterHalfGaps(long min, long tmp) {
        return new long[] {min, min + (tmp >> 2), min + (tmp >> 1)};
    }

    /**
     * The watermarks of {@code __setup_per_zone_wmarks()}, mm/page_alloc.c, 4.6+: the gaps
     * min→low→high are {@code max(tmp/4, size × watermark_scale_factor / 10000)}.
     */
    public static long[] scaleFactorGaps(long min, long tmp, long size, int watermarkScaleFactor) {
        long gap = Math.max(tmp >> 2, multFrac(size, watermarkScaleFactor, 10000));
        return new long[] {min, min + gap, min + 2 * gap};
    }

    /** How a release computes {@code lowmem_reserve[]} ({@code setup_per_zone_lowmem_reserve()}). */
    public enum LowmemReserveRule {
        /** ≤ 4.17: a ratio below 1 is raised to 1 (written back to the sysctl). */
        RATIO_AT_LEAST_ONE,
        /** 4.18 … 5.14: a ratio of 0 reserves nothing (HighMem and Movable's designated 0). */
        ZERO_RATIO_RESERVES_NOTHING,
        /** 5.15+: also a lower zone without managed pages reserves nothing. */
        EMPTY_ZONE_RESERVES_NOTHING
    }

    /**
     * {@code setup_per_zone_lowmem_reserve()}, mm/page_alloc.c: {@code lowmem_reserve[j]} of each
     * zone {@code i < j} = Σ size of zones i+1 … j / ratio[i], into {@code reserve[i][j]};
     * {@code reserve[i][i]} = 0.
     *
     * @param sizes the zones' sizes by index
     * @param ratio {@code sysctl_lowmem_reserve_ratio[]} by lower zone (under
     *     {@link LowmemReserveRule#RATIO_AT_LEAST_ONE} a ratio below 1 is raised in place, as the
     *     kernel writes it back); missing entries count as 0
     */
    public static void lowmemReserve(long[] sizes, int[] ratio, LowmemReserveRule rule, long[][] reserve) {
        int n = sizes.length;
        for (int i = 0; i < n; i++) {
            reserve[i][i] = 0;
            int r = i < ratio.length ? ratio[i] : 0;
            if (rule == LowmemReserveRule.RATIO_AT_LEAST_ONE && r < 1 && i < ratio.length) {
                ratio[i] = r = 1;
            }
            boolean clear = r < 1 || (rule == LowmemReserveRule.EMPTY_ZONE_RESERVES_NOTHING && sizes[i] == 0);
            long sum = 0;
            for (int j = i + 1; j < n; j++) {
                sum += sizes[j];
                reserve[i][j] = clear ? 0 : sum / r;
            }
        }
    }

    /** {@link #lowmemReserve} into each zone's own {@code lowmem_reserve[]}, as a boot or the sysctl sets it. */
    public static void setupPerZoneLowmemReserve(Zone[] zones, long[] sizes, int[] ratio, LowmemReserveRule rule) {
        long[][] reserve = new long[zones.length][];
        for (Zone z : zones) {
            reserve[z.idx] = z.lowmemReserve;
        }
        lowmemReserve(sizes, ratio, rule, reserve);
    }

    /**
     * {@code calculate_totalreserve_pages()}, mm/page_alloc.c: Σ over zones of min(size, the largest
     * lowmem_reserve + the high watermark).
     */
    public static long totalreservePages(Zone[] zones, long[] sizes) {
        long reserve = 0;
        for (Zone z : zones) {
            long max = 0;
            for (int j = z.idx; j < zones.length; j++) {
                max = Math.max(max, z.lowmemReserve[j]);
            }
            max += z.highWmark();
            reserve += Math.min(max, sizes[z.idx]);
        }
        return reserve;
    }

    /**
     * {@code set_recommended_min_free_kbytes()}, mm/khugepaged.c (4.x … 6.x): two free pageblocks
     * per zone up to Normal plus MIGRATE_PCPTYPES² for fallbacks (11 pageblocks a zone), at most 5%
     * of {@code nr_free_buffer_pages()}, in kB.
     */
    public static long recommendedMinFreeKbytes(long nrZones, int pageblockOrder, long nrFreeBufferPages) {
        return recommendedMinFreePages(nrZones, pageblockOrder, nrFreeBufferPages) << (12 - 10);
    }

    /** {@link #recommendedMinFreeKbytes} in pages, before the conversion to kB. */
    public static long recommendedMinFreePages(long nrZones, int pageblockOrder, long nrFreeBufferPages) {
        long pageblockNr = 1L << pageblockOrder;
        long recommended = pageblockNr * nrZones * 2;
        recommended += pageblockNr * nrZones * MigrateType.MIGRATE_PCPTYPES * MigrateType.MIGRATE_PCPTYPES;
        return Math.min(recommended, nrFreeBufferPages / 20);
    }
}
