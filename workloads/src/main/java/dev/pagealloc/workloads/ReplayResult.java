package dev.pagealloc.workloads;

import java.util.List;

/**
 * What a {@link JobRunner} run did: per (gfp, order) attempts and failures, the reclaim and OOM
 * counters of /proc/vmstat, the final page counts, and the first failure report per gfp mask. A
 * value: the same job on the same machine gives an equal result.
 *
 * @param job the job's name
 * @param machine the machine's name
 * @param kernel the kernel's name
 * @param cpus the machine's CPUs
 * @param events allocation events run
 * @param ticks ticks of emulated time (kswapd turns)
 * @param counts per (gfp, order), in first-use order
 * @param oomKills OOM kills
 * @param kswapdReclaimed pgsteal by kswapd
 * @param directReclaimed pgsteal by direct reclaim
 * @param allocstall direct reclaim entries
 * @param pgscanKswapd pages scanned by kswapd
 * @param pgscanDirect pages scanned by direct reclaim
 * @param pswpout pages swapped out
 * @param finalFree free pages at the end (NR_FREE_PAGES, per-CPU lists not included)
 * @param finalFile page cache pages at the end
 * @param finalAnon anonymous pages at the end
 * @param failureReports the first failure of each gfp mask, in first-failure order
 * @param oomLog the OOM killer's kernel log lines
 */
public record ReplayResult(
        String job,
        String machine,
        String kernel,
        int cpus,
        long events,
        long ticks,
        List<Count> counts,
        long oomKills,
        long kswapdReclaimed,
        long directReclaimed,
        long allocstall,
        long pgscanKswapd,
        long pgscanDirect,
        long pswpout,
        long finalFree,
        long finalFile,
        long finalAnon,
        List<FailureText> failureReports,
        List<String> oomLog) {

    public ReplayResult {
        counts = List.copyOf(counts);
        failureReports = List.copyOf(failureReports);
        oomLog = List.copyOf(oomLog);
    }

    /** Attempts and failures of one gfp mask (as the job spells it) at one order. */
    public record Count(String gfp, int order, long attempts, long failures) {}

    /** The kernel's failure report for the first failed request of {@code gfp}. */
    public record FailureText(String gfp, int order, long event, String report) {}

    /** The count for {@code gfp} at {@code order}, or null if it never ran. */
    public Count count(String gfp, int order) {
        for (Count c : counts) {
            if (c.gfp().equals(gfp) && c.order() == order) {
                return c;
            }
        }
        return null;
    }

    /** Failures of {@code gfp} over all orders. */
    public long failures(String gfp) {
        return counts.stream().filter(c -> c.gfp().equals(gfp)).mapToLong(Count::failures).sum();
    }

    /** Attempts of {@code gfp} over all orders. */
    public long attempts(String gfp) {
        return counts.stream().filter(c -> c.gfp().equals(gfp)).mapToLong(Count::attempts).sum();
    }
}
