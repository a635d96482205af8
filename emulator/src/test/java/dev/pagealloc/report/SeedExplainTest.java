package dev.pagealloc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.report.Explanation.ZoneVerdict;
import dev.pagealloc.report.FailureReport.ZoneReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The explanation of the seed report (shared/seeds/001_…), the must-hold list: DMA refused
 * by lowmem_reserve (3975 − 15 is not above 7 + 4016), DMA32 at the order-0 step (765 ≤ 884 in the
 * min pass), Normal at the order-3 step; fragmentation in DMA32; GFP_ATOMIC would have succeeded
 * from DMA32; no OOM kill because order 4 > 3 (kernel-spec.md §4.6).
 */
class SeedExplainTest {
    static FailureReport seed() {
        ZoneReport dma = new ZoneReport(0, "DMA", Map.of("free", 15900L, "min", 28L, "low", 32L, "high", 40L,
                "present", 15336L), 0L, false, new long[] {0, 3511, 4016, 4016},
                new long[] {3, 2, 4, 2, 2, 0, 1, 0, 1, 1, 3}, null, 15900L);
        ZoneReport dma32 = new ZoneReport(0, "DMA32", Map.of("free", 12560L, "min", 7076L, "low", 8844L, "high", 10612L,
                "present", 3596192L), 0L, false, new long[] {0, 0, 505, 505},
                new long[] {2360, 80, 21, 7, 4, 1, 2, 0, 1, 0, 0}, null, 12560L);
        ZoneReport normal = new ZoneReport(0, "Normal", Map.of("free", 2180L, "min", 1016L, "low", 1268L, "high", 1524L,
                "present", 517120L), 0L, false, new long[] {0, 0, 0, 0},
                new long[] {377, 14, 17, 9, 0, 0, 0, 0, 0, 0, 0}, null, 2180L);
        return new FailureReport(1, 60, "imap", 4, 0xc0d0, null, "2.6", "2.6.32-41-server", null, null, null,
                Map.of("free", 7660L), Map.of(),
                List.of(new FailureReport.PerCpuLine(0, "DMA32", 0, 186, 31, 0),
                        new FailureReport.PerCpuLine(0, "DMA", 0, 0, 1, 0)),
                List.of(dma, dma32, normal), Map.of("pages RAM", 1048576L, "pages reserved", 34079L), List.of(),
                List.of());
    }

    @Test
    void everyZoneRefusedAtTheSpecsStep() {
        Explanation e = Explainer.explain(seed(), null);
        assertEquals("2.6.32-41-server", e.kernel());
        assertEquals("Normal", e.gfp().zone());
        assertEquals("Unmovable", e.gfp().migratetype());
        ZoneVerdict dma = e.zones().get(0);
        ZoneVerdict dma32 = e.zones().get(1);
        ZoneVerdict normal = e.zones().get(2);
        assertEquals("refused", dma.verdict());
        assertTrue(dma.reason().startsWith("lowmem_reserve"), dma.reason());
        assertEquals(3960 - (7 + 4016), dma.marginPages());
        assertTrue(dma.failedCheck().contains("3960 <= min 7 + lowmem_reserve[2] 4016"), dma.failedCheck());
        assertEquals("refused", dma32.verdict());
        assertTrue(dma32.failedCheck().startsWith("order-0 step"), dma32.failedCheck());
        assertEquals(765 - 884, dma32.marginPages());
        assertTrue(dma32.reason().startsWith("fragmentation"), dma32.reason());
        assertTrue(normal.failedCheck().startsWith("order-3 step"), normal.failedCheck());
        assertEquals(-15 - 15, normal.marginPages());
        assertEquals("fragmentation", e.diagnosis().kind());
        assertTrue(e.diagnosis().summary().contains("Node 0 DMA32"), e.diagnosis().summary());
        assertFalse(e.diagnosis().oomKillerWouldRun());
        assertTrue(e.diagnosis().oomReason().contains("order 4 > PAGE_ALLOC_COSTLY_ORDER"), e.diagnosis().oomReason());
        var atomic = e.whatIf().get(0);
        assertTrue(atomic.change().contains("GFP_ATOMIC"));
        assertTrue(atomic.wouldSucceed());
        assertEquals("would succeed from Node 0 DMA32", atomic.detail());
    }

    @Test
    void firstPrinciplesReproduceThePrintedNumbers() {
        Explanation e = Explainer.explain(seed(), null);
        for (ZoneVerdict z : e.zones()) {
            assertEquals(z.reported(), z.recomputed(), z.zone());
        }
        assertEquals(List.of(0L, 3511L, 4016L, 4016L), boxed(e.zones().get(0).lowmemReserveRecomputed()));
        assertEquals(List.of(0L, 0L, 505L, 505L), boxed(e.zones().get(1).lowmemReserveRecomputed()));
        assertEquals(8127, e.minFreeKbytes().bootDefault());
        assertTrue(e.minFreeKbytes().inferredLow() <= 8127 && 8127 <= e.minFreeKbytes().inferredHigh());
        assertFalse(e.minFreeKbytes().raised());
        // spec §3.5 step 3: only pages_min 2031..2032 fits, i.e. min_free_kbytes 8124..8131
        assertEquals(8124, e.minFreeKbytes().inferredLow());
        assertEquals(8131, e.minFreeKbytes().inferredHigh());
        assertTrue(e.warnings().stream().noneMatch(w -> w.contains("zone_batchsize")), e.warnings().toString());
    }

    @Test
    void aRaisedMinFreeKbytesIsFlagged() {
        FailureReport r = seed();
        // Same machine with min_free_kbytes 65536: pages_min 16384 -> DMA 60, DMA32 14271, Normal 2052
        ZoneReport dma32 = r.zones().get(1);
        java.util.HashMap<String, Long> kb = new java.util.HashMap<>(dma32.kb());
        kb.put("min", 14271L * 4);
        ZoneReport raisedDma32 = new ZoneReport(0, "DMA32", kb, 0L, false, dma32.lowmemReserve(), dma32.buddy(), null,
                dma32.buddyTotalKb());
        ZoneReport dma = r.zones().get(0);
        java.util.HashMap<String, Long> kb0 = new java.util.HashMap<>(dma.kb());
        kb0.put("min", 60L * 4);
        ZoneReport normal = r.zones().get(2);
        java.util.HashMap<String, Long> kb2 = new java.util.HashMap<>(normal.kb());
        kb2.put("min", 2052L * 4);
        FailureReport raised = new FailureReport(1, 60, "imap", 4, 0xc0d0, null, "2.6", "2.6.32", null, null, null,
                r.global(), r.nodes(), r.perCpu(),
                List.of(new ZoneReport(0, "DMA", kb0, 0L, false, dma.lowmemReserve(), dma.buddy(), null, 15900L),
                        raisedDma32,
                        new ZoneReport(0, "Normal", kb2, 0L, false, normal.lowmemReserve(), normal.buddy(), null, 2180L)),
                r.totals(), List.of(), List.of());
        Explanation e = Explainer.explain(raised, null);
        assertTrue(e.minFreeKbytes().raised(), e.minFreeKbytes().toString());
        assertTrue(e.minFreeKbytes().note().contains("the default for this machine is 8127"), e.minFreeKbytes().note());
        assertTrue(e.minFreeKbytes().inferredLow() <= 65536 && 65536 <= e.minFreeKbytes().inferredHigh(),
                e.minFreeKbytes().toString());
    }

    private static List<Long> boxed(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
