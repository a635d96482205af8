package dev.pagealloc.workloads.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.profile.Arch;
import org.junit.jupiter.api.Test;

/**
 * Allocation sizes from kernel constants. Every expected value is worked out by hand in the
 * comment next to it from the constants (ReleaseConstants's Javadoc cites their sources), not taken from
 * the code's output.
 */
class GenSizingTest {
    static final ReleaseConstants K2632 = ReleaseConstants.V2_6_32;
    static final ReleaseConstants K61 = ReleaseConstants.V6_1;

    @Test
    void eraConstants() {
        assertEquals(32, K2632.netSkbPad());
        assertEquals(2, K2632.netIpAlign());
        assertEquals(64, K61.netSkbPad()); // max(32, L1_CACHE_BYTES 64)
        assertEquals(0, K61.netIpAlign()); // x86 from 2.6.33
        assertEquals(ReleaseConstants.V2_6_32, ReleaseConstants.of("2.6.32-41-server"));
        assertEquals(new ReleaseConstants(6, 1, 0), ReleaseConstants.of("6.1"));
        // get_order: 1 page -> 0, 4097 bytes -> 2 pages -> 1, 16385 -> 5 pages -> 8 -> 3
        assertEquals(0, ReleaseConstants.getOrder(4096));
        assertEquals(1, ReleaseConstants.getOrder(4097));
        assertEquals(3, ReleaseConstants.getOrder(16385));
    }

    @Test
    void e1000JumboIsOrder3() {
        // max_frame = 9000 + 14 + 4 = 9018 > 8192 -> rx_buffer_len 16384
        assertEquals(16384, NicJumboNoSg.e1000RxBufferLen(9000));
        // 2.6.32 x86_64: 16384 + NET_IP_ALIGN 2 + NET_SKB_PAD 32 = 16418; SKB_DATA_ALIGN -> 16448;
        // + sizeof(skb_shared_info) 496 = 16944 > 2 pages -> kmalloc_large, get_order(16944) = 3
        assertEquals(16944, NicJumboNoSg.e1000KmallocBytes(9000, K2632, Arch.X86_64));
        assertEquals(3, NicJumboNoSg.e1000Order(9000, K2632, Arch.X86_64));
        // 2.6.32 i386: 16448 + 336 = 16784 -> 3; PAE: 16448 + 412 = 16860 -> 3
        assertEquals(16784, NicJumboNoSg.e1000KmallocBytes(9000, K2632, Arch.I386));
        assertEquals(3, NicJumboNoSg.e1000Order(9000, K2632, Arch.I386));
        assertEquals(3, NicJumboNoSg.e1000Order(9000, K2632, Arch.I386_PAE));
        // 6.1 x86_64: 16384 + 0 + 64 = 16448 (already aligned) + SKB_DATA_ALIGN(320) = 16768 -> 3
        assertEquals(16768, NicJumboNoSg.e1000KmallocBytes(9000, K61, Arch.X86_64));
        assertEquals(3, NicJumboNoSg.e1000Order(9000, K61, Arch.X86_64));
    }

    @Test
    void e1000SmallerMtus() {
        // MTU 1500: max_frame 1518 = MAXIMUM_ETHERNET_FRAME_SIZE -> LPE gives 1522;
        // 1522 + 2 + 32 = 1556 -> 1600, + 496 = 2096 -> kmalloc-4096 -> get_order(4096) = 0
        assertEquals(1522, NicJumboNoSg.e1000RxBufferLen(1500));
        assertEquals(2096, NicJumboNoSg.e1000KmallocBytes(1500, K2632, Arch.X86_64));
        assertEquals(0, NicJumboNoSg.e1000Order(1500, K2632, Arch.X86_64));
        // i386: 1600 + 336 = 1936 -> kmalloc-2048 -> 0
        assertEquals(0, NicJumboNoSg.e1000Order(1500, K2632, Arch.I386));
        // MTU 4000: max_frame 4018 <= 4096 -> 4096; 4096 + 34 = 4130 -> 4160, + 496 = 4656
        // -> kmalloc-8192 -> get_order(8192) = 1
        assertEquals(4096, NicJumboNoSg.e1000RxBufferLen(4000));
        assertEquals(1, NicJumboNoSg.e1000Order(4000, K2632, Arch.X86_64));
        // MTU 7000: max_frame 7018 -> 8192; 8192 + 34 -> 8256, + 496 = 8752 > 8192 -> kmalloc_large,
        // get_order(8752) = 3 pages -> 2
        assertEquals(2, NicJumboNoSg.e1000Order(7000, K2632, Arch.X86_64));
    }

    @Test
    void pageStyleJumboIsOrder2() {
        // 2.6.32 x86_64: 9000 + 14 + 32 + 2 + 496 = 9544 -> 3 pages -> order 2
        assertEquals(9544, NicJumboNoSg.pageStyleBytes(9000, K2632, Arch.X86_64));
        assertEquals(2, NicJumboNoSg.pageStyleOrder(9000, K2632, Arch.X86_64));
        // 6.1 x86_64: 9000 + 14 + 64 + 0 + 320 = 9398 -> order 2
        assertEquals(9398, NicJumboNoSg.pageStyleBytes(9000, K61, Arch.X86_64));
        assertEquals(2, NicJumboNoSg.pageStyleOrder(9000, K61, Arch.X86_64));
        // 2.6.32 i386: 9048 + 336 = 9384 -> 2
        assertEquals(2, NicJumboNoSg.pageStyleOrder(9000, K2632, Arch.I386));
        // MTU 1500: 1500 + 48 + 496 = 2044 -> one page -> 0
        assertEquals(0, NicJumboNoSg.pageStyleOrder(1500, K2632, Arch.X86_64));
        // MTU 4000: 4000 + 48 + 496 = 4544 -> 2 pages -> 1
        assertEquals(1, NicJumboNoSg.pageStyleOrder(4000, K2632, Arch.X86_64));
    }

