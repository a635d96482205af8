package dev.pagealloc.report;

import java.util.List;

/**
 * The answer to "why did this allocation fail": per zone, the check each pass made and how it
 * ended; the diagnosis; what would have worked. Field names follow the JSON the CLI prints.
 */
public record Explanation(
        int reportLine,
        String comm,
        String kernel,
        String kernelSource,
        String gfpLayout,
        String watermarkCheck,
        int order,
        Gfp gfp,
        List<ZoneVerdict> zones,
        Diagnosis diagnosis,
        List<WhatIf> whatIf,
        MinFreeKbytes minFreeKbytes,
        List<String> warnings,
        List<String> missing) {

    /** The request's mask as the era decodes it. */
    public record Gfp(long mask, String names, String zone, String migratetype, boolean canSleep, int allocFlags) {}

    /** One pass's check on one zone. */
    public record Check(String pass, String mark, boolean passed, String step, long freePages, long required,
            long margin) {}

    /**
     * One zone's verdict.
     *
     * @param verdict "refused", "would_succeed" or "not_eligible"
     * @param failedCheck the deciding step of the last pass that refused, in words
     * @param marginPages free_pages − requirement at that step (≤ 0 when refused)
     * @param reason "fragmentation", "exhaustion", "lowmem_reserve", "highatomic reserve",
     *     "zone ruled out by the GFP mask" …
     */
    public record ZoneVerdict(int node, String zone, int zoneIdx, boolean eligible, long freePages,
            long[] freeByOrder, Watermarks reported, Watermarks recomputed, long[] lowmemReserve,
            long[] lowmemReserveRecomputed, String verdict, String failedCheck, long marginPages, String reason,
            List<Check> checks, double unusableFreeIndex, double fragmentationIndex) {}

    /** min/low/high in pages (boost included where the era prints it so). */
    public record Watermarks(long min, long low, long high) {}

    /** The overall judgement. */
    public record Diagnosis(String kind, String summary, int largestOrderThatWouldSucceed, boolean oomKillerWouldRun,
            String oomReason) {}

    /** A changed request or machine and whether it would have succeeded. */
    public record WhatIf(String change, boolean wouldSucceed, String detail) {}

    /**
     * What min_free_kbytes the reported watermarks imply, against the boot default for this machine.
     */
    public record MinFreeKbytes(long inferredLow, long inferredHigh, long bootDefault, boolean raised, String note) {}
}
