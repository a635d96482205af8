package dev.pagealloc.compaction;

import dev.pagealloc.mmzone.Zone;

/**
 * The kernel's {@code find_suitable_fallback(..., only_stealable=true, ...) != -1}, which
 * {@code __compact_finished()} asks: whether {@code free_area[order]} of {@code zone} has a block on
 * a fallback list of {@code migratetype} that an allocation could steal. The fallback order and
 * {@code can_steal_fallback()} belong to the kernel version, so its package supplies the answer
 * (for 6.1, {@code Rmqueue61}).
 */
@FunctionalInterface
public interface StealableFallback {
    /** Whether a fallback block of this order could be stolen for {@code migratetype} (free-list slot). */
    boolean hasStealableFallback(Zone zone, int order, int migratetype);
}
