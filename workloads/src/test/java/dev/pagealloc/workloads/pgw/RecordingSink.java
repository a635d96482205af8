package dev.pagealloc.workloads.pgw;

import dev.pagealloc.workloads.event.EventSink;
import java.util.ArrayList;
import java.util.List;

/** Records every call as one line of text, for exact comparisons of small streams. */
final class RecordingSink implements EventSink {
    final List<String> calls = new ArrayList<>();

    @Override
    public void symbol(int sym, String text) {
        calls.add("symbol " + sym + " " + text);
    }

    @Override
    public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
        calls.add("alloc t=" + timeNs + " cpu=" + cpu + " id=" + id + " order=" + order + " gfp=" + gfpSym + " pid=" + pid
                + " site=" + siteSym);
        return true;
    }

    @Override
    public void free(long timeNs, int cpu, long id, int order) {
        calls.add("free t=" + timeNs + " cpu=" + cpu + " id=" + id + " order=" + order);
    }

    @Override
    public void processStart(long timeNs, int pid, int commSym, int oomAdj) {
        calls.add("processStart t=" + timeNs + " pid=" + pid + " comm=" + commSym + " oomAdj=" + oomAdj);
    }

    @Override
    public void processExit(long timeNs, int pid) {
        calls.add("processExit t=" + timeNs + " pid=" + pid);
    }

    @Override
    public void anonFault(long timeNs, int cpu, int pid, long pages) {
        calls.add("anonFault t=" + timeNs + " cpu=" + cpu + " pid=" + pid + " pages=" + pages);
    }

    @Override
    public void fileRead(long timeNs, int cpu, long pages, boolean dirty) {
        calls.add("fileRead t=" + timeNs + " cpu=" + cpu + " pages=" + pages + " dirty=" + dirty);
    }

    @Override
    public void bdevRead(long timeNs, int cpu, long pages, boolean dirty) {
        calls.add("bdevRead t=" + timeNs + " cpu=" + cpu + " pages=" + pages + " dirty=" + dirty);
    }

    @Override
    public void fileDrop(long timeNs, long pages) {
        calls.add("fileDrop t=" + timeNs + " pages=" + pages);
    }

    @Override
    public void marker(long timeNs, int kind, int nameSym) {
        calls.add("marker t=" + timeNs + " kind=" + kind + " name=" + nameSym);
    }
}
