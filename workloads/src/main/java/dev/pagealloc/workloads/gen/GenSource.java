package dev.pagealloc.workloads.gen;

import dev.pagealloc.workloads.event.EventSink;
import dev.pagealloc.workloads.event.EventSource;
import dev.pagealloc.workloads.event.SourceStats;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generator job running on one machine: the sections' generators merged by emulated time (ties
 * go to the earlier section), one event per {@link #advance}. Deterministic: the same job, context
 * and allocation answers give the same events. Allocation ids come from one counter (1, 2, ...)
 * and symbols from one table, each defined just before its first use.
 *
 * <p>{@link #position()} and {@link #size()} are emulated nanoseconds: the time of the last event
 * and the job's duration. Nothing is emitted at or after the duration.
 */
public final class GenSource implements EventSource {
    private final GenJob job;
    private final GenContext ctx;
    private final Generator[] gens;
    private final long durationNs;
    private final Map<String, Integer> symbols = new HashMap<>();
    private EventSink sink;
    private long nextId = 1;
    private int nextPid = 1000;
    private int nextForkBase = 20000;
    private long position;
    private boolean done;
    private int emitted;
    // events by kind, for stats()
    private long nAlloc, nAllocFailed, nFree, nStart, nExit, nAnon, nRead, nBdevRead, nAccess, nDrop, nMarker;

    GenSource(GenJob job, GenContext ctx, List<Section> sections) {
        this.job = job;
        this.ctx = ctx;
        this.durationNs = job.durationNs();
        this.gens = new Generator[sections.size()];
        int process = 0;
        for (int i = 0; i < gens.length; i++) {
            Section s = sections.get(i);
            int cpu = s.cpu();
            if (cpu < 0) {
                cpu = s.kind().interrupt ? 0 : process++ % ctx.cpus();
            } else if (cpu >= ctx.cpus()) {
                throw s.params().error("cpu", "cpu " + cpu + " does not exist: the machine has " + ctx.cpus()
                        + " CPU" + (ctx.cpus() == 1 ? "" : "s") + " (0 … " + (ctx.cpus() - 1) + ")");
            }
            gens[i] = s.factory().create(this, s, ctx, cpu);
        }
        for (int i = 0; i < gens.length; i++) {
            gens[i].begin(sections.get(i).label());
        }
    }

    long seed() {
        return job.seed();
    }

    /** A pid for a single-process section without its own (1000, 1001, ... in section order). */
    int nextPid() {
        return nextPid++;
    }

    /** A pid base for a fork-storm section without its own (20000, 120000, ...). */
    int nextForkBase() {
        int b = nextForkBase;
        nextForkBase += 100000;
        return b;
    }

    @Override
    public boolean advance(EventSink sink) {
        if (done) {
            return false;
        }
        this.sink = sink;
        while (true) {
            int best = -1;
            long bestT = Long.MAX_VALUE;
            for (int i = 0; i < gens.length; i++) {
                long t = gens[i].next();
                if (t < bestT) {
                    bestT = t;
                    best = i;
                }
            }
            if (best < 0 || bestT >= durationNs) {
                done = true;
                position = durationNs;
                return false;
            }
            emitted = 0;
            gens[best].step();
            if (emitted > 0) {
                position = bestT;
                return true;
            }
        }
    }

    @Override
    public String name() {
        return job.name();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long size() {
        return durationNs;
    }

    @Override
    public SourceStats stats() {
        SourceStats s = new SourceStats();
        put(s, "alloc", nAlloc);
        put(s, "alloc_failed", nAllocFailed);
        put(s, "free", nFree);
        put(s, "process_start", nStart);
        put(s, "process_exit", nExit);
        put(s, "anon_fault", nAnon);
        put(s, "file_read", nRead);
        put(s, "bdev_read", nBdevRead);
        put(s, "file_access", nAccess);
        put(s, "file_drop", nDrop);
        put(s, "marker", nMarker);
        s.era = ctx.kernel().name();
        return s;
    }

    private static void put(SourceStats s, String name, long n) {
        if (n > 0) {
            s.events.put(name, n);
        }
    }

    /**
     * The generators' own counters so far, {@code section.counter} in section order: e.g.
     * {@code nic.rx_packets}, {@code nic.rx_dropped}, {@code nic.alloc_rx_buff_failed},
     * {@code thp.thp_fault_fallback}, {@code forks.fork_failed}.
     */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Generator g : gens) {
            g.addCounters(m);
        }
        return m;
    }

    // ------------------------------------------------------------------ what generators call

    /** The symbol number of {@code text}, defining it in the sink on first use. */
    int sym(String text) {
        Integer s = symbols.get(text);
        if (s == null) {
            s = symbols.size();
            symbols.put(text, s);
            sink.symbol(s, text);
        }
        return s;
    }

    private void one() {
        if (++emitted > 1) {
            throw new IllegalStateException("a generator action emitted more than one event");
        }
    }

    /** Allocates a new id and asks the sink for 2^order pages; the id, or -1 when the sink refused. */
    long alloc(long t, int cpu, int order, String gfp, int pid, String site) {
        int g = sym(gfp);
        int st = site == null ? EventSink.NO_SYMBOL : sym(site);
        one();
        long id = nextId++;
        nAlloc++;
        if (sink.alloc(t, cpu, id, order, g, pid, st)) {
            return id;
        }
        nAllocFailed++;
        return -1;
    }

    void free(long t, int cpu, long id, int order) {
        one();
        nFree++;
        sink.free(t, cpu, id, order);
    }

    void processStart(long t, int pid, String comm, int oomAdj) {
        int c = sym(comm);
        one();
        nStart++;
        sink.processStart(t, pid, c, oomAdj);
    }

    void processExit(long t, int pid) {
        one();
        nExit++;
        sink.processExit(t, pid);
    }

    void anonFault(long t, int cpu, int pid, long pages) {
        one();
        nAnon++;
        sink.anonFault(t, cpu, pid, pages);
    }

    void fileRead(long t, int cpu, long pages, boolean dirty) {
        one();
        nRead++;
        sink.fileRead(t, cpu, pages, dirty);
    }

    void bdevRead(long t, int cpu, long pages, boolean dirty) {
        one();
        nBdevRead++;
        sink.bdevRead(t, cpu, pages, dirty);
    }

    void fileAccess(long t, int cpu, long pages) {
        one();
        nAccess++;
        sink.fileAccess(t, cpu, pages);
    }

    void fileDrop(long t, long pages) {
        one();
        nDrop++;
        sink.fileDrop(t, pages);
    }

    void marker(long t, int kind, String name) {
        int n = sym(name);
        one();
        nMarker++;
        sink.marker(t, kind, n);
    }
}
