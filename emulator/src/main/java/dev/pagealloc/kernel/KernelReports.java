package dev.pagealloc.kernel;

import dev.pagealloc.alloc.AllocFailure;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.report.Explanation;
import dev.pagealloc.report.FailureReport;
import dev.pagealloc.vmscan.OomPrinter;

/**
 * A kernel's reports: the "page allocation failure" warning with its {@code show_mem()} block as
 * an emulated machine prints it, the OOM killer's lines, and the same failure format regenerated
 * from a real report's reconstructed state ({@code explain --reprint}).
 */
public interface KernelReports {
    /** The failure report machine {@code m} prints for {@code f}, as dmesg would hold it. */
    String failureReport(Machine m, AllocFailure f, String comm, int pid);

    /**
     * {@code show_mem()} of machine {@code m} as this kernel prints it (the Mem-Info block of its
     * failure and OOM reports), for every populated zone.
     */
    String showMem(Machine m);

    /** The OOM killer's printk lines. */
    OomPrinter oom();

    /** Whether a real report {@code r} is in the format this kernel prints (so it can reprint it). */
    boolean printsFormatOf(FailureReport r);

    /** The report's header and Mem-Info block regenerated from the explained state {@code e}. */
    String reprint(FailureReport r, Explanation e);
}
