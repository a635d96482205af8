package dev.pagealloc.kernel.v6_1;

import static dev.pagealloc.gfp.AllocFlags.ALLOC_HIGHATOMIC;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_MIN_RESERVE;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NON_BLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reserve rules of Debian's 6.1.192 (linux-source-6.1 6.1.192-3), which 6.1.y took over from
 * 6.4: ALLOC_NON_BLOCK, ALLOC_MIN_RESERVE and ALLOC_HIGHATOMIC in place of 6.1.20's ALLOC_HARDER
 * and ALLOC_HIGH (mm/internal.h:780-798).
 */
class AllocReserves61Test {
    static final int MOVABLE = MigrateType.MIGRATE_MOVABLE.ordinal();
    static final int UNMOVABLE = MigrateType.MIGRATE_UNMOVABLE.ordinal();
    static final int HIGHATOMIC = MigrateType.MIGRATE_HIGHATOMIC.ordinal();

    /**
     * {@code gfp_to_alloc_flags()}, mm/page_alloc.c:4891-4937, by hand with 6.1's GFP bits
     * (__GFP_HIGH 0x20 = ALLOC_MIN_RESERVE, __GFP_KSWAPD_RECLAIM 0x800 = ALLOC_KSWAPD, copied as
     * they are at :4905; GFP_ATOMIC = __GFP_HIGH|__GFP_ATOMIC|__GFP_KSWAPD_RECLAIM; GFP_NOWAIT =
     * __GFP_KSWAPD_RECLAIM; GFP_KERNEL has __GFP_DIRECT_RECLAIM). Start: WMARK_MIN 0 | CPUSET 0x40.
     * <ul>
     * <li>GFP_ATOMIC order 0: +MIN_RESERVE +KSWAPD, no direct reclaim → +NON_BLOCK 0x10, MIN_RESERVE
     * → −CPUSET: 0x830. Order 3: also +HIGHATOMIC 0x200 (:4920): 0xa30.
     * <li>GFP_NOWAIT order 3: +KSWAPD +NON_BLOCK, but no MIN_RESERVE, so neither HIGHATOMIC nor
     * −CPUSET: 0x850.
     * <li>GFP_ATOMIC|__GFP_NOMEMALLOC order 3: no NON_BLOCK and so no HIGHATOMIC (:4917), −CPUSET
     * still (:4929): 0x820.
     * <li>GFP_KERNEL order 0: +KSWAPD only: 0x840.
     * </ul>
     */
    @ParameterizedTest
    @CsvSource({
        "GFP_ATOMIC, 0, 0x830",
        "GFP_ATOMIC, 3, 0xa30",
        "GFP_NOWAIT, 3, 0x850",
        "GFP_ATOMIC|__GFP_NOMEMALLOC, 3, 0x820",
        "GFP_KERNEL, 0, 0x840"
    })
    void gfpToAllocFlags(String mask, int order, String expected) {
        try (Machine m = Kernels.byName("6.1").boot(NoFragment61Test.x86_64())) {
            GfpBits g = m.kernel.gfp();
            int gfp = 0;
            for (String name : mask.split("\\|")) {
                gfp |= g.mask(name);
            }
            int flags = ((PageAlloc61) m.allocator).gfpToAllocFlags(gfp, order);
            assertEquals(Integer.decode(expected), flags, mask + " order " + order);
        }
    }

    /**
     * {@code rmqueue_buddy()}, mm/page_alloc.c:3761: only ALLOC_HIGHATOMIC takes the HighAtomic
     * list first. Normal is loaded with order-3 blocks on the Movable list and one on HighAtomic
     * (FreeListLoader61, letters "MH"); {@code __rmqueue_smallest()} takes a list's first block.
     * A non-blocking request without MIN_RESERVE (GFP_NOWAIT) gets the Movable head; with
     * HIGHATOMIC (GFP_ATOMIC) the HighAtomic head. (6.1.20's test was ALLOC_HARDER, the value of
     * ALLOC_NON_BLOCK, with order &gt; 0: the first request took HighAtomic too.)
     */
    @Test
    void onlyHighatomicRequestsTakeTheReserveFirst() {
        try (Machine m = Kernels.byName("6.1").boot(NoFragment61Test.x86_64())) {
            Zone normal = m.zone("Normal");
            loadOrder3Blocks(m, normal, 10, "MH");
            Rmqueue61 rmq = new Rmqueue61(m.allocator.context(), 0);
            int movableHead = normal.freeHead[Zone.slot(3, MOVABLE)];
            int highatomicHead = normal.freeHead[Zone.slot(3, HIGHATOMIC)];

            assertEquals(movableHead, rmq.rmqueueBuddy(normal, 3, MOVABLE, ALLOC_NON_BLOCK));
            assertEquals(highatomicHead,
                    rmq.rmqueueBuddy(normal, 3, MOVABLE, ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC));
        }
    }

