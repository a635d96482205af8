package dev.pagealloc.kernel.v2_6_32;

import dev.pagealloc.vmscan.OomPrinter;
import java.util.List;

/**
 * The OOM killer's lines of mm/oom_kill.c [2632]: {@code oom_kill_process()}'s header (:399),
 * printed before {@code show_mem()}, then {@code "%s: kill process %d (%s) score %li or a child"}
 * (:422, message "Out of memory") and {@code __oom_kill_task()}'s {@code "Killed process %d (%s)"}
 * (:360). The task dump ({@code sysctl_oom_dump_tasks}, off by default in 2.6.32) is not printed.
 */
final class Oom2632 implements OomPrinter {
    static final Oom2632 INSTANCE = new Oom2632();

    private Oom2632() {}

    /** {@code "%s invoked oom-killer: gfp_mask=0x%x, order=%d, oom_adj=%d"}; current's oom_adj is 0. */
    @Override
    public String header(String comm, int gfpMask, int order) {
        return comm + " invoked oom-killer: gfp_mask=0x" + Integer.toHexString(gfpMask) + ", order=" + order
                + ", oom_adj=0";
    }

    @Override
    public List<String> kill(int pid, String comm, long points, long rssPages, long swapents, int oomAdj) {
        return List.of("Out of memory: kill process " + pid + " (" + comm + ") score " + points + " or a child",
                "Killed process " + pid + " (" + comm + ")");
    }
}
