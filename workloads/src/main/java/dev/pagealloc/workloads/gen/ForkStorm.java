package dev.pagealloc.workloads.gen;

import dev.pagealloc.profile.Arch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fork-storm}: {@code rate} forks per second (default 200) of short-lived children, each
 * paying for what {@code copy_process()} (kernel/fork.c) takes from the page allocator:
 * <ol>
 *   <li>the kernel stack, {@code dup_task_struct()}: see {@link #stackOf}. A failure fails the fork
 *       (-ENOMEM) and what was taken is given back.
 *   <li>{@code pt_pages} order-0 page-table pages (default per arch, {@link
 *       ReleaseConstants#smallProcessPgtablePages}: pgd_alloc and the first fault's pud/pmd/pte), gfp
 *       {@link ReleaseConstants#pgtableGfp()}; a failure fails the fork too.
 *   <li>the child starts (pid {@code pid_base}, {@code pid_base + 1}, ...; default base 20000 for
 *       the first fork-storm section, 120000 for the second...), {@code comm} (default the section
 *       name), {@code oom_adj}; then faults {@code anon_pages} (default 32) anonymous pages.
 *   <li>after {@code lifetime_ms} (default 50) it exits: {@code exit_mmap()} frees its memory and
 *       page tables, then the stack is freed ({@code free_thread_info()}, or with VMAP_STACK kept in
 *       the per-CPU cache of {@link ReleaseConstants#NR_CACHED_STACKS} when there is room, where the next
 *       fork on that CPU takes it without allocating).
 * </ol>
 * Without {@code cpu}, children go round-robin over the CPUs.
 *
 * <p>Keys also: {@code four_k_stacks} (i386 CONFIG_4KSTACKS of 2.6.32, default false),
 * {@code debug_stack_usage} (CONFIG_DEBUG_STACK_USAGE: __GFP_ZERO in 2.6.32, default false),
 * {@code vmap_stack} (CONFIG_VMAP_STACK, default the era's: x86_64 from 4.9), {@code stack_gfp},
 * {@code pt_gfp} (override the era's masks).
 *
 * <p>Counters: {@code forks}, {@code fork_failed}, {@code stack_cache_hits}, {@code stack_order}
 * (-1 for a VMAP stack), {@code stack_pages}.
 */
final class ForkStorm extends Generator {
    static final List<String> KEYS = List.of("rate", "pid_base", "lifetime_ms", "anon_pages", "pt_pages", "comm",
            "oom_adj", "four_k_stacks", "debug_stack_usage", "vmap_stack", "stack_gfp", "pt_gfp");

    /** How the kernel stack of a new task is allocated on one arch and kernel. */
    record Stack(boolean vmap, int order, int allocations, String gfp, String site) {}

    /**
     * The kernel stack of a fork on {@code arch} under {@code era}: one block of
     * {@code THREAD_SIZE} (order {@link ReleaseConstants#threadSizeOrder}) with
     * {@link ReleaseConstants#threadInfoGfp}, from {@code alloc_thread_info()} (2.6.32,
     * arch/x86/include/asm/thread_info.h) or {@code alloc_thread_stack_node()}; or with
     * CONFIG_VMAP_STACK (x86_64, 4.9+) {@code THREAD_SIZE / PAGE_SIZE} order-0 vmalloc pages:
     * <pre>
     * 2.6.32 x86_64          order 1 (8 KiB)        GFP_KERNEL (THREAD_FLAGS; __GFP_NOTRACK = 0)
     * 2.6.32 i386, i386-pae  order 1 (8 KiB), order 0 with CONFIG_4KSTACKS
     * 6.1 x86_64             4 x order 0 (16 KiB, VMAP_STACK)  GFP_KERNEL|__GFP_ZERO|__GFP_NOWARN|__GFP_HIGHMEM
     * 6.1 i386               order 1 (8 KiB)        GFP_KERNEL_ACCOUNT|__GFP_ZERO (THREADINFO_GFP)
     * </pre>
     */
    static Stack stackOf(Arch arch, ReleaseConstants era, boolean fourKStacks, boolean debugStackUsage) {
        return stackOf(arch, era, fourKStacks, debugStackUsage, era.vmapStack(arch));
    }

    /** {@link #stackOf(Arch, ReleaseConstants, boolean, boolean)} with CONFIG_VMAP_STACK given. */
    static Stack stackOf(Arch arch, ReleaseConstants era, boolean fourKStacks, boolean debugStackUsage, boolean vmap) {
        int order = era.threadSizeOrder(arch, fourKStacks);
        String site = era.atLeast(4, 5, 0) ? "alloc_thread_stack_node" : "alloc_thread_info";
        if (vmap) {
            return new Stack(true, 0, 1 << order, era.vmapStackPageGfp(), "__vmalloc_node_range");
        }
        return new Stack(false, order, 1, era.threadInfoGfp(debugStackUsage), site);
    }

    private final long intervalNs;
    private final long lifetimeNs;
    private final long anonPages;
    private final int ptPages;
    private final String comm;
    private final int oomAdj;
    private final Stack stack;
    private final String ptGfp;
    private final Arch arch;
    private final boolean fixedCpu;
    private final int cpus;
    private final List<ArrayDeque<long[]>> cache = new ArrayList<>();
    private int rr;
    private int nextPid;

    private ForkStorm(GenSource out, Section s, int cpu, GenContext ctx, double rate, int pidBase, double lifetimeMs,
            long anonPages, int ptPages, String comm, int oomAdj, Stack stack, String ptGfp) {
        super(out, s, cpu);
        this.intervalNs = intervalNs(rate);
        this.lifetimeNs = Math.round(lifetimeMs * 1e6);
        this.anonPages = anonPages;
        this.ptPages = ptPages;
        this.comm = comm;
        this.oomAdj = oomAdj;
        this.stack = stack;
        this.ptGfp = ptGfp;
        this.arch = ctx.arch();
        this.fixedCpu = s.cpu() >= 0;
        this.cpus = ctx.cpus();
        for (int i = 0; i < ctx.cpus(); i++) {
            cache.add(new ArrayDeque<>());
        }
        this.rr = cpu;
        this.nextPid = pidBase;
    }

    static Section.Factory parse(Params p) {
        double rate = p.positive("rate", 200, 1e7);
        int pidBase = (int) p.integer("pid_base", -1, 1, 4_194_304);
        double lifetime = p.number("lifetime_ms", 50, 0, 1e9);
        long anon = p.integer("anon_pages", 32, 0, 1L << 30);
        int pt = (int) p.integer("pt_pages", -1, 0, 64);
        String comm = p.string("comm", p.section);
        int oomAdj = (int) p.integer("oom_adj", 0, -17, 15);
        boolean fourK = p.bool("four_k_stacks", false);
        boolean debug = p.bool("debug_stack_usage", false);
        Boolean vmap = p.has("vmap_stack") ? p.bool("vmap_stack", false) : null;
        String stackGfp = p.has("stack_gfp") ? p.gfp("stack_gfp", null) : null;
        String ptGfp = p.has("pt_gfp") ? p.gfp("pt_gfp", null) : null;
        return (out, s, ctx, cpu) -> {
            ReleaseConstants era = ReleaseConstants.of(ctx.kernel().release());
            Stack st = stackOf(ctx.arch(), era, fourK, debug, vmap != null ? vmap : era.vmapStack(ctx.arch()));
            if (stackGfp != null) {
                st = new Stack(st.vmap(), st.order(), st.allocations(), stackGfp, st.site());
            }
            String ptg = ptGfp != null ? ptGfp : era.pgtableGfp();
            p.checkGfp("stack_gfp", st.gfp(), ctx.kernel().gfp());
            p.checkGfp("pt_gfp", ptg, ctx.kernel().gfp());
            int base = pidBase > 0 ? pidBase : out.nextForkBase();
            int pages = pt >= 0 ? pt : ReleaseConstants.smallProcessPgtablePages(ctx.arch());
            ForkStorm g = new ForkStorm(out, s, cpu, ctx, rate, base, lifetime, anon, pages, comm, oomAdj, st, ptg);
            g.declare("forks", "fork_failed", "stack_cache_hits", "stack_order", "stack_pages");
            g.count("stack_order", st.vmap() ? -1 : st.order());
            g.count("stack_pages", (long) st.allocations() << st.order());
            return g;
        };
    }

    @Override
    void start() {
        at(startNs, this::fork);
    }

    private void fork(long t) {
        int c = fixedCpu ? cpu : rr;
        if (!fixedCpu) {
            rr = (rr + 1) % cpus;
        }
        Child child = new Child(nextPid++, c);
        count("forks", 1);
        at(t, child::step);
        if (active(t + intervalNs)) {
            at(t + intervalNs, this::fork);
        }
    }

    private String ptSite(int i) {
        if (i == 0) {
            return "pgd_alloc";
        }
        if (i == ptPages - 1) {
            return "__pte_alloc";
        }
        return switch (arch) {
            case X86_64 -> i == 1 ? "__pud_alloc" : "__pmd_alloc";
            case I386_PAE -> "preallocate_pmds";
            case I386 -> "__pmd_alloc";
        };
    }

    /** One child through fork, life and exit; each step emits at most one event. */
    private final class Child {
        static final int STACK = 0, PT = 1, START = 2, ANON = 3, EXIT = 4, FREE_PT = 5, FREE_STACK = 6, DONE = 7;
        final int pid;
        final int cpu;
        long[] stackIds = new long[stack.allocations()];
        int stackGot;
        final long[] ptIds = new long[ptPages];
        int ptGot;
        int phase = STACK;
        boolean triedCache;
        boolean failed;

        Child(int pid, int cpu) {
            this.pid = pid;
            this.cpu = cpu;
        }

        void step(long t) {
            while (true) {
                switch (phase) {
                    case STACK -> {
                        if (stack.vmap() && !triedCache) {
                            triedCache = true;
                            long[] cached = cache.get(cpu).poll();
                            if (cached != null) {
                                stackIds = cached;
                                stackGot = cached.length;
                                count("stack_cache_hits", 1);
                                phase = PT;
                                continue;
                            }
                        }
                        if (stackGot == stackIds.length) {
                            phase = PT;
                            continue;
                        }
                        long id = out.alloc(t, cpu, stack.order(), stack.gfp(), 0, stack.site());
                        if (id < 0) {
                            fail();
                        } else {
                            stackIds[stackGot++] = id;
                        }
                        again(t);
                        return;
                    }
                    case PT -> {
                        if (ptGot == ptIds.length) {
                            phase = START;
                            continue;
                        }
                        long id = out.alloc(t, cpu, 0, ptGfp, 0, ptSite(ptGot));
                        if (id < 0) {
                            fail();
                        } else {
                            ptIds[ptGot++] = id;
                        }
                        again(t);
                        return;
                    }
                    case START -> {
                        out.processStart(t, pid, comm, oomAdj);
                        phase = ANON;
                        again(t);
                        return;
                    }
                    case ANON -> {
                        phase = EXIT;
                        if (anonPages > 0) {
                            out.anonFault(t, cpu, pid, anonPages);
                        }
                        at(t + lifetimeNs, this::step);
                        return;
                    }
                    case EXIT -> {
                        out.processExit(t, pid);
                        phase = FREE_PT;
                        again(t);
                        return;
                    }
                    case FREE_PT -> {
                        if (ptGot == 0) {
                            phase = FREE_STACK;
                            continue;
                        }
                        long id = ptIds[--ptGot];
                        out.free(t, cpu, id, 0);
                        again(t);
                        return;
                    }
                    case FREE_STACK -> {
                        if (stack.vmap() && stackGot == stackIds.length && stackGot > 0
                                && cache.get(cpu).size() < ReleaseConstants.NR_CACHED_STACKS) {
                            cache.get(cpu).add(stackIds); // try_release_thread_stack_to_cache()
                            stackGot = 0;
                        }
                        if (stackGot == 0) {
                            phase = DONE;
                            if (failed) {
                                count("fork_failed", 1);
                            }
                            return;
                        }
                        long id = stackIds[--stackGot];
                        out.free(t, cpu, id, stack.order());
                        again(t);
                        return;
                    }
                    default -> {
                        return;
                    }
                }
            }
        }

        /** -ENOMEM: give back what was taken, in the order exit would. */
        private void fail() {
            failed = true;
            phase = FREE_PT;
        }

        private void again(long t) {
            at(t, this::step);
        }
    }
}
