package dev.pagealloc.workloads.replay;

import java.util.List;

/**
 * What a replay did, in emulated terms only (no wall-clock figures, so two replays of the same
 * input compare equal). Counters named after /proc/vmstat where the kernel has one.
 *
 * @param endNs emulated time of the last event
 * @param allocs allocation attempts (workload allocations, page cache and anonymous pages)
 * @param frees frees that matched a live allocation
 * @param allocFailures failed attempts
 * @param unmatchedFrees frees of ids that were not live (allocated before the recording began, a
 *     double trace of one free, or an allocation that failed here)
 * @param lostFrees allocations of an id that was still live (its free was lost by the recording)
 * @param recordedFailures allocations that failed in the recording ({@code page=NULL})
 * @param stillHeld workload allocations live at the end
 * @param userPages page cache and anonymous page attempts
 * @param fileDropped page cache pages dropped by the workload
 * @param processStarts processes started
 * @param processExits processes that exited (not counting OOM kills)
 * @param attempts per (order, gfp) attempts and failures, gfp as the kernel's tracepoint prints it
 * @param failures the (order, gfp) pairs that failed, by first failure
 * @param firstFailureNs emulated time of the first failure, -1 if none
 * @param minFreePages the lowest NR_FREE_PAGES seen after an allocation
 * @param presentPages the machine's present pages
 * @param oomKills OOM kills
 * @param kswapdReclaimed pgsteal by kswapd
 * @param directReclaimed pgsteal by direct reclaim
 * @param allocstall direct reclaim entries
 * @param pgscanKswapd pages scanned by kswapd
 * @param pgscanDirect pages scanned by direct reclaim
 * @param pswpout pages swapped out
 * @param kswapdWakeups wakeup_kswapd() calls
 * @param kswapdRuns kswapd balance runs
 * @param warnPrinted failure reports the kernel would print (not __GFP_NOWARN, within printk_ratelimit)
 * @param warnSuppressed failure reports printk_ratelimit() suppressed
 * @param finalFree NR_FREE_PAGES at the end
 * @param finalFile NR_FILE_PAGES at the end
 * @param finalAnon NR_ANON_PAGES at the end
 * @param reports the first failure reports, in the kernel's format
 * @param oomLog the OOM killer's kernel log lines
 * @param snapshots /proc snapshots at markers or every N ms
 * @param phases phase markers
 * @param series free pages per zone and order over emulated time
 * @param zones per populated zone, lowest first: its watermarks, lowest free count and the emulated
 *     time it spent below its low and min watermarks
 * @param lowmemMinFreePages the lowest sum of NR_FREE_PAGES over the zones that are not HighMem
 *     (all of them on x86_64) seen after an allocation
 * @param highmemMinFreePages the same for ZONE_HIGHMEM (i386), 0 without one
 */
