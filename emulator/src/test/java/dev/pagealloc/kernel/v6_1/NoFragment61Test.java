package dev.pagealloc.kernel.v6_1;

import static dev.pagealloc.gfp.AllocFlags.ALLOC_NOFRAGMENT;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.FreeListLoader;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.layout.PfnRange;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ALLOC_NOFRAGMENT as Debian's 6.1.192 has it (linux-source-6.1 6.1.192-3, mm/page_alloc.c).
 *
 * <p>The machines: a fragmented Normal zone, its free memory loaded as order-3 blocks on the
 * Movable lists only (no free Unmovable page, no free block of pageblock order), the zones below
 * it as booted.
 */
class NoFragment61Test {
    static final int UNMOVABLE = MigrateType.MIGRATE_UNMOVABLE.ordinal();
    static final int MOVABLE = MigrateType.MIGRATE_MOVABLE.ordinal();

    /** 5 GiB x86_64: DMA, DMA32 up to 3 GiB, Normal 2 GiB above 4 GiB. */
    static MachineLayout x86_64() {
        return new MachineLayout("test-x86_64-5g", Arch.X86_64, 1,
                List.of(new PfnRange(1, 0x9f, "ram"), new PfnRange(0x100, 0xc0000, "ram"),
                        new PfnRange(0x100000, 0x180000, "ram")),
                List.of(new PfnRange(0x1000, 0x1c00, "kernel")), 0, 0, 15);
    }

    /** 512 MiB i386-PAE: DMA and Normal, all lowmem. */
    static MachineLayout i386Pae() {
        return new MachineLayout("test-i386-pae-512m", Arch.I386_PAE, 1,
                List.of(new PfnRange(1, 0x9f, "ram"), new PfnRange(0x100, 0x20000, "ram")),
                List.of(new PfnRange(0x1000, 0x1c00, "kernel")), 0, 0, 17);
    }

    static MachineLayout layout(String arch) {
        return arch.equals("x86_64") ? x86_64() : i386Pae();
    }

    static String zoneOf(Machine m, long pfn) {
        for (Zone z : m.zones) {
            if (pfn >= z.zoneStartPfn && pfn < z.zoneEndPfn()) {
                return z.name;
            }
        }
        return "none";
    }

    /**
     * {@code alloc_flags_nofragment()}, mm/page_alloc.c:4194: the flag is set for a request whose
     * preferred zone is Normal only inside {@code #ifdef CONFIG_ZONE_DMA32} (:4204-4221). On x86_64
     * the GFP_KERNEL request's {@code __rmqueue_fallback()} may then not steal below pageblock_order
     * in Normal (:3048), Normal yields nothing and the zonelist walk moves on to DMA32, which has
     * whole free pageblocks to take. i386 builds have no ZONE_DMA32, so no ALLOC_NOFRAGMENT: the
     * request steals an order-3 Movable block in Normal, its preferred zone.
     */
    @ParameterizedTest
    @CsvSource({"x86_64, DMA32", "i386-pae, Normal"})
    void unmovableRequestOnAFragmentedNormalZone(String arch, String expectedZone) {
        try (Machine m = Kernels.byName("6.1").boot(layout(arch))) {
            Zone normal = m.zone("Normal");
            int[] nrFree = new int[Zone.MAX_ORDER];
            nrFree[3] = 2000; // 16000 pages, far above Normal's low watermark on both machines
            FreeListLoader.load(m.allocator, normal, nrFree, MOVABLE);
            assertTrue(normal.freePages() > normal.lowWmark(), "Normal passes its watermark");

            long pfn = m.allocator.allocPages(m.kernel.gfp().mask("GFP_KERNEL"), 0, 0);

            assertTrue(pfn >= 0, "GFP_KERNEL order 0 on a machine with free memory");
            assertEquals(expectedZone, zoneOf(m, pfn), arch + ": pfn " + pfn);
        }
    }

    /**
     * {@code __rmqueue_fallback()}, mm/page_alloc.c:3047-3049 of 6.1.192: {@code if (order <
     * pageblock_order && alloc_flags & ALLOC_NOFRAGMENT) min_order = pageblock_order;}. An order-10
     * request (above x86_64's pageblock order 9) therefore searches orders 10 down to 10 only: with
     * nothing free at order 10 it steals nothing, even though order-9 Movable blocks are free (the
     * model lowered min_order to 9 for it and stole a whole order-9 pageblock it could not use).
     */
    @Test
    void nofragmentNeverSearchesBelowTheRequestsOrder() {
        try (Machine m = Kernels.byName("6.1").boot(x86_64())) {
            Zone normal = m.zone("Normal");
            int[] nrFree = new int[Zone.MAX_ORDER];
            nrFree[9] = 20;
            FreeListLoader.load(m.allocator, normal, nrFree, MOVABLE);
            Rmqueue61 rmq = new Rmqueue61(m.allocator.context(), 0);
            int unmovableBlocks = unmovablePageblocks(m, normal);

            assertFalse(rmq.rmqueueFallback(normal, 10, UNMOVABLE, ALLOC_WMARK_LOW | ALLOC_NOFRAGMENT));

            assertEquals(unmovableBlocks, unmovablePageblocks(m, normal), "no pageblock changed type");
            assertEquals(20, normal.nrFree[9], "the order-9 blocks stay free where they were");
            // below pageblock_order the flag still holds the search at pageblock order: an order-3
            // request finds the order-9 blocks and claims one
            assertTrue(rmq.rmqueueFallback(normal, 3, UNMOVABLE, ALLOC_WMARK_LOW | ALLOC_NOFRAGMENT));
            assertEquals(unmovableBlocks + 1, unmovablePageblocks(m, normal));
        }
    }

    static int unmovablePageblocks(Machine m, Zone z) {
        int n = 0;
        int step = 1 << m.allocator.memMap().pageblockOrder();
        for (long pfn = z.zoneStartPfn; pfn < z.zoneEndPfn(); pfn += step) {
            if (m.allocator.memMap().pageblockMigratetype(pfn) == UNMOVABLE) {
                n++;
            }
        }
        return n;
    }
}
