package dev.pagealloc.report;

import static dev.pagealloc.gfp.AllocFlags.ALLOC_CPUSET;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_HARDER;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NO_WATERMARKS;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_LOW;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_MASK;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_MIN;

import dev.pagealloc.gfp.AllocFlags;
import dev.pagealloc.gfp.GfpZone;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PcpSizing;
import dev.pagealloc.report.Explanation.Check;
import dev.pagealloc.report.Explanation.Diagnosis;
import dev.pagealloc.report.Explanation.MinFreeKbytes;
import dev.pagealloc.report.Explanation.WhatIf;
import dev.pagealloc.report.Explanation.ZoneVerdict;
import dev.pagealloc.report.FailureReport.PerCpuLine;
import dev.pagealloc.report.FailureReport.ZoneReport;
import dev.pagealloc.vmstat.FragmentationIndex;
import dev.pagealloc.watermark.WatermarkVerdict;
import dev.pagealloc.watermark.Watermarks;
import dev.pagealloc.watermark.ZoneWatermarkOk44;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Explains a real failure report: rebuilds each zone from its printed lines, walks the zonelist
 * the request's GFP mask allows with the era's watermark check, pass by pass as the era's
 * {@code __alloc_pages_slowpath()} does, and says which check refused each zone, by how many
 * pages, and why; then what would have worked.
 */
public final class Explainer {
    /** A report that was recognised but cannot be judged (vmalloc error, no zone lines): exit 3. */
    public static final class NotExplainable extends RuntimeException {
        public NotExplainable(String message) {
            super(message);
        }
    }

    private static final List<String> CANONICAL = List.of("DMA", "DMA32", "Normal", "HighMem", "Movable", "Device");

    private final FailureReport r;
    private final ReportEra era;
    private final String kernelSource;
    private final List<String> warnings = new ArrayList<>();
    private final List<String> zoneTypes;
    private final List<ReportZone> zonelist = new ArrayList<>();
    private final List<ReportZone> all = new ArrayList<>();

    private Explainer(FailureReport r, String kernelOverride) {
        this.r = r;
        if (r.order() < 0 || "vmalloc".equals(r.headerStyle())) {
            throw new NotExplainable("a vmalloc failure, not a page allocation failure: vmalloc takes single pages, "
                    + "so there is no contiguous request for the buddy allocator to judge");
        }
        if (r.zones().isEmpty()) {
            throw new NotExplainable("the report has no zone lines (no Mem-Info block): nothing to judge");
        }
        String release;
        if (kernelOverride != null) {
            release = kernelOverride;
            kernelSource = "--kernel";
        } else if (r.kernelRelease() != null && r.kernelRelease().matches(".*\\d+\\.\\d+.*")) {
            release = r.kernelRelease();
            kernelSource = "report";
        } else {
            release = guessRelease(r);
            kernelSource = "assumed";
            warnings.add("the report does not print the kernel release; assumed " + release
                    + " from its format (use --kernel to say)");
        }
        this.era = ReportEra.of(release);
        this.zoneTypes = zoneTypes(r, release);
        for (ZoneReport z : r.zones()) {
            Long present = z.kb().get("present");
            if ((present != null && present == 0) || (z.buddy() != null && z.buddy().length == 0)) {
                continue; // !populated_zone(): not in any zonelist, nothing to judge
            }
            int idx = zoneTypes.indexOf(z.name());
            ReportZone rz = new ReportZone(z, idx, zoneTypes.size());
            all.add(rz);
            if (!rz.hasBuddyLine()) {
                warnings.add(rz.label() + " has no buddy line: its free blocks per order are unknown");
            } else if (rz.typesAssumed && era.hasHighatomic()) {
                warnings.add(rz.label() + "'s buddy line has no migratetype letters: assumed every block is on an "
                        + "Unmovable/Movable/Reclaimable list");
            }
        }
    }

    /** Explains one parsed report; {@code kernelOverride} (e.g. "4.19") replaces the report's release. */
    public static Explanation explain(FailureReport r, String kernelOverride) {
        return new Explainer(r, kernelOverride).run();
    }

    private static String guessRelease(FailureReport r) {
        boolean boost = r.zones().stream().anyMatch(z -> z.kb().containsKey("boost"));
        boolean highatomic = r.zones().stream().anyMatch(z -> z.kb().containsKey("reserved_highatomic"));
        return ReportEra.releaseByFormat(r.headerStyle(), boost, highatomic);
    }

