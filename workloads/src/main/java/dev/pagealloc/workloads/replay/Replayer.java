package dev.pagealloc.workloads.replay;

import dev.pagealloc.alloc.AllocFailure;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.vmscan.PageUse;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.vmstat.ZoneStatItem;
import dev.pagealloc.workloads.event.EventSink;
import dev.pagealloc.workloads.event.GfpSpelling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap;

/**
 * The replay engine: a workload's events ({@link EventSink}) applied to a booted machine with the
 * reclaim model ({@link Vmscan}), in emulated time. Single-threaded and deterministic: the same
 * events on the same machine give an equal {@link ReplaySummary}.
 *
 * <h2>Notation and invariants</h2>
 * <ul>
 *   <li>{@code live}: id → (pfn × 16 + order) of every allocation the workload still holds. A
 *       recorded pfn is an identity: a free matches the live allocation of that id; a free of an id
 *       that is not live (the trace began after its allocation, or the kernel's double trace of one
 *       free: 2.6.32 {@code __free_pages()} + {@code free_hot_page()}, 3.x+ {@code mm_page_free} +
 *       {@code mm_page_free_batched}) is counted as unmatched and changes nothing. An allocation of
 *       an id that is already live means the trace lost that id's free (ring buffer overrun): the
 *       old block is freed first and counted as lost.
 *   <li>id -1 is an allocation that failed in the recording (mm_page_alloc with {@code page=NULL});
 *       it is attempted, counted, and released at once when it succeeds here.
 *   <li>{@code now}: emulated time, never decreasing. kswapd runs (if woken) and writeback
 *       completes at most once per {@code kswapdIntervalNs}, at the first event after the interval
 *       has passed: between two events nothing happens, so a burst of atomic allocations inside
 *       one interval sees only what kswapd freed before it — as a NIC's softirq does.
 *   <li>A failed allocation is a result. The kernel's {@code warn_alloc}/{@code __alloc_pages_slowpath}
 *       report is printed unless {@code __GFP_NOWARN} is set and {@code printk_ratelimit()} allows
 *       it (kernel/printk.c: burst 10 per 5 s of emulated time); the first {@code keepReports} of
 *       those are kept as text in the kernel's format.
 * </ul>
 *
 * <p>Hot path ({@link #alloc}, {@link #free}): primitive maps and arrays, no allocation once the
 * symbol arrays have grown.
 */
public final class Replayer implements EventSink {
    /** A tunable of a replay; see {@link ReplaySummary} for what comes out. */
    public record Options(long kswapdIntervalNs, long sampleIntervalNs, long snapshotEveryNs, int keepReports,
            double speed, long swapPages, int[] cpuMap) {
        public static Options defaults() {
            return new Options(1_000_000L, 0, 0, 3, 0, 0, null);
        }
    }

    /** printk_ratelimit(): DEFAULT_RATELIMIT_INTERVAL 5 s, DEFAULT_RATELIMIT_BURST 10 (kernel/printk.c). */
    static final long RATELIMIT_INTERVAL_NS = 5_000_000_000L;
    static final int RATELIMIT_BURST = 10;
    private static final int ORDERS = 16;
    private static final int MAX_SAMPLES = 4096;

    private final Machine m;
    private final PageAllocator a;
    private final Vmscan v;
    private final Options o;
    private final GfpBits gfp;
    private final Zone[] populated;
    private final int nowarnBit;
    private final int userGfp;
    /** The block device mapping's gfp: GFP_USER (bdget()/bdev_alloc()), lowmem only and unmovable. */
    private final int bdevGfp;

    private final LongLongHashMap live = new LongLongHashMap(1 << 16);
    private String[] symText = new String[64];
    private int[] gfpMask = new int[64];
    private boolean[] gfpResolved = new boolean[64];
    private long[] attempts = new long[64 * ORDERS];
    private long[] failures = new long[64 * ORDERS];
    private long[] firstFailNs = new long[64 * ORDERS];
    private final IntObjectHashMap<String> comms = new IntObjectHashMap<>();