    @Test
    void scatterGatherPagesPerFrame() {
        // ceil((9000 + 14 + 4) / 4096) = ceil(2.2) = 3; ceil(1518 / 4096) = 1; ceil(8210/4096) = 3
        assertEquals(3, NicSg.pagesPerPacket(9000));
        assertEquals(1, NicSg.pagesPerPacket(1500));
        assertEquals(2, NicSg.pagesPerPacket(8174)); // 8192 bytes exactly -> 2 pages
        assertEquals(3, NicSg.pagesPerPacket(8175));
    }

    @Test
    void threadSizePerArchAndKernel() {
        // 2.6.32 x86_64: THREAD_ORDER 1 (page_64_types.h), THREAD_FLAGS GFP_KERNEL|__GFP_NOTRACK, NOTRACK = 0
        ForkStorm.Stack s = ForkStorm.stackOf(Arch.X86_64, K2632, false, false);
        assertFalse(s.vmap());
        assertEquals(1, s.order());
        assertEquals(1, s.allocations());
        assertEquals(0xd0, GfpBits.V2_6_32.parse(s.gfp())); // __GFP_WAIT|__GFP_IO|__GFP_FS
        assertEquals("alloc_thread_info", s.site());
        // with DEBUG_STACK_USAGE: | __GFP_ZERO 0x8000
        assertEquals(0x80d0, GfpBits.V2_6_32.parse(ForkStorm.stackOf(Arch.X86_64, K2632, false, true).gfp()));
        // 2.6.32 i386 and PAE: THREAD_ORDER 1, or 0 with CONFIG_4KSTACKS (page_32_types.h)
        assertEquals(1, ForkStorm.stackOf(Arch.I386, K2632, false, false).order());
        assertEquals(0, ForkStorm.stackOf(Arch.I386, K2632, true, false).order());
        assertEquals(1, ForkStorm.stackOf(Arch.I386_PAE, K2632, false, false).order());
        // 4KSTACKS only matters to i386: x86_64 stays at order 1
        assertEquals(1, ForkStorm.stackOf(Arch.X86_64, K2632, true, false).order());
        // 6.1 x86_64: THREAD_SIZE_ORDER 2 (16 KiB) and VMAP_STACK: 16384 / 4096 = 4 order-0 pages
        ForkStorm.Stack v = ForkStorm.stackOf(Arch.X86_64, K61, false, false);
        assertTrue(v.vmap());
        assertEquals(0, v.order());
        assertEquals(4, v.allocations());
        // 6.1 i386: THREAD_SIZE_ORDER 1, no VMAP_STACK on 32-bit (HAVE_ARCH_VMAP_STACK if X86_64)
        ForkStorm.Stack i = ForkStorm.stackOf(Arch.I386, K61, false, false);
        assertFalse(i.vmap());
        assertEquals(1, i.order());
        assertEquals("GFP_KERNEL_ACCOUNT|__GFP_ZERO", i.gfp());
        assertEquals(1, ForkStorm.stackOf(Arch.I386, K61, true, false).order()); // 4KSTACKS is gone
    }

    @Test
    void hugePagesAndTheirMask() {
        // HPAGE_PMD_ORDER = PMD_SHIFT - PAGE_SHIFT: 21 - 12 = 9 (x86_64, PAE), 22 - 12 = 10 (i386)
        assertEquals(9, ReleaseConstants.hpagePmdOrder(Arch.X86_64));
        assertEquals(9, ReleaseConstants.hpagePmdOrder(Arch.I386_PAE));
        assertEquals(10, ReleaseConstants.hpagePmdOrder(Arch.I386));
        // 2.6.32 has no GFP_TRANSHUGE: the 2.6.38 definition less __GFP_NO_KSWAPD:
        // GFP_HIGHUSER_MOVABLE 0x200da | __GFP_COMP 0x4000 | __GFP_NOMEMALLOC 0x10000
        // | __GFP_NORETRY 0x1000 | __GFP_NOWARN 0x200 = 0x352da
        assertEquals(0x352da, GfpBits.V2_6_32.parse(ReleaseConstants.transhugeGfp(GfpBits.V2_6_32)));
        // 3.10 has the composite
        assertEquals("GFP_TRANSHUGE", ReleaseConstants.transhugeGfp(GfpBits.V3_10));
    }

    @Test
    void nicMasks() {
        // GFP_ATOMIC (__GFP_HIGH 0x20) | __GFP_COMP 0x4000 = 0x4020, the "mode:0x4020" of real reports
        assertEquals(0x4020, GfpBits.V2_6_32.parse("GFP_ATOMIC|__GFP_COMP"));
    }
}