    /** The kernel's zone_type order for the machine the report came from, sized by lowmem_reserve[]. */
    private List<String> zoneTypes(FailureReport r, String release) {
        TreeSet<String> printed = new TreeSet<>(Comparator.comparingInt(this::canonicalRank));
        int maxNr = 0;
        for (ZoneReport z : r.zones()) {
            printed.add(z.name());
            if (z.lowmemReserve() != null) {
                maxNr = Math.max(maxNr, z.lowmemReserve().length);
            }
        }
        String rel = release.toLowerCase(Locale.ROOT);
        List<List<String>> candidates = new ArrayList<>();
        if (printed.contains("DMA32") || rel.contains("x86_64") || rel.contains("amd64") || rel.contains("arm64")
                || rel.contains("aarch64")) {
            candidates.add(List.of("DMA", "DMA32", "Normal", "Movable", "Device"));
        }
        if (printed.contains("HighMem") || rel.contains("686") || rel.contains("pae") || rel.contains("i386")) {
            candidates.add(List.of("DMA", "Normal", "HighMem", "Movable", "Device"));
        }
        List<String> fromPrinted = new ArrayList<>(printed);
        fromPrinted.add("Movable");
        fromPrinted.add("Device");
        candidates.add(fromPrinted);
        for (List<String> c : candidates) {
            List<String> t = maxNr > 0 && maxNr <= c.size() ? c.subList(0, maxNr) : c;
            if (t.containsAll(printed)) {
                return t;
            }
        }
        warnings.add("could not place the zones in the kernel's zone order; used the printed order");
        return fromPrinted;
    }

    private int canonicalRank(String name) {
        int i = CANONICAL.indexOf(name);
        return i < 0 ? 99 : i;
    }

    // ------------------------------------------------------------------ the walk

    private Explanation run() {
        int mask = (int) r.gfpMask();
        int highIdx = gfpZoneIdx(mask);
        String highName = highIdx >= 0 && highIdx < zoneTypes.size() ? zoneTypes.get(highIdx) : "?";
        buildZonelist();
        ReportZone preferred = null;
        for (ReportZone z : zonelist) {
            if (z.idx <= highIdx) {
                preferred = z;
                break;
            }
        }
        int classzone = era.classzoneIsHighestZoneidx() || preferred == null ? highIdx : preferred.idx;
        int slowFlags = AllocFlags.gfpToAllocFlags(era.gfp, mask) & ~ALLOC_NO_WATERMARKS;
        boolean canSleep = era.gfp.canSleep(mask);
        String names = r.gfpNames() != null ? r.gfpNames() : era.gfp.formatPGg(mask);
        Explanation.Gfp gfp = new Explanation.Gfp(r.gfpMask(), names, highName, migratetypeName(mask), canSleep,
                slowFlags);

        List<ZoneVerdict> verdicts = new ArrayList<>();
        boolean anyPasses = false;
        for (ReportZone z : all) {
            boolean eligible = z.idx >= 0 && z.idx <= highIdx;
            List<Check> checks = new ArrayList<>();
            String verdict = "not_eligible";
            String failed = null;
            long margin = 0;
            String reason = "zone ruled out by the GFP mask (" + highName + " is the highest zone it allows)";
            if (eligible && hasMarks(z)) {
                Check fast = check("fast (WMARK_LOW)", z, r.order(), ALLOC_WMARK_LOW | ALLOC_CPUSET, classzone);
                Check slow = check("slow (WMARK_MIN, gfp_to_alloc_flags)", z, r.order(), slowFlags, classzone);
                checks.add(fast);
                checks.add(slow);
                String noBlock = (fast.passed() || slow.passed()) ? rmqueueFails(z, r.order(), slowFlags) : null;
                if (noBlock != null) {
                    verdict = "refused";
                    failed = "rmqueue: the watermark check passes, but " + noBlock;
                    margin = 0;
                    reason = "highatomic reserve: " + noBlock;
                } else if (fast.passed() || slow.passed()) {
                    verdict = "would_succeed";
                    reason = "passes the " + (fast.passed() ? "fast" : "slow") + " pass with the printed numbers";
                    anyPasses = true;
                } else {
                    verdict = "refused";
                    failed = slow.step();
                    margin = slow.margin();
                    reason = reason(z, slowFlags, classzone, slow);
                }
            } else if (eligible) {
                verdict = "refused";
                reason = "unknown: the report lacks this zone's watermarks";
            }
            verdicts.add(new ZoneVerdict(z.src.node(), z.src.name(), z.idx, eligible, z.freePages(), freeByOrder(z),
                    reported(z), recomputed(z), z.src.lowmemReserve(), recomputedReserve(z), verdict, failed, margin,
                    reason, checks, FragmentationIndex.unusableFreeIndex(z, r.order()) / 1000.0,
                    FragmentationIndex.fragmentationIndex(z, r.order()) / 1000.0));
        }
        if (anyPasses) {
            warnings.add("with the numbers as printed some zone passes the check the kernel failed: the state moved "
                    + "between the attempt and the report (per-CPU counter drift, a racing free) or the refusal came "
                    + "from a step not modelled here (cpuset, zone_reclaim, a failed rmqueue)");
        }
        int largest = largestOrderThatSucceeds(slowFlags, classzone, highIdx);
        Diagnosis diagnosis = diagnose(verdicts, largest, mask, canSleep, anyPasses);
        List<WhatIf> whatIf = whatIf(mask, highIdx, classzone, slowFlags);
        MinFreeKbytes mfk = minFreeKbytes();
        checkPcp();
        return new Explanation(r.firstLine(), r.comm(), era.release.text(), kernelSource, era.gfp.profileName(),
                era.checkFamily(), r.order(), gfp, verdicts, diagnosis, whatIf, mfk, List.copyOf(warnings),
                r.missing());
    }

