package dev.pagealloc.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 64 GiB preset boots within the memory model's budget: at most 16 bytes of metadata per page. */
class MetadataBudgetTest {
    @Test
    void a64GibMachineSpends16BytesPerPage() {
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.preset("x86_64-64g"))) {
            double perPage = m.allocator.memMap().bytesPerPage();
            assertTrue(perPage <= 16.0, "bytes per page: " + perPage);
            // 64 GiB less the legacy hole 0x9f000-0x100000 (97 pages) and SeaBIOS's 128 KiB
            assertEquals((64L << 30 >> 12) - 97 - 32, m.layout.ramPages());
            assertEquals(List.of(), InvariantChecker.check(m.allocator));
        }
    }
}
