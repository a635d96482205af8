package dev.pagealloc.workloads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed machine booted as 2.6.32: every number the seed report prints about the zones
 * (shared/seeds/001_10e904e437390ad7.txt; arithmetic in kernel-spec.md §3.5 and §5.1).
 */
class SeedMachineTest {
    static Machine m;

    @BeforeAll
    static void boot() {
        m = Kernels.byName("2.6.32").boot(Machines.preset("seed-4g"));
    }

    @AfterAll
    static void close() {
        m.close();
    }

    @Test
    void presentPagesMatchTheReport() {
        // "present:15336kB", "present:3596192kB", "present:517120kB"
        assertEquals(15336 / 4, m.zone("DMA").presentPages);
        assertEquals(3596192 / 4, m.zone("DMA32").presentPages);
        assertEquals(517120 / 4, m.zone("Normal").presentPages);
    }

    @Test
    void minFreeKbytesIsTheSquareRootRule() {
        assertEquals(8127, m.minFreeKbytes()); // spec §3.5 step 1
    }

    @Test
    void watermarksMatchTheReport() {
        // "min:28kB low:32kB high:40kB", "min:7076kB low:8844kB high:10612kB", "min:1016kB low:1268kB high:1524kB"
        assertWatermarks(m.zone("DMA"), 28, 32, 40);
        assertWatermarks(m.zone("DMA32"), 7076, 8844, 10612);
        assertWatermarks(m.zone("Normal"), 1016, 1268, 1524);
    }

    private static void assertWatermarks(Zone z, long minKb, long lowKb, long highKb) {
        assertArrayEquals(new long[] {minKb / 4, lowKb / 4, highKb / 4}, z.watermark, z.name);
    }

    @Test
    void lowmemReserveMatchesTheReport() {
        // "lowmem_reserve[]: 0 3511 4016 4016", "0 0 505 505", "0 0 0 0"
        assertArrayEquals(new long[] {0, 3511, 4016, 4016}, m.zone("DMA").lowmemReserve);
        assertArrayEquals(new long[] {0, 0, 505, 505}, m.zone("DMA32").lowmemReserve);
        assertArrayEquals(new long[] {0, 0, 0, 0}, m.zone("Normal").lowmemReserve);
    }

    @Test
    void perCpuPagesetsMatchTheReport() {
        // "CPU    0: hi:    0, btch:   1 usd:   0" for DMA, "hi:  186, btch:  31" for DMA32 and Normal
        for (int cpu = 0; cpu < 2; cpu++) {
            assertEquals(0, m.zone("DMA").pcp[cpu].high);
            assertEquals(1, m.zone("DMA").pcp[cpu].batch);
            assertEquals(186, m.zone("DMA32").pcp[cpu].high);
            assertEquals(31, m.zone("DMA32").pcp[cpu].batch);
            assertEquals(186, m.zone("Normal").pcp[cpu].high);
            assertEquals(31, m.zone("Normal").pcp[cpu].batch);
            assertEquals(0, m.zone("Normal").pcp[cpu].count);
        }
    }

    @Test
    void dmaFreeListsAfterBootAreTheReportsDmaLine() {
        // "Node 0 DMA: 3*4kB 2*8kB 4*16kB 2*32kB 2*64kB 0*128kB 1*256kB 0*512kB 1*1024kB 1*2048kB 3*4096kB = 15900kB"
        // Nothing allocates from DMA on that machine, so its free lists are still those of boot:
        // this checks free_all_bootmem + __free_one_page merging around the reserved low pages.
        assertArrayEquals(new int[] {3, 2, 4, 2, 2, 0, 1, 0, 1, 1, 3}, m.zone("DMA").nrFree);
        assertEquals(15900 / 4, m.zone("DMA").freePages());
    }
}