    private long now;
    private long rnd = 0x9E3779B97F4A7C15L;
    private long nextKswapdNs;
    private long nextSampleNs;
    private long sampleIntervalNs;
    private long nextSnapshotNs;
    private final long wallStart = System.nanoTime();

    // counters
    private long allocs;
    private long allocFailures;
    private long frees;
    private long unmatchedFrees;
    private long lostFrees;
    private long recordedFailures;
    private long userPages;
    private long bdevPages;
    private long userFailures;
    private long fileDropped;
    private long processStarts;
    private long processExits;
    private long minFree = Long.MAX_VALUE;
    private long firstFailureNs = -1;
    private long kswapdRuns;
    private long warnPrinted;
    private long warnSuppressed;
    private long ratelimitBegin = Long.MIN_VALUE;
    private int ratelimitPrinted;

    private final List<ReplaySummary.FailureReport> reports = new ArrayList<>();
    private final List<String> oomLog = new ArrayList<>();
    private final List<ReplaySummary.Snapshot> snapshots = new ArrayList<>();
    private final List<ReplaySummary.Phase> phases = new ArrayList<>();
    private final TimeSeries series;
    // per populated zone: lowest free, ns below low, ns below min; and the lowmem / HighMem lowest sums
    private final long[] zoneBootFree;
    private final long[] zoneMinFree;
    private final long[] zoneNsBelowLow;
    private final long[] zoneNsBelowMin;
    private long lowmemMinFree = Long.MAX_VALUE;
    private long highmemMinFree = Long.MAX_VALUE;