    /** Node-ordered zonelist: the first printed node's zones from the highest, then the other nodes'. */
    private void buildZonelist() {
        TreeSet<Integer> nodes = new TreeSet<>();
        for (ReportZone z : all) {
            nodes.add(z.src.node());
        }
        for (int node : nodes) {
            all.stream().filter(z -> z.src.node() == node && z.idx >= 0)
                    .sorted(Comparator.comparingInt((ReportZone z) -> z.idx).reversed())
                    .forEach(zonelist::add);
        }
        if (nodes.size() > 1) {
            warnings.add("several nodes: assumed the request ran on node " + nodes.first()
                    + " and fell back to the others in node order");
        }
    }

    /**
     * {@code gfp_zone()} on the report's machine: the zone the zone bits name
     * ({@link GfpZone#wantedZone}: they never moved between eras), or ZONE_NORMAL when the machine
     * has no such zone (an arm machine without ZONE_DMA, a 64-bit one without HighMem).
     */
    private int gfpZoneIdx(int mask) {
        int idx = zoneTypes.indexOf(GfpZone.wantedZone(mask).kernelName);
        return idx >= 0 ? idx : zoneTypes.indexOf("Normal");
    }

    private String migratetypeName(int mask) {
        int mt = era.gfp.migratetype(mask);
        String[] names = era.migratetypeNames();
        return mt >= 0 && mt < names.length ? names[mt] : String.valueOf(mt);
    }

    private static boolean hasMarks(ReportZone z) {
        return z.src.kb().get("min") != null && z.src.kb().get("low") != null;
    }

    /** The zone-line label of the watermark {@code alloc_flags & ALLOC_WMARK_MASK} selects. */
    private static String markName(int allocFlags) {
        return switch (allocFlags & ALLOC_WMARK_MASK) {
            case ALLOC_WMARK_MIN -> "min";
            case ALLOC_WMARK_LOW -> "low";
            default -> "high";
        };
    }

    private long mark(ReportZone z, int allocFlags) {
        Long kb = z.src.kb().get(markName(allocFlags));
        return kb == null ? 0 : kb / z.pageKb;
    }

    private Check check(String pass, ReportZone z, int order, int allocFlags, int classzone) {
        WatermarkVerdict v = new WatermarkVerdict();
        long mark = mark(z, allocFlags);
        boolean ok = era.check.zoneWatermarkOk(z, order, mark, classzone, allocFlags, v);
        return new Check(pass, markName(allocFlags) + " " + mark + " pages" + adjust(mark, v.min), ok, step(v, z, classzone),
                v.freeAtStep, v.minAtStep, v.margin());
    }

    private static String adjust(long mark, long min) {
        return min == mark ? "" : " (lowered to " + min + " by the request's alloc_flags)";
    }

    private String step(WatermarkVerdict v, ReportZone z, int classzone) {
        if (v.passed()) {
            return "passed";
        }
        if (v.failedAtOrder == WatermarkVerdict.RESERVE_STEP) {
            return String.format(Locale.ROOT, "first test: free %d - %d = %d <= min %d + lowmem_reserve[%d] %d",
                    v.free, (1L << v.order) - 1, v.freeAtStep, v.min, classzone, v.lowmemReserve);
        }
        if (v.failedAtOrder == ZoneWatermarkOk44.NO_SUITABLE_BLOCK) {
            return String.format(Locale.ROOT,
                    "free-block search: order-0 test passed (%d > %d) but no free block of order >= %d on a list "
                            + "the request may use", v.freeAtStep, v.minAtStep, v.order);
        }
        return String.format(Locale.ROOT,
                "order-%d step: after removing the blocks of orders 0..%d, %d pages left <= required %d",
                v.failedAtOrder, v.failedAtOrder, v.freeAtStep, v.minAtStep);
    }

