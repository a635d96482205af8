package dev.pagealloc.gfp;

import static dev.pagealloc.gfp.AllocFlags.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code gfp_to_alloc_flags()} per era, spec §1.7. */
class AllocFlagsErasTest {

    private static void flags(int expected, int actual, String what) {
        assertEquals(Integer.toHexString(expected), Integer.toHexString(actual), what);
    }

    @Test
    void constantsHaveKernelValues() {
        assertEquals(0, ALLOC_WMARK_MIN);
        assertEquals(1, ALLOC_WMARK_LOW);
        assertEquals(2, ALLOC_WMARK_HIGH);
        assertEquals(0x04, ALLOC_NO_WATERMARKS);
        assertEquals(0x08, ALLOC_OOM);
        assertEquals(0x10, ALLOC_HARDER);
        assertEquals(0x10, ALLOC_NON_BLOCK);
        assertEquals(0x20, ALLOC_HIGH);
        assertEquals(0x20, ALLOC_MIN_RESERVE);
        assertEquals(0x40, ALLOC_CPUSET);
        assertEquals(0x80, ALLOC_CMA);
        assertEquals(0x100, ALLOC_NOFRAGMENT);
        assertEquals(0x200, ALLOC_HIGHATOMIC);
        assertEquals(0x800, ALLOC_KSWAPD);
        // ALLOC_KSWAPD == __GFP_KSWAPD_RECLAIM and ALLOC_HIGH == __GFP_HIGH in 5.4+.
        assertEquals(GfpBits.V6_8.bit("__GFP_KSWAPD_RECLAIM"), ALLOC_KSWAPD);
        assertEquals(GfpBits.V6_8.bit("__GFP_HIGH"), ALLOC_MIN_RESERVE);
    }

    @Test
    void atomicGetsHighAndHarderInEveryEra() {
        for (GfpBits e : GfpBits.all()) {
            int f = gfpToAllocFlags(e, e.mask("GFP_ATOMIC"));
            assertEquals(ALLOC_HIGH, f & ALLOC_HIGH, e.toString());
            assertEquals(ALLOC_HARDER, f & ALLOC_HARDER, e.toString());
            assertEquals(0, f & ALLOC_CPUSET, e.toString());
        }
    }

