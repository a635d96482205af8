package dev.pagealloc.workloads.gen;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code thp-faults}: a process faulting {@code mb} MiB (default 256) of anonymous memory in huge
 * page steps with transparent huge pages enabled, as {@code do_huge_pmd_anonymous_page()}
 * (mm/huge_memory.c, 2.6.38+; RHEL 6's 2.6.32 carries a backport) does: each step tries one
 * {@code HPAGE_PMD_ORDER} block ({@link ReleaseConstants#hpagePmdOrder}: order 9 = 2 MiB on x86_64 and
 * i386 PAE, order 10 = 4 MiB on two-level i386) with GFP_TRANSHUGE ({@link
 * ReleaseConstants#transhugeGfp}); when that fails it falls back to the small-page path,
 * {@code 2^order} order-0 GFP_HIGHUSER_MOVABLE faults ({@code thp_fault_fallback}). Steps come
 * at {@code rate_mb_s} MiB per second (default 1000). Huge pages are held until {@code exit_ms}
 * (job time, optional), when the process exits and they are freed.
 *
 * <p>Keys also: {@code pid}, {@code comm}, {@code oom_adj} as {@link AnonGrowth}; {@code gfp} and
 * {@code order} override the era's mask and order.
 *
 * <p>Counters: {@code thp_fault_alloc}, {@code thp_fault_fallback} (the kernel's vmstat names).
 */
final class ThpFaults extends Generator {
    static final List<String> KEYS =
            List.of("pid", "comm", "oom_adj", "mb", "rate_mb_s", "exit_ms", "gfp", "order", "site");

    private final int pid;
    private final String comm;
    private final int oomAdj;
    private final int order;
    private final String gfp;
    private final String site;
    private final long intervalNs;
    private final long exitNs;
    private long steps;
    private boolean exited;
    private final List<Long> held = new ArrayList<>();

    private ThpFaults(GenSource out, Section s, int cpu, int pid, String comm, int oomAdj, int order, String gfp,
            String site, long mb, double rateMbS, long exitNs) {
        super(out, s, cpu);
        this.pid = pid;
        this.comm = comm;
        this.oomAdj = oomAdj;
        this.order = order;
        this.gfp = gfp;
        this.site = site;
        long stepBytes = (long) ReleaseConstants.PAGE_SIZE << order;
        this.steps = (mb * (1L << 20) + stepBytes - 1) / stepBytes;
        this.intervalNs = intervalNs(rateMbS * (1 << 20) / stepBytes);
        this.exitNs = exitNs;
    }

    static Section.Factory parse(Params p) {
        int pid = (int) p.integer("pid", -1, 1, 4_194_304);
        String comm = p.string("comm", p.section);
        int oomAdj = (int) p.integer("oom_adj", 0, -17, 15);
        long mb = p.integer("mb", 256, 0, 1L << 28);
        double rate = p.positive("rate_mb_s", 1000, 1e7);
        long exitMs = p.integer("exit_ms", -1, 0, 1_000_000_000L);
        String gfp = p.has("gfp") ? p.gfp("gfp", null) : null;
        int order = (int) p.integer("order", -1, 1, 10);
        String site = p.string("site", "do_huge_pmd_anonymous_page");
        return (out, s, ctx, cpu) -> {
            if (exitMs >= 0 && exitMs * 1_000_000 < s.startNs()) {
                throw p.error("exit_ms", "expected exit_ms at or after start_ms (" + s.startNs() / 1_000_000 + ")");
            }
            String g = gfp != null ? gfp : ReleaseConstants.transhugeGfp(ctx.kernel().gfp());
            p.checkGfp("gfp", g, ctx.kernel().gfp());
            int o = order > 0 ? order : ReleaseConstants.hpagePmdOrder(ctx.arch());
            int id = pid > 0 ? pid : out.nextPid();
            ThpFaults t = new ThpFaults(out, s, cpu, id, comm, oomAdj, o, g, site, mb, rate,
                    exitMs < 0 ? -1 : exitMs * 1_000_000);
            t.declare("thp_order");
            t.count("thp_order", o);
            return t;
        };
    }

    @Override
    void start() {
        declare("thp_fault_alloc", "thp_fault_fallback");
        at(startNs, t -> {
            out.processStart(t, pid, comm, oomAdj);
            if (steps > 0) {
                at(t, this::fault);
            }
        });
        if (exitNs >= 0) {
            at(exitNs, this::exit);
        }
    }

    private void fault(long t) {
        if (exited) {
            return;
        }
        long id = out.alloc(t, cpu, order, gfp, pid, site);
        if (id >= 0) {
            held.add(id);
            count("thp_fault_alloc", 1);
        } else {
            count("thp_fault_fallback", 1);
            at(t, tt -> {
                if (!exited) {
                    out.anonFault(tt, cpu, pid, 1L << order);
                }
            });
        }
        if (--steps > 0 && active(t + intervalNs)) {
            at(t + intervalNs, this::fault);
        }
    }

    private void exit(long t) {
        exited = true;
        out.processExit(t, pid);
        if (!held.isEmpty()) {
            at(t, this::freeOne);
        }
    }

    private void freeOne(long t) {
        long id = held.removeLast();
        out.free(t, cpu, id, order);
        if (!held.isEmpty()) {
            at(t, this::freeOne);
        }
    }
}