    /**
     * {@code __rmqueue()} after a passed check: can the free lists hand out a block of this order?
     * From 4.4 an order-0 request never takes a MIGRATE_HIGHATOMIC block, and a higher order does
     * only with ALLOC_HARDER ({@code rmqueue()}'s __rmqueue_smallest(HIGHATOMIC)); fallback covers
     * the other pcp types. Returns why not, or null when a block is there (or the data cannot say).
     */
    private String rmqueueFails(ReportZone z, int order, int allocFlags) {
        if (!era.hasHighatomic() || z.typesAssumed || !z.hasBuddyLine()) {
            return null;
        }
        boolean harder = (allocFlags & ALLOC_HARDER) != 0;
        boolean highatomicOnly = false;
        for (int o = order; o < Zone.MAX_ORDER; o++) {
            if (z.hasFreeList(o, 'U') || z.hasFreeList(o, 'M') || z.hasFreeList(o, 'E')) {
                return null;
            }
            if (z.hasFreeList(o, 'H')) {
                if (order > 0 && harder) {
                    return null;
                }
                highatomicOnly = true;
            }
        }
        return highatomicOnly
                ? "every free block of order >= " + order + " sits in the highatomic reserve, which __rmqueue does not "
                        + "use for " + (order == 0 ? "order-0 requests" : "requests without ALLOC_HARDER")
                : null;
    }

    /** Why the slow pass refused the zone. */
    private String reason(ReportZone z, int allocFlags, int classzone, Check slow) {
        WatermarkVerdict v = new WatermarkVerdict();
        era.check.zoneWatermarkOk(z, r.order(), mark(z, allocFlags), classzone, allocFlags, v);
        if (v.failedAtOrder == WatermarkVerdict.RESERVE_STEP) {
            long free0 = v.freeAtStep;
            if (free0 > v.min) {
                return "lowmem_reserve: the zone keeps " + v.lowmemReserve + " pages back from requests that could "
                        + "use a higher zone, and has only " + (free0 - v.min) + " above its watermark";
            }
            if (z.reservedHighatomic() > 0 && free0 + z.reservedHighatomic() > v.min + v.lowmemReserve) {
                return "highatomic reserve: " + z.reservedHighatomic() + " pages are held for high-order atomic "
                        + "requests, which this request may not use";
            }
            return "exhaustion: free pages are below the watermark";
        }
        if (v.failedAtOrder == ZoneWatermarkOk44.NO_SUITABLE_BLOCK) {
            boolean onlyHighatomic = false;
            for (int o = r.order(); o < Zone.MAX_ORDER; o++) {
                onlyHighatomic |= z.hasFreeList(o, 'H');
            }
            return onlyHighatomic
                    ? "highatomic reserve: the only large enough blocks sit in the highatomic reserve"
                    : "fragmentation: enough free pages, but no free block of order " + r.order() + " or more";
        }
        long big = z.pagesInBlocksOfAtLeast(r.order());
        return big == 0
                ? "fragmentation: no free block of order " + r.order() + " or more at all"
                : "fragmentation: " + percent(z.pagesInBlocksOfAtLeast(v.failedAtOrder + 1), z.freePages())
                        + " of the free pages are in blocks above order " + v.failedAtOrder
                        + ", fewer than the per-order rule wants (it halves min at each order)";
    }

    private static String percent(long part, long whole) {
        return whole <= 0 ? "0%" : (part * 100 / whole) + "%";
    }

    private static long[] freeByOrder(ReportZone z) {
        long[] out = new long[Zone.MAX_ORDER];
        for (int o = 0; o < Zone.MAX_ORDER; o++) {
            out[o] = z.nrFree(o);
        }
        return out;
    }

    private Explanation.Watermarks reported(ReportZone z) {
        Long min = z.src.kb().get("min");
        Long low = z.src.kb().get("low");
        Long high = z.src.kb().get("high");
        if (min == null || low == null || high == null) {
            return null;
        }
        return new Explanation.Watermarks(min / z.pageKb, low / z.pageKb, high / z.pageKb);
    }

    // ------------------------------------------------------------------ what would have worked

    private boolean slowPassSucceeds(int order, int allocFlags, int classzone, int highIdx) {
        for (ReportZone z : zonelist) {
            if (z.idx <= highIdx && hasMarks(z) && z.hasBuddyLine()
                    && era.check.zoneWatermarkOk(z, order, mark(z, allocFlags), classzone, allocFlags, null)) {
                return true;
            }
        }
        return false;
    }

    private String firstZoneThatPasses(int order, int allocFlags, int classzone, int highIdx) {
        for (ReportZone z : zonelist) {
            if (z.idx <= highIdx && hasMarks(z)
                    && era.check.zoneWatermarkOk(z, order, mark(z, allocFlags), classzone, allocFlags, null)) {
                return z.label();
            }
        }
        return null;
    }

    private int largestOrderThatSucceeds(int slowFlags, int classzone, int highIdx) {
        for (int o = r.order(); o >= 0; o--) {
            if (slowPassSucceeds(o, slowFlags, classzone, highIdx)) {
                return o;
            }
        }
        return -1;
    }

