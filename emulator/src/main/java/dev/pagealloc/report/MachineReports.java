package dev.pagealloc.report;

import dev.pagealloc.alloc.AllocFailure;
import dev.pagealloc.layout.Machine;

/**
 * The profile's report formatter (DESIGN §2): the 2.6.32 {@code __alloc_pages_slowpath()} warning
 * with its {@code show_mem()}, or 6.1's {@code warn_alloc()} with {@code __show_mem()}.
 */
public final class MachineReports {
    private MachineReports() {}

    /**
     * The "page allocation failure" report machine {@code m} prints for {@code f}, as its kernel
     * profile writes it: {@link MachineReport61} for 5.x/6.x profiles, {@link MachineReport2632}
     * otherwise.
     */
    public static String failureReport(Machine m, AllocFailure f, String comm, int pid) {
        return m.profile.isModern()
                ? MachineReport61.failureReport(m, f, comm, pid)
                : MachineReport2632.failureReport(m, f, comm, pid);
    }
}
