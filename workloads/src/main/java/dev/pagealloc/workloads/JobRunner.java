package dev.pagealloc.workloads;

import dev.pagealloc.alloc.AllocFailure;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.vmscan.PageUse;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs a {@link Job} on a freshly booted machine with the reclaim model ({@link Vmscan}) and
 * collects a {@link ReplayResult}. Single-threaded and deterministic: the job's seed picks the
 * CPU of every event (and which page cache pages are dirty), so the same job on the same machine
 * gives an equal result. An allocation failure is a result, not an error.
 */
public final class JobRunner {
    /** {@code current->comm} of the replay in failure reports. */
    public static final String COMM = "replay";
    /** The mask of page cache ({@code mapping_gfp_mask()} of a regular file) and of anonymous memory. */
    public static final String USER_GFP = "GFP_HIGHUSER_MOVABLE";

    private final Job job;
    private final Machine m;
    private final PageAllocator a;
    private final Vmscan v;
    private final SplittableRandom rnd;
    private final Map<String, long[]> counts = new LinkedHashMap<>(); // "gfp\0order" -> {attempts, failures}
    private final Map<String, ReplayResult.FailureText> firstFailure = new LinkedHashMap<>();
    private final List<String> oomLog = new ArrayList<>();
    private long events;
    private long ticks;
    private int every;
    private long sinceTick;

    private JobRunner(Job job, Machine m) {
        this.job = job;
        this.m = m;
        this.a = m.allocator;
        this.v = m.kernel.newVmscan(a);
        this.rnd = new SplittableRandom(job.seed());
        a.setComm(COMM);
        v.setPrintk(oomLog::add);
        v.setSwap(job.swapMb() * (1L << 20) / 4096);
        every = job.kswapdEvery();
    }

    /** Boots {@code layout} with {@code kernel}, runs {@code job}, and shuts the machine down. */
    public static ReplayResult run(Job job, MachineLayout layout, Kernel kernel) {
        try (Machine m = kernel.boot(layout)) {
            return run(job, m);
        }
    }

    /**
     * Runs {@code job} on {@code m}, which must be freshly booted and not used afterwards for another
     * job (held requests and page cache stay allocated; a reclaimer is installed on its allocator).
     */
    public static ReplayResult run(Job job, Machine m) {
        return new JobRunner(job, m).run();
    }

    private ReplayResult run() {
        for (Job.Phase p : job.phases()) {
            switch (p) {
                case Job.PageCache pc -> pageCache(pc);
                case Job.Anon an -> anon(an);
                case Job.Requests rq -> requests(rq);
            }
        }
        List<ReplayResult.Count> cs = new ArrayList<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            int z = e.getKey().indexOf('\0');
            cs.add(new ReplayResult.Count(e.getKey().substring(0, z), Integer.parseInt(e.getKey().substring(z + 1)),
                    e.getValue()[0], e.getValue()[1]));
        }
        return new ReplayResult(job.name(), m.layout.name(), m.kernel.name(), m.cpus(), events, ticks, cs, v.oomKills(),
                v.pgstealKswapd(), v.pgstealDirect(), v.allocstall(), v.pgscanKswapd(), v.pgscanDirect(), v.pswpout(),
                v.global(ZoneStatItem.NR_FREE_PAGES), v.global(ZoneStatItem.NR_FILE_PAGES),
                v.global(ZoneStatItem.NR_ANON_PAGES), new ArrayList<>(firstFailure.values()), oomLog);
    }

    private long presentPages() {
        long n = 0;
        for (Zone z : m.zones) {
            n += z.presentPages;
        }
        return n;
    }

    private long[] slot(String gfp, int order) {
        return counts.computeIfAbsent(gfp + '\0' + order, k -> new long[2]);
    }

    private int cpu() {
        return m.cpus() == 1 ? 0 : rnd.nextInt(m.cpus());
    }

    /** One allocation event done: count it, and let time pass every kswapd_every events. */
    private void event(long[] slot, long pfn, String gfp, int order, int pid) {
        slot[0]++;
        if (pfn < 0) {
            slot[1]++;
            AllocFailure f = a.lastFailure();
            if (f != null && !firstFailure.containsKey(gfp)) {
                firstFailure.put(gfp, new ReplayResult.FailureText(gfp, order, events,
                        m.kernel.reports().failureReport(m, f, COMM, pid)));
            }
        }
        events++;
        if (++sinceTick >= every) {
            sinceTick = 0;
            v.tick();
            v.kswapdRun();
            ticks++;
        }
    }

    private void pageCache(Job.PageCache pc) {
        int gfp = m.kernel.gfp().parse(USER_GFP);
        long[] slot = slot(USER_GFP, 0);
        long target = (long) (presentPages() * pc.untilPercent() / 100.0);
        long maxAttempts = 2 * target + 1024;
        for (long i = 0; i < maxAttempts && v.global(ZoneStatItem.NR_FILE_PAGES) < target; i++) {
            int cpu = cpu();
            boolean dirty = pc.dirtyPercent() > 0 && rnd.nextDouble() * 100.0 < pc.dirtyPercent();
            long pfn = v.allocUserPage(gfp, cpu, PageUse.FILE, 0, dirty);
            event(slot, pfn, USER_GFP, 0, 0);
            if (pfn < 0) {
                break; // the cache cannot grow
            }
        }
    }

    private void anon(Job.Anon an) {
        int gfp = m.kernel.gfp().parse(USER_GFP);
        long[] slot = slot(USER_GFP, 0);
        v.task(an.pid(), an.comm(), an.oomAdj());
        String killed = "Killed process " + an.pid() + " (";
        int logged = oomLog.size();
        for (long i = 0; i < an.pages(); i++) {
            long pfn = v.allocUserPage(gfp, cpu(), PageUse.ANON, an.pid(), false);
            event(slot, pfn, USER_GFP, 0, an.pid());
            if (oomLog.size() > logged) {
                boolean dead = oomLog.subList(logged, oomLog.size()).stream().anyMatch(l -> l.startsWith(killed));
                logged = oomLog.size();
                if (dead) {
                    break; // the task was OOM-killed
                }
            }
        }
    }

    private void requests(Job.Requests rq) {
        int n = rq.gfp().size();
        int[] masks = new int[n];
        for (int g = 0; g < n; g++) {
            masks[g] = m.kernel.gfp().parse(rq.gfp().get(g));
        }
        every = rq.kswapdEvery() > 0 ? rq.kswapdEvery() : job.kswapdEvery();
        for (long i = 0; i < rq.count(); i++) {
            int g = rq.gfpOf(i);
            int order = rq.orderOf(i);
            int cpu = cpu();
            long pfn = a.allocPages(masks[g], order, cpu);
            if (pfn >= 0 && !rq.hold()) {
                a.freePages(pfn, order, cpu);
            }
            event(slot(rq.gfp().get(g), order), pfn, rq.gfp().get(g), order, 0);
        }
        every = job.kswapdEvery();
    }
}
