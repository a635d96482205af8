package dev.pagealloc.watermark;

/**
 * What one watermark check saw and where it stopped: the explanation of a refusal. Filled only
 * when a caller asks (failure reports, {@code explain}); the hot path passes {@code null}.
 *
 * <p>{@code failedAtOrder} is {@link #RESERVE_STEP} when the first test (free against
 * min + lowmem_reserve) refused, an order {@code o} when the per-order loop refused after removing
 * the blocks of order {@code o}, and {@link #PASSED} when the zone was accepted.
 */
public final class WatermarkVerdict {
    public static final int RESERVE_STEP = -1;
    public static final int PASSED = Integer.MAX_VALUE;

    public int order;
    public long mark;
    public int allocFlags;
    /** NR_FREE_PAGES as read. */
    public long free;
    /** The mark after the ALLOC_HIGH / ALLOC_HARDER reductions. */
    public long min;
    public long lowmemReserve;
    public int failedAtOrder = PASSED;
    /** free_pages and min at the step that decided (for PASSED: the last step). */
    public long freeAtStep;

    public long minAtStep;

    public boolean passed() {
        return failedAtOrder == PASSED;
    }

    /** How far free_pages was above (positive) or at/below (≤ 0) what the deciding step required. */
    public long margin() {
        return freeAtStep - minAtStep;
    }

    /**
     * Records the deciding step (a step code, or {@link #PASSED}) into {@code v} when a caller
     * asked for the steps, and returns whether the zone was accepted.
     */
    static boolean decide(WatermarkVerdict v, int step, long freePages, long required) {
        if (v != null) {
            v.failedAtOrder = step;
            v.freeAtStep = freePages;
            v.minAtStep = required;
        }
        return step == PASSED;
    }

    void reset(int order, long mark, int allocFlags, long free, long reserve) {
        this.order = order;
        this.mark = mark;
        this.allocFlags = allocFlags;
        this.free = free;
        this.lowmemReserve = reserve;
        this.failedAtOrder = PASSED;
    }
}
