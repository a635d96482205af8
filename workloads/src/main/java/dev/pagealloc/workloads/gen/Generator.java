package dev.pagealloc.workloads.gen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One section of a job while it runs: a small discrete-event simulation. Actions are queued at
 * emulated times; {@link GenSource} repeatedly runs the earliest action of the earliest section.
 * An action emits at most one event through {@link #out} (it may emit none, e.g. a packet arriving
 * at a full ring) and may queue further actions, at the same time or later, never earlier. Ties
 * run in the order they were queued.
 */
abstract class Generator {
    /** A queued action. */
    @FunctionalInterface
    interface Action {
        void run(long timeNs);
    }

    private record Pending(long t, long seq, Action a) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(t, o.t);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    final GenSource out;
    final String section;
    final int cpu;
    final long startNs;
    final long stopNs;
    final SplittableRandom random;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private long seq;
    private final Map<String, long[]> counters = new LinkedHashMap<>();

    Generator(GenSource out, Section s, int cpu) {
        this.out = out;
        this.section = s.name();
        this.cpu = cpu;
        this.startNs = s.startNs();
        this.stopNs = s.stopNs();
        this.random = new SplittableRandom(out.seed() + s.index());
    }

    /** Queues the first actions (called once, when the job is opened). */
    abstract void start();

    /** A phase marker {@code section:kind} at the section's start, then {@link #start()}. */
    final void begin(String label) {
        at(startNs, t -> out.marker(t, dev.pagealloc.workloads.event.EventSink.MARKER_PHASE, label));
        start();
    }

    /** Queues {@code a} at {@code t}. */
    final void at(long t, Action a) {
        queue.add(new Pending(t, seq++, a));
    }

    /** The time of the next action, or Long.MAX_VALUE when none is queued. */
    final long next() {
        Pending p = queue.peek();
        return p == null ? Long.MAX_VALUE : p.t;
    }

    /** Runs the next action. */
    final void step() {
        Pending p = queue.poll();
        p.a.run(p.t);
    }

    /** Whether new activity (a packet, a fork, a read) may begin at {@code t}. */
    final boolean active(long t) {
        return t < stopNs;
    }

    /** Adds {@code n} to this section's counter {@code name} (e.g. rx_dropped). */
    final void count(String name, long n) {
        counters.computeIfAbsent(name, k -> new long[1])[0] += n;
    }

    /** Declares a counter so that it is reported even when it stays 0. */
    final void declare(String... names) {
        for (String n : names) {
            counters.computeIfAbsent(n, k -> new long[1]);
        }
    }

    final void addCounters(Map<String, Long> into) {
        for (Map.Entry<String, long[]> e : counters.entrySet()) {
            into.put(section + "." + e.getKey(), e.getValue()[0]);
        }
    }

    /** Nanoseconds between events at {@code perSecond} events per second of emulated time (at least 1). */
    static long intervalNs(double perSecond) {
        return Math.max(1L, Math.round(1e9 / perSecond));
    }
}
