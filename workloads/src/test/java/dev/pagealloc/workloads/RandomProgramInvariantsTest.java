package dev.pagealloc.workloads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random alloc/free programs of 1M operations on every registered kernel and every layout,
 * mixing orders, gfp masks (atomic, blocking, movable, reclaimable, DMA, cold) and CPUs, small
 * enough machines that zones fill up, fall back and refuse. The invariant checker runs every 100k
 * operations; at the end every block is freed, the per-CPU lists drained, and every zone has its
 * boot's free pages back. Where nothing keeps two free buddies apart (no pageblock is in a
 * HighAtomic reserve, which 4.4+ kernels do not merge across at pageblock order), buddyinfo must
 * be what it was right after boot: fully merged free memory has one shape, whatever happened in
 * between.
 */
class RandomProgramInvariantsTest {
    static final int OPS = 1_000_000;

    static Stream<Arguments> layouts() {
        return Kernels.names().stream().flatMap(k -> Stream.of(
                Arguments.of(k, Arch.X86_64, 256L << 20, 2, 1L),
                Arguments.of(k, Arch.I386, 1024L << 20, 2, 2L),
                Arguments.of(k, Arch.I386_PAE, 1536L << 20, 4, 3L)));
    }

    /**
     * The program's masks in the kernel's own layout, by what they mean: GFP_TEMPORARY (gone in
     * 4.14) is what it was, GFP_KERNEL with __GFP_RECLAIMABLE; __GFP_COLD (gone in 4.15) is 0 where
     * the layout has no such bit.
     */
    static int[] masks(GfpBits g, Arch arch) {
        int kernel = g.mask("GFP_KERNEL");
        int temporary = kernel | g.bit("__GFP_RECLAIMABLE");
        int cold = kernel | g.bit("__GFP_COLD");
        return arch == Arch.X86_64
                ? new int[] {kernel, g.mask("GFP_ATOMIC"), g.mask("GFP_HIGHUSER_MOVABLE"), temporary, g.mask("GFP_NOWAIT"),
                        cold, g.mask("GFP_DMA") | kernel, g.mask("GFP_DMA32") | kernel}
                : new int[] {kernel, g.mask("GFP_ATOMIC"), g.mask("GFP_HIGHUSER_MOVABLE"), temporary, g.mask("GFP_NOWAIT"),
                        cold, g.mask("GFP_DMA") | g.mask("GFP_ATOMIC")};
    }

    @ParameterizedTest(name = "{0}: {1} {2} bytes, {3} cpus, seed {4}")
    @MethodSource("layouts")
    void invariantsHoldAndFreeingEverythingRestoresBoot(String kernel, Arch arch, long ram, int cpus, long seed) {
        try (Machine m = Kernels.byName(kernel).boot(Machines.synthesize("random", arch, ram, cpus))) {
            PageAllocator a = m.allocator;
            int[][] boot = buddyinfo(m);
            long[] bootFree = freePages(m);
            int[] gfps = masks(m.kernel.gfp(), arch);
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
            assertArrayEquals(bootFree, freePages(m), "every page back, seed " + seed);
            int[][] after = buddyinfo(m);
            for (Zone z : m.zones) {
                if (z.nrReservedHighatomic == 0) {
                    assertArrayEquals(boot[z.idx], after[z.idx], "zone " + z.name + ", seed " + seed);
                }
            }
        }
    }

    private static long[] freePages(Machine m) {
        long[] f = new long[m.zones.length];
        for (Zone z : m.zones) {
            f[z.idx] = z.freePages();
        }
        return f;
    }

    private static int[][] buddyinfo(Machine m) {
        int[][] b = new int[m.zones.length][];
        for (Zone z : m.zones) {
            b[z.idx] = z.nrFree.clone();
        }
        return b;
    }
}