    public Replayer(Machine m, Options o) {
        this.m = m;
        this.a = m.allocator;
        this.o = o;
        this.gfp = m.kernel.gfp();
        this.populated = m.populatedZones();
        this.v = m.kernel.newVmscan(a);
        v.setPrintk(oomLog::add);
        v.setSwap(o.swapPages());
        a.setComm("replay");
        this.nowarnBit = gfp.bit("__GFP_NOWARN");
        this.userGfp = gfp.parse("GFP_HIGHUSER_MOVABLE");
        this.bdevGfp = gfp.parse("GFP_USER");
        this.sampleIntervalNs = o.sampleIntervalNs() > 0 ? o.sampleIntervalNs() : 10_000_000L;
        this.nextKswapdNs = o.kswapdIntervalNs();
        this.nextSampleNs = 0;
        this.nextSnapshotNs = o.snapshotEveryNs() > 0 ? o.snapshotEveryNs() : Long.MAX_VALUE;
        this.series = new TimeSeries(populated);
        Arrays.fill(firstFailNs, -1);
        this.zoneBootFree = new long[populated.length];
        for (int i = 0; i < populated.length; i++) {
            zoneBootFree[i] = populated[i].vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()];
        }
        this.zoneMinFree = new long[populated.length];
        Arrays.fill(zoneMinFree, Long.MAX_VALUE);
        this.zoneNsBelowLow = new long[populated.length];
        this.zoneNsBelowMin = new long[populated.length];
    }

    /** The machine being replayed on. */
    public Machine machine() {
        return m;
    }

    /** The reclaim model attached to the machine's allocator. */
    public Vmscan vmscan() {
        return v;
    }

    /** Emulated time of the last event. */
    public long nowNs() {
        return now;
    }

    /** Page cache pages now (NR_FILE_PAGES), for generators that fill the cache to a level. */
    public long filePages() {
        return v.global(ZoneStatItem.NR_FILE_PAGES);
    }

    /** The pfn of live allocation {@code id}, or -1 (tests). */
    long pfnOf(long id) {
        long v0 = live.getIfAbsent(id, -1L);
        return v0 < 0 ? -1 : v0 >>> 4;
    }

    // ------------------------------------------------------------------ EventSink

    @Override
    public void symbol(int sym, String text) {
        if (sym < 0) {
            throw new IllegalArgumentException("symbol number " + sym + " (expected >= 0)");
        }
        growSymbols(sym);
        symText[sym] = text;
        gfpResolved[sym] = false;
    }

    @Override
    public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
        advance(timeNs);
        int mask = mask(gfpSym);
        int c = cpu(cpu);
        int slot = gfpSym * ORDERS + order;
        attempts[slot]++;
        allocs++;
        long pfn = a.allocPages(mask, order, c);
        if (pfn < 0) {
            failed(slot, mask, order, pid);
            if (id == -1) {
                recordedFailures++;
            }
            return false;
        }
        if (id == -1) {
            recordedFailures++;
            a.freePages(pfn, order, c); // failed in the recording: nobody holds it
        } else {
            long old = live.getIfAbsent(id, -1L);
            if (old >= 0) {
                lostFrees++;
                a.freePages(old >>> 4, (int) (old & 15), c);
            }
            live.put(id, (pfn << 4) | order);
        }
        trackFree();
        return true;
    }

    @Override
    public void free(long timeNs, int cpu, long id, int order) {
        advance(timeNs);
        long v0 = live.removeKeyIfAbsent(id, -1L);
        if (v0 < 0) {
            unmatchedFrees++;
            return;
        }
        frees++;
        a.freePages(v0 >>> 4, (int) (v0 & 15), cpu(cpu));
    }

    @Override
    public void processStart(long timeNs, int pid, int commSym, int oomAdj) {
        advance(timeNs);
        String comm = commSym >= 0 && commSym < symText.length && symText[commSym] != null ? symText[commSym]
                : "task" + pid;
        comms.put(pid, comm);
        v.task(pid, comm, oomAdj);
        processStarts++;
    }

    @Override
    public void processExit(long timeNs, int pid) {
        advance(timeNs);
        if (v.exit(pid)) {
            processExits++;
        }
    }

    @Override
    public void anonFault(long timeNs, int cpu, int pid, long pages) {
        advance(timeNs);
        int c = cpu(cpu);
        for (long i = 0; i < pages; i++) {
            if (!user(c, PageUse.ANON, pid, false, userGfp)) {
                return;
            }
        }
    }

    @Override
    public void fileRead(long timeNs, int cpu, long pages, boolean dirty) {
        advance(timeNs);
        int c = cpu(cpu);
        for (long i = 0; i < pages; i++) {
            if (!user(c, PageUse.FILE, 0, dirty, userGfp)) {
                return;
            }
        }
    }

    @Override
    public void bdevRead(long timeNs, int cpu, long pages, boolean dirty) {
        advance(timeNs);
        int c = cpu(cpu);
        for (long i = 0; i < pages; i++) {
            bdevPages++;
            if (!user(c, PageUse.FILE, 0, dirty, bdevGfp)) {
                return;
            }
        }
    }

    @Override
    public void fileAccess(long timeNs, int cpu, long pages) {
        advance(timeNs);
        long file = v.global(ZoneStatItem.NR_FILE_PAGES);
        if (file == 0) {
            return;
        }
        long span = a.memMap().nrPages();
        // Probe random pfns for cached pages; a page cache share f needs about 1/f probes per hit.
        long probes = Math.min(pages * 8 + 64, pages * Math.max(1, span / file) * 2);
        long hits = 0;
        for (long i = 0; i < probes && hits < pages; i++) {
            rnd = rnd * 6364136223846793005L + 1442695040888963407L; // Knuth's MMIX LCG: deterministic
            long pfn = (rnd >>> 16) % span;
            if (v.isFilePage(pfn)) {
                v.markPageAccessed(pfn);
                hits++;
            }
        }
    }

    @Override
    public void fileDrop(long timeNs, long pages) {
        advance(timeNs);
        fileDropped += v.dropPagecache(pages);
    }

    @Override
    public void marker(long timeNs, int kind, int nameSym) {
        advance(timeNs);
        String name = nameSym >= 0 && nameSym < symText.length && symText[nameSym] != null ? symText[nameSym] : "";
        if (kind == MARKER_SNAPSHOT) {
            snapshot(name);
        } else {
            phases.add(new ReplaySummary.Phase(now, name));
        }
    }

    // ------------------------------------------------------------------ internals

    /** A user page (page cache or anonymous) through the reclaim model; false when it failed or the task is gone. */
    private boolean user(int cpu, PageUse use, int pid, boolean dirty, int mask) {
        if (use == PageUse.ANON && !v.hasTask(pid)) {
            return false; // never started, exited, or OOM-killed
        }
        userPages++;
        allocs++;
        long pfn = v.allocUserPage(mask, cpu, use, pid, dirty);
        if (pfn < 0) {
            userFailures++;
            failed(-1, mask, 0, pid);
            return false;
        }
        trackFree();
        return use != PageUse.ANON || v.hasTask(pid);
    }

    private void failed(int slot, int mask, int order, int pid) {
        allocFailures++;
        if (slot >= 0) {
            failures[slot]++;
            if (firstFailNs[slot] < 0) {
                firstFailNs[slot] = now;
            }
        } else {
            userFailureSlot(mask, order);
        }
        if (firstFailureNs < 0) {
            firstFailureNs = now;
        }
        series.failure();
        if ((mask & nowarnBit) != 0) {
            return;
        }
        if (!printkRatelimit()) {
            warnSuppressed++;
            return;
        }
        warnPrinted++;
        if (reports.size() < o.keepReports()) {
            AllocFailure f = a.lastFailure();
            if (f != null) {
                String comm = pid == 0 ? "swapper" : comms.getIfAbsent(pid, () -> "replay");
                reports.add(new ReplaySummary.FailureReport(now, order, gfp.traceFlags(mask), GfpBits.hex(mask),
                        m.kernel.reports().failureReport(m, f, comm, pid)));
            }
        }
    }

    private final Map<Long, long[]> userFailureCounts = new LinkedHashMap<>();

    private void userFailureSlot(int mask, int order) {
        long key = ((long) mask << 8) | order;
        long[] c = userFailureCounts.computeIfAbsent(key, k -> new long[] {0, now});
        c[0]++;
    }

    /** {@code __ratelimit(&printk_ratelimit_state)}, lib/ratelimit.c, in emulated time. */
    private boolean printkRatelimit() {
        if (ratelimitBegin == Long.MIN_VALUE || now - ratelimitBegin >= RATELIMIT_INTERVAL_NS) {
            ratelimitBegin = now;
            ratelimitPrinted = 0;
        }
        if (ratelimitPrinted < RATELIMIT_BURST) {
            ratelimitPrinted++;
            return true;
        }
        return false;
    }

    private int mask(int sym) {
        if (sym < 0 || sym >= symText.length || symText[sym] == null) {
            throw new IllegalArgumentException("gfp symbol " + sym + " used before it was defined");
        }
        if (!gfpResolved[sym]) {
            gfpMask[sym] = GfpSpelling.toProfile(symText[sym], gfp);
            gfpResolved[sym] = true;
        }
        return gfpMask[sym];
    }

    private int cpu(int cpu) {
        int[] map = o.cpuMap();
        if (map != null && cpu >= 0 && cpu < map.length && map[cpu] >= 0) {
            return map[cpu];
        }
        int n = m.cpus();
        return cpu < 0 ? 0 : cpu % n;
    }

    private void trackFree() {
        long free = 0;
        long low = 0;
        long high = 0;
        for (int i = 0; i < populated.length; i++) {
            Zone z = populated[i];
            long f = z.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()];
            free += f;
            if (z.isHighmem()) {
                high += f;
            } else {
                low += f;
            }
            if (f < zoneMinFree[i]) {
                zoneMinFree[i] = f;
            }
        }
        if (free < minFree) {
            minFree = free;
        }
        if (low < lowmemMinFree) {
            lowmemMinFree = low;
        }
        if (high < highmemMinFree) {
            highmemMinFree = high;
        }
    }

    /** The span [now, t) in the state the last event left: counts toward each zone's time below low / min. */
    private void trackBelow(long t) {
        long dt = t - now;
        for (int i = 0; i < populated.length; i++) {
            Zone z = populated[i];
            long f = z.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()];
            if (f < z.lowWmark()) {
                zoneNsBelowLow[i] += dt;
                if (f < z.minWmark()) {
                    zoneNsBelowMin[i] += dt;
                }
            }
        }
    }

    private void growSymbols(int sym) {
        if (sym < symText.length) {
            return;
        }
        int n = Math.max(sym + 1, symText.length * 2);
        symText = Arrays.copyOf(symText, n);
        gfpMask = Arrays.copyOf(gfpMask, n);
        gfpResolved = Arrays.copyOf(gfpResolved, n);
        attempts = Arrays.copyOf(attempts, n * ORDERS);
        failures = Arrays.copyOf(failures, n * ORDERS);
        int old = firstFailNs.length;
        firstFailNs = Arrays.copyOf(firstFailNs, n * ORDERS);
        Arrays.fill(firstFailNs, old, firstFailNs.length, -1);
    }

    /** Emulated time moves to {@code t}: kswapd's turn, samples and snapshots that fall due. */
    private void advance(long t) {
        if (t <= now) {
            return;
        }
        trackBelow(t);
        now = t;
        if (o.speed() > 0) {
            pace();
        }
        if (now >= nextKswapdNs) {
            v.tick();
            if (v.kswapdWoken()) {
                v.kswapdRun();
                kswapdRuns++;
            }
            nextKswapdNs = now + o.kswapdIntervalNs();
        }
        if (now >= nextSampleNs) {
            sample();
        }
        if (now >= nextSnapshotNs) {
            snapshot("every " + o.snapshotEveryNs() / 1_000_000 + " ms");
            nextSnapshotNs = now - now % o.snapshotEveryNs() + o.snapshotEveryNs();
        }
    }

    /** {@code --speed N}: emulated time runs at N times wall-clock time. */
    private void pace() {
        long due = wallStart + (long) (now / o.speed());
        long wait = due - System.nanoTime();
        if (wait > 1_000_000L) {
            try {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void sample() {
        series.sample(now);
        if (series.size() >= MAX_SAMPLES) {
            series.halve();
            sampleIntervalNs *= 2;
        }
        nextSampleNs = now - now % sampleIntervalNs + sampleIntervalNs;
    }

    private void snapshot(String name) {
        if (snapshots.size() >= 1000) {
            return;
        }
        snapshots.add(new ReplaySummary.Snapshot(now, name, m.kernel.views().buddyinfo(m), m.kernel.views().zoneinfo(m)));
    }

    /** Ends the replay: a last sample, and everything counted. The machine is left as it is. */
    public ReplaySummary finish() {
        series.sample(now);
        List<ReplaySummary.Failure> fs = new ArrayList<>();
        Map<String, long[]> byKey = new LinkedHashMap<>(); // "order|gfp" -> {order, mask, attempts, failures, first}
        for (int sym = 0; sym < symText.length; sym++) {
            for (int order = 0; order < ORDERS; order++) {
                int s = sym * ORDERS + order;
                if (attempts[s] == 0) {
                    continue;
                }
                int mask = gfpMask[sym];
                merge(byKey, order, mask, attempts[s], failures[s], firstFailNs[s]);
            }
        }
        if (userPages > bdevPages) {
            long[] uf = userFailureCounts.getOrDefault(((long) userGfp << 8), new long[] {0, -1});
            merge(byKey, 0, userGfp, userPages - bdevPages, uf[0], uf[0] > 0 ? uf[1] : -1);
        }
        if (bdevPages > 0) {
            long[] uf = userFailureCounts.getOrDefault(((long) bdevGfp << 8), new long[] {0, -1});
            merge(byKey, 0, bdevGfp, bdevPages, uf[0], uf[0] > 0 ? uf[1] : -1);
        }
        List<ReplaySummary.Attempts> att = new ArrayList<>();
        for (long[] e : byKey.values()) {
            String name = gfp.traceFlags((int) e[1]);
            att.add(new ReplaySummary.Attempts((int) e[0], name, GfpBits.hex((int) e[1]), e[2], e[3]));
            if (e[3] > 0) {
                fs.add(new ReplaySummary.Failure((int) e[0], name, GfpBits.hex((int) e[1]), e[3], e[4]));
            }
        }
        fs.sort((x, y) -> x.firstNs() != y.firstNs() ? Long.compare(x.firstNs(), y.firstNs())
                : x.order() != y.order() ? Integer.compare(x.order(), y.order()) : x.gfp().compareTo(y.gfp()));
        att.sort((x, y) -> x.gfp().equals(y.gfp()) ? Integer.compare(x.order(), y.order()) : x.gfp().compareTo(y.gfp()));
        long present = 0;
        for (Zone z : populated) {
            present += z.presentPages;
        }
        return new ReplaySummary(now, allocs, frees, allocFailures, unmatchedFrees, lostFrees, recordedFailures,
                live.size(), userPages, fileDropped, processStarts, processExits, att, fs, firstFailureNs,
                minFree == Long.MAX_VALUE ? v.global(ZoneStatItem.NR_FREE_PAGES) : minFree, present, v.oomKills(),
                v.pgstealKswapd(), v.pgstealDirect(), v.allocstall(), v.pgscanKswapd(), v.pgscanDirect(), v.pswpout(),
                a.kswapdWakeups(), kswapdRuns, warnPrinted, warnSuppressed, v.global(ZoneStatItem.NR_FREE_PAGES),
                v.global(ZoneStatItem.NR_FILE_PAGES), v.global(ZoneStatItem.NR_ANON_PAGES), reports, oomLog, snapshots,
                phases, series, zoneStats(), lowmemMinFree == Long.MAX_VALUE ? lowmemFree() : lowmemMinFree,
                highmemMinFree == Long.MAX_VALUE ? highmemFree() : highmemMinFree);
    }

    private List<ReplaySummary.ZoneStat> zoneStats() {
        List<ReplaySummary.ZoneStat> l = new ArrayList<>();
        for (int i = 0; i < populated.length; i++) {
            Zone z = populated[i];
            long f = z.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()];
            l.add(new ReplaySummary.ZoneStat(z.name, z.isHighmem(), z.presentPages, z.managedPages, z.watermark[0],
                    z.watermark[1], z.watermark[2], zoneBootFree[i], zoneMinFree[i] == Long.MAX_VALUE ? f : zoneMinFree[i],
                    zoneNsBelowLow[i], zoneNsBelowMin[i]));
        }
        return l;
    }

    private long lowmemFree() {
        long n = 0;
        for (Zone z : populated) {
            n += z.isHighmem() ? 0 : z.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()];
        }
        return n;
    }

    private long highmemFree() {
        long n = 0;
        for (Zone z : populated) {
            n += z.isHighmem() ? z.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] : 0;
        }
        return n;
    }

    private static void merge(Map<String, long[]> byKey, int order, int mask, long att, long fail, long first) {
        long[] e = byKey.computeIfAbsent(order + "|" + mask, k -> new long[] {order, mask, 0, 0, -1});
        e[2] += att;
        e[3] += fail;
        if (first >= 0 && (e[4] < 0 || first < e[4])) {
            e[4] = first;
        }
    }
}
