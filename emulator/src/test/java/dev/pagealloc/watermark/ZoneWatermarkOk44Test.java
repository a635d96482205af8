package dev.pagealloc.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.gfp.AllocFlags;
import org.junit.jupiter.api.Test;

/**
 * The 4.4+ check against kernel-spec.md §4.2 and §4.6's contrast: the seed's DMA32 zone refuses an
 * order-4 GFP_KERNEL request under 2.6.32's per-order halving but passes under 4.4's free-block
 * search (3125 > 1769 + 505, and order-4+ blocks exist on U/M/E lists).
 */
class ZoneWatermarkOk44Test {
    /** A zone given by numbers; {@code types[o]} are the letters of the non-empty lists at order o. */
    record Z(long free, int[] nrFree, long[] reserve, String[] types, long highatomic) implements ZoneView {
        @Override
        public long freePages() {
            return free;
        }

        @Override
        public int nrFree(int order) {
            return nrFree[order];
        }

        @Override
        public long lowmemReserve(int idx) {
            return reserve[idx];
        }

        @Override
        public boolean hasFreeList(int order, char type) {
            return nrFree[order] > 0 && types[order].indexOf(type) >= 0;
        }

        @Override
        public long reservedHighatomic() {
            return highatomic;
        }
    }

    static final int[] SEED_DMA32 = {2360, 80, 21, 7, 4, 1, 2, 0, 1, 0, 0};
    static final String[] UME = {"UME", "UME", "UME", "UME", "UME", "UME", "UME", "UME", "UME", "UME", "UME"};

    @Test
    void seedDma32RefusesUnder2632ButPassesUnder44() {
        Z dma32 = new Z(3140, SEED_DMA32, new long[] {0, 0, 505, 505}, UME, 0);
        WatermarkVerdict v = new WatermarkVerdict();
        assertFalse(ZoneWatermarkOk2632.INSTANCE.zoneWatermarkOk(dma32, 4, 1769, 2, 0, v));
        assertEquals(0, v.failedAtOrder);
        assertTrue(new ZoneWatermarkOk44(ZoneWatermarkOk44.Variant.V4_13).zoneWatermarkOk(dma32, 4, 1769, 2, 0, v));
        assertEquals(3125, v.freeAtStep);
        assertEquals(1769 + 505, v.minAtStep);
    }

    @Test
    void onlyHighatomicBlocksAreForHarderRequests() {
        int[] nr = {500, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        String[] types = {"UM", "", "", "", "H", "", "", "", "", "", ""};
        Z z = new Z(516, nr, new long[] {0, 0, 0}, types, 16);
        var check = new ZoneWatermarkOk44(ZoneWatermarkOk44.Variant.V4_13);
        WatermarkVerdict v = new WatermarkVerdict();
        // not harder: the highatomic pages are subtracted and its block is off limits
        assertFalse(check.zoneWatermarkOk(z, 4, 100, 0, 0, v));
        assertEquals(ZoneWatermarkOk44.NO_SUITABLE_BLOCK, v.failedAtOrder);
        assertEquals(516 - 15 - 16, v.freeAtStep);
        // ALLOC_HARDER (GFP_ATOMIC in 4.4-6.3) may take the highatomic block; min drops by a quarter
        assertTrue(check.zoneWatermarkOk(z, 4, 100, 0, AllocFlags.ALLOC_HARDER, v));
        assertEquals(75, v.min);
    }

    @Test
    void sixFourNonBlockAloneDoesNotLowerMin() {
        Z z = new Z(1000, new int[11], new long[] {0}, UME, 0);
        var check = new ZoneWatermarkOk44(ZoneWatermarkOk44.Variant.V6_4);
        WatermarkVerdict v = new WatermarkVerdict();
        check.zoneWatermarkOk(z, 0, 400, 0, AllocFlags.ALLOC_HARDER, v); // ALLOC_NON_BLOCK
        assertEquals(400, v.min, "GFP_NOWAIT-like: no access to the min reserve");
        check.zoneWatermarkOk(z, 0, 400, 0, AllocFlags.ALLOC_HIGH | AllocFlags.ALLOC_HARDER, v);
        assertEquals(150, v.min, "GFP_ATOMIC: 400 - 200, then - 50");
    }
}
