package dev.pagealloc.kernel.v6_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.MigrateType;
import org.junit.jupiter.api.Test;

/**
 * The per-CPU THP lists of Debian's 6.1.192 (linux-source-6.1 6.1.192-3): {@code NR_PCP_THP} is 2
 * (include/linux/mmzone.h:560), one list for Movable pageblock-order blocks and one for the others
 * ({@code order_to_pindex()}, mm/page_alloc.c:739-744). 6.1.20 had one list for all.
 */
class ThpPcpLists61Test {

    /**
     * An order-9 (pageblock order on x86_64) GFP_KERNEL request refills its per-CPU list with
     * {@code rmqueue_bulk()}, which for a high order takes {@code max(batch >> order, 2)} = 2 blocks
     * (nr_pcp_alloc, mm/page_alloc.c [61.192]): both are Unmovable pageblocks it claimed by stealing,
     * and one is left on the list. The next order-9 request, Movable, looks at the Movable THP list,
     * which is empty, and refills it from the Movable free lists: its block is a Movable pageblock.
     * With one shared THP list it would get the Unmovable block left there.
     */
    @Test
    void movableThpRequestsDoNotTakeUnmovableBlocksFromThePcpList() {
        try (Machine m = Kernels.byName("6.1").boot(NoFragment61Test.x86_64())) {
            GfpBits g = m.kernel.gfp();
            int comp = g.bit("__GFP_COMP");
            long unmovable = m.allocator.allocPages(g.mask("GFP_KERNEL") | comp, 9, 0);
            assertTrue(unmovable >= 0);
            assertEquals(MigrateType.MIGRATE_UNMOVABLE.ordinal(), m.allocator.memMap().pageblockMigratetype(unmovable));
            assertEquals(512, m.zones[m.allocator.memMap().zoneIdx((int) unmovable)].pcp[0].count,
                    "the second Unmovable block waits on the per-CPU list");

            long movable = m.allocator.allocPages(g.mask("GFP_HIGHUSER_MOVABLE") | comp, 9, 0);

            assertTrue(movable >= 0);
            assertEquals(MigrateType.MIGRATE_MOVABLE.ordinal(), m.allocator.memMap().pageblockMigratetype(movable));
        }
    }
}
