package dev.pagealloc.workloads;

import static dev.pagealloc.gfp.Gfp2632.GFP_KERNEL;
import static dev.pagealloc.gfp.Gfp2632.__GFP_ZERO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.profile.Arch;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The emulated RAM behind the allocator: __GFP_ZERO really zeroes, integrity mode catches writes after free-time. */
class PhysMemAllocTest {
    @Test
    void gfpZeroZeroesTheFramesItHandsOut() {
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.synthesize("z", Arch.X86_64, 512L << 20, 1), true)) {
            var a = m.allocator;
            long pfn = a.allocPages(GFP_KERNEL, 2, 0);
            for (int i = 0; i < 4; i++) {
                a.physMem().pageAddress(pfn + i).fill((byte) 0x5a);
            }
            a.freePages(pfn, 2, 0);
            long again = a.allocPages(GFP_KERNEL | __GFP_ZERO, 2, 0);
            assertEquals(pfn, again, "the block just freed is at the head of its list");
            for (int i = 0; i < 4; i++) {
                MemorySegment page = a.physMem().pageAddress(again + i);
                assertEquals(4096, page.byteSize());
                for (long off = 0; off < 4096; off += 8) {
                    assertEquals(0L, page.get(ValueLayout.JAVA_LONG, off));
                }
            }
        }
    }

    @Test
    void integrityModeReportsAFrameChangedBehindTheAllocatorsBack() {
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.synthesize("i", Arch.I386_PAE, 1024L << 20, 2), true)) {
            var a = m.allocator;
            List<String> log = new ArrayList<>();
            a.setPrintk(log::add);
            a.setIntegrity(true);
            long good = a.allocPages(GFP_KERNEL, 1, 0);
            long bad = a.allocPages(GFP_KERNEL, 1, 1);
            a.physMem().pageAddress(bad + 1).set(ValueLayout.JAVA_BYTE, 4095, (byte) 1);
            a.freePages(good, 1, 0);
            a.freePages(bad, 1, 1);
            assertEquals(1, a.badPageCount());
            assertTrue(log.get(2).contains("integrity"), log.toString());
            assertEquals(List.of(), InvariantChecker.check(a));
        }
    }
}
