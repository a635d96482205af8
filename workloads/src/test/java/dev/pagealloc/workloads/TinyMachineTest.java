package dev.pagealloc.workloads;

import static dev.pagealloc.gfp.Gfp2632.GFP_HIGHUSER_MOVABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Below pageblock_nr_pages × MIGRATE_TYPES pages (2560 with 2 MiB pageblocks) 2.6.32 turns
 * mobility grouping off (build_all_zonelists): set_pageblock_migratetype() then records every
 * block as MIGRATE_UNMOVABLE — even the reserve block, whose free pages still move to the
 * MIGRATE_RESERVE lists — and every request is treated as unmovable.
 */
class TinyMachineTest {
    static final String TOML = """
            name = "tiny"
            arch = "x86_64"
            cpus = 1
            ram = [ { start = 0x0, end = 0x9f000 }, { start = 0x100000, end = 0x800000 } ]
            """;

    private static int freeOn(Zone z, MigrateType mt) {
        int n = 0;
        for (int o = 0; o < Zone.MAX_ORDER; o++) {
            n += z.listLen[Zone.slot(o, mt.ordinal())];
        }
        return n;
    }

    @Test
    void mobilityGroupingIsOffAndTheReserveBlockReadsUnmovable() {
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.parse(TOML, "tiny.toml"))) {
            assertTrue(m.allocator.buddy().mobilityDisabled());
            Zone dma = m.zone("DMA");
            long[] blocks = m.kernel.views().pageblockCounts(m, dma);
            assertEquals(0, blocks[MigrateType.MIGRATE_RESERVE.ordinal()], "forced to UNMOVABLE");
            int reserveFree = 0;
            for (int o = 0; o < Zone.MAX_ORDER; o++) {
                reserveFree += dma.listLen[Zone.slot(o, MigrateType.MIGRATE_RESERVE.ordinal())];
            }
            assertTrue(reserveFree > 0, "the reserve block's free pages are on the Reserve lists");
            // A movable request is unmovable here: it finds nothing on the UNMOVABLE lists, falls
            // back, and (grouping off) moves the whole pageblock's free pages to UNMOVABLE.
            assertEquals(0, freeOn(dma, MigrateType.MIGRATE_UNMOVABLE));
            long pfn = m.allocator.allocPages(GFP_HIGHUSER_MOVABLE, 1, 0);
            assertTrue(dma.spansPfn(pfn));
            assertTrue(freeOn(dma, MigrateType.MIGRATE_UNMOVABLE) > 0);
            assertEquals(List.of(), InvariantChecker.check(m.allocator));
        }
    }
}