    private List<WhatIf> whatIf(int mask, int highIdx, int classzone, int slowFlags) {
        List<WhatIf> out = new ArrayList<>();
        int atomic = era.gfp.mask("GFP_ATOMIC") | (mask & GfpZone.GFP_ZONEMASK);
        int atomicFlags = AllocFlags.gfpToAllocFlags(era.gfp, atomic) & ~ALLOC_NO_WATERMARKS;
        if (atomic != mask) {
            String z = firstZoneThatPasses(r.order(), atomicFlags, classzone, highIdx);
            out.add(new WhatIf("the same request as GFP_ATOMIC (ALLOC_HIGH and ALLOC_HARDER lower min)", z != null,
                    z != null ? "would succeed from " + z : "would still fail"));
        }
        if (r.order() > 0) {
            String z = firstZoneThatPasses(0, slowFlags, classzone, highIdx);
            out.add(new WhatIf("order 0 instead of " + r.order() + " (scatter/gather: 2^" + r.order()
                    + " single pages)", z != null, z != null ? "would succeed from " + z : "would still fail"));
        }
        int dmaIdx = zoneTypes.indexOf("DMA");
        if (highIdx >= 0 && dmaIdx >= 0 && highIdx > dmaIdx) {
            // Without lowmem_reserve protection, how much could the lower zones have given?
            boolean lowerHelps = false;
            for (ReportZone z : zonelist) {
                if (z.idx < classzone && hasMarks(z)) {
                    WatermarkVerdict v = new WatermarkVerdict();
                    era.check.zoneWatermarkOk(z, r.order(), mark(z, slowFlags), z.idx, slowFlags, v);
                    lowerHelps |= v.passed();
                }
            }
            out.add(new WhatIf("no lowmem_reserve protection for the lower zones (lowmem_reserve_ratio)", lowerHelps,
                    lowerHelps ? "a lower zone would pass without its reserve" : "the lower zones would still refuse"));
        }
        if (zoneTypes.contains("HighMem") && highIdx < zoneTypes.indexOf("HighMem")) {
            ReportZone normal = null;
            ReportZone high = null;
            for (ReportZone z : all) {
                normal = z.src.name().equals("Normal") ? z : normal;
                high = z.src.name().equals("HighMem") ? z : high;
            }
            if (normal != null && high != null && hasMarks(normal) && hasMarks(high)) {
                long free = normal.freePages() + high.freePages();
                long mark = mark(normal, slowFlags) + mark(high, slowFlags);
                long[] blocks = new long[Zone.MAX_ORDER];
                for (int o = 0; o < Zone.MAX_ORDER; o++) {
                    blocks[o] = normal.nrFree(o) + high.nrFree(o);
                }
                boolean ok = SimpleZone.of(free, blocks).passes(era, r.order(), mark, slowFlags);
                out.add(new WhatIf("a 64-bit kernel on the same machine (HighMem's free memory usable as Normal; "
                        + "estimate: Normal and HighMem merged, their min watermarks added)", ok,
                        ok ? "the merged zone would pass" : "the merged zone would still refuse"));
            }
        }
        MinFreeKbytes mfk = minFreeKbytes();
        if (mfk != null && mfk.raised()) {
            out.add(new WhatIf("min_free_kbytes at the boot default (" + mfk.bootDefault() + ")", false,
                    "lower watermarks: see min_free_kbytes; not re-judged"));
        }
        return out;
    }

    /** A zone made of numbers only, for what-if estimates. */
    private record SimpleZone(long free, long[] blocks) implements dev.pagealloc.watermark.ZoneView {
        static SimpleZone of(long free, long[] blocks) {
            return new SimpleZone(free, blocks);
        }

        boolean passes(ReportEra era, int order, long mark, int flags) {
            return era.check.zoneWatermarkOk(this, order, mark, 0, flags, null);
        }

        @Override
        public long freePages() {
            return free;
        }

        @Override
        public int nrFree(int order) {
            return (int) blocks[order];
        }

        @Override
        public long lowmemReserve(int classzoneIdx) {
            return 0;
        }

        @Override
        public boolean hasFreeList(int order, char type) {
            return blocks[order] > 0 && (type == 'U' || type == 'M' || type == 'E');
        }
    }

    // ------------------------------------------------------------------ diagnosis

