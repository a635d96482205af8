package dev.pagealloc.workloads.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.gfp.GfpBits;
import org.junit.jupiter.api.Test;

/**
 * Masks carried between eras by meaning. Every expected number is a value of
 * shared/research/kernel-spec.md §1.1 (bit tables) or §1.2 (composite masks per era).
 */
class GfpSpellingTest {
    private static final GfpBits K2632 = GfpBits.V2_6_32;
    private static final GfpBits K310 = GfpBits.V3_10;
    private static final GfpBits K44 = GfpBits.V4_4;
    private static final GfpBits K419 = GfpBits.V4_19;
    private static final GfpBits K61 = GfpBits.V6_1;
    private static final GfpBits K64 = GfpBits.V6_4;
    private static final GfpBits K612 = GfpBits.V6_12;

    private static int to(String spelling, GfpBits target) {
        return GfpSpelling.toProfile(spelling, target);
    }

    @Test
    void modernCompositesBecome2632Composites() {
        // §1.2, column 2.6.32 / 3.10.
        assertEquals(0x20, to("6.1:GFP_ATOMIC", K2632));
        assertEquals(0xd0, to("6.1:GFP_KERNEL", K2632));
        assertEquals(0x50, to("6.1:GFP_NOFS", K2632));
        assertEquals(0x10, to("6.1:GFP_NOIO", K2632));
        assertEquals(0x0, to("6.1:GFP_NOWAIT", K2632));
        assertEquals(0x200d0, to("6.1:GFP_USER", K2632));
        assertEquals(0x200d2, to("6.1:GFP_HIGHUSER", K2632));
        assertEquals(0x200da, to("6.1:GFP_HIGHUSER_MOVABLE", K2632));
        assertEquals(0xc0d0, to("6.1:GFP_KERNEL|__GFP_COMP|__GFP_ZERO", K2632));
        assertEquals(0x20, to("6.12:GFP_ATOMIC", K2632));
        assertEquals(0x20, to("4.19:GFP_ATOMIC", K2632));
    }

    @Test
    void oldCompositesBecomeModernComposites() {
        assertEquals(0xa20, to("2.6.32:GFP_ATOMIC", K61));
        assertEquals(0x820, to("2.6.32:GFP_ATOMIC", K64));
        assertEquals(0x480020, to("2.6.32:GFP_ATOMIC", K419));
        assertEquals(0x2080020, to("2.6.32:GFP_ATOMIC", K44));
        assertEquals(0xcc0, to("2.6.32:GFP_KERNEL", K61));
        assertEquals(0x6000c0, to("2.6.32:GFP_KERNEL", K419));
        assertEquals(0x24000c0, to("2.6.32:GFP_KERNEL", K44));
        assertEquals(0x100cca, to("2.6.32:GFP_HIGHUSER_MOVABLE", K61));
        // 2.6.32 GFP_NOWAIT (0) still woke kswapd; 6.8+ GFP_NOWAIT includes __GFP_NOWARN.
        assertEquals(0x800, to("2.6.32:GFP_NOWAIT", K61));
        assertEquals(0x2800, to("2.6.32:GFP_NOWAIT", K612));
        assertEquals(0x2000000, to("2.6.32:GFP_NOWAIT", K44));
    }

    @Test
    void numbersDecodeInTheSourceEra() {
        // 2.6.32 0xc0d0 = GFP_KERNEL|__GFP_COMP|__GFP_ZERO (§1.3) = 6.x 0x40dc0 (§1.2).
        assertEquals(0x40dc0, to("2.6.32:0xc0d0", K61));
        assertEquals(0x60c0c0, to("2.6.32:0xc0d0", K419));
        // 6.x 0x140cca = GFP_HIGHUSER_MOVABLE (0x100cca) | __GFP_COMP (0x40000).
        assertEquals(0x140cca, to("6.1:0x140cca", K612));
        assertEquals(0x200da | 0x4000, to("6.1:0x140cca", K2632));
        assertEquals(0x140cca, to("6.1:0x140cca", K61));
        assertEquals(to("6.1:GFP_HIGHUSER_MOVABLE|__GFP_COMP", K2632), to("6.1:0x140cca", K2632));
        // Leftover hex after names, as ftrace prints bits without a table entry.
        assertEquals(0xd0 | 0x01, to("2.6.32:GFP_KERNEL|0x1", K2632));
        assertEquals(0xcc0 | 0x01, to("2.6.32:GFP_KERNEL|0x1", K61));
    }

    @Test
    void renamedBitsKeepTheirMeaning() {
        assertEquals(0x400, to("2.6.32:GFP_WAIT", K61) & 0x400);            // __GFP_WAIT -> DIRECT_RECLAIM
        assertEquals(0x10, to("6.1:__GFP_DIRECT_RECLAIM", K2632));          // and back
        assertEquals(0x400, to("4.9:__GFP_REPEAT", K419));                  // REPEAT -> RETRY_MAYFAIL
        assertEquals(0x400, to("6.1:__GFP_RETRY_MAYFAIL", K2632));
        assertEquals(0x4000, to("6.1:__GFP_COMP", K2632));
        // 2.6.32 trace spelling; 2.6.32 woke kswapd for it, so 6.1 gets __GFP_KSWAPD_RECLAIM (0x800).
        assertEquals(0x40000 | 0x800, to("2.6.32:GFP_COMP", K61));
    }

