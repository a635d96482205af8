package dev.pagealloc.gfp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.mmzone.ZoneType;
import dev.pagealloc.profile.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class GfpZoneTest {

    @Test
    void tableValuesMatchSpec15() {
        assertEquals(0x1320122L, GfpZone.gfpZoneTable(Arch.X86_64));
        assertEquals(0x1310121L, GfpZone.gfpZoneTable(Arch.I386));
        assertEquals(0x1310121L, GfpZone.gfpZoneTable(Arch.I386_PAE));
        for (Arch a : Arch.values()) {
            assertEquals(2, GfpZone.zonesShift(a));
        }
    }

    @Test
    void zoneBadIs0xe8e8() {
        assertEquals(0xe8e8, GfpZone.GFP_ZONE_BAD);
        assertEquals(Gfp2632.GFP_ZONEMASK, GfpZone.GFP_ZONEMASK);
    }

    /** Spec §1.5 table: low four bits, x86_64 result, i386 result. */
    @ParameterizedTest
    @CsvSource({
        "0x0, NORMAL, NORMAL",
        "0x1, DMA, DMA",
        "0x2, NORMAL, HIGHMEM",
        "0x4, DMA32, NORMAL",
        "0x8, NORMAL, NORMAL",
        "0x9, DMA, DMA",
        "0xa, MOVABLE, MOVABLE",
        "0xc, DMA32, NORMAL",
    })
    void specRows(String bits, ZoneType x86_64, ZoneType i386) {
        int b = Integer.decode(bits);
        assertEquals(Arch.X86_64.zoneIndex(x86_64), GfpZone.gfpZone(b, Arch.X86_64));
        assertEquals(Arch.I386.zoneIndex(i386), GfpZone.gfpZone(b, Arch.I386));
        assertEquals(Arch.I386_PAE.zoneIndex(i386), GfpZone.gfpZone(b, Arch.I386_PAE));
        // Bits above the zone mask never matter.
        assertEquals(GfpZone.gfpZone(b, Arch.X86_64), GfpZone.gfpZone(b | 0xc0d0, Arch.X86_64));
        assertEquals(GfpZone.gfpZone(b, Arch.I386), GfpZone.gfpZone(b | 0x3ffff0, Arch.I386));
    }

    @Test
    void compositesLandInTheExpectedZone() {
        assertEquals(2, GfpZone.gfpZone(0xc0d0, Arch.X86_64)); // spec §1.3: ZONE_NORMAL
        assertEquals(1, GfpZone.gfpZone(0xc0d0, Arch.I386));   // ZONE_NORMAL is index 1 on i386
        assertEquals(3, GfpZone.gfpZone(Gfp2632.GFP_HIGHUSER_MOVABLE, Arch.X86_64));
        assertEquals(2, GfpZone.gfpZone(Gfp2632.GFP_HIGHUSER, Arch.X86_64));
        assertEquals(2, GfpZone.gfpZone(Gfp2632.GFP_HIGHUSER, Arch.I386));
        assertEquals(0, GfpZone.gfpZone(Gfp2632.GFP_ATOMIC | Gfp2632.GFP_DMA, Arch.I386));
        assertEquals(1, GfpZone.gfpZone(Gfp2632.GFP_KERNEL | Gfp2632.GFP_DMA32, Arch.X86_64));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void badCombinationsThrow(Arch arch) {
        for (int bit = 0; bit < 16; bit++) {
            boolean bad = bit == 3 || bit == 5 || bit == 6 || bit == 7 || bit == 11 || bit == 13 || bit == 14
                    || bit == 15;
            int flags = Gfp2632.GFP_KERNEL | bit;
            if (bad) {
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> GfpZone.gfpZone(flags, arch));
                assertTrue(e.getMessage().startsWith("gfp_zone: invalid zone modifier combination 0x"
                        + Integer.toHexString(bit)), e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
            } else {
                int z = GfpZone.gfpZone(flags, arch);
                assertTrue(z >= 0 && z < arch.maxNrZones());
            }
        }
    }
}
