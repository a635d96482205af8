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

/** {@code __alloc_pages_slowpath()}, Debian's 6.1.192 (linux-source-6.1 6.1.192-3). */
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
        List<Integer> priorities = compactionPrioritiesOfAFailingOrder2("GFP_KERNEL");
        assertEquals(List.of(Compactor.COMPACT_PRIO_ASYNC, Compactor.COMPACT_PRIO_SYNC_LIGHT), priorities);
    }

    /**
     * {@code should_reclaim_retry()}, mm/page_alloc.c [61.192], ends in {@code out: if (!ret) return
     * unreserve_highatomic_pageblock(ac, true);}: as soon as no zone is worth retrying for, not
     * only after MAX_RECLAIM_RETRIES loops without progress (6.1.20), a HighAtomic pageblock goes to
     * the request's type. Normal's only free pages are four order-3 blocks on the HighAtomic list
     * (below every watermark), the other zones have none, no reclaim model: the GFP_KERNEL request
     * fails, and on its way the first unreserve moves HighAtomic blocks to the Unmovable lists.
     */
    @Test
    void aHopelessRetryGivesUpAHighatomicPageblock() {
        try (Machine m = Kernels.byName("6.1").boot(NoFragment61Test.x86_64())) {
            Zone normal = m.zone("Normal");
            int[] none = new int[Zone.MAX_ORDER];
            for (Zone z : m.populatedZones()) {
                if (z != normal) {
                    FreeListLoader.load(m.allocator, z, none, MigrateType.MIGRATE_MOVABLE.ordinal());
                }
            }
            AllocReserves61Test.loadOrder3Blocks(m, normal, 4, "H");
            int h = Zone.slot(3, MigrateType.MIGRATE_HIGHATOMIC.ordinal());
            int u = Zone.slot(3, MigrateType.MIGRATE_UNMOVABLE.ordinal());
            assertEquals(4, normal.listLen[h]);
            assertEquals(0, normal.listLen[u]);

            long pfn = m.allocator.allocPages(m.kernel.gfp().mask("GFP_KERNEL"), 0, 0);

            assertTrue(pfn < 0, "32 free pages are below Normal's min watermark");
            assertTrue(normal.listLen[h] < 4, "a HighAtomic pageblock was given up");
            assertEquals(4, normal.listLen[h] + normal.listLen[u], "its blocks went to the Unmovable lists");
        }
    }

    /**
     * {@code can_compact = gfp_compaction_allowed(gfp_mask)} (mm/page_alloc.c:5101, include/linux/gfp.h:348
     * of 6.1.192: CONFIG_COMPACTION and __GFP_IO): a GFP_NOIO order-2 request gets no compaction
     * before reclaim (:5181); in the loop {@code __alloc_pages_direct_compact()} is still called
     * (:5287, and {@code try_to_compact_pages()} itself returns COMPACT_SKIPPED for it). The model
     * compacted it first as it does GFP_KERNEL.
     */
    @Test
    void noIoRequestsAreNotCompactedBeforeReclaim() {
        List<Integer> priorities = compactionPrioritiesOfAFailingOrder2("GFP_NOIO");
        // without __GFP_FS the OOM step claims progress and the request loops (the kernel for ever,
        // the model for its MAX_SLOWPATH_ROUNDS); every round compacts at sync light
        assertEquals(PageAlloc61.MAX_SLOWPATH_ROUNDS, priorities.size());
        assertEquals(List.of(Compactor.COMPACT_PRIO_SYNC_LIGHT), priorities.stream().distinct().toList());
    }

    /**
     * The priorities a recording compactor (always COMPACT_SKIPPED) is asked for while an order-2
     * request with {@code mask} fails on the 5 GiB machine with no free page in any zone and no
     * reclaim model.
     */
    static List<Integer> compactionPrioritiesOfAFailingOrder2(String mask) {
        try (Machine m = Kernels.byName("6.1").boot(NoFragment61Test.x86_64())) {
            for (Zone z : m.populatedZones()) {
                FreeListLoader.load(m.allocator, z, new int[Zone.MAX_ORDER], MigrateType.MIGRATE_MOVABLE.ordinal());
            }
            List<Integer> priorities = new ArrayList<>();
            m.allocator.setCompactor((gfpMask, order, highZoneIdx, allocFlags, prio) -> {
                priorities.add(prio);
                return Compactor.COMPACT_SKIPPED;
            });
            assertTrue(m.allocator.allocPages(m.kernel.gfp().mask(mask), 2, 0) < 0, "nothing is free");
            return priorities;
        }
    }
}
