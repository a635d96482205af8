package dev.pagealloc.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.layout.PfnRange;
import dev.pagealloc.mem.MemMapDescriptor;
import dev.pagealloc.profile.Arch;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The invariant checker is right for every kernel: blocks of every order on per-CPU lists (6.1
 * keeps orders 0-3 there) are whole blocks, not stray tails, and a corrupted state is still caught.
 */
class InvariantCheckerTest {
    static Stream<Arguments> kernelsAndArches() {
        return Kernels.names().stream().flatMap(k -> Stream.of(Arch.values()).map(a -> Arguments.of(k, a)));
    }

    static MachineLayout layout(Arch arch) {
        // 1 GiB from 1 MiB: on i386 HighMem starts at the kernel's default max_low_pfn
        return new MachineLayout("check", arch, 2, List.of(new PfnRange(0x100, 0x40000, "RAM")), List.of(), 0, 0, 15);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kernelsAndArches")
    void allocAndFreeOfEveryPcpOrderLeaveNoViolation(String name, Arch arch) {
        Kernel k = Kernels.byName(name);
        try (Machine m = k.boot(layout(arch))) {
            int gfp = k.gfp().mask("GFP_KERNEL");
            for (int order = 0; order <= 3; order++) {
                long pfn = m.allocator.allocPages(gfp, order, 1);
                assertTrue(pfn >= 0, "order " + order);
                assertEquals(List.of(), InvariantChecker.check(m.allocator), "allocated order " + order);
                m.allocator.freePages(pfn, order, 1);
                assertEquals(List.of(), InvariantChecker.check(m.allocator), "freed order " + order);
            }
            // a corrupted state is still seen: a free head turned into a stray tail
            long pfn = m.allocator.allocPages(gfp, 2, 0);
            m.allocator.memMap().setStateOrder((int) pfn, MemMapDescriptor.PS_TAIL, 0);
            assertFalse(InvariantChecker.check(m.allocator).isEmpty());
        }
    }
}
