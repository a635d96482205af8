package dev.pagealloc.workloads;

import static dev.pagealloc.gfp.Gfp2632.GFP_ATOMIC;
import static dev.pagealloc.gfp.Gfp2632.GFP_DMA;
import static dev.pagealloc.gfp.Gfp2632.GFP_DMA32;
import static dev.pagealloc.gfp.Gfp2632.GFP_HIGHUSER_MOVABLE;
import static dev.pagealloc.gfp.Gfp2632.GFP_KERNEL;
import static dev.pagealloc.gfp.Gfp2632.GFP_NOWAIT;
import static dev.pagealloc.gfp.Gfp2632.GFP_TEMPORARY;
import static dev.pagealloc.gfp.Gfp2632.__GFP_COLD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.layout.Boot;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.profile.KernelProfile;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random alloc/free programs of 1M operations on every layout, mixing orders, gfp masks
 * (atomic, blocking, movable, reclaimable, DMA, cold) and CPUs, small enough machines that zones
 * fill up, fall back and refuse. The invariant checker runs every 100k operations; at the end every
 * block is freed, the per-CPU lists drained, and buddyinfo must be what it was right after boot
 * (fully merged free memory has one shape, whatever happened in between).
 */
class RandomProgramInvariantsTest {
    static final int OPS = 1_000_000;

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of(Arch.X86_64, 256L << 20, 2, 1L),
                Arguments.of(Arch.I386, 1024L << 20, 2, 2L),
                Arguments.of(Arch.I386_PAE, 1536L << 20, 4, 3L));
    }

    @ParameterizedTest(name = "{0} {1} bytes, {2} cpus, seed {3}")
    @MethodSource("layouts")
    void invariantsHoldAndFreeingEverythingRestoresBoot(Arch arch, long ram, int cpus, long seed) {
        try (Machine m = Boot.boot(Machines.synthesize("random", arch, ram, cpus), KernelProfile.V2_6_32)) {
            PageAllocator a = m.allocator;
            int[][] boot = buddyinfo(m);
            int[] gfps = arch == Arch.X86_64
                    ? new int[] {GFP_KERNEL, GFP_ATOMIC, GFP_HIGHUSER_MOVABLE, GFP_TEMPORARY, GFP_NOWAIT,
                            GFP_KERNEL | __GFP_COLD, GFP_DMA | GFP_KERNEL, GFP_DMA32 | GFP_KERNEL}
                    : new int[] {GFP_KERNEL, GFP_ATOMIC, GFP_HIGHUSER_MOVABLE, GFP_TEMPORARY, GFP_NOWAIT,
                            GFP_KERNEL | __GFP_COLD, GFP_DMA | GFP_ATOMIC};
            SplittableRandom rnd = new SplittableRandom(seed);
            LongArrayList pfns = new LongArrayList();
            IntArrayList orders = new IntArrayList();
            long failures = 0;
            for (int op = 1; op <= OPS; op++) {
                // Bias towards allocating until ~3/4 of RAM is out, then hover around it.
                boolean alloc = pfns.size() < 8 || rnd.nextInt(100) < 52;
                if (alloc) {
                    int order = rnd.nextInt(100) < 70 ? 0 : 1 + Integer.numberOfTrailingZeros(rnd.nextInt(1 << 10) | 1 << 9);
                    int gfp = gfps[rnd.nextInt(gfps.length)];
                    long pfn = a.allocPages(gfp, order, rnd.nextInt(cpus));
                    if (pfn < 0) {
                        failures++;
                    } else {
                        pfns.add(pfn);
                        orders.add(order);
                    }
                } else {
                    int i = rnd.nextInt(pfns.size());
                    long pfn = pfns.get(i);
                    int order = orders.get(i);
                    int last = pfns.size() - 1;
                    pfns.set(i, pfns.get(last));
                    orders.set(i, orders.get(last));
                    pfns.removeAtIndex(last);
                    orders.removeAtIndex(last);
                    a.freePages(pfn, order, rnd.nextInt(cpus), rnd.nextInt(8) == 0);
                }
                if (op % 100_000 == 0) {
                    assertEquals(List.of(), InvariantChecker.check(a), "after " + op + " ops, seed " + seed);
                }
            }
            assertTrue(failures > 0, "the program should have pushed some zone to refuse");
            assertEquals(0, a.badPageCount());
            for (int i = 0; i < pfns.size(); i++) {
                a.freePages(pfns.get(i), orders.get(i), 0);
            }
            a.drainAllPages();
            assertEquals(List.of(), InvariantChecker.check(a));
            int[][] after = buddyinfo(m);
            for (int z = 0; z < boot.length; z++) {
                assertArrayEquals(boot[z], after[z], "zone " + m.zones[z].name + ", seed " + seed);
            }
        }
    }

    private static int[][] buddyinfo(Machine m) {
        int[][] b = new int[m.zones.length][];
        for (Zone z : m.zones) {
            b[z.idx] = z.nrFree.clone();
        }
        return b;
    }
}