public record ReplaySummary(
        long endNs,
        long allocs,
        long frees,
        long allocFailures,
        long unmatchedFrees,
        long lostFrees,
        long recordedFailures,
        long stillHeld,
        long userPages,
        long fileDropped,
        long processStarts,
        long processExits,
        List<Attempts> attempts,
        List<Failure> failures,
        long firstFailureNs,
        long minFreePages,
        long presentPages,
        long oomKills,
        long kswapdReclaimed,
        long directReclaimed,
        long allocstall,
        long pgscanKswapd,
        long pgscanDirect,
        long pswpout,
        long kswapdWakeups,
        long kswapdRuns,
        long warnPrinted,
        long warnSuppressed,
        long finalFree,
        long finalFile,
        long finalAnon,
        List<FailureReport> reports,
        List<String> oomLog,
        List<Snapshot> snapshots,
        List<Phase> phases,
        TimeSeries series,
        List<ZoneStat> zones,
        long lowmemMinFreePages,
        long highmemMinFreePages) {

    public ReplaySummary {
        attempts = List.copyOf(attempts);
        failures = List.copyOf(failures);
        reports = List.copyOf(reports);
        oomLog = List.copyOf(oomLog);
        snapshots = List.copyOf(snapshots);
        phases = List.copyOf(phases);
        zones = List.copyOf(zones);
    }

    /**
     * One zone over the replay. Time below a watermark is exact at event granularity: between two
     * events of different times the zone holds the free count the earlier one left, and that span
     * counts as below {@code low_wmark_pages()} (or {@code min_wmark_pages()}) when that count is
     * under the mark at the time (watermark_boost included on kernels that have it).
     *
     * @param name the zone's name (DMA, DMA32, Normal, HighMem)
     * @param highmem ZONE_HIGHMEM
     * @param presentPages present_pages
     * @param managedPages managed_pages
     * @param minWmark WMARK_MIN at the end, without boost
     * @param lowWmark WMARK_LOW at the end, without boost
     * @param highWmark WMARK_HIGH at the end, without boost
     * @param bootFreePages NR_FREE_PAGES when the replay began (after boot)
 * @param minFreePages the lowest NR_FREE_PAGES of the zone seen after an allocation
     * @param nsBelowLow emulated ns with NR_FREE_PAGES below the low watermark
     * @param nsBelowMin emulated ns with NR_FREE_PAGES below the min watermark
     */
    public record ZoneStat(String name, boolean highmem, long presentPages, long managedPages, long minWmark,
            long lowWmark, long highWmark, long bootFreePages, long minFreePages, long nsBelowLow, long nsBelowMin) {
        /**
         * The most pages the replay held from the zone at once: free pages at the start minus the
         * lowest free count (not present minus free: 2.6.32's present_pages leaves out the memmap
         * estimate and dma_reserve, so DMA can hold more free pages than it has present).
         */
        public long peakUsedPages() {
            return Math.max(0, bootFreePages - minFreePages);
        }
    }

    /** Present pages of the zones that are not HighMem. */
    public long lowmemPresentPages() {
        long n = 0;
        for (ZoneStat z : zones) {
            n += z.highmem() ? 0 : z.presentPages();
        }
        return n;
    }

    /** Present pages of ZONE_HIGHMEM, 0 without one. */
    public long highmemPresentPages() {
        long n = 0;
        for (ZoneStat z : zones) {
            n += z.highmem() ? z.presentPages() : 0;
        }
        return n;
    }

    /** The most pages the replay held at once from the zones that are not HighMem (free at the start minus the lowest free sum). */
    public long lowmemPeakUsedPages() {
        long boot = 0;
        for (ZoneStat z : zones) {
            boot += z.highmem() ? 0 : z.bootFreePages();
        }
        return Math.max(0, boot - lowmemMinFreePages);
    }

    /** The same for ZONE_HIGHMEM, 0 without one. */
    public long highmemPeakUsedPages() {
        long boot = 0;
        for (ZoneStat z : zones) {
            boot += z.highmem() ? z.bootFreePages() : 0;
        }
        return Math.max(0, boot - highmemMinFreePages);
    }

    /** Attempts and failures at one order with one mask. */
    public record Attempts(int order, String gfp, String mode, long attempts, long failures) {}

    /** Failures at one order with one mask, and when the first happened. */
    public record Failure(int order, String gfp, String mode, long count, long firstNs) {}

    /** A failure report as the kernel prints it. */
    public record FailureReport(long timeNs, int order, String gfp, String mode, String text) {}

    /** /proc/buddyinfo and /proc/zoneinfo at a moment of emulated time. */
    public record Snapshot(long timeNs, String name, String buddyinfo, String zoneinfo) {}

    /** A phase marker. */
    public record Phase(long timeNs, String name) {}

    /** Peak pages in use: present pages minus the lowest free count. */
    public long peakUsedPages() {
        return presentPages - minFreePages;
    }

    /** Failures at {@code order} whose gfp contains {@code gfpName} (e.g. "GFP_ATOMIC"). */
    public long failures(int order, String gfpName) {
        long n = 0;
        for (Failure f : failures) {
            if (f.order() == order && List.of(f.gfp().split("\\|")).contains(gfpName)) {
                n += f.count();
            }
        }
        return n;
    }
}