    private Diagnosis diagnose(List<ZoneVerdict> verdicts, int largest, int mask, boolean canSleep,
            boolean anyPasses) {
        List<String> frag = new ArrayList<>();
        List<String> reserve = new ArrayList<>();
        List<String> exhausted = new ArrayList<>();
        List<String> highatomic = new ArrayList<>();
        int eligible = 0;
        for (ZoneVerdict v : verdicts) {
            if (!v.eligible()) {
                continue;
            }
            eligible++;
            String zone = "Node " + v.node() + " " + v.zone();
            if (v.reason().startsWith("fragmentation")) {
                frag.add(zone);
            } else if (v.reason().startsWith("lowmem_reserve")) {
                reserve.add(zone);
            } else if (v.reason().startsWith("exhaustion")) {
                exhausted.add(zone);
            } else if (v.reason().startsWith("highatomic")) {
                highatomic.add(zone);
            }
        }
        String kind;
        StringBuilder sb = new StringBuilder();
        if (eligible == 0) {
            kind = "no eligible zone";
            sb.append("the GFP mask allows no zone this machine has");
        } else if (anyPasses) {
            kind = "not reproduced";
            List<String> pass = new ArrayList<>();
            for (ZoneVerdict v : verdicts) {
                if (v.verdict().equals("would_succeed")) {
                    pass.add("Node " + v.node() + " " + v.zone());
                }
            }
            sb.append("the printed numbers let ").append(String.join(", ", pass)).append(" pass the watermark check, "
                    + "so the refusal came from elsewhere: free pages taken between the attempt and the report, "
                    + "per-CPU counter drift, or a limit outside the zones (cpuset, memory cgroup, zone_reclaim)");
        } else if (!frag.isEmpty()) {
            kind = "fragmentation";
            sb.append("fragmentation in ").append(String.join(", ", frag))
                    .append(": free memory is there, but not in blocks of order ").append(r.order())
                    .append(" as the watermark rule needs them");
        } else if (!highatomic.isEmpty()) {
            kind = "highatomic reserve";
            sb.append("the free memory of ").append(String.join(", ", highatomic))
                    .append(" sits in the highatomic reserve, which this request may not use");
        } else if (!exhausted.isEmpty()) {
            kind = "exhaustion";
            sb.append("exhaustion: ").append(String.join(", ", exhausted)).append(" below the watermark");
        } else {
            kind = reserve.isEmpty() ? "unexplained" : "lowmem_reserve";
            sb.append(reserve.isEmpty() ? "no zone refusal can be reconstructed from the printed numbers"
                    : "every eligible zone is protected by lowmem_reserve");
        }
        if (!reserve.isEmpty() && !kind.equals("lowmem_reserve")) {
            sb.append("; ").append(String.join(", ", reserve)).append(" refused by lowmem_reserve protection");
        }
        if (!exhausted.isEmpty() && !kind.equals("exhaustion")) {
            sb.append("; ").append(String.join(", ", exhausted)).append(" below the watermark");
        }
        String oomReason;
        boolean oom;
        if (!canSleep) {
            oom = false;
            oomReason = "no: the request cannot sleep, so it never reaches reclaim or the OOM killer";
        } else if (r.order() > Zone.PAGE_ALLOC_COSTLY_ORDER && (mask & era.gfp.bit("__GFP_NOFAIL")) == 0) {
            oom = false;
            oomReason = "no: order " + r.order() + " > PAGE_ALLOC_COSTLY_ORDER (3), so __alloc_pages_may_oom skips "
                    + "the kill and the allocation fails";
        } else if ((mask & era.gfp.bit("__GFP_FS")) == 0) {
            oom = false;
            oomReason = "no: without __GFP_FS the allocator does not invoke the OOM killer";
        } else if ((mask & era.gfp.bit("__GFP_NORETRY")) != 0) {
            oom = false;
            oomReason = "no: __GFP_NORETRY gives up after one round of reclaim";
        } else {
            oom = true;
            oomReason = "yes, if direct reclaim made no progress (order <= 3 keeps retrying)";
        }
        if (largest >= 0 && largest < r.order()) {
            sb.append("; order ").append(largest).append(" would have succeeded");
        }
        return new Diagnosis(kind, sb.toString(), largest < r.order() ? largest : r.order(), oom, oomReason);
    }

    // ------------------------------------------------------------------ first principles

    /** The size formulas use: present (≤ 3.x) or managed (printed from 3.10). */
    private long size(ReportZone z) {
        Long managed = z.src.kb().get("managed");
        Long present = z.src.kb().get("present");
        Long kb = managed != null ? managed : present;
        return kb == null ? 0 : kb / z.pageKb;
    }

    private long lowmemPages() {
        long lowmem = 0;
        for (ReportZone z : all) {
            if (!z.src.name().equals("HighMem") && !(era.movableIsHighmem() && z.src.name().equals("Movable"))) {
                lowmem += sizeAtWmarks(z);
            }
        }
        return lowmem;
    }

    /** The zone whose managed count grew after the watermarks were set, and by how much (pages). */
    private String lateZone;
    private long lateDelta;
    private boolean lateSearched;

    /**
     * The size the watermark formulas saw: managed minus what was freed after
     * {@code init_per_zone_wmark_min()} / khugepaged set them (the initrd, the kernel's init
     * sections: "Freeing initrd memory", "Freeing unused kernel image"), which the report's managed
     * includes. Found by {@link #pagesMinRange()} when the printed sizes alone fit no min_free_kbytes.
     */
    private long sizeAtWmarks(ReportZone z) {
        long s = size(z);
        return z.src.name().equals(lateZone) ? Math.max(0, s - lateDelta) : s;
    }

