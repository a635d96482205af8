package dev.pagealloc.pcp;

/**
 * How big a zone's per-CPU pagesets are, one home for each formula: {@code zone_batchsize()} and
 * {@code zone_highsize()} (mm/page_alloc.c) and the per-CPU vmstat threshold
 * ({@code calculate_threshold()} / {@code calculate_normal_threshold()}, mm/vmstat.c).
 *
 * <pre>
 *   batch = rounddown_pow_of_two(b + b/2) − 1,  b = max(1, min(size/1024, cap/PAGE_SIZE) / 4)
 *           cap 512 KiB (≤ 5.13, size = present ≤ 3.9) or 1 MiB (5.14+, size = managed)
 *   high  = 6 × batch (≤ 5.13);  max(low watermark / CPUs, 4 × batch) (5.14+)
 *   stat_threshold = min(125, 2 × fls(CPUs) × (1 + fls(size >> 15)))     (128 MiB units)
 * </pre>
 */
public final class PcpSizing {
    private PcpSizing() {}

    /** The cap on one batch up to 5.13: 512 KiB. */
    public static final long BATCH_CAP_512K = 512 * 1024;
    /** The cap from 5.14 ("mm/page_alloc: scale the number of pages that are batch freed"): 1 MiB. */
    public static final long BATCH_CAP_1M = 1024 * 1024;

    /**
     * {@code zone_batchsize()} of a zone of {@code size} pages of {@code pageSize} bytes with the
     * era's cap on one batch.
     */
    public static int zoneBatchsize(long size, long pageSize, long capBytes) {
        long batch = size / 1024;
        if (batch * pageSize > capBytes) {
            batch = capBytes / pageSize;
        }
        batch /= 4; // We effectively *= 4 below
        if (batch < 1) {
            batch = 1;
        }
        batch = Long.highestOneBit(batch + batch / 2) - 1;
        return (int) batch;
    }

    /** {@code setup_pageset()} (≤ 5.13): high = 6 × batch. */
    public static int staticHigh(int batch) {
        return 6 * batch;
    }

    /**
     * {@code zone_highsize()}, mm/page_alloc.c (5.14 … 6.6, no percpu_pagelist_high_fraction): the
     * low watermark split over the CPUs, at least 4 × batch.
     */
    public static int zoneHighsize(long lowWmark, int batch, int cpus) {
        long high = lowWmark / cpus;
        return (int) Math.max(high, (long) batch << 2);
    }

    /**
     * {@code calculate_threshold()} (2.6.32, on present pages) / {@code calculate_normal_threshold()}
     * (3.x+, on managed pages), mm/vmstat.c: the per-CPU vmstat drift allowed.
     */
    public static int statThreshold(long size, int onlineCpus) {
        long mem = size >> (27 - 12);
        int threshold = 2 * fls(onlineCpus) * (1 + fls(mem));
        return Math.min(threshold, 125);
    }

    /** {@code fls()}: the 1-based index of the highest set bit, 0 for 0. */
    public static int fls(long x) {
        return 64 - Long.numberOfLeadingZeros(x);
    }
}
