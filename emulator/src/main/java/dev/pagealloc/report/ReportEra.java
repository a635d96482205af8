package dev.pagealloc.report;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.profile.KernelRelease;
import dev.pagealloc.watermark.WatermarkCheck;
import dev.pagealloc.watermark.Watermarks.LowmemReserveRule;
import dev.pagealloc.watermark.Watermarks;
import dev.pagealloc.watermark.ZoneWatermarkOk2632;
import dev.pagealloc.watermark.ZoneWatermarkOk44;

/**
 * What a report's kernel release means for reading it (kernel-spec.md §11): the GFP layout, the
 * watermark-check family, and each rule that changed between 2.6 and 6.x, named by what it does.
 * {@code explain} judges reports of every release, including the many the emulator does not run,
 * so this is the one table of "which release does what" for reading reports; every test of a
 * release number the explainer needs is a method here, with the release that changed it.
 */
public final class ReportEra {
    public final KernelRelease release;
    public final GfpBits gfp;
    public final WatermarkCheck check;

    private ReportEra(KernelRelease release) {
        this.release = release;
        this.gfp = GfpBits.forRelease(release);
        if (release.atLeast(4, 4)) {
            this.check = new ZoneWatermarkOk44(release.atLeast(6, 4) ? ZoneWatermarkOk44.Variant.V6_4
                    : release.atLeast(4, 13) ? ZoneWatermarkOk44.Variant.V4_13 : ZoneWatermarkOk44.Variant.V4_4);
        } else {
            this.check = ZoneWatermarkOk2632.INSTANCE;
        }
    }

    /** The era of a release string ({@link KernelRelease#parse}); IllegalArgumentException when it has none. */
    public static ReportEra of(String release) {
        return new ReportEra(KernelRelease.parse(release));
    }

    /**
     * The release assumed for a report that does not name one, from its format: the 2.6 header
     * style, 3.x's, and after those the fields zone lines gained (reserved_highatomic in 4.4,
     * boost in 5.0), each mapped to a release typical of that format.
     */
    public static String releaseByFormat(String headerStyle, boolean boostField, boolean highatomicField) {
        return switch (headerStyle) {
            case "2.6" -> "2.6.32";
            case "3.x" -> "3.10";
            default -> boostField ? "6.1" : highatomicField ? "5.15" : "4.19";
        };
    }

    /** "2.6.32-4.3 per-order halving" or "4.4+ free-block search" (with the flag variant). */
    public String checkFamily() {
        if (check instanceof ZoneWatermarkOk44 c) {
            return switch (c.variant()) {
                case V4_4 -> "4.4+ free-block search (4.4-4.12 flags)";
                case V4_13 -> "4.4+ free-block search (4.13-6.3 flags, ALLOC_OOM)";
                case V6_4 -> "4.4+ free-block search (6.4+ flags: ALLOC_NON_BLOCK/MIN_RESERVE/HIGHATOMIC)";
            };
        }
        return "2.6.32-4.3 per-order halving (zone_watermark_ok)";
    }

    /** Zone marks include watermark_boost (5.0+). */
    public boolean hasBoost() {
        return release.atLeast(5, 0);
    }

    /** classzone is gfp_zone() itself (highest_zoneidx, 5.8+), not the preferred zone's index. */
    public boolean classzoneIsHighestZoneidx() {
        return release.atLeast(5, 8);
    }

    /**
     * MIGRATE_HIGHATOMIC and the 4.4 migratetype numbering (U M E H), with the buddy lines' type
     * letters; before 4.4 MIGRATE_RESERVE and U E M R.
     */
    public boolean hasHighatomic() {
        return release.atLeast(4, 4);
    }

    /** {@code migratetype_names[]} by the era's kernel value (without CMA and Isolate). */
    public String[] migratetypeNames() {
        return hasHighatomic() ? new String[] {"Unmovable", "Movable", "Reclaimable", "HighAtomic"}
                : new String[] {"Unmovable", "Reclaimable", "Movable", "Reserve"};
    }

    /**
     * The report prints {@code managed} (3.10+), which counts the pages freed after the watermarks
     * were set (initrd, init sections).
     */
    public boolean printsManaged() {
        return release.atLeast(3, 10);
    }

    /**
     * {@code setup_per_zone_wmarks()}'s min/low/high for a zone of {@code size} pages whose min is
     * {@code min} and whose share of pages_min is {@code tmp}: watermark_scale_factor's default 10
     * from 4.6, a quarter and a half of the share before.
     */
    public long[] watermarks(long min, long tmp, long size) {
        return release.atLeast(4, 6)
                ? Watermarks.scaleFactorGaps(min, tmp, size, Watermarks.WATERMARK_SCALE_FACTOR_DEFAULT)
                : Watermarks.quarterHalfGaps(min, tmp);
    }

    /** ZONE_MOVABLE counts as highmem for the watermarks' lowmem sum (6.12+). */
    public boolean movableIsHighmem() {
        return release.atLeast(6, 12);
    }

    /** The per-CPU hi/btch/usd section (≤ 3.x) and the static zone_batchsize (≤ 5.13). */
    public boolean staticPcp() {
        return !release.atLeast(5, 14);
    }

    /** The upper clamp of min_free_kbytes: 65536 until 5.6, 262144 from 5.7. */
    public int minFreeKbytesMax() {
        return release.atLeast(5, 7) ? Watermarks.MIN_FREE_KBYTES_MAX_FROM_5_7
                : Watermarks.MIN_FREE_KBYTES_MAX_TO_5_6;
    }

    /** khugepaged recommends a min_free_kbytes of 11 pageblocks per zone (THP, 4.19+ here). */
    public boolean khugepagedRecommends() {
        return release.atLeast(4, 19);
    }

    /** lowmem_reserve_ratio designated per zone with HighMem/Movable 0 (4.18+). */
    public boolean designatedLowmemRatios() {
        return release.atLeast(4, 18);
    }

    /** How {@code setup_per_zone_lowmem_reserve()} treats a ratio of 0 and an empty lower zone. */
    public LowmemReserveRule lowmemReserveRule() {
        return release.atLeast(5, 15) ? LowmemReserveRule.EMPTY_ZONE_RESERVES_NOTHING
                : designatedLowmemRatios() ? LowmemReserveRule.ZERO_RATIO_RESERVES_NOTHING
                : LowmemReserveRule.RATIO_AT_LEAST_ONE;
    }

    @Override
    public String toString() {
        return release.toString();
    }
}
