package dev.pagealloc.kernel.v6_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.Compactor;
import dev.pagealloc.alloc.FreeListLoader;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code __alloc_pages_slowpath()} and direct compaction, Debian's 6.1.192 (linux-source-6.1 6.1.192-3). */
class SlowpathCompaction61Test {

    /**
     * mm/page_alloc.c [61.192]: the first direct compaction, before any reclaim, runs at
     * INIT_COMPACT_PRIORITY (async, :5187); {@code restart:} sets {@code compact_priority =
     * DEF_COMPACT_PRIORITY} (:5126), sync light (include/linux/compaction.h:14), for the compaction
     * after direct reclaim in the loop. A GFP_KERNEL order-2 request (unmovable, so compacted first)
     * on a machine with no free page anywhere and no reclaim model: the compactor is asked twice,
     * async then sync light, before the request fails at the OOM step. (The model's loop started
     * async.)
     */
    @Test
    void theLoopCompactsAtSyncLightAfterAnAsyncFirstAttempt() {
        try (Machine m = Kernels.byName("6.1").boot(NoFragment61Test.x86_64())) {
            for (Zone z : m.populatedZones()) {
                FreeListLoader.load(m.allocator, z, new int[Zone.MAX_ORDER], MigrateType.MIGRATE_MOVABLE.ordinal());
            }
            List<Integer> priorities = new ArrayList<>();
            m.allocator.setCompactor((gfpMask, order, highZoneIdx, allocFlags, prio) -> {
                priorities.add(prio);
                return Compactor.COMPACT_SKIPPED;
            });

            long pfn = m.allocator.allocPages(m.kernel.gfp().mask("GFP_KERNEL"), 2, 0);

            assertTrue(pfn < 0, "nothing is free");
            assertEquals(List.of(Compactor.COMPACT_PRIO_ASYNC, Compactor.COMPACT_PRIO_SYNC_LIGHT), priorities);
        }
    }
}
