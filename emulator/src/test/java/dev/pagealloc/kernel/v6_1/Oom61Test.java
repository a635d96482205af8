package dev.pagealloc.kernel.v6_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.gfp.GfpBits;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 6.1's OOM killer lines (mm/oom_kill.c [61]: dump_header() :454, dump_oom_summary() :443,
 * __oom_kill_process() :949), held against lines real kernels printed with the same format
 * strings: the header of a 5.4 kernel (GitHub arriven/db1000n#555), the summary of a 5.x/6.x
 * Ubuntu kernel (0jc1/py-autovod#7) and the kill line of Debian's 6.16 (inducer/relate#1383).
 */
class Oom61Test {
    private final Oom61 oom = new Oom61(GfpBits.forKernel("6.1"));

    @Test
    void headerAsTheKernelPrintsIt() {
        // real: "app invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0"
        assertEquals("app invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0",
                oom.header("app", 0x100cca, 0));
        assertEquals("app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=3, oom_score_adj=0",
                oom.header("app", 0xcc0, 3));
    }

    static final Pattern SUMMARY = Pattern.compile("oom-kill:constraint=CONSTRAINT_NONE,nodemask=\\(null\\),"
            + "cpuset=[^,]+,mems_allowed=\\d+,global_oom,task_memcg=[^,]+,task=[^,]+,pid=\\d+,uid=\\d+");
    static final Pattern KILL = Pattern.compile("Out of memory: Killed process \\d+ \\(.+\\) total-vm:\\d+kB, "
            + "anon-rss:\\d+kB, file-rss:\\d+kB, shmem-rss:\\d+kB, UID:\\d+ pgtables:\\d+kB oom_score_adj:-?\\d+");

    @Test
    void killLinesHaveTheRealLinesShape() {
        String realSummary = "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
                + "task_memcg=/init.scope,task=python,pid=7899,uid=0";
        String realKill = "Out of memory: Killed process 3581527 (uwsgi) total-vm:517892kB, anon-rss:263092kB, "
                + "file-rss:29128kB, shmem-rss:0kB, UID:33 pgtables:740kB oom_score_adj:0";
        assertTrue(SUMMARY.matcher(realSummary).matches());
        assertTrue(KILL.matcher(realKill).matches());
        List<String> ours = oom.kill(200, "hog", 5000, 4096, 100, 0);
        assertEquals(2, ours.size());
        assertTrue(SUMMARY.matcher(ours.get(0)).matches(), ours.get(0));
        assertTrue(KILL.matcher(ours.get(1)).matches(), ours.get(1));
        // K(): pages × 4 kB; total-vm is what the model maps (resident + swapped)
        assertEquals("Out of memory: Killed process 200 (hog) total-vm:16784kB, anon-rss:16384kB, file-rss:0kB, "
                + "shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0", ours.get(1));
    }

    @Test
    void legacyOomAdjBecomesOomScoreAdj() {
        // __set_oom_adj(), fs/proc/base.c: OOM_DISABLE -17 -> -1000, OOM_ADJUST_MAX 15 -> 1000, else adj*1000/17
        assertEquals(-1000, Oom61.oomScoreAdj(-17));
        assertEquals(1000, Oom61.oomScoreAdj(15));
        assertEquals(470, Oom61.oomScoreAdj(8));
        assertEquals(0, Oom61.oomScoreAdj(0));
    }
}