    @Test
    void bitsTheTargetLacksAreDropped() {
        assertEquals(0, to("6.1:__GFP_ATOMIC", K2632));
        assertEquals(0, to("6.1:__GFP_ATOMIC", K64));
        assertEquals(0x820, to("6.1:GFP_ATOMIC", K64));
        assertEquals(0xd0, to("6.1:GFP_KERNEL_ACCOUNT", K2632));            // no __GFP_ACCOUNT in 2.6.32
        assertEquals(0xcc0, to("3.10:GFP_KERNEL|GFP_COLD", K61));            // no __GFP_COLD from 4.15
    }

    @Test
    void kswapdWakingIsCarriedAcrossThe44Split() {
        // 3.x: no kswapd for __GFP_NO_KSWAPD (0x400000).
        assertEquals(0xcc0 & ~0x800, to("3.10:GFP_KERNEL|GFP_NO_KSWAPD", K61));
        // 3.10 GFP_TRANSHUGE -> the later GFP_TRANSHUGE (§1.2 row GFP_TRANSHUGE).
        assertEquals(0x1c24ca, to("3.10:GFP_TRANSHUGE", K61));
        assertEquals(0x2342ca, to("3.10:GFP_TRANSHUGE", K419));
        assertEquals(0x4352ca, to("3.10:GFP_TRANSHUGE", K44));
        assertEquals(0x4352da, to("6.1:GFP_TRANSHUGE", K310));
        // 2.6.32 has no GFP_TRANSHUGE: its bits without __GFP_NO_KSWAPD.
        assertEquals(0x4352da & ~0x400000, to("3.10:GFP_TRANSHUGE", K2632));
        // 6.x GFP_TRANSHUGE_LIGHT (no reclaim at all) in 3.10: the bits plus __GFP_NO_KSWAPD.
        assertEquals(0x8 | 0x2 | 0x40 | 0x80 | 0x20000 | 0x4000 | 0x10000 | 0x200 | 0x400000,
                to("6.1:GFP_TRANSHUGE_LIGHT", K310));
        // A 4.x mask of 0 does not wake kswapd: 3.x says so with __GFP_NO_KSWAPD, 2.6.32 cannot.
        assertEquals(0x400000, to("4.19:none", K310));
        assertEquals(0, to("4.19:none", K2632));
        // 2.6.32 and 3.x skip kswapd for the NUMA GFP_THISNODE triple (THISNODE|NOWARN|NORETRY).
        assertEquals(0x200000 | 0x2000 | 0x10000, to("2.6.32:GFP_THISNODE|GFP_NORETRY|GFP_NOWARN", K61));
        assertEquals(0x200000 | 0x800, to("2.6.32:GFP_THISNODE", K61));
        // T01's failed 4.19 request.
        assertEquals(0x2 | 0x200 | 0x8, to("4.19:GFP_NOWAIT|__GFP_HIGHMEM|__GFP_NOWARN|__GFP_MOVABLE", K2632));
        assertEquals(0x800 | 0x2 | 0x2000 | 0x8, to("4.19:GFP_NOWAIT|__GFP_HIGHMEM|__GFP_NOWARN|__GFP_MOVABLE", K61));
    }

    @Test
    void sharedCompositesMapOntoEachOtherInEveryEra() {
        String[] names = {"GFP_KERNEL", "GFP_NOFS", "GFP_NOIO", "GFP_USER", "GFP_HIGHUSER", "GFP_HIGHUSER_MOVABLE",
            "GFP_ATOMIC", "GFP_NOWAIT"};
        for (GfpBits from : GfpBits.all()) {
            for (GfpBits target : GfpBits.all()) {
                for (String n : names) {
                    assertEquals(target.mask(n), to(from.name + ":" + n, target), from + " " + n + " -> " + target);
                }
            }
        }
    }

    @Test
    void tracedSpellingsRoundTripThroughOtherEras() {
        // What a 2.6.32 tracepoint printed, carried to 6.1 and back, is the same mask.
        for (String n : new String[] {"GFP_KERNEL|GFP_COMP|GFP_ZERO", "GFP_ATOMIC|GFP_COMP", "GFP_HIGHUSER_MOVABLE",
            "GFP_NOFS|GFP_NOWARN", "GFP_NOWAIT"}) {
            int m = K2632.parse(n);
            String modern = "6.1:" + K61.traceFlags(to("2.6.32:" + n, K61));
            assertEquals(m, to(modern, K2632), n + " via " + modern);
        }
    }

    @Test
    void withoutPrefixTheTargetReadsIt() {
        assertEquals(0xd0, to("GFP_KERNEL", K2632));
        assertEquals(0xcc0, to("GFP_KERNEL", K61));
        assertEquals(0x140cca, to("6.1:0x140cca", K61));
    }

    @Test
    void badSpellingsNameTheToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> to("6.1:GFP_KERNEL|__GFP_BOGUS", K2632));
        assertTrue(e.getMessage().contains("__GFP_BOGUS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> to("2.6.32:GFP_KERNEL|", K61));
        assertThrows(IllegalArgumentException.class, () -> to("2.6.32:__GFP_ATOMIC", K61));
        assertThrows(IllegalArgumentException.class, () -> to("1.0:GFP_KERNEL", K61));
    }
}
