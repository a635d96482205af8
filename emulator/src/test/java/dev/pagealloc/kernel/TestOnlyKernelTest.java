package dev.pagealloc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.AllocContext;
import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.buddy.BuddyPlacement;
import dev.pagealloc.compaction.Compaction;
import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.kernel.v6_1.Boot61;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.layout.PfnRange;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PcpPolicy;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.trace.TraceFormat;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.watermark.WatermarkCheck;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The proof that a new kernel is one package and one registry line: a kernel written here, in test
 * code alone, from 6.1's parts with one part of its own — per-CPU lists turned off (every order
 * goes straight to and from the buddy lists, as a kernel with {@code pcp_allowed_order()} false
 * would) — registers, boots, allocates, frees and prints its /proc views through the same seam as
 * the real ones.
 */
class TestOnlyKernelTest {
    /** 6.1 with no per-CPU lists: everything but the pcp policy and the name is 6.1's. */
    static final class Linux61NoPcp implements Kernel {
        private final Kernel base = Kernels.byName("6.1");

        @Override
        public String name() {
            return "6.1-nopcp";
        }

        @Override
        public String follows() {
            return "Linux 6.1 with pcp_allowed_order() false (test only)";
        }

        @Override
        public KernelFeatures features() {
            return base.features();
        }

        @Override
        public GfpBits gfp() {
            return base.gfp();
        }

        @Override
        public WatermarkCheck watermarkCheck() {
            return base.watermarkCheck();
        }

        @Override
        public Migratetypes migratetypes() {
            return base.migratetypes();
        }

        @Override
        public BuddyPlacement buddyPlacement() {
            return base.buddyPlacement();
        }

        /** The one part of its own: no order is allowed on the per-CPU lists. */
        @Override
        public PcpPolicy pcpPolicy(AllocContext ctx) {
            return new PcpPolicy() {
                @Override
                public int nrLists() {
                    return 0;
                }

                @Override
                public boolean allowed(int order) {
                    return false;
                }

                @Override
                public int rmqueue(MemMap mm, Zone zone, int order, int migratetype, int allocFlags, boolean cold, int cpu) {
                    throw new AssertionError("no order goes through the per-CPU lists");
                }

                @Override
                public void free(MemMap mm, Zone zone, int page, int order, boolean cold, int cpu) {
                    throw new AssertionError("no order goes through the per-CPU lists");
                }

                @Override
                public void drain(MemMap mm, Zone zone, int cpu) {}
            };
        }

        @Override
        public PageAllocator allocator(AllocContext ctx, PcpPolicy pcp) {
            return base.allocator(ctx, pcp);
        }

        /** 6.1's boot, built from this kernel's parts. */
        @Override
        public Machine boot(MachineLayout layout, boolean withPhysMem) {
            return Boot61.boot(this, layout, withPhysMem);
        }

        @Override
        public void minFreeKbytesSysctl(Machine m, int kbytes) {
            base.minFreeKbytesSysctl(m, kbytes);
        }

        @Override
        public void lowmemReserveRatioSysctl(Machine m) {
            base.lowmemReserveRatioSysctl(m);
        }

        @Override
        public Vmscan newVmscan(PageAllocator a) {
            return base.newVmscan(a);
        }

        @Override
        public Optional<Compaction> newCompaction(PageAllocator a, Vmscan v) {
            return base.newCompaction(a, v);
        }

        @Override
        public ProcViews views() {
            return base.views();
        }

        @Override
        public KernelReports reports() {
            return base.reports();
        }

        @Override
        public TraceFormat traceFormat() {
            return base.traceFormat();
        }
    }

    /** 1 GiB of x86_64 RAM from 1 MiB, 2 CPUs. */
    static MachineLayout layout() {
        return new MachineLayout("nopcp", Arch.X86_64, 2, List.of(new PfnRange(0x100, 0x40000, "RAM")), List.of(),
                0, 0, 15);
    }

    @Test
    void registersBootsAllocatesAndPrintsWithoutPerCpuLists() {
        Kernel nopcp = new Linux61NoPcp();
        try (Kernels.Registration r = Kernels.register(nopcp)) {
            assertTrue(Kernels.names().contains("6.1-nopcp"));
            assertSame(nopcp, Kernels.byName("6.1-nopcp"));
            assertSame(Kernels.byName("6.1"), Kernels.byName("6.1.0-57-amd64"), "a release still finds 6.1 itself");
            try (Machine m = Kernels.byName("6.1-nopcp").boot(layout());
                    Machine real = Kernels.byName("6.1").boot(layout())) {
                assertSame(nopcp, m.kernel);
                int gfp = m.kernel.gfp().mask("GFP_KERNEL");
                int[] before = m.zone("DMA32").nrFree.clone();
                long[] pages = new long[4];
                for (int order = 0; order < 4; order++) {
                    pages[order] = m.allocator.allocPages(gfp, order, 1);
                    assertTrue(pages[order] >= 0, "order " + order);
                    // the same request on the real 6.1 refills CPU 1's list for that order
                    assertTrue(real.allocator.allocPages(gfp, order, 1) >= 0);
                }
                assertEquals(List.of(), InvariantChecker.check(m.allocator));
                for (Zone z : m.zones) {
                    for (PerCpuPages p : z.pcp) {
                        assertEquals(0, p.count, z.name + ": nothing on a per-CPU list");
                    }
                }
                assertNotEquals(0, real.zone("DMA32").pcp[1].count, "6.1 itself keeps the refill on CPU 1's lists");
                for (int order = 0; order < 4; order++) {
                    m.allocator.freePages(pages[order], order, 1);
                }
                // freed straight to the buddy lists, everything merges back as it was after boot
                assertEquals(List.of(), InvariantChecker.check(m.allocator));
                assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(m.zone("DMA32").nrFree));
                // the views are 6.1's, read from this kernel's machine: pagesets of count 0
                String zoneinfo = m.kernel.views().zoneinfo(m);
                assertTrue(zoneinfo.contains("\n        managed  "), zoneinfo);
                assertTrue(zoneinfo.contains("\n              count: 0\n"), zoneinfo);
                assertTrue(m.kernel.views().buddyinfo(m).startsWith("Node 0, zone      DMA "));
            }
        }
        // unregistered again: the name now reads as a release string of 6.1 (like "6.1.0-57-amd64")
        assertEquals(List.of("2.6.32", "6.1"), Kernels.names());
        assertSame(Kernels.byName("6.1"), Kernels.byName("6.1-nopcp"));
    }

    @Test
    void aNameIsRegisteredOnce() {
        Kernel nopcp = new Linux61NoPcp();
        try (Kernels.Registration r = Kernels.register(nopcp)) {
            assertThrows(IllegalArgumentException.class, () -> Kernels.register(new Linux61NoPcp()));
        }
    }
}