    /**
     * {@code rmqueue_buddy()}, mm/page_alloc.c:3764-3773: when {@code __rmqueue()} finds nothing, an
     * OOM victim or a non-blocking request of any order takes a HighAtomic block ("failing now is
     * worse than failing a high-order atomic allocation in the future"); a blocking one gets
     * nothing. Normal's only free blocks are on the HighAtomic list, which {@code __rmqueue()}'s
     * fallbacks never steal from.
     */
    @Test
    void nonBlockingRequestsFallBackToTheReserve() {
        try (Machine m = Kernels.byName("6.1").boot(NoFragment61Test.x86_64())) {
            Zone normal = m.zone("Normal");
            loadOrder3Blocks(m, normal, 4, "H");
            Rmqueue61 rmq = new Rmqueue61(m.allocator.context(), 0);
            int highatomicHead = normal.freeHead[Zone.slot(3, HIGHATOMIC)];

            assertEquals(-1, rmq.rmqueueBuddy(normal, 0, UNMOVABLE, 0), "a blocking request");
            assertEquals(highatomicHead, rmq.rmqueueBuddy(normal, 0, UNMOVABLE, ALLOC_NON_BLOCK),
                    "a non-blocking order-0 request splits the first HighAtomic block");
        }
    }

    /**
     * {@code zone_watermark_fast()}, mm/page_alloc.c:4148-4153: an order-0 request at WMARK_MIN that
     * fails against the boosted min is checked again against the unboosted {@code _watermark[WMARK_MIN]}
     * only when its mask has {@code __GFP_ATOMIC}. Normal gets a boost of 4 × min and 3 × min free
     * pages (all order 0): the boosted check fails (3 min ≤ 5 min) and the unboosted one passes
     * (3 min &gt; min). GFP_ATOMIC passes; a mask with __GFP_HIGH but no __GFP_ATOMIC does not (the model
     * tested __GFP_HIGH), nor GFP_KERNEL. The alloc flags are WMARK_MIN alone for all three, so only
     * the mask differs.
     */
    @Test
    void onlyGfpAtomicIgnoresTheBoostAtMin() {
        try (Machine m = Kernels.byName("6.1").boot(NoFragment61Test.x86_64())) {
            Zone normal = m.zone("Normal");
            long min = normal.watermark[0];
            int[] nrFree = new int[Zone.MAX_ORDER];
            nrFree[0] = (int) (3 * min);
            FreeListLoader61.load(m.allocator, normal, nrFree, null);
            normal.watermarkBoost = 4 * min;
            PageAlloc61 a = (PageAlloc61) m.allocator;
            GfpBits g = m.kernel.gfp();

            assertEquals(true, a.zoneWatermarkFast(normal, 0, normal.wmark(0), normal.idx, 0, g.mask("GFP_ATOMIC")));
            assertEquals(false, a.zoneWatermarkFast(normal, 0, normal.wmark(0), normal.idx, 0, g.mask("__GFP_HIGH")));
            assertEquals(false, a.zoneWatermarkFast(normal, 0, normal.wmark(0), normal.idx, 0, g.mask("GFP_KERNEL")));
        }
    }

    /**
     * Loads {@code zone} with exactly {@code blocks} free order-3 blocks on the lists {@code letters}
     * names (FreeListLoader61's sharing: one on each list after the first, the rest on the first),
     * everything else in the zone allocated.
     */
    static void loadOrder3Blocks(Machine m, Zone zone, int blocks, String letters) {
        int[] nrFree = new int[Zone.MAX_ORDER];
        nrFree[3] = blocks;
        String[] byOrder = new String[Zone.MAX_ORDER];
        byOrder[3] = letters;
        FreeListLoader61.load(m.allocator, zone, nrFree, byOrder);
    }
}
