package dev.pagealloc.kernel.v2_6_32;

import dev.pagealloc.alloc.AllocFailure;
import dev.pagealloc.kernel.KernelReports;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.report.Explanation;
import dev.pagealloc.report.FailureReport;
import dev.pagealloc.vmscan.OomPrinter;

/** 2.6.32's reports: {@link MachineReport2632}, {@link Oom2632}, {@link Reprint2632}. */
final class Reports2632 implements KernelReports {
    @Override
    public String failureReport(Machine m, AllocFailure f, String comm, int pid) {
        return MachineReport2632.failureReport(m, f, comm, pid);
    }

    @Override
    public String showMem(Machine m) {
        return ShowMem2632.showMem(MachineReport2632.memInfo(m));
    }

    @Override
    public OomPrinter oom() {
        return Oom2632.INSTANCE;
    }

    @Override
    public boolean printsFormatOf(FailureReport r) {
        return Reprint2632.applies(r);
    }

    @Override
    public String reprint(FailureReport r, Explanation e) {
        return Reprint2632.reprint(r, e);
    }
}
