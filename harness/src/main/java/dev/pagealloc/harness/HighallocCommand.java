package dev.pagealloc.harness;

import dev.pagealloc.alloc.Compactor;
import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.compaction.Compaction;
import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.gfp.GfpZone;
import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.kernel.KernelFeatures;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.vmscan.PageUse;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.workloads.Machines;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code pagealloc highalloc}: mmtests' stress-highalloc method (shared/research/anchors.md A4) on an
 * emulated machine.
 *
 * <h2>The method, as emulated</h2>
 * <ol>
 *   <li><b>Load.</b> {@code SEQ} = MemTotal MB / 400 kernel builds plus the primary tree run
 *       {@code make -j1}: each tick (10 ms of emulated time) every build reads source into the page
 *       cache and writes object files (dirty page cache), allocates dentries and inodes (reclaimable
 *       slab) and a little unmovable kernel memory; compiler processes come and go with 16-48 MiB of
 *       anonymous memory each; long-lived daemons grow to 2% of RAM in anonymous memory. kswapd and
 *       kcompactd get their turn every tick. The load fills RAM, then runs on for 30 s (mmtests waits
 *       5 minutes; the state is the same: memory full of page cache turning over).
 *   <li><b>Pass 1 ("Success 1", under load).</b> {@code attempts} order-{@code order} allocations
 *       of GFP_HIGHUSER_MOVABLE | __GFP_RETRY_MAYFAIL | __GFP_NOWARN, 100 ms apart (the load runs in
 *       between), each held until the pass ends. Count = MemTotal / 2^order pages by default.
 *   <li><b>Pass 2 ("Success 2").</b> The same, immediately, still under load.
 *   <li>The NIC case: order-2 and order-3 GFP_ATOMIC passes under load (no reclaim, no compaction:
 *       only kswapd and kcompactd in the background), 10 ms apart.
 *   <li><b>Rest.</b> The builds are killed and their trees deleted, a file as large as RAM is
 *       written and deleted, {@code drop_caches} frees the page cache and two thirds of the
 *       reclaimable slab, and {@code min_free_kbytes} is set to 1024.
 *   <li><b>Pass 3 ("Success 3", at rest).</b> The same as pass 1 with no load.
 * </ol>
 * Latency is emulated time from a documented cost model ({@link #COST_SCAN_NS} and friends),
 * not host time.
 *
 * <p>The high-order attempts go through the allocator's own 6.1 slow path, which calls
 * {@link Compaction} (direct compaction at INIT_COMPACT_PRIORITY before reclaim, then reclaim,
 * compaction and {@code should_compact_retry()}); kswapd wakes kcompactd when it sleeps. "Compaction
 * off" boots the same kernel without a {@link Compactor} and without kcompactd
 * (CONFIG_COMPACTION=n).
 */
@Command(
        name = "highalloc",
        description = "mmtests stress-highalloc on an emulated machine: order-N allocation success under load and at rest, "
                + "with and without compaction.",
        mixinStandardHelpOptions = true)
public final class HighallocCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--machine", paramLabel = "NAME|FILE", description = "Machine preset or TOML file (default qemu-4g).")
    String machine;

    @Option(names = "--kernel", paramLabel = "VERSION", defaultValue = "6.1", description = "Kernel (default ${DEFAULT-VALUE}).", completionCandidates = KernelNames.class)
    String kernel;

    @Option(names = "--order", defaultValue = "9", description = "Order of the high-order passes (default ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--attempts", paramLabel = "N", description = "Attempts per pass (default: MemTotal / 2^order pages).")
    Integer attempts;

    @Option(names = "--compaction", defaultValue = "both", description = "on, off or both (default ${DEFAULT-VALUE}).")
    String compaction;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the load (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Option(names = "--check", hidden = true, description = "Run the invariant checkers after each phase (slow).")
    boolean check;

    /** Emulated cost of one page looked at by a compaction scanner or by reclaim, ns. */
    static final long COST_SCAN_NS = 25;
    /** Emulated cost of migrating one page: unmap, copy 4 KiB, remap, TLB flush, ns. */
    static final long COST_MIGRATE_NS = 4_000;
    /** Emulated cost of reclaiming one page (unmap, free), ns. */
    static final long COST_RECLAIM_NS = 1_000;
    /** Emulated cost of one freelist attempt, ns. */
    static final long COST_FREELIST_NS = 1_000;

    static final int TICK_MS = 10;

    @Override
    public Integer call() {
        if (order < 1 || order >= Zone.MAX_ORDER) {
            throw new UsageException("--order must be 1 … " + (Zone.MAX_ORDER - 1) + ", got " + order);
        }
        if (attempts != null && attempts < 1) {
            throw new UsageException("--attempts must be at least 1, got " + attempts);
        }
        List<Boolean> modes = switch (compaction) {
            case "on" -> List.of(true);
            case "off" -> List.of(false);
            case "both" -> List.of(true, false);
            default -> throw new UsageException("--compaction must be on, off or both, got '" + compaction + "'");
        };
        Kernel k = Kernels.byName(kernel);
        String machineName = machine != null ? machine
                : Machines.PRESETS.contains("qemu-4g") ? "qemu-4g" : "x86_64-4g";
        MachineLayout layout = Machines.resolve(machineName);
        List<Run> runs = new ArrayList<>();
        for (boolean on : modes) {
            if (on && !k.features().compaction()) {
                throw new UsageException("kernel " + k.name() + " has no compaction (expected --compaction off"
                        + " or a kernel with compaction: " + String.join(", ", Kernels.namesWhere(KernelFeatures::compaction)) + ")");
            }
            runs.add(new Stress(layout, k, order, attempts, on, seed, check).run());
        }
        var w = spec.commandLine().getOut();
        w.print(json ? json(machineName, k, runs) : text(machineName, k, runs));
        w.flush();
        return 0;
    }

    /** One pass's outcome. */
    record Pass(String name, String label, int order, int attempts, int successes, long[] latencyNs) {
        double successPct() {
            return attempts == 0 ? 0 : 100.0 * successes / attempts;
        }

        long percentile(int p) {
            if (latencyNs.length == 0) {
                return 0;
            }
            long[] s = latencyNs.clone();
            Arrays.sort(s);
            return s[Math.min(s.length - 1, (int) ((long) p * s.length / 100))];
        }

        double meanMs() {
            return latencyNs.length == 0 ? 0 : Arrays.stream(latencyNs).average().orElse(0) / 1e6;
        }
    }

    /** One machine run (compaction on or off). */
    record Run(boolean compaction, List<Pass> passes, long[] vmstat) {}

    static final String[] VMSTAT_NAMES = {"compact_stall", "compact_fail", "compact_success",
        "compact_migrate_scanned", "compact_free_scanned", "pgmigrate_success", "compact_daemon_wake",
        "pgscan_direct", "pgsteal_direct", "pgscan_kswapd", "pgsteal_kswapd", "allocstall"};

    // ------------------------------------------------------------------ the emulated test

    /** The machine, its load and the passes. */
    static final class Stress {
        final MachineLayout layout;
        final Kernel kernel;
        final int order;
        final boolean compactionOn;
        final boolean check;
        final Machine m;
        final PageAllocator a;
        final Vmscan v;
        final Compaction c;
        final SplittableRandom rnd;
        final GfpBits g;
        final int gfpHigh;
        final int gfpAtomic;
        final int gfpCache;
        final int gfpSlabReclaimable;
        final int gfpKernel;
        final int highZoneIdx;
        final int preferred;
        final int movable;
        final int cpus;
        final long ramPages;
        final int attempts;
        final int builds;

        // the load
        final IntArrayList slabReclaimable = new IntArrayList();
        final IntArrayList slabUnmovable = new IntArrayList();
        final int[] compilerPid;
        final int[] compilerLeft; // ticks to live
        final int[] compilerAnonLeft; // pages still to fault in
        int nextPid = 1000;
        long systemAnon;
        boolean loadRunning;

        Stress(MachineLayout layout, Kernel kernel, int order, Integer attempts, boolean compactionOn, long seed,
                boolean check) {
            this.layout = layout;
            this.kernel = kernel;
            this.order = order;
            this.compactionOn = compactionOn;
            this.check = check;
            this.m = kernel.boot(layout);
            this.a = m.allocator;
            this.v = kernel.newVmscan(a);
            this.c = compactionOn ? kernel.newCompaction(a, v).orElseThrow() : null;
            this.rnd = new SplittableRandom(seed);
            this.g = kernel.gfp();
            this.gfpHigh = g.bit("GFP_HIGHUSER_MOVABLE") | g.bit("__GFP_RETRY_MAYFAIL") | g.bit("__GFP_REPEAT")
                    | g.bit("__GFP_NOWARN");
            this.gfpAtomic = g.bit("GFP_ATOMIC") | g.bit("__GFP_NOWARN");
            this.gfpCache = g.bit("GFP_HIGHUSER_MOVABLE");
            this.gfpKernel = g.bit("GFP_KERNEL");
            this.gfpSlabReclaimable = gfpKernel | g.bit("__GFP_RECLAIMABLE");
            this.highZoneIdx = GfpZone.gfpZone(gfpHigh, layout.arch());
            int p = -1;
            for (int zi : a.zonelist()) {
                if (zi <= highZoneIdx) {
                    p = zi;
                    break;
                }
            }
            this.preferred = p;
            this.movable = a.context().requestSlot(gfpHigh);
            this.cpus = m.cpus();
            long ram = 0;
            for (Zone z : m.zones) {
                ram += z.managedPages;
            }
            this.ramPages = ram;
            this.attempts = attempts != null ? attempts : (int) (ram >> order);
            this.builds = (int) Math.max(1, (ram >> (20 - 12)) / 400) + 1;
            this.compilerPid = new int[builds];
            this.compilerLeft = new int[builds];
            this.compilerAnonLeft = new int[builds];
            v.task(1, "systemd", 0);
        }

        Run run() {
            try (m) {
                List<Pass> passes = new ArrayList<>();
                loadRunning = true;
                // fill memory with the builds (until kswapd has had to run), then let them run on
                int ticks = 0;
                while (v.pageoutrun() == 0 && ticks < 100_000) {
                    tick();
                    ticks++;
                }
                for (int i = 0; i < 3000; i++) {
                    tick();
                }
                verify("load");
                passes.add(highPass("Success 1", "under load (pass 1)", order, 100));
                passes.add(highPass("Success 2", "under load (pass 2)", order, 100));
                passes.add(atomicPass("Atomic order-2", "GFP_ATOMIC under load (NIC)", 2));
                passes.add(atomicPass("Atomic order-3", "GFP_ATOMIC under load (NIC)", 3));
                toRest();
                verify("rest");
                passes.add(highPass("Success 3", "at rest (pass 3)", order, 100));
                verify("end");
                return new Run(compactionOn, passes, vmstat());
            }
        }

        long[] vmstat() {
            return new long[] {c == null ? 0 : c.compactStall(), c == null ? 0 : c.compactFail(),
                c == null ? 0 : c.compactSuccess(), c == null ? 0 : c.compactMigrateScanned(),
                c == null ? 0 : c.compactFreeScanned(), c == null ? 0 : c.pgmigrateSuccess(),
                c == null ? 0 : c.compactDaemonWake(), v.pgscanDirect(), v.pgstealDirect(), v.pgscanKswapd(),
                v.pgstealKswapd(), v.allocstall()};
        }

        void verify(String where) {
            if (!check) {
                return;
            }
            a.drainAllPages(); // the checker's walk counts a per-CPU block as one page
            List<String> errs = new ArrayList<>(InvariantChecker.check(a));
            errs.addAll(v.checkLru());
            if (!errs.isEmpty()) {
                throw new IllegalStateException("invariants broken at " + where + ": " + errs);
            }
        }

        // ---------------------------------------------------------- the load

        /** One tick (10 ms) of emulated time: the load's work, then kswapd and kcompactd. */
        void tick() {
            if (loadRunning) {
                for (int b = 0; b < builds; b++) {
                    build(b);
                }
                if (systemAnon < ramPages / 50 && rnd.nextInt(4) == 0) {
                    if (v.allocUserPage(gfpCache, 0, PageUse.ANON, 1, false) >= 0) {
                        systemAnon++;
                    }
                }
            }
            background();
        }

        /** kswapd's and kcompactd's turn, and the time passing for writeback. */
        void background() {
            if (++ticks % 25 == 0) {
                v.tick(); // writeback started 0.25 s ago completes (Vmscan.tick() walks the file LRU)
            }
            v.kswapdRun();
            if (c != null) {
                c.resetIsolationSuitable(); // kswapd_try_to_sleep()
                long mig = c.pgmigrateSuccess();
                c.kcompactdRun();
                daemonMigrated += c.pgmigrateSuccess() - mig;
            }
        }

        long ticks;

        /** One tick of {@code make -j1} in build tree {@code b}. */
        void build(int b) {
            int cpu = b % cpus;
            // read sources (clean page cache), write objects (dirty)
            for (int i = 0; i < 24; i++) {
                v.allocUserPage(gfpCache, cpu, PageUse.FILE, 0, false);
            }
            for (int i = 0; i < 6; i++) {
                v.allocUserPage(gfpCache, cpu, PageUse.FILE, 0, true);
            }
            // dentries and inodes; kmalloc and page tables
            if (rnd.nextInt(2) == 0) {
                long p = a.allocPages(gfpSlabReclaimable, 0, cpu);
                if (p >= 0) {
                    slabReclaimable.add((int) p);
                }
            }
            if (rnd.nextInt(8) == 0) {
                long p = a.allocPages(gfpKernel, 0, cpu);
                if (p >= 0) {
                    slabUnmovable.add((int) p);
                }
            }
            // shrinkers and frees: slab turns over slowly
            if (rnd.nextInt(3) == 0 && slabReclaimable.size() > 0) {
                freeRandom(slabReclaimable, cpu);
            }
            if (rnd.nextInt(12) == 0 && slabUnmovable.size() > 0) {
                freeRandom(slabUnmovable, cpu);
            }
            // the compiler: 16-48 MiB faulted in over its first ticks, exits after 0.5-1.5 s
            if (compilerPid[b] == 0) {
                compilerPid[b] = nextPid++;
                v.task(compilerPid[b], "cc1", 0);
                compilerLeft[b] = 50 + rnd.nextInt(100);
                compilerAnonLeft[b] = (4096 + rnd.nextInt(8192));
            }
            int fault = Math.min(compilerAnonLeft[b], 512);
            for (int i = 0; i < fault; i++) {
                v.allocUserPage(gfpCache, cpu, PageUse.ANON, compilerPid[b], false);
            }
            compilerAnonLeft[b] -= fault;
            if (--compilerLeft[b] <= 0) {
                v.exit(compilerPid[b]);
                compilerPid[b] = 0;
            }
        }

        void freeRandom(IntArrayList list, int cpu) {
            int i = rnd.nextInt(list.size());
            int p = list.get(i);
            list.set(i, list.getLast());
            list.removeAtIndex(list.size() - 1);
            a.freePages(p, 0, cpu);
        }

        /**
         * mmtests between pass 2 and 3: kill the builds, delete the trees, dd a file as large as
         * RAM and delete it, drop_caches, min_free_kbytes=1024.
         */
        void toRest() {
            loadRunning = false;
            for (int b = 0; b < builds; b++) {
                if (compilerPid[b] != 0) {
                    v.exit(compilerPid[b]);
                    compilerPid[b] = 0;
                }
            }
            for (int i = 0; i < 100; i++) {
                background(); // the writeback of the objects completes
            }
            truncateAllPageCache();
            // dd if=/dev/zero of=file bs=1M count=RAM, then rm
            for (long i = 0; i < ramPages; i++) {
                if (v.allocUserPage(gfpCache, 0, PageUse.FILE, 0, false) < 0) {
                    break;
                }
                if ((i & 511) == 511) {
                    background();
                }
            }
            truncateAllPageCache();
            // drop_caches=3: the page cache is gone; slab shrinkers free most reclaimable slab
            int keep = slabReclaimable.size() / 3;
            while (slabReclaimable.size() > keep) {
                freeRandom(slabReclaimable, 0);
            }
            a.drainAllPages();
            setMinFreeKbytes(1024);
            for (int i = 0; i < 100; i++) {
                background();
            }
        }

        void truncateAllPageCache() {
            for (Zone z : m.zones) {
                for (int l = Vmscan.LRU_INACTIVE_FILE; l <= Vmscan.LRU_ACTIVE_FILE; l++) {
                    int p = z.lruHead[l];
                    while (p != -1) {
                        int next = a.memMap().next(p);
                        v.truncatePage(p, 0);
                        p = next;
                    }
                }
            }
            a.drainAllPages();
        }

        /** A write to /proc/sys/vm/min_free_kbytes: the kernel's {@code min_free_kbytes_sysctl_handler()}. */
        void setMinFreeKbytes(int minFreeKbytes) {
            kernel.minFreeKbytesSysctl(m, minFreeKbytes);
        }

        // ---------------------------------------------------------- the passes

        Pass highPass(String name, String label, int o, int delayMs) {
            LongArrayList held = new LongArrayList();
            long[] lat = new long[attempts];
            int ok = 0;
            for (int i = 0; i < attempts; i++) {
                long cost0 = cost();
                long page = allocHighOrder(gfpHigh, o, i % cpus);
                lat[i] = cost() - cost0 + COST_FREELIST_NS;
                if (page >= 0) {
                    ok++;
                    held.add(page);
                }
                for (int t = 0; t < delayMs / TICK_MS; t++) {
                    tick();
                }
            }
            for (int i = 0; i < held.size(); i++) {
                a.freePages(held.get(i), o, 0);
            }
            a.drainAllPages();
            verify(name);
            return new Pass(name, label, o, attempts, ok, lat);
        }

        Pass atomicPass(String name, String label, int o) {
            LongArrayList held = new LongArrayList();
            long[] lat = new long[attempts];
            int ok = 0;
            for (int i = 0; i < attempts; i++) {
                long page = a.allocPages(gfpAtomic, o, i % cpus);
                lat[i] = COST_FREELIST_NS;
                if (page >= 0) {
                    ok++;
                    held.add(page);
                }
                tick();
            }
            for (int i = 0; i < held.size(); i++) {
                a.freePages(held.get(i), o, 0);
            }
            verify(name);
            return new Pass(name, label, o, attempts, ok, lat);
        }

        /** Emulated ns spent so far in direct reclaim and direct compaction (the cost model). */
        long cost() {
            long n = v.pgscanDirect() * COST_SCAN_NS + v.pgstealDirect() * COST_RECLAIM_NS;
            if (c != null) {
                n += (c.compactMigrateScanned() - c.compactDaemonMigrateScanned()
                        + c.compactFreeScanned() - c.compactDaemonFreeScanned()) * COST_SCAN_NS;
                n += (c.pgmigrateSuccess() - daemonMigrated) * COST_MIGRATE_NS;
            }
            return n;
        }

        /** Pages kcompactd migrated (not charged to any allocation). */
        long daemonMigrated;

        /**
         * One high-order attempt: {@code __alloc_pages()} with its 6.1 slow path (direct compaction
         * at INIT_COMPACT_PRIORITY before reclaim, then reclaim, compaction and
         * {@code should_compact_retry()}), which calls this run's {@link Compaction} when it is on.
         */
        long allocHighOrder(int gfp, int o, int cpu) {
            if (c != null) {
                c.setCpu(cpu);
            }
            long stalls = c == null ? 0 : c.compactStall();
            long page = a.allocPages(gfp, o, cpu);
            if (c != null && c.compactStall() != stalls) {
                c.directCompactOutcome(page, o); // COMPACTSUCCESS/FAIL, compaction_defer_reset()
            }
            return page;
        }
    }

    // ------------------------------------------------------------------ output

    static String text(String machineName, Kernel kernel, List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        for (Run r : runs) {
            Pass first = r.passes().get(0);
            sb.append(String.format(Locale.ROOT, "stress-highalloc: %s, kernel %s, order %d, %d attempts per pass, compaction %s%n",
                    machineName, kernel.name(), first.order(), first.attempts(), r.compaction() ? "on" : "off"));
            sb.append(String.format(Locale.ROOT, "  %-15s %-30s %5s %8s %9s %9s %9s %9s%n", "pass", "", "order",
                    "success", "success%", "lat mean", "lat p95", "lat max"));
            for (Pass p : r.passes()) {
                sb.append(String.format(Locale.ROOT, "  %-15s %-30s %5d %8d %8.1f%% %7.3fms %7.3fms %7.3fms%n",
                        p.name(), p.label(), p.order(), p.successes(), p.successPct(), p.meanMs(),
                        p.percentile(95) / 1e6, p.percentile(100) / 1e6));
            }
            sb.append("  vmstat:");
            for (int i = 0; i < VMSTAT_NAMES.length; i++) {
                sb.append(' ').append(VMSTAT_NAMES[i]).append(' ').append(r.vmstat()[i]);
            }
            sb.append(System.lineSeparator()).append(System.lineSeparator());
        }
        sb.append("Latency is emulated time (cost model: ").append(COST_SCAN_NS).append(" ns per page scanned, ")
                .append(COST_MIGRATE_NS / 1000).append(" us per page migrated, ").append(COST_RECLAIM_NS / 1000)
                .append(" us per page reclaimed, ").append(COST_FREELIST_NS / 1000).append(" us per attempt).")
                .append(System.lineSeparator());
        sb.append("Published (anchors.md A4): order-9 Success 3 at rest 64-86% with compaction; under load 4-60%.")
                .append(System.lineSeparator());
        return sb.toString();
    }

    static String json(String machineName, Kernel kernel, List<Run> runs) {
        ArrayNode arr = Json.newArray();
        for (Run r : runs) {
            ObjectNode o = arr.addObject();
            o.put("machine", machineName);
            o.put("kernel", kernel.name());
            o.put("order", r.passes().get(0).order());
            o.put("compaction", r.compaction() ? "on" : "off");
            ArrayNode ps = o.putArray("passes");
            for (Pass p : r.passes()) {
                ObjectNode pn = ps.addObject();
                pn.put("name", p.name());
                pn.put("label", p.label());
                pn.put("order", p.order());
                pn.put("attempts", p.attempts());
                pn.put("successes", p.successes());
                pn.put("success_pct", Math.round(p.successPct() * 10) / 10.0);
                pn.put("latency_mean_ms", Math.round(p.meanMs() * 1000) / 1000.0);
                pn.put("latency_p95_ms", p.percentile(95) / 1e6);
                pn.put("latency_max_ms", p.percentile(100) / 1e6);
                ArrayNode lat = pn.putArray("latency_us");
                for (long ns : p.latencyNs()) {
                    lat.add(ns / 1000);
                }
            }
            ObjectNode vs = o.putObject("vmstat");
            for (int i = 0; i < VMSTAT_NAMES.length; i++) {
                vs.put(VMSTAT_NAMES[i], r.vmstat()[i]);
            }
        }
        String s = Json.write(runs.size() == 1 ? arr.get(0) : arr);
        return s + System.lineSeparator();
    }
}
