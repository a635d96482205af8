package dev.pagealloc.workloads.gen;

import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.profile.Arch;
import java.util.function.LongSupplier;

/**
 * What a generator job may know of the machine it runs on: the arch and kernel (which size
 * its allocations: skb layout, THREAD_SIZE, HPAGE_PMD_ORDER, gfp spellings), the present pages and
 * CPUs, and a live view of the page cache (NR_FILE_PAGES) for fill-to-a-level streams.
 *
 * @param presentPages sum of the zones' present pages
 * @param cpus emulated CPUs; generators use 0 … cpus-1
 * @param filePages the page cache now, read between events
 */
public record GenContext(Arch arch, Kernel kernel, long presentPages, int cpus, LongSupplier filePages) {
    public GenContext {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be at least 1, got " + cpus);
        }
        if (presentPages < 0) {
            throw new IllegalArgumentException("presentPages must not be negative, got " + presentPages);
        }
    }
}
