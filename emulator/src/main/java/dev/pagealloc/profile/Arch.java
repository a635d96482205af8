package dev.pagealloc.profile;

import dev.pagealloc.mmzone.ZoneType;
import java.util.List;

/**
 * The emulated architecture: which zones exist and at which index, the pageblock order, and how
 * much physical memory can be addressed. Mirrors {@code arch/x86/Kconfig} (HIGHMEM4G, HIGHMEM64G,
 * X86_64) and {@code include/linux/mmzone.h}'s {@code enum zone_type}.
 */
public enum Arch {
    /** 64-bit: ZONE_DMA 0, ZONE_DMA32 1, ZONE_NORMAL 2, ZONE_MOVABLE 3. PMD_SHIFT 21. */
    X86_64("x86_64", List.of(ZoneType.DMA, ZoneType.DMA32, ZoneType.NORMAL, ZoneType.MOVABLE), 9, 46),
    /** 32-bit non-PAE (HIGHMEM4G): ZONE_DMA 0, ZONE_NORMAL 1, ZONE_HIGHMEM 2, ZONE_MOVABLE 3. PMD_SHIFT 22. */
    I386("i386", List.of(ZoneType.DMA, ZoneType.NORMAL, ZoneType.HIGHMEM, ZoneType.MOVABLE), 10, 32),
    /** 32-bit PAE (HIGHMEM64G): same zones as i386, PMD_SHIFT 21, 36-bit physical addresses. */
    I386_PAE("i386-pae", List.of(ZoneType.DMA, ZoneType.NORMAL, ZoneType.HIGHMEM, ZoneType.MOVABLE), 9, 36);

    /** The name used on the command line and in machine files. */
    public final String cliName;
    private final List<ZoneType> zones;
    /** {@code pageblock_order} = HUGETLB_PAGE_ORDER = HPAGE_SHIFT - PAGE_SHIFT (spec §2.3). */
    public final int pageblockOrder;
    /** Bits of physical address the arch can reach: RAM above {@code 1 << physBits} is ignored. */
    public final int physBits;

    Arch(String cliName, List<ZoneType> zones, int pageblockOrder, int physBits) {
        this.cliName = cliName;
        this.zones = zones;
        this.pageblockOrder = pageblockOrder;
        this.physBits = physBits;
    }

    /** MAX_NR_ZONES for this arch (ZONE_MOVABLE included, ZONE_DEVICE absent). */
    public int maxNrZones() {
        return zones.size();
    }

    /** The zone type at kernel zone index {@code idx}. */
    public ZoneType zoneType(int idx) {
        return zones.get(idx);
    }

    /** The kernel zone index of {@code type}, or -1 when the arch has no such zone. */
    public int zoneIndex(ZoneType type) {
        return zones.indexOf(type);
    }

    /** True for the 32-bit layouts, which have ZONE_HIGHMEM. */
    public boolean hasHighmem() {
        return zones.contains(ZoneType.HIGHMEM);
    }

    /** Highest physical frame number + 1 the arch can address with 4 KiB pages. */
    public long maxAddressablePfn() {
        return 1L << (physBits - 12);
    }

    /** Parses a command-line or machine-file name ({@code x86_64}, {@code i386}, {@code i386-pae}). */
    public static Arch fromCliName(String name) {
        for (Arch a : values()) {
            if (a.cliName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "unknown arch '" + name + "' (expected x86_64, i386 or i386-pae)");
    }
}
