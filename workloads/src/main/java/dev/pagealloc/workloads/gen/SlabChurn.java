package dev.pagealloc.workloads.gen;

import java.util.List;

/**
 * {@code slab-churn}: the page traffic of kernel object caches, the slabs SLUB's
 * {@code allocate_slab()} (mm/slub.c, {@code alloc_slab_page()}) takes from the page allocator and
 * gives back when they empty: {@code rate} (default 1000) allocations per second of emulated time,
 * each of an order drawn uniformly from {@code orders} (default [0, 1]) with {@code gfp} (default
 * {@code GFP_KERNEL}), each freed after a lifetime drawn from an exponential distribution of mean
 * {@code lifetime_ms} (default 100). {@code live} (pages, default 0: no limit) caps what is held
 * at once; an allocation that would exceed it is skipped. Without {@code cpu} the allocations go
 * round-robin over the CPUs, each freed on the CPU that allocated it.
 *
 * <p>Counters: {@code allocs}, {@code alloc_failed}, {@code skipped_live}, {@code live_pages} (at the end).
 */
final class SlabChurn extends Generator {
    static final List<String> KEYS = List.of("rate", "orders", "gfp", "lifetime_ms", "live", "site");

    private final long intervalNs;
    private final int[] orders;
    private final String gfp;
    private final double lifetimeNs;
    private final long live;
    private final String site;
    private final boolean fixedCpu;
    private final int cpus;
    private int rr;
    private long livePages;

    private SlabChurn(GenSource out, Section s, int cpu, int cpus, double rate, List<Integer> orders, String gfp,
            double lifetimeMs, long live, String site) {
        super(out, s, cpu);
        this.intervalNs = intervalNs(rate);
        this.orders = orders.stream().mapToInt(Integer::intValue).toArray();
        this.gfp = gfp;
        this.lifetimeNs = lifetimeMs * 1e6;
        this.live = live;
        this.site = site;
        this.fixedCpu = s.cpu() >= 0;
        this.cpus = cpus;
        this.rr = cpu;
    }

    static Section.Factory parse(Params p) {
        double rate = p.positive("rate", 1000, 1e8);
        List<Integer> orders = p.intList("orders", List.of(0, 1), 0, 10);
        String gfp = p.gfp("gfp", "GFP_KERNEL");
        double lifetime = p.number("lifetime_ms", 100, 0, 1e9);
        long live = p.integer("live", 0, 0, Long.MAX_VALUE);
        String site = p.string("site", "allocate_slab");
        return (out, s, ctx, cpu) -> {
            p.checkGfp("gfp", gfp, ctx.kernel().gfp());
            return new SlabChurn(out, s, cpu, ctx.cpus(), rate, orders, gfp, lifetime, live, site);
        };
    }

    @Override
    void start() {
        declare("allocs", "alloc_failed", "skipped_live", "live_pages");
        at(startNs, this::alloc);
    }

    private void alloc(long t) {
        int order = orders[orders.length == 1 ? 0 : random.nextInt(orders.length)];
        double life = -lifetimeNs * Math.log(1.0 - random.nextDouble());
        int c = fixedCpu ? cpu : rr;
        if (!fixedCpu) {
            rr = (rr + 1) % cpus;
        }
        if (live > 0 && livePages + (1L << order) > live) {
            count("skipped_live", 1);
        } else {
            long id = out.alloc(t, c, order, gfp, 0, site);
            count("allocs", 1);
            if (id < 0) {
                count("alloc_failed", 1);
            } else {
                livePages += 1L << order;
                count("live_pages", 1L << order);
                at(t + Math.round(life), tt -> {
                    out.free(tt, c, id, order);
                    livePages -= 1L << order;
                    count("live_pages", -(1L << order));
                });
            }
        }
        if (active(t + intervalNs)) {
            at(t + intervalNs, this::alloc);
        }
    }
}