    private long boost(ReportZone z) {
        Long b = z.src.kb().get("boost");
        return b == null ? 0 : b / z.pageKb;
    }

    /**
     * pages_min range consistent with every lowmem zone's printed min, or null. 3.10+ reports print
     * managed after the late boot frees, which the watermarks never saw: when the printed sizes fit
     * no pages_min, the smallest such late free (one zone, up to 64 MiB) that makes them fit is
     * assumed.
     */
    private long[] pagesMinRange() {
        long[] p = pagesMinRangeAt();
        if (p != null || lateSearched || !era.printsManaged()) {
            return p;
        }
        lateSearched = true;
        for (long d = 1; d <= 16384; d++) {
            for (ReportZone z : all) {
                if (z.src.name().equals("HighMem") || z.src.name().equals("Movable") || size(z) <= d) {
                    continue;
                }
                lateZone = z.src.name();
                lateDelta = d;
                p = pagesMinRangeAt();
                if (p != null) {
                    return p;
                }
            }
        }
        lateZone = null;
        lateDelta = 0;
        return null;
    }

    /** What the late-free search found: "N pages in ZONE", or null. */
    String lateFreed() {
        pagesMinRange();
        return lateZone == null ? null : lateDelta + " pages in " + lateZone;
    }

    private long[] pagesMinRangeAt() {
        long lowmem = lowmemPages();
        long lo = 0;
        long hi = Long.MAX_VALUE;
        boolean any = false;
        for (ReportZone z : all) {
            long size = sizeAtWmarks(z);
            Long minKb = z.src.kb().get("min");
            if (z.src.name().equals("HighMem") || size == 0 || minKb == null || lowmem == 0) {
                continue;
            }
            long m = minKb / z.pageKb - boost(z);
            // m = floor(P * size / lowmem)  <=>  m*lowmem <= P*size < (m+1)*lowmem
            long pLo = ceilDiv(m * lowmem, size);
            long pHi = ceilDiv((m + 1) * lowmem, size) - 1;
            lo = Math.max(lo, pLo);
            hi = Math.min(hi, pHi);
            any = true;
        }
        return any && lo <= hi ? new long[] {lo, hi} : null;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private MinFreeKbytes minFreeKbytes() {
        long lowmem = lowmemPages();
        if (lowmem == 0) {
            return null;
        }
        long pageKb = all.get(0).pageKb;
        long bufferKb = 0;
        for (ReportZone z : all) {
            if (!z.src.name().equals("HighMem") && !z.src.name().equals("Movable")) {
                bufferKb += size(z) * pageKb;
            }
        }
        long def = Watermarks.minFreeKbytes(bufferKb, era.minFreeKbytesMax());
        long[] p = pagesMinRange();
        if (p == null) {
            return new MinFreeKbytes(-1, -1, def, false,
                    "the printed min watermarks do not fit one min_free_kbytes (sizes missing or inconsistent)");
        }
        long kbPerPage = pageKb;
        long lo = p[0] * kbPerPage;
        long hi = p[1] * kbPerPage + kbPerPage - 1;
        boolean raised = def < lo;
        String note;
        String late = lateZone == null ? "" : String.format(Locale.ROOT,
                " (they were computed before %d pages were freed late in boot in %s: initrd and init sections"
                        + " count in the printed managed but not in the watermarks)", lateDelta, lateZone);
        if (def >= lo && def <= hi) {
            note = "the printed watermarks match the boot default " + def + " kB" + late;
        } else if (raised && khugepagedRecommendation(lo, hi) > 0) {
            note = String.format(Locale.ROOT, "min_free_kbytes looks like %d..%d: khugepaged's recommendation %d kB "
                    + "(set_recommended_min_free_kbytes(): 11 pageblocks per zone up to Normal%s, with THP enabled), "
                    + "not the sqrt default %d%s", lo, hi, khugepagedRecommendation(lo, hi),
                    khugepagedCapped ? ", capped at 5% of lowmem" : "", def, late);
        } else if (raised) {
            note = String.format(Locale.ROOT, "min_free_kbytes looks like %d..%d; the default for this machine is %d "
                    + "(raised by sysctl vm.min_free_kbytes or by transparent hugepages' khugepaged)%s", lo, hi, def, late);
        } else {
            note = String.format(Locale.ROOT, "min_free_kbytes looks like %d..%d, below the default %d (lowered by sysctl)%s",
                    lo, hi, def, late);
        }
        return new MinFreeKbytes(lo, hi, def, raised, note);
    }


    /**
     * {@code set_recommended_min_free_kbytes()}, mm/khugepaged.c (4.19+): pageblock_nr_pages × nr_zones
     * × (2 + MIGRATE_PCPTYPES²) kB-converted, at most 5% of lowmem; the value in [lo, hi] for a
     * pageblock of 512 or 1024 pages (order 9, or 10 on i386 without PAE), or 0 when none fits.
     */
    private long khugepagedRecommendation(long lo, long hi) {
        if (!era.khugepagedRecommends()) {
            return 0;
        }
        long nrZones = 0;
        long buffer = 0;
        for (ReportZone z : all) {
            String n = z.src.name();
            if (!n.equals("HighMem") && !n.equals("Movable") && size(z) > 0) {
                nrZones++;
                buffer += size(z);
            }
        }
        for (int pageblockOrder : new int[] {9, 10}) {
            long uncapped = Watermarks.recommendedMinFreePages(nrZones, pageblockOrder, Long.MAX_VALUE) * z0PageKb();
            long capped = Watermarks.recommendedMinFreePages(nrZones, pageblockOrder, buffer) * z0PageKb();
            if (uncapped >= lo && uncapped <= hi) {
                return uncapped;
            }
            // the 5% cap: nr_free_buffer_pages()/20 with the high watermarks subtracted; accept a
            // value within the inferred range below the cap
            if (capped < uncapped && hi <= capped && lo >= capped * 9 / 10) {
                khugepagedCapped = true;
                return lo;
            }
        }
        return 0;
    }

    /** Set when the recommendation found is the 5%-of-lowmem cap. */
    private boolean khugepagedCapped;

    private long z0PageKb() {
        return all.get(0).pageKb;
    }

    /** min/low/high from first principles with the inferred pages_min (boost added back). */
    private Explanation.Watermarks recomputed(ReportZone z) {
        long[] p = pagesMinRange();
        long lowmem = lowmemPages();
        long size = sizeAtWmarks(z);
        if (p == null || lowmem == 0 || size == 0) {
            return null;
        }
        long tmp = Watermarks.zoneShare(p[0], size, lowmem);
        long min = z.src.name().equals("HighMem") ? Watermarks.highmemMin(size) : tmp;
        long[] marks = era.watermarks(min, tmp, size);
        long b = boost(z);
        return new Explanation.Watermarks(marks[0] + b, marks[1] + b, marks[2] + b);
    }

    /** lowmem_reserve[] of this zone from the sizes of the zones above it on its node. */
    private long[] recomputedReserve(ReportZone z) {
        if (z.idx < 0 || z.src.lowmemReserve() == null) {
            return null;
        }
        int n = zoneTypes.size();
        long[] sizes = new long[n];
        for (ReportZone o : all) {
            if (o.src.node() == z.src.node() && o.idx >= 0 && o.idx < n) {
                sizes[o.idx] = size(o);
            }
        }
        int[] ratio = new int[n];
        for (int i = 0; i < n; i++) {
            ratio[i] = ratio(i);
        }
        long[][] reserve = new long[n][n];
        Watermarks.lowmemReserve(sizes, ratio, era.lowmemReserveRule(), reserve);
        long[] out = new long[z.src.lowmemReserve().length];
        for (int j = z.idx + 1; j < out.length && j < n; j++) {
            out[j] = reserve[z.idx][j];
        }
        return out;
    }

    private int ratio(int idx) {
        String type = zoneTypes.get(idx);
        if (era.designatedLowmemRatios()) {
            return switch (type) {
                case "DMA", "DMA32" -> 256;
                case "Normal" -> 32;
                default -> 0;
            };
        }
        // sysctl_lowmem_reserve_ratio[MAX_NR_ZONES-1]: DMA 256, DMA32 256, HighMem 32, Normal 32
        return switch (type) {
            case "DMA", "DMA32" -> 256;
            default -> 32;
        };
    }

    /** ≤ 3.x reports print the per-CPU high/batch: compare them with zone_batchsize(). */
    private void checkPcp() {
        if (r.perCpu().isEmpty() || !era.staticPcp()) {
            return;
        }
        for (ReportZone z : all) {
            long size = size(z);
            if (size == 0) {
                continue;
            }
            int batch = PcpSizing.zoneBatchsize(size, z.pageKb * 1024, PcpSizing.BATCH_CAP_512K);
            for (PerCpuLine p : r.perCpu()) {
                if (p.node() == z.src.node() && p.zone().equals(z.src.name())
                        && (p.high() != PcpSizing.staticHigh(batch) || p.batch() != Math.max(1, batch))) {
                    warnings.add(String.format(Locale.ROOT, "%s CPU %d prints hi:%d btch:%d; zone_batchsize() of %d "
                            + "pages gives hi:%d btch:%d (percpu_pagelist_fraction set?)", z.label(), p.cpu(), p.high(),
                            p.batch(), size, PcpSizing.staticHigh(batch), Math.max(1, batch)));
                    break;
                }
            }
        }
    }
}
