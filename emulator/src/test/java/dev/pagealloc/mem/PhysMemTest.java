package dev.pagealloc.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** How {@link PhysMem#allocate} chooses its backing. */
class PhysMemTest {

    @Test
    void allocatePrefersMmapWhenLibcIsAvailable() {
        try (Arena arena = Arena.ofConfined()) {
            PhysMem mem = PhysMem.allocate(1 << 20, arena);
            assertEquals(Libc.isAvailable(), mem.isNative(), mem::toString);
            assertTrue(mem.toString().contains(mem.isNative() ? "mmap" : "fallback"), mem::toString);
            assertEquals(1 << 20, mem.maxPfn());
        }
    }

    @Test
    void allocateFallsBackWhenTheMappingIsRefused() {
        // 2^35 frames = 128 TiB: the whole user address space of 4-level paging, so mmap fails
        long maxPfn = 1L << 35;
        try (Arena arena = Arena.ofConfined()) {
            PhysMem mem = PhysMem.allocate(maxPfn, arena);
            assumeFalse(mem.isNative(), "this host maps 128 TiB (5-level paging?)");
            assertTrue(mem.toString().contains("fallback"), mem::toString);
            mem.pageAddress(maxPfn - 1).fill((byte) 1);
            mem.stamp(maxPfn - 4, 2, 5);
            assertTrue(mem.verify(maxPfn - 4, 2, 5));
        }
    }

    @Test
    void rejectsImpossibleSizes() {
        assertThrows(IllegalArgumentException.class, () -> PhysMem.allocate(0, Arena.global()));
        assertThrows(IllegalArgumentException.class, () -> PhysMem.allocate(PhysMem.MAX_PFN_LIMIT + 1, Arena.global()));
    }
}
