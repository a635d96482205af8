package dev.pagealloc.report;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.watermark.WatermarkCheck;
import dev.pagealloc.watermark.ZoneWatermarkOk2632;
import dev.pagealloc.watermark.ZoneWatermarkOk44;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a kernel version means for reading its failure report (kernel-spec.md §11): the GFP
 * layout, the watermark-check family, which size the formulas use, and the version-dependent
 * constants. Built from a release string such as "2.6.32-41-server" or "6.1.0-17-arm64".
 */
public final class KernelEra {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    public final String release;
    public final int major;
    public final int minor;
    public final GfpBits gfp;
    public final WatermarkCheck check;

    private KernelEra(String release, int major, int minor) {
        this.release = release;
        this.major = major;
        this.minor = minor;
        this.gfp = GfpBits.forKernel(major + "." + minor);
        if (atLeast(4, 4)) {
            this.check = new ZoneWatermarkOk44(atLeast(6, 4) ? ZoneWatermarkOk44.Variant.V6_4
                    : atLeast(4, 13) ? ZoneWatermarkOk44.Variant.V4_13 : ZoneWatermarkOk44.Variant.V4_4);
        } else {
            this.check = ZoneWatermarkOk2632.INSTANCE;
        }
    }

    /** The era of a release string; IllegalArgumentException when it has no "major.minor". */
    public static KernelEra of(String release) {
        Matcher m = VERSION.matcher(release);
        if (!m.find()) {
            throw new IllegalArgumentException("'" + release + "' is not a kernel version (expected e.g. 2.6.32, 4.19, 6.1)");
        }
        return new KernelEra(release, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
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
        return atLeast(5, 0);
    }

    /** classzone is gfp_zone() itself (highest_zoneidx, 5.8+), not the preferred zone's index. */
    public boolean classzoneIsHighestZoneidx() {
        return atLeast(5, 8);
    }

    /** LOW/HIGH use watermark_scale_factor (4.6+) rather than tmp/4 and tmp/2. */
    public boolean hasWatermarkScaleFactor() {
        return atLeast(4, 6);
    }

    /** The per-CPU hi/btch/usd section (≤ 3.x) and the static zone_batchsize (≤ 5.13). */
    public boolean staticPcp() {
        return !atLeast(5, 14);
    }

    /** The upper clamp of min_free_kbytes: 65536 until 5.6, 262144 from 5.7. */
    public int minFreeKbytesMax() {
        return atLeast(5, 7) ? 262144 : 65536;
    }

    /** lowmem_reserve_ratio designated per zone with HighMem/Movable 0 (4.18+). */
    public boolean designatedLowmemRatios() {
        return atLeast(4, 18);
    }

    /** PAGE_ALLOC_COSTLY_ORDER, the same everywhere. */
    public int costlyOrder() {
        return 3;
    }

    @Override
    public String toString() {
        return release;
    }
}