    @Test
    void perEraValues() {
        GfpBits e;
        // 2.6.32: delegates to the 2.6.32 function.
        e = GfpBits.V2_6_32;
        flags(ALLOC_HIGH | ALLOC_HARDER, gfpToAllocFlags(e, 0x20), "2.6.32 GFP_ATOMIC");
        flags(ALLOC_HARDER, gfpToAllocFlags(e, 0x0), "2.6.32 GFP_NOWAIT");
        flags(ALLOC_CPUSET, gfpToAllocFlags(e, 0xd0), "2.6.32 GFP_KERNEL");
        // 3.10
        e = GfpBits.V3_10;
        flags(ALLOC_HIGH | ALLOC_HARDER, gfpToAllocFlags(e, 0x20), "3.10 GFP_ATOMIC");
        flags(ALLOC_HARDER, gfpToAllocFlags(e, 0x0), "3.10 GFP_NOWAIT");
        flags(0, gfpToAllocFlags(e, 0x10000), "3.10 NOMEMALLOC, no wait: no HARDER, no CPUSET");
        flags(ALLOC_CPUSET, gfpToAllocFlags(e, 0x4352da), "3.10 THP (NO_KSWAPD: not atomic)");
        flags(ALLOC_CPUSET | ALLOC_NO_WATERMARKS, gfpToAllocFlags(e, 0x20d0), "3.10 __GFP_MEMALLOC");
        flags(ALLOC_CPUSET | ALLOC_CMA, gfpToAllocFlags(e, 0x200da, 0, false, false, false, false, true),
                "3.10 movable with CMA");
        // 4.4-6.3: __GFP_ATOMIC.
        e = GfpBits.V4_19;
        flags(ALLOC_HIGH | ALLOC_HARDER, gfpToAllocFlags(e, 0x480020), "4.19 GFP_ATOMIC");
        flags(ALLOC_CPUSET, gfpToAllocFlags(e, 0x400000), "4.19 GFP_NOWAIT gets nothing extra");
        flags(ALLOC_CPUSET | ALLOC_HARDER, gfpToAllocFlags(e, 0x6000c0, 0, true, false, false, false, false),
                "4.19 rt task");
        flags(ALLOC_CPUSET | ALLOC_OOM, gfpToAllocFlags(e, 0x6000c0, 0, false, false, false, true, false),
                "4.19 OOM victim");
        flags(ALLOC_CPUSET | ALLOC_NO_WATERMARKS,
                gfpToAllocFlags(GfpBits.V4_9, 0x24000c0, 0, false, false, false, true, false), "4.9 OOM victim");
        flags(ALLOC_CPUSET | ALLOC_NO_WATERMARKS,
                gfpToAllocFlags(e, 0x6000c0, 0, false, false, true, false, false), "4.19 PF_MEMALLOC");
        flags(ALLOC_CPUSET, gfpToAllocFlags(e, 0x6000c0 | 0x10000, 0, false, false, true, false, false),
                "4.19 PF_MEMALLOC with NOMEMALLOC");
        e = GfpBits.V6_1;
        flags(ALLOC_HIGH | ALLOC_HARDER | ALLOC_KSWAPD, gfpToAllocFlags(e, 0xa20), "6.1 GFP_ATOMIC");
        flags(ALLOC_CPUSET | ALLOC_KSWAPD, gfpToAllocFlags(e, 0x800), "6.1 GFP_NOWAIT");
        flags(ALLOC_CPUSET | ALLOC_KSWAPD, gfpToAllocFlags(e, 0xcc0), "6.1 GFP_KERNEL");
        flags(ALLOC_CPUSET, gfpToAllocFlags(e, 0x1c20ca), "6.1 THP light: no kswapd");
        flags(ALLOC_HIGH | ALLOC_HARDER | ALLOC_KSWAPD, gfpToAllocFlags(GfpBits.V5_4, 0xa20), "5.4 GFP_ATOMIC");
        // 6.4+: NON_BLOCK / MIN_RESERVE / HIGHATOMIC.
        for (GfpBits e64 : new GfpBits[] {GfpBits.V6_4, GfpBits.V6_8}) {
            flags(ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_KSWAPD, gfpToAllocFlags(e64, 0x820), "6.4 GFP_ATOMIC");
            flags(ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_HIGHATOMIC | ALLOC_KSWAPD,
                    gfpToAllocFlags(e64, 0x820, 3), "6.4 GFP_ATOMIC order 3");
            int nowait = e64.mask("GFP_NOWAIT");
            flags(ALLOC_CPUSET | ALLOC_NON_BLOCK | ALLOC_KSWAPD, gfpToAllocFlags(e64, nowait),
                    "6.4 GFP_NOWAIT keeps CPUSET");
            flags(ALLOC_CPUSET | ALLOC_KSWAPD, gfpToAllocFlags(e64, 0xcc0, 4), "6.4 GFP_KERNEL");
            flags(ALLOC_CPUSET | ALLOC_MIN_RESERVE | ALLOC_KSWAPD,
                    gfpToAllocFlags(e64, 0xcc0, 0, true, false, false, false, false), "6.4 rt task");
            flags(ALLOC_MIN_RESERVE | ALLOC_KSWAPD, gfpToAllocFlags(e64, 0x820 | 0x80000, 2),
                    "6.4 NOMEMALLOC: no NON_BLOCK/HIGHATOMIC");
            assertEquals("ALLOC_WMARK_MIN|ALLOC_NON_BLOCK|ALLOC_MIN_RESERVE|ALLOC_HIGHATOMIC|ALLOC_KSWAPD",
                    AllocFlags.describe(e64, gfpToAllocFlags(e64, 0x820, 1)));
        }
        assertEquals("ALLOC_WMARK_MIN|ALLOC_HARDER|ALLOC_HIGH|ALLOC_KSWAPD",
                AllocFlags.describe(GfpBits.V6_1, gfpToAllocFlags(GfpBits.V6_1, 0xa20)));
    }
}
