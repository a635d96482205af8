package dev.pagealloc.workloads.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pagealloc.workloads.event.EventSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sink for generator tests: records every event as a line, checks the stream's contract as it
 * goes (time never decreases, symbols defined before use, ids never reused, every free matches a
 * live successful allocation of the same order) and stands in for the machine's page cache.
 */
class RecordingSink implements EventSink {
    /** Decides an allocation's fate: true to grant it. */
    interface Policy {
        boolean grant(long timeNs, int order, String gfp);
    }

    final List<String> lines = new ArrayList<>();
    final Map<Integer, String> symbols = new HashMap<>();
    private final Map<Long, Integer> live = new HashMap<>();
    private final java.util.Set<Long> seen = new java.util.HashSet<>();
    private final Policy policy;
    private final long cacheCap;
    private final boolean record;
    long lastT = Long.MIN_VALUE;
    long events;
    long allocs;
    long refused;
    long frees;
    long filePages;
    long anonPages;

    RecordingSink(Policy policy, long cacheCap, boolean record) {
        this.policy = policy;
        this.cacheCap = cacheCap;
        this.record = record;
    }

    static RecordingSink granting() {
        return new RecordingSink((t, o, g) -> true, Long.MAX_VALUE, true);
    }

    long filePages() {
        return filePages;
    }

    private void time(long t) {
        assertTrue(t >= lastT, "time went back from " + lastT + " to " + t);
        assertTrue(t >= 0, "negative time " + t);
        lastT = t;
        events++;
    }

    private String sym(int s) {
        String text = symbols.get(s);
        if (text == null) {
            fail("symbol " + s + " used before it was defined");
        }
        return text;
    }

    private void line(String s) {
        if (record) {
            lines.add(s);
        }
    }

    @Override
    public void symbol(int sym, String text) {
        assertFalse(symbols.containsKey(sym), "symbol " + sym + " defined twice");
        symbols.put(sym, text);
        line("symbol " + sym + " " + text);
    }

    @Override
    public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
        time(timeNs);
        String gfp = sym(gfpSym);
        if (siteSym != NO_SYMBOL) {
            sym(siteSym);
        }
        assertTrue(seen.add(id), "id " + id + " reused");
        assertTrue(id > 0, "id " + id);
        allocs++;
        boolean ok = policy.grant(timeNs, order, gfp);
        if (ok) {
            live.put(id, order);
        } else {
            refused++;
        }
        line(String.format(Locale.ROOT, "%d alloc cpu=%d id=%d order=%d gfp=%s pid=%d -> %b", timeNs, cpu, id, order,
                gfp, pid, ok));
        return ok;
    }

    @Override
    public void free(long timeNs, int cpu, long id, int order) {
        time(timeNs);
        Integer o = live.remove(id);
        assertTrue(o != null, "free of id " + id + " which is not a live successful allocation");
        assertEquals(o, order, "free of id " + id + " with another order");
        frees++;
        line(timeNs + " free cpu=" + cpu + " id=" + id + " order=" + order);
    }

    @Override
    public void processStart(long timeNs, int pid, int commSym, int oomAdj) {
        time(timeNs);
        line(timeNs + " start pid=" + pid + " comm=" + sym(commSym) + " oom_adj=" + oomAdj);
    }

    @Override
    public void processExit(long timeNs, int pid) {
        time(timeNs);
        line(timeNs + " exit pid=" + pid);
    }

    @Override
    public void anonFault(long timeNs, int cpu, int pid, long pages) {
        time(timeNs);
        assertTrue(pages > 0);
        anonPages += pages;
        line(timeNs + " anon cpu=" + cpu + " pid=" + pid + " pages=" + pages);
    }

    @Override
    public void fileRead(long timeNs, int cpu, long pages, boolean dirty) {
        time(timeNs);
        assertTrue(pages > 0);
        filePages = Math.min(cacheCap, filePages + pages);
        line(timeNs + " file cpu=" + cpu + " pages=" + pages + " dirty=" + dirty);
    }

    @Override
    public void bdevRead(long timeNs, int cpu, long pages, boolean dirty) {
        time(timeNs);
        assertTrue(pages > 0);
        filePages = Math.min(cacheCap, filePages + pages);
        line(timeNs + " bdev cpu=" + cpu + " pages=" + pages + " dirty=" + dirty);
    }

    @Override
    public void fileAccess(long timeNs, int cpu, long pages) {
        time(timeNs);
        assertTrue(pages > 0);
        line(timeNs + " access cpu=" + cpu + " pages=" + pages);
    }

    @Override
    public void fileDrop(long timeNs, long pages) {
        time(timeNs);
        filePages = Math.max(0, filePages - pages);
        line(timeNs + " drop pages=" + pages);
    }

    @Override
    public void marker(long timeNs, int kind, int nameSym) {
        time(timeNs);
        line(timeNs + " marker " + kind + " " + sym(nameSym));
    }

    int liveCount() {
        return live.size();
    }
}
