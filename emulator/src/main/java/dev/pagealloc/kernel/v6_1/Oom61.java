package dev.pagealloc.kernel.v6_1;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.vmscan.OomPrinter;
import java.util.List;

/**
 * The OOM killer's lines of mm/oom_kill.c [61] for a global OOM on one node without cgroups:
 * {@code dump_header()}'s first line (:454), printed before {@code __show_mem()}; after it
 * {@code dump_oom_summary()} (:443: constraint, nodemask, cpuset, the memcg context) and
 * {@code __oom_kill_process()}'s kill line (:949, message "Out of memory"). The emulator keeps
 * only anonymous RSS and swap per task: total-vm is their sum, file and shmem RSS, UID and page
 * tables print 0. The task table ({@code dump_tasks()}) is not printed.
 */
final class Oom61 implements OomPrinter {
    /** {@code OOM_SCORE_ADJ_MAX}, include/uapi/linux/oom.h. */
    private static final int OOM_SCORE_ADJ_MAX = 1000;
    /** {@code OOM_DISABLE}, the legacy oom_adj that exempts a task. */
    private static final int OOM_DISABLE = -17;
    /** {@code OOM_ADJUST_MAX}. */
    private static final int OOM_ADJUST_MAX = 15;

    private final GfpBits gfp;

    /** @param gfp the layout {@code %pGg} names the mask in */
    Oom61(GfpBits gfp) {
        this.gfp = gfp;
    }

    /** {@code "%s invoked oom-killer: gfp_mask=%#x(%pGg), order=%d, oom_score_adj=%hd"}; current's is 0. */
    @Override
    public String header(String comm, int gfpMask, int order) {
        return comm + " invoked oom-killer: gfp_mask=" + GfpBits.hex(gfpMask) + "(" + gfp.formatPGg(gfpMask)
                + "), order=" + order + ", oom_score_adj=0";
    }

    @Override
    public List<String> kill(int pid, String comm, long points, long rssPages, long swapents, int oomAdj) {
        return List.of(
                "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
                        + "task_memcg=/,task=" + comm + ",pid=" + pid + ",uid=0",
                "Out of memory: Killed process " + pid + " (" + comm + ") total-vm:" + ((rssPages + swapents) * 4)
                        + "kB, anon-rss:" + (rssPages * 4) + "kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB"
                        + " oom_score_adj:" + oomScoreAdj(oomAdj));
    }

    /**
     * The oom_score_adj a legacy {@code oom_adj} write sets ({@code __set_oom_adj()}, fs/proc/base.c):
     * OOM_ADJUST_MAX becomes OOM_SCORE_ADJ_MAX, anything else {@code oom_adj × 1000 / 17}.
     */
    static int oomScoreAdj(int oomAdj) {
        return oomAdj == OOM_ADJUST_MAX ? OOM_SCORE_ADJ_MAX : oomAdj * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
    }
}
