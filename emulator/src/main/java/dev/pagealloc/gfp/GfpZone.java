package dev.pagealloc.gfp;

import dev.pagealloc.mmzone.ZoneType;
import dev.pagealloc.profile.Arch;

/**
 * {@code GFP_ZONE_TABLE} / {@code GFP_ZONE_BAD} and {@code gfp_zone()} (include/linux/gfp.h
 * [2632]). The four zone-modifier bits never moved between kernels and the table is built the same
 * way in every version, so this class serves every kernel; only the arch's zone numbering changes
 * the result.
 *
 * <p>The table is built from the kernel's definition, with {@code OPT_ZONE_DMA},
 * {@code OPT_ZONE_HIGHMEM} and {@code OPT_ZONE_DMA32} falling back to {@code ZONE_NORMAL} when the
 * arch lacks the zone: x86_64 gives 0x1320122 and i386 (PAE or not) 0x1310121.
 */
public final class GfpZone {
    private GfpZone() {}

    /** {@code __GFP_DMA|__GFP_HIGHMEM|__GFP_DMA32|__GFP_MOVABLE}. */
    public static final int GFP_ZONEMASK = 0x0f;
    private static final int DMA = 0x01;
    private static final int HIGHMEM = 0x02;
    private static final int DMA32 = 0x04;
    private static final int MOVABLE = 0x08;

    /**
     * {@code GFP_ZONE_BAD}: one bit per combination of the zone modifiers that is not permitted
     * (DMA+HIGHMEM, DMA+DMA32, DMA32+HIGHMEM, ... = 0xe8e8).
     */
    public static final int GFP_ZONE_BAD = 1 << (DMA | HIGHMEM)
            | 1 << (DMA | DMA32)
            | 1 << (DMA32 | HIGHMEM)
            | 1 << (DMA | DMA32 | HIGHMEM)
            | 1 << (MOVABLE | HIGHMEM | DMA)
            | 1 << (MOVABLE | DMA32 | DMA)
            | 1 << (MOVABLE | DMA32 | HIGHMEM)
            | 1 << (MOVABLE | DMA32 | DMA | HIGHMEM);

    private static final Arch[] ARCHES = Arch.values();
    private static final long[] TABLE = new long[ARCHES.length];
    private static final int[] SHIFT = new int[ARCHES.length];

    static {
        for (Arch a : ARCHES) {
            SHIFT[a.ordinal()] = zonesShift(a.maxNrZones());
            TABLE[a.ordinal()] = buildTable(a, SHIFT[a.ordinal()]);
        }
    }

    /**
     * {@code gfp_zone()}, include/linux/gfp.h [2632]: the highest zone index ({@code high_zoneidx})
     * a request with these flags may use on {@code arch}.
     *
     * @throws IllegalArgumentException for a {@code GFP_ZONE_BAD} combination (the kernel BUGs under
     *     CONFIG_DEBUG_VM), naming the flags
     */
    public static int gfpZone(int flags, Arch arch) {
        int bit = flags & GFP_ZONEMASK;
        if (((GFP_ZONE_BAD >> bit) & 1) != 0) {
            throw new IllegalArgumentException("gfp_zone: invalid zone modifier combination 0x"
                    + Integer.toHexString(bit) + " in gfp 0x" + Integer.toHexString(flags)
                    + " (expected at most one of __GFP_DMA, __GFP_HIGHMEM, __GFP_DMA32, optionally with __GFP_MOVABLE)");
        }
        int ord = arch.ordinal();
        int shift = SHIFT[ord];
        return (int) ((TABLE[ord] >>> (bit * shift)) & ((1 << shift) - 1));
    }

    /**
     * The zone {@code GFP_ZONE_TABLE} names for {@code flags} in a kernel configured with every zone
     * (DMA, DMA32, HighMem, Movable), before the {@code OPT_ZONE_*} fallback to ZONE_NORMAL of a
     * kernel without one. For reading reports of machines whose zones are known only by name.
     */
    public static ZoneType wantedZone(int flags) {
        int bits = flags & GFP_ZONEMASK;
        if ((bits & DMA) != 0) {
            return ZoneType.DMA;
        }
        if ((bits & DMA32) != 0) {
            return ZoneType.DMA32;
        }
        if ((bits & HIGHMEM) != 0) {
            return (bits & MOVABLE) != 0 ? ZoneType.MOVABLE : ZoneType.HIGHMEM;
        }
        return ZoneType.NORMAL;
    }

    /** {@code GFP_ZONE_TABLE}, include/linux/gfp.h [2632], for {@code arch}: 16 entries of {@link #zonesShift(Arch)} bits. */
    public static long gfpZoneTable(Arch arch) {
        return TABLE[arch.ordinal()];
    }

    /**
     * {@code ZONES_SHIFT}, include/linux/mmzone.h [2632] (page-flags-layout.h in later kernels): bits
     * to hold a zone index, 2 for up to four zones.
     */
    public static int zonesShift(Arch arch) {
        return SHIFT[arch.ordinal()];
    }

    private static int zonesShift(int maxNrZones) {
        if (maxNrZones <= 1) {
            return 0;
        } else if (maxNrZones <= 2) {
            return 1;
        } else if (maxNrZones <= 4) {
            return 2;
        }
        return 3;
    }

    private static long buildTable(Arch a, int shift) {
        long normal = a.zoneIndex(ZoneType.NORMAL);
        long optDma = opt(a, ZoneType.DMA);
        long optHighmem = opt(a, ZoneType.HIGHMEM);
        long optDma32 = opt(a, ZoneType.DMA32);
        long movable = a.zoneIndex(ZoneType.MOVABLE);
        return (normal << 0)
                | (optDma << (DMA * shift))
                | (optHighmem << (HIGHMEM * shift))
                | (optDma32 << (DMA32 * shift))
                | (normal << (MOVABLE * shift))
                | (optDma << ((MOVABLE | DMA) * shift))
                | (movable << ((MOVABLE | HIGHMEM) * shift))
                | (optDma32 << ((MOVABLE | DMA32) * shift));
    }

    /** {@code OPT_ZONE_*}: the zone if configured, else ZONE_NORMAL. */
    private static long opt(Arch a, ZoneType t) {
        int idx = a.zoneIndex(t);
        return idx >= 0 ? idx : a.zoneIndex(ZoneType.NORMAL);
    }
}
