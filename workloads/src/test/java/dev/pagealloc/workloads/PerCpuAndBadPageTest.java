package dev.pagealloc.workloads;

import static dev.pagealloc.gfp.Gfp2632.GFP_KERNEL;
import static dev.pagealloc.gfp.Gfp2632.__GFP_COLD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-CPU list behaviour of 2.6.32 (kernel-spec.md §5.1–5.2, mm/page_alloc.c rmqueue_bulk,
 * free_hot_cold_page, free_pcppages_bulk) on the seed machine (high 186, batch 31), and the
 * bad_page() handling of invalid frees.
 */
class PerCpuAndBadPageTest {
    Machine m;
    PageAllocator a;
    Zone normal;
    List<String> log = new ArrayList<>();

    @BeforeEach
    void boot() {
        m = Kernels.byName("2.6.32").boot(Machines.preset("seed-4g"));
        a = m.allocator;
        a.setPrintk(log::add);
        normal = m.zone("Normal");
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    void anEmptyListIsRefilledWithBatchPagesInPhysicalOrder() {
        long before = normal.freePages();
        long first = a.allocPages(GFP_KERNEL, 0, 0);
        assertTrue(normal.spansPfn(first));
        assertEquals(before - 31, normal.freePages(), "rmqueue_bulk takes batch = 31 pages");
        assertEquals(30, normal.pcp[0].count);
        for (int i = 1; i < 31; i++) {
            assertEquals(first + i, a.allocPages(GFP_KERNEL, 0, 0), "hot pages come off in pfn order");
        }
        assertEquals(0, normal.pcp[0].count);
        assertEquals(before - 31, normal.freePages());
    }

    @Test
    void aColdRefillHandsOutTheSameFirstPage() {
        // rmqueue_bulk's moving cursor: cold refills are in reverse order, taken from the tail.
        long hot;
        try (Machine other = Kernels.byName("2.6.32").boot(Machines.preset("seed-4g"))) {
            hot = other.allocator.allocPages(GFP_KERNEL, 0, 0);
        }
        long cold = a.allocPages(GFP_KERNEL | __GFP_COLD, 0, 0);
        assertEquals(hot, cold);
        assertEquals(cold + 1, a.allocPages(GFP_KERNEL | __GFP_COLD, 0, 0));
    }

    @Test
    void reachingHighReturnsBatchPagesToTheBuddy() {
        long[] pages = new long[186];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = a.allocPages(GFP_KERNEL, 0, 1);
        }
        long free = normal.freePages();
        int count = normal.pcp[0].count;
        for (int i = 0; i < 185; i++) {
            a.freePages(pages[i], 0, 0);
        }
        assertEquals(count + 185, normal.pcp[0].count);
        assertEquals(free, normal.freePages(), "below high nothing reaches the buddy");
        a.freePages(pages[185], 0, 0);
        assertEquals(count + 186 - 31, normal.pcp[0].count, "count >= high drains batch");
        assertEquals(free + 31, normal.freePages());
        assertEquals(List.of(), InvariantChecker.check(a));
    }

    @Test
    void dmaHasHighZeroSoEveryFreeGoesStraightBack() {
        Zone dma = m.zone("DMA");
        long free = dma.freePages();
        long pfn = a.allocPages(0x01 | GFP_KERNEL, 0, 0); // GFP_DMA | GFP_KERNEL
        assertTrue(dma.spansPfn(pfn));
        a.freePages(pfn, 0, 0);
        assertEquals(0, dma.pcp[0].count);
        assertEquals(free, dma.freePages());
    }

    @Test
    void splittingHandsOutTheLowestPagesOfTheBlock() {
        // expand(): the upper halves go back on the lists, the caller gets the lowest 2^order pages.
        long pfn = a.allocPages(GFP_KERNEL, 3, 0);
        assertEquals(0, pfn & 7);
        long next = a.allocPages(GFP_KERNEL, 3, 0);
        assertEquals(pfn + 8, next, "the order-3 upper half split off last is at the head of its list");
    }

    @Test
    void doubleFreeIsReportedLikeBadPageAndTheEmulatorGoesOn() {
        long pfn = a.allocPages(GFP_KERNEL, 2, 0);
        a.freePages(pfn, 2, 0);
        a.freePages(pfn, 2, 0);
        assertEquals(1, a.badPageCount());
        assertTrue(log.get(0).startsWith("BUG: Bad page state in process pagealloc  pfn:"), log.get(0));
        assertEquals(String.format("BUG: Bad page state in process pagealloc  pfn:%05x", pfn), log.get(0));
        assertTrue(log.get(1).startsWith("page:ffffea"), log.get(1));
        assertEquals(List.of(), InvariantChecker.check(a));
        assertTrue(a.allocPages(GFP_KERNEL, 2, 0) >= 0, "allocation still works");
    }

    @Test
    void wrongOrderAndReservedFreesAreRefused() {
        long pfn = a.allocPages(GFP_KERNEL, 3, 0);
        a.freePages(pfn, 2, 0);
        a.freePages(0, 0, 0); // pfn 0 is the BIOS page: PageReserved
        a.freePages(-5, 0, 0);
        assertEquals(3, a.badPageCount());
        assertTrue(log.stream().anyMatch(l -> l.contains("allocated as order 3")), log.toString());
        assertEquals(List.of(), InvariantChecker.check(a));
        a.freePages(pfn, 3, 0);
        assertEquals(3, a.badPageCount());
    }

    @Test
    void theInvariantCheckerNoticesCorruption() {
        normal.nrFree[3]++;
        assertFalse(InvariantChecker.check(a).isEmpty());
        normal.nrFree[3]--;
        assertEquals(List.of(), InvariantChecker.check(a));
        normal.pcp[1].count++;
        assertFalse(InvariantChecker.check(a).isEmpty());
    }
}
