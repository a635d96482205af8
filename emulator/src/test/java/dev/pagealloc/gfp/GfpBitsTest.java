package dev.pagealloc.gfp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GfpBitsTest {
    private static final GfpBits B = GfpBits.V2_6_32;

    @Test
    void bitTableMatchesSpec11() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("__GFP_DMA", 0x01);
        expected.put("__GFP_HIGHMEM", 0x02);
        expected.put("__GFP_DMA32", 0x04);
        expected.put("__GFP_MOVABLE", 0x08);
        expected.put("__GFP_WAIT", 0x10);
        expected.put("__GFP_HIGH", 0x20);
        expected.put("__GFP_IO", 0x40);
        expected.put("__GFP_FS", 0x80);
        expected.put("__GFP_COLD", 0x100);
        expected.put("__GFP_NOWARN", 0x200);
        expected.put("__GFP_REPEAT", 0x400);
        expected.put("__GFP_NOFAIL", 0x800);
        expected.put("__GFP_NORETRY", 0x1000);
        expected.put("__GFP_COMP", 0x4000);
        expected.put("__GFP_ZERO", 0x8000);
        expected.put("__GFP_NOMEMALLOC", 0x10000);
        expected.put("__GFP_HARDWALL", 0x20000);
        expected.put("__GFP_THISNODE", 0x40000);
        expected.put("__GFP_RECLAIMABLE", 0x80000);
        assertEquals(expected, B.bits());
        assertEquals(22, B.bitsShift);
        assertEquals(0x3fffff, B.bitsMask());
        assertEquals("2.6.32", B.name);
    }

    /** Spec §1.2, the 2.6.32 / 3.10 column. */
    @Test
    void compositesMatchSpec12() {
        Map<String, Integer> c = B.composites();
        assertEquals(0x20, c.get("GFP_ATOMIC"));
        assertEquals(0x0, c.get("GFP_NOWAIT"));
        assertEquals(0x10, c.get("GFP_NOIO"));
        assertEquals(0x50, c.get("GFP_NOFS"));
        assertEquals(0xd0, c.get("GFP_KERNEL"));
        assertEquals(0x800d0, c.get("GFP_TEMPORARY"));
        assertEquals(0x200d0, c.get("GFP_USER"));
        assertEquals(0x200d2, c.get("GFP_HIGHUSER"));
        assertEquals(0x200da, c.get("GFP_HIGHUSER_MOVABLE"));
        assertEquals(0x01, c.get("GFP_DMA"));
        assertEquals(0x04, c.get("GFP_DMA32"));
        assertEquals(11, c.size());
        assertEquals(0xc0d0, c.get("GFP_KERNEL") | B.mask("__GFP_COMP") | B.mask("__GFP_ZERO"));
    }

    /** The data table and the hot-path constants must say the same thing. */
    @Test
    void tableAgreesWithGfp2632Constants() throws IllegalAccessException {
        int checked = 0;
        for (Field f : Gfp2632.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) {
                continue;
            }
            String n = f.getName();
            if (B.bits().containsKey(n) || B.composites().containsKey(n)) {
                assertEquals(B.mask(n), f.getInt(null), n);
                checked++;
            }
        }
        assertEquals(B.bits().size() + B.composites().size(), checked);
        assertEquals(B.bitsMask(), Gfp2632.__GFP_BITS_MASK);
    }

    /** Spec §1.3: 2.6.32 mode:0xc0d0. */
    @Test
    void workedDecode0xc0d0() {
        int m = B.parse("0xc0d0");
        assertEquals(0xc0d0, m);
        assertEquals(Gfp2632.GFP_KERNEL | Gfp2632.__GFP_COMP | Gfp2632.__GFP_ZERO, m);
        assertEquals("GFP_KERNEL|__GFP_COMP|__GFP_ZERO", B.describe(m));
        assertEquals("GFP_KERNEL|GFP_COMP|GFP_ZERO", B.traceFlags(m));
        assertEquals("0xc0d0", GfpBits.hex(m));
        assertEquals(m, B.parse("GFP_KERNEL|__GFP_COMP|__GFP_ZERO"));
        assertEquals(m, B.parse("GFP_KERNEL|GFP_COMP|GFP_ZERO"));
        assertEquals(m, B.parse("49360"));
    }

    @Test
    void parseForms() {
        assertEquals(0xc0d0, B.parse("0xc0d0"));
        assertEquals(0xc0d0, B.parse("0XC0D0"));
        assertEquals(208, B.parse("208"));
        assertEquals(0, B.parse("0"));
        assertEquals(0, B.parse("0x0"));
        assertEquals(0, B.parse("GFP_NOWAIT"));
        assertEquals(0xd1, B.parse("GFP_KERNEL|0x1"));
        assertEquals(0xd1, B.parse("GFP_KERNEL|GFP_DMA"));
        assertEquals(0xd1, B.parse("GFP_KERNEL|__GFP_DMA"));
        assertEquals(0xd1, B.parse(" GFP_KERNEL | 1 "));
        assertEquals(0x20, B.parse("GFP_ATOMIC"));
        assertEquals(0x20, B.parse("GFP_HIGH"));
        assertEquals(0x20, B.parse("__GFP_HIGH"));
        assertEquals(0x10, B.parse("GFP_WAIT"));
        // __GFP_FS has no trace spelling in 2.6.32, but the bare name is accepted.
        assertEquals(0x80, B.parse("GFP_FS"));
        assertEquals(0x80, B.parse("__GFP_FS"));
        // GFP_THISNODE is the trace spelling of __GFP_THISNODE (the composite is 0 without NUMA).
        assertEquals(0x40000, B.parse("GFP_THISNODE"));
        assertEquals(0x08, B.parse("GFP_MOVABLE"));
        assertEquals(0x02, B.parse("__GFP_HIGHMEM"));
        assertEquals(0x02, B.parse("GFP_HIGHMEM"));
        assertEquals(0xd0, B.parse("gfp_kernel"));
        assertEquals(0xffffffff, B.parse("0xffffffff"));
    }

    @Test
    void traceFlagsMirrorsShowGfpFlags() {
        assertEquals("GFP_NOWAIT", B.traceFlags(0));
        assertEquals("GFP_ATOMIC", B.traceFlags(Gfp2632.GFP_ATOMIC));
        assertEquals("GFP_KERNEL", B.traceFlags(Gfp2632.GFP_KERNEL));
        assertEquals("GFP_NOFS", B.traceFlags(Gfp2632.GFP_NOFS));
        assertEquals("GFP_NOIO", B.traceFlags(Gfp2632.GFP_NOIO));
        assertEquals("GFP_USER", B.traceFlags(Gfp2632.GFP_USER));
        assertEquals("GFP_TEMPORARY", B.traceFlags(Gfp2632.GFP_TEMPORARY));
        assertEquals("GFP_HIGHUSER", B.traceFlags(Gfp2632.GFP_HIGHUSER));
        assertEquals("GFP_HIGHUSER_MOVABLE", B.traceFlags(Gfp2632.GFP_HIGHUSER_MOVABLE));
        // GFP_USER is tried before GFP_TEMPORARY, so the reclaimable bit is left to print alone.
        assertEquals("GFP_USER|GFP_RECLAIMABLE", B.traceFlags(Gfp2632.GFP_USER | Gfp2632.__GFP_RECLAIMABLE));
        assertEquals("GFP_ATOMIC|GFP_NOWARN|GFP_COMP",
                B.traceFlags(Gfp2632.GFP_ATOMIC | Gfp2632.__GFP_NOWARN | Gfp2632.__GFP_COMP));
        // No entry for DMA, HIGHMEM, DMA32 or __GFP_FS: leftover hex, after a '|' delimiter.
        assertEquals("GFP_KERNEL|0x1", B.traceFlags(Gfp2632.GFP_KERNEL | Gfp2632.GFP_DMA));
        assertEquals("GFP_NOIO|0x80", B.traceFlags(Gfp2632.__GFP_WAIT | Gfp2632.__GFP_FS));
        assertEquals("0x80", B.traceFlags(Gfp2632.__GFP_FS));
        assertEquals("0x4", B.traceFlags(Gfp2632.GFP_DMA32));
        assertEquals("GFP_ATOMIC|0x3", B.traceFlags(Gfp2632.GFP_ATOMIC | 0x03));
        assertEquals("GFP_USER|GFP_MOVABLE", B.traceFlags(Gfp2632.GFP_USER | Gfp2632.__GFP_MOVABLE));
        // __GFP_HIGHMEM has no entry of its own: it prints by name only inside GFP_HIGHUSER*.
        assertEquals("GFP_KERNEL|GFP_MOVABLE|0x2", B.traceFlags(Gfp2632.GFP_KERNEL | 0x0a));
        assertEquals("GFP_KERNEL|0x80000000", B.traceFlags(Gfp2632.GFP_KERNEL | 0x8000_0000));
    }

    @Test
    void describeUsesKernelSpelling() {
        assertEquals("GFP_NOWAIT", B.describe(0));
        assertEquals("GFP_ATOMIC", B.describe(0x20));
        assertEquals("GFP_KERNEL|__GFP_DMA", B.describe(0xd1));
        assertEquals("GFP_HIGHUSER_MOVABLE", B.describe(0x200da));
        assertEquals("GFP_NOIO|__GFP_FS", B.describe(0x90));
        assertEquals("__GFP_DMA32|0x2000", B.describe(0x2004));
        assertEquals("GFP_ATOMIC|__GFP_NOWARN|__GFP_COMP", B.describe(0x4220));
    }

    @Test
    void hexIsLowerCaseWithPrefix() {
        assertEquals("0x0", GfpBits.hex(0));
        assertEquals("0x200da", GfpBits.hex(Gfp2632.GFP_HIGHUSER_MOVABLE));
        assertEquals("0xffffffff", GfpBits.hex(-1));
    }

    @Test
    void roundTrips() {
        SplittableRandom r = new SplittableRandom(2632);
        int[] fixed = {0, 0x20, 0xd0, 0xc0d0, 0x200da, 0x800d0, 0x80, 0x2000, 0x3fffff, 0xd1, 0x90, 0x4220};
        for (int i = 0; i < fixed.length + 2000; i++) {
            int m = i < fixed.length ? fixed[i] : r.nextInt(1 << 22) & r.nextInt(1 << 22);
            assertEquals(m, B.parse(B.traceFlags(m)), () -> "trace " + B.traceFlags(m));
            assertEquals(m, B.parse(B.describe(m)), () -> "describe " + B.describe(m));
            assertEquals(m, B.parse(GfpBits.hex(m)));
            assertEquals(m, B.parse(Integer.toString(m)));
        }
        for (Map.Entry<String, Integer> e : B.bits().entrySet()) {
            assertEquals(e.getValue(), B.parse(e.getKey()));
            if (!B.composites().containsValue(e.getValue())) {
                assertEquals(e.getKey(), B.describe(e.getValue()));
            }
        }
        for (Map.Entry<String, Integer> e : B.composites().entrySet()) {
            assertEquals(e.getValue(), B.parse(e.getKey()));
        }
        for (GfpBits.FlagName f : B.traceTable()) {
            assertEquals(f.mask(), B.parse(f.name()));
        }
        // A lone bit prints as the first table entry it matches: GFP_HIGH and GFP_WAIT are shadowed
        // by GFP_ATOMIC and GFP_NOIO, which come earlier with the same mask.
        assertEquals("GFP_ATOMIC", B.traceFlags(Gfp2632.__GFP_HIGH));
        assertEquals("GFP_NOIO", B.traceFlags(Gfp2632.__GFP_WAIT));
        assertEquals("GFP_IO", B.traceFlags(Gfp2632.__GFP_IO));
        assertEquals("GFP_COMP", B.traceFlags(Gfp2632.__GFP_COMP));
        assertEquals("GFP_MOVABLE", B.traceFlags(Gfp2632.__GFP_MOVABLE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GFP_BOGUS", "GFP_KERNEL|GFP_FOO", "__GFP_KERNEL", "GFP_KERNEL||GFP_COMP",
        "GFP_KERNEL|", "", "   ", "0xZZ", "0x", "-5", "0x1ffffffff", "12abc", "GFP_NOTRACK", "none",
        "__GFP_MEMALLOC", "GFP_KERNEL,GFP_COMP"})
    void badInputRejectedWithOneLineMessage(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> B.parse(s));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }

    @Test
    void badNameMessageNamesTheToken() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> B.parse("GFP_KERNEL|GFP_FOO"));
        assertEquals("unknown GFP flag 'GFP_FOO' in 'GFP_KERNEL|GFP_FOO' (expected a 2.6.32 flag name such as "
                + "GFP_KERNEL, __GFP_COMP or GFP_COMP, or a number such as 0xc0d0 or 208)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> B.parse(null));
    }

    @Test
    void maskRejectsUnknownKernelName() {
        assertThrows(IllegalArgumentException.class, () -> B.mask("GFP_HIGH"));
        assertEquals(0x20, B.mask("__GFP_HIGH"));
    }

    @Test
    void builderEvaluatesKernelExpressions() {
        GfpBits t = new GfpBits.Builder("test", 8)
                .bit("__A", 0x1).bit("__B", 0x2).bit("__C", 0x4)
                .composite("AB", "__A | __B")
                .composite("A_ONLY", "(AB & ~__B)")
                .composite("LIT", "0x10 | 8 | __C")
                .trace("AB", "AB").trace("__C", "C")
                .traceZero("none")
                .build();
        assertEquals(0x3, t.mask("AB"));
        assertEquals(0x1, t.mask("A_ONLY"));
        assertEquals(0x1c, t.mask("LIT"));
        assertEquals("none", t.traceFlags(0));
        assertEquals(0, t.parse("none"));
        assertEquals("AB|C|0x8", t.traceFlags(0xf));
        assertThrows(IllegalStateException.class, () -> new GfpBits.Builder("x", 8).composite("Y", "__NOPE"));
        assertThrows(IllegalStateException.class, () -> new GfpBits.Builder("x", 8).bit("__A", 1).composite("Y", "__A |"));
    }
}
