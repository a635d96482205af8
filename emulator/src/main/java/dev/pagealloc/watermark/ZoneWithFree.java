package dev.pagealloc.watermark;

/**
 * A zone as {@code __zone_watermark_ok()} sees it when the caller passes its own
 * {@code free_pages}: {@code should_reclaim_retry()} asks with free + reclaimable pages,
 * {@code compaction_suitable()} with its watermark target. Everything else is the zone's.
 */
public record ZoneWithFree(ZoneView z, long free) implements ZoneView {
    @Override
    public long freePages() {
        return free;
    }

    @Override
    public int nrFree(int order) {
        return z.nrFree(order);
    }

    @Override
    public long lowmemReserve(int classzoneIdx) {
        return z.lowmemReserve(classzoneIdx);
    }

    @Override
    public boolean hasFreeList(int order, char type) {
        return z.hasFreeList(order, type);
    }

    @Override
    public long reservedHighatomic() {
        return z.reservedHighatomic();
    }

    @Override
    public long freeCma() {
        return z.freeCma();
    }
}
