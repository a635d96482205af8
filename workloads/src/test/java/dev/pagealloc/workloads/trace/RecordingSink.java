package dev.pagealloc.workloads.trace;

import dev.pagealloc.workloads.event.EventSink;
import dev.pagealloc.workloads.event.EventSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Keeps every alloc and free a source emits, and the symbol table, for assertions. */
final class RecordingSink implements EventSink {
    /** One alloc ({@code free == false}) or free; gfp and pid are -1 / 0 for a free. */
    record Ev(boolean free, long timeNs, int cpu, long id, int order, int gfpSym, int pid) {}

    final List<Ev> events = new ArrayList<>();
    final Map<Integer, String> symbols = new HashMap<>();
    int symbolDefinitions;

    /** Drains {@code src} into a new sink. */
    static RecordingSink drain(EventSource src) {
        RecordingSink s = new RecordingSink();
        while (src.advance(s)) {
            // every event is recorded by the callbacks
        }
        return s;
    }

    List<Ev> allocs() {
        return events.stream().filter(e -> !e.free()).toList();
    }

    List<Ev> frees() {
        return events.stream().filter(Ev::free).toList();
    }

    String gfp(Ev e) {
        return symbols.get(e.gfpSym());
    }

    @Override
    public void symbol(int sym, String text) {
        if (symbols.put(sym, text) != null) {
            throw new AssertionError("symbol " + sym + " defined twice");
        }
        symbolDefinitions++;
    }

    @Override
    public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
        if (!symbols.containsKey(gfpSym)) {
            throw new AssertionError("gfp symbol " + gfpSym + " used before its definition");
        }
        if (siteSym != NO_SYMBOL) {
            throw new AssertionError("traces record no call site");
        }
        checkTime(timeNs);
        events.add(new Ev(false, timeNs, cpu, id, order, gfpSym, pid));
        return true;
    }

    @Override
    public void free(long timeNs, int cpu, long id, int order) {
        checkTime(timeNs);
        events.add(new Ev(true, timeNs, cpu, id, order, -1, 0));
    }

    private void checkTime(long t) {
        if (!events.isEmpty() && t < events.getLast().timeNs()) {
            throw new AssertionError("time went back: " + t + " after " + events.getLast().timeNs());
        }
    }

    @Override
    public void processStart(long timeNs, int pid, int commSym, int oomAdj) {
        throw new AssertionError("traces have no process events");
    }

    @Override
    public void processExit(long timeNs, int pid) {
        throw new AssertionError("traces have no process events");
    }

    @Override
    public void anonFault(long timeNs, int cpu, int pid, long pages) {
        throw new AssertionError("traces have no fault events");
    }

    @Override
    public void fileRead(long timeNs, int cpu, long pages, boolean dirty) {
        throw new AssertionError("traces have no page cache events");
    }

    @Override
    public void bdevRead(long timeNs, int cpu, long pages, boolean dirty) {
        throw new AssertionError("traces have no page cache events");
    }

    @Override
    public void fileDrop(long timeNs, long pages) {
        throw new AssertionError("traces have no page cache events");
    }

    @Override
    public void marker(long timeNs, int kind, int nameSym) {
        throw new AssertionError("traces have no markers");
    }
}
