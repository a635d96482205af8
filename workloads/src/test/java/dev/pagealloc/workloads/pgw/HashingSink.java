package dev.pagealloc.workloads.pgw;

import dev.pagealloc.workloads.event.EventSink;

/**
 * Folds every call and argument into a 64-bit hash and counts calls, so two 1M-event streams can
 * be compared without holding them: equal streams give equal hashes; a difference anywhere changes
 * the hash (with the odds of a 64-bit collision).
 */
final class HashingSink implements EventSink {
    long hash = 0x9E3779B97F4A7C15L;
    long calls;
    long allocs;
    long frees;

    private void mix(long v) {
        long h = (hash ^ v) * 0xBF58476D1CE4E5B9L;
        hash = h ^ (h >>> 31);
    }

    @Override
    public void symbol(int sym, String text) {
        calls++;
        mix(1);
        mix(sym);
        mix(text.hashCode());
        mix(text.length());
    }

    @Override
    public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
        calls++;
        allocs++;
        mix(2);
        mix(timeNs);
        mix(cpu);
        mix(id);
        mix(order);
        mix(gfpSym);
        mix(pid);
        mix(siteSym);
        return true;
    }

    @Override
    public void free(long timeNs, int cpu, long id, int order) {
        calls++;
        frees++;
        mix(3);
        mix(timeNs);
        mix(cpu);
        mix(id);
        mix(order);
    }

    @Override
    public void processStart(long timeNs, int pid, int commSym, int oomAdj) {
        calls++;
        mix(4);
        mix(timeNs);
        mix(pid);
        mix(commSym);
        mix(oomAdj);
    }

    @Override
    public void processExit(long timeNs, int pid) {
        calls++;
        mix(5);
        mix(timeNs);
        mix(pid);
    }

    @Override
    public void anonFault(long timeNs, int cpu, int pid, long pages) {
        calls++;
        mix(6);
        mix(timeNs);
        mix(cpu);
        mix(pid);
        mix(pages);
    }

    @Override
    public void fileRead(long timeNs, int cpu, long pages, boolean dirty) {
        calls++;
        mix(7);
        mix(timeNs);
        mix(cpu);
        mix(pages);
        mix(dirty ? 1 : 0);
    }

    @Override
    public void bdevRead(long timeNs, int cpu, long pages, boolean dirty) {
        calls++;
        mix(11);
        mix(timeNs);
        mix(cpu);
        mix(pages);
        mix(dirty ? 1 : 0);
    }

    @Override
    public void fileDrop(long timeNs, long pages) {
        calls++;
        mix(8);
        mix(timeNs);
        mix(pages);
    }

    @Override
    public void marker(long timeNs, int kind, int nameSym) {
        calls++;
        mix(9);
        mix(timeNs);
        mix(kind);
        mix(nameSym);
    }
}
