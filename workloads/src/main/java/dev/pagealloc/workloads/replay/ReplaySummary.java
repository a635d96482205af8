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
 * @param attempts per (order, gfp) attempts and failures, gfp as the profile's tracepoint prints it
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
 * @param reports the first failure reports, in the profile's format
 * @param oomLog the OOM killer's kernel log lines
 * @param snapshots /proc snapshots at markers or every N ms
 * @param phases phase markers
 * @param series free pages per zone and order over emulated time
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
        TimeSeries series) {

    public ReplaySummary {
        attempts = List.copyOf(attempts);
        failures = List.copyOf(failures);
        reports = List.copyOf(reports);
        oomLog = List.copyOf(oomLog);
        snapshots = List.copyOf(snapshots);
        phases = List.copyOf(phases);
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
