package dev.pagealloc.gfp;

import static dev.pagealloc.gfp.AllocFlags.ALLOC_CPUSET;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_HARDER;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_HIGH;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NO_WATERMARKS;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_MIN;
import static dev.pagealloc.gfp.AllocFlags.gfpToAllocFlags;
import static dev.pagealloc.gfp.Gfp2632.allocflagsToMigratetype;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagealloc.mmzone.MigrateType;
import org.junit.jupiter.api.Test;

class MigratetypeAndAllocFlagsTest {

    private static int plain(int gfp) {
        return gfpToAllocFlags(gfp, false, false, false, false);
    }

    @Test
    void migratetype() {
        assertEquals(MigrateType.MIGRATE_UNMOVABLE.ordinal(), allocflagsToMigratetype(0xc0d0, false)); // spec §1.3
        assertEquals(MigrateType.MIGRATE_UNMOVABLE.ordinal(), allocflagsToMigratetype(Gfp2632.GFP_ATOMIC, false));
        assertEquals(MigrateType.MIGRATE_RECLAIMABLE.ordinal(),
                allocflagsToMigratetype(Gfp2632.GFP_TEMPORARY, false));
        assertEquals(MigrateType.MIGRATE_MOVABLE.ordinal(),
                allocflagsToMigratetype(Gfp2632.GFP_HIGHUSER_MOVABLE, false));
        assertEquals(2, allocflagsToMigratetype(Gfp2632.__GFP_MOVABLE, false));
        assertEquals(1, allocflagsToMigratetype(Gfp2632.__GFP_RECLAIMABLE, false));
        // Both bits: the kernel WARNs and computes 3.
        assertEquals(3, allocflagsToMigratetype(Gfp2632.GFP_MOVABLE_MASK, false));
        // page_group_by_mobility_disabled.
        assertEquals(0, allocflagsToMigratetype(Gfp2632.GFP_HIGHUSER_MOVABLE, true));
        assertEquals(0, allocflagsToMigratetype(Gfp2632.GFP_TEMPORARY, true));
    }

    @Test
    void allocFlagValues() {
        assertEquals(0, AllocFlags.ALLOC_WMARK_MIN);
        assertEquals(1, AllocFlags.ALLOC_WMARK_LOW);
        assertEquals(2, AllocFlags.ALLOC_WMARK_HIGH);
        assertEquals(0x04, ALLOC_NO_WATERMARKS);
        assertEquals(0x03, AllocFlags.ALLOC_WMARK_MASK);
        assertEquals(0x10, ALLOC_HARDER);
        assertEquals(0x20, ALLOC_HIGH);
        assertEquals(0x40, ALLOC_CPUSET);
        assertEquals(Gfp2632.__GFP_HIGH, ALLOC_HIGH);
    }

    @Test
    void atomicGetsHighAndHarderButNoCpuset() {
        assertEquals(ALLOC_WMARK_MIN | ALLOC_HIGH | ALLOC_HARDER, plain(Gfp2632.GFP_ATOMIC));
        assertEquals(ALLOC_WMARK_MIN | ALLOC_HIGH | ALLOC_HARDER,
                gfpToAllocFlags(Gfp2632.GFP_ATOMIC, false, true, false, false));
        assertEquals("ALLOC_WMARK_MIN|ALLOC_HARDER|ALLOC_HIGH", AllocFlags.describe(plain(Gfp2632.GFP_ATOMIC)));
    }

    @Test
    void kernelGetsMinAndCpuset() {
        assertEquals(ALLOC_WMARK_MIN | ALLOC_CPUSET, plain(Gfp2632.GFP_KERNEL));
        assertEquals(ALLOC_WMARK_MIN | ALLOC_CPUSET, plain(0xc0d0));
        assertEquals(ALLOC_WMARK_MIN | ALLOC_CPUSET, plain(Gfp2632.GFP_HIGHUSER_MOVABLE));
        assertEquals("ALLOC_WMARK_MIN|ALLOC_CPUSET", AllocFlags.describe(plain(Gfp2632.GFP_KERNEL)));
    }

    @Test
    void nowaitGetsHarderIn2632() {
        assertEquals(ALLOC_WMARK_MIN | ALLOC_HARDER, plain(Gfp2632.GFP_NOWAIT));
        // 2.6.32 does not yet exempt __GFP_NOMEMALLOC from ALLOC_HARDER (3.x does).
        assertEquals(ALLOC_WMARK_MIN | ALLOC_HIGH | ALLOC_HARDER,
                plain(Gfp2632.GFP_ATOMIC | Gfp2632.__GFP_NOMEMALLOC));
        // __GFP_HIGH with __GFP_WAIT: HIGH only, cpuset kept.
        assertEquals(ALLOC_WMARK_MIN | ALLOC_HIGH | ALLOC_CPUSET, plain(Gfp2632.GFP_KERNEL | Gfp2632.__GFP_HIGH));
    }

    @Test
    void realtimeTaskGetsHarderOnlyWhenItCanWaitAndIsNotInInterrupt() {
        assertEquals(ALLOC_WMARK_MIN | ALLOC_CPUSET | ALLOC_HARDER,
                gfpToAllocFlags(Gfp2632.GFP_KERNEL, true, false, false, false));
        assertEquals(ALLOC_WMARK_MIN | ALLOC_CPUSET,
                gfpToAllocFlags(Gfp2632.GFP_KERNEL, true, true, false, false));
        assertEquals(ALLOC_WMARK_MIN | ALLOC_HIGH | ALLOC_HARDER,
                gfpToAllocFlags(Gfp2632.GFP_ATOMIC, true, false, false, false));
    }

    @Test
    void noWatermarksForMemallocOrMemdieOutsideInterrupts() {
        int k = Gfp2632.GFP_KERNEL;
        assertEquals(ALLOC_WMARK_MIN | ALLOC_CPUSET | ALLOC_NO_WATERMARKS, gfpToAllocFlags(k, false, false, true, false));
        assertEquals(ALLOC_WMARK_MIN | ALLOC_CPUSET | ALLOC_NO_WATERMARKS, gfpToAllocFlags(k, false, false, false, true));
        assertEquals(ALLOC_WMARK_MIN | ALLOC_CPUSET, gfpToAllocFlags(k, false, true, true, true));
        assertEquals(ALLOC_WMARK_MIN | ALLOC_CPUSET,
                gfpToAllocFlags(k | Gfp2632.__GFP_NOMEMALLOC, false, false, true, true));
        assertEquals(ALLOC_WMARK_MIN | ALLOC_HIGH | ALLOC_HARDER | ALLOC_NO_WATERMARKS,
                gfpToAllocFlags(Gfp2632.GFP_ATOMIC, false, false, true, false));
        assertEquals("ALLOC_WMARK_MIN|ALLOC_NO_WATERMARKS|ALLOC_HARDER|ALLOC_HIGH",
                AllocFlags.describe(gfpToAllocFlags(Gfp2632.GFP_ATOMIC, false, false, true, false)));
    }

    @Test
    void describeOtherWatermarks() {
        assertEquals("ALLOC_WMARK_LOW|ALLOC_CPUSET", AllocFlags.describe(AllocFlags.ALLOC_WMARK_LOW | ALLOC_CPUSET));
        assertEquals("ALLOC_WMARK_HIGH|ALLOC_CPUSET|0x100", AllocFlags.describe(2 | ALLOC_CPUSET | 0x100));
        assertEquals("ALLOC_WMARK_3", AllocFlags.describe(3));
    }
}
