package dev.pagealloc.kernel.v6_1;

import static dev.pagealloc.mem.MemMapDescriptor.PS_BUDDY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.layout.PfnRange;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code move_freepages_block()}, mm/page_alloc.c:2680-2700 of Debian's 6.1.192 (linux-source-6.1
 * 6.1.192-3), at the zone edges:
 *
 * <pre>
 *	start_pfn = pageblock_start_pfn(pfn);
 *	end_pfn = pageblock_end_pfn(pfn) - 1;
 *	/* Do not cross zone boundaries *&#47;
 *	if (!zone_spans_pfn(zone, start_pfn))
 *		start_pfn = pfn;
 *	if (!zone_spans_pfn(zone, end_pfn))
 *		return 0;
 * </pre>
 */
class MoveFreepagesBlock61Test {
    static final int UNMOVABLE = MigrateType.MIGRATE_UNMOVABLE.ordinal();
    static final int MOVABLE = MigrateType.MIGRATE_MOVABLE.ordinal();
    static final int RECLAIMABLE = MigrateType.MIGRATE_RECLAIMABLE.ordinal();

    /**
     * x86's DMA zone starts at pfn 1, inside pageblock 0 (pfns 0-511). The booted machine of
     * {@link NoFragment61Test#x86_64()} has RAM at 1-0x9e and from 0x100, nothing reserved below
     * 0x1000: boot frees 0x100-0x1ff as one order-8 block (aligned at 0x100, its buddy 0x0-0xff is
     * not all RAM), and 1-0x9e (158 pages) as smaller blocks. Moving the block of pfn 0x100 walks
     * from 0x100 to 511, so exactly that order-8 block, 256 pages, changes lists: not 0 (the model
     * refused the whole pageblock, against 6.1.20's code as well) and not 414 (a walk clipped to the
     * zone's start, pfn 1).
     */
    @Test
    void aPageblockStartingBeforeTheZoneIsWalkedFromThePfn() {
        try (Machine m = Kernels.byName("6.1").boot(NoFragment61Test.x86_64())) {
            Zone dma = m.zone("DMA");
            assertEquals(1, dma.zoneStartPfn, "x86's DMA zone starts at pfn 1");
            int reclaimableBefore = freeOn(dma, RECLAIMABLE);
            int totalBefore = (int) dma.freePages();
            Rmqueue61 rmq = new Rmqueue61(m.allocator.context(), 0);

            long moved = rmq.moveFreepagesBlock(dma, 0x100, RECLAIMABLE);

            assertEquals(256, Rmqueue61.movedPages(moved));
            assertEquals(reclaimableBefore + 256, freeOn(dma, RECLAIMABLE), "the order-8 block went to Reclaimable");
            assertEquals(totalBefore, dma.freePages(), "moving changes lists, not the free count");
        }
    }

    /**
     * A pageblock that ends beyond the zone moves nothing (:2695-2696). With RAM ending at
     * 0x17ff00, Normal's last pageblock 0x17fe00-0x17ffff ends 256 pages past the zone; its first
     * 256 pages are free (boot frees them as one order-8 block) and stay on the Movable list.
     */
    @Test
    void aPageblockEndingAfterTheZoneMovesNothing() {
        MachineLayout full = NoFragment61Test.x86_64();
        MachineLayout cut = new MachineLayout("test-x86_64-5g-cut", full.arch(), full.cpus(),
                List.of(new PfnRange(1, 0x9f, "ram"), new PfnRange(0x100, 0xc0000, "ram"),
                        new PfnRange(0x100000, 0x17ff00, "ram")),
                full.reserved(), 0, 0, full.sectionBits());
        try (Machine m = Kernels.byName("6.1").boot(cut)) {
            Zone normal = m.zone("Normal");
            assertEquals(0x17ff00, normal.zoneEndPfn());
            assertEquals(PS_BUDDY, m.allocator.memMap().state(0x17fe00));
            assertEquals(8, m.allocator.memMap().order(0x17fe00));
            int movableBefore = freeOn(normal, MOVABLE);
            Rmqueue61 rmq = new Rmqueue61(m.allocator.context(), 0);

            assertEquals(0, Rmqueue61.movedPages(rmq.moveFreepagesBlock(normal, 0x17fe00, UNMOVABLE)));
            assertEquals(movableBefore, freeOn(normal, MOVABLE));
        }
    }

    /** Free pages on {@code migratetype}'s lists of every order. */
    static int freeOn(Zone z, int migratetype) {
        int pages = 0;
        for (int order = 0; order < Zone.MAX_ORDER; order++) {
            pages += z.listLen[Zone.slot(order, migratetype)] << order;
        }
        return pages;
    }
}
