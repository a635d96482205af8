package dev.pagealloc.kernel.v6_1;

import dev.pagealloc.alloc.AllocFailure;
import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.kernel.KernelReports;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.report.Explanation;
import dev.pagealloc.report.FailureReport;
import dev.pagealloc.vmscan.OomPrinter;

/** 6.1's reports: {@link MachineReport61}, {@link Oom61}, {@link Reprint61}. */
final class Reports61 implements KernelReports {
    private final OomPrinter oom;

    Reports61(GfpBits gfp) {
        this.oom = new Oom61(gfp);
    }

    @Override
    public String failureReport(Machine m, AllocFailure f, String comm, int pid) {
        return MachineReport61.failureReport(m, f, comm, pid);
    }

    /** {@code __show_mem()} with every zone printed (as for a request whose gfp_zone() is the highest), CPU 0 current. */
    @Override
    public String showMem(Machine m) {
        return ShowMem61.showMem(MachineReport61.memInfo(m, m.zones.length - 1, 0));
    }

    @Override
    public OomPrinter oom() {
        return oom;
    }

    @Override
    public boolean printsFormatOf(FailureReport r) {
        return Reprint61.applies(r);
    }

    @Override
    public String reprint(FailureReport r, Explanation e) {
        return Reprint61.reprint(r, e);
    }
}
