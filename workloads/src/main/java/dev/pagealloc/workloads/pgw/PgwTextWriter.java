package dev.pagealloc.workloads.pgw;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.workloads.event.EventSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;

/**
 * Prints an event stream as Linux 6.1 ftrace text, so that a {@code .pgw} file (or any source)
 * can be turned back into a trace: the {@code # tracer: nop} header, then one line per alloc and
 * free as {@code kernel/trace/trace_output.c} frames them and {@code include/trace/events/kmem.h}
 * prints them:
 *
 * <pre>
 *           replay-0       [000] .....     1.000000: mm_page_alloc: page=ffffea0000040000 pfn=0x1000 order=0 migratetype=0 gfp_flags=GFP_KERNEL
 *           replay-0       [000] .....     1.000003: mm_page_free: page=ffffea0000040000 pfn=0x1000 order=0
 * </pre>
 *
 * <p>This is a rendering, not a recording: the task is always {@code replay} with the alloc's pid
 * (0 for frees), the irq/preempt flags are {@code .....}, time is cut to microseconds, {@code page=}
 * is the x86_64 vmemmap address of the pfn (0xffffea0000000000 + 64 per page, as an unhashed
 * pointer without KASLR), a failed allocation (id -1) prints {@code page=0000000000000000 pfn=0x0}
 * as 6.1 does, {@code migratetype} is the gfp mask's as 6.1 computes it, and {@code gfp_flags} is
 * the symbol's text without its era prefix ({@code none} when not recorded). Events that are not
 * tracepoints (processes, page cache, markers) become {@code # pagealloc: ...} comment lines.
 */
public final class PgwTextWriter implements EventSink, AutoCloseable {
    private static final long VMEMMAP_START = 0xffffea0000000000L;
    private static final long STRUCT_PAGE_BYTES = 64;
    /** Symbols above this are printed as their number: a rendering should not need a huge table. */
    private static final int MAX_TABLE = 1 << 20;

    private final Writer out;
    private final StringBuilder line = new StringBuilder(192);
    private String[] symbols = new String[64];
    private int[] migratetypes = new int[64];
    private long chars;

    /** A writer onto {@code out}; writes the ftrace header at once. {@link #close()} closes {@code out}. */
    public PgwTextWriter(Writer out) {
        this.out = out;
        line.append("# tracer: nop\n#\n")
                .append("#                                _-----=> irqs-off/BH-disabled\n")
                .append("#                               / _----=> need-resched\n")
                .append("#                              | / _---=> hardirq/softirq\n")
                .append("#                              || / _--=> preempt-depth\n")
                .append("#                              ||| / _-=> migrate-disable\n")
                .append("#                              |||| /     delay\n")
                .append("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n")
                .append("#              | |         |   |||||     |         |\n");
        emit();
    }

    /** Characters written so far (bytes, for ASCII symbol texts). */
    public long chars() {
        return chars;
    }

    /** Writes {@code text} as a {@code # } comment line. */
    public void comment(String text) {
        line.append("# ").append(text).append('\n');
        emit();
    }

    @Override
    public void symbol(int sym, String text) {
        if (sym < 0 || sym >= MAX_TABLE) {
            return;
        }
        if (sym >= symbols.length) {
            int n = Math.max(sym + 1, symbols.length * 2);
            symbols = Arrays.copyOf(symbols, n);
            migratetypes = Arrays.copyOf(migratetypes, n);
        }
        symbols[sym] = text;
        migratetypes[sym] = migratetype(text);
    }

    /** The migratetype 6.1 would print for a gfp symbol's mask (0 when the text is not a mask). */
    private static int migratetype(String text) {
        int colon = text.indexOf(':');
        try {
            GfpBits bits = colon < 0 ? GfpBits.V6_1 : GfpBits.forKernel(text.substring(0, colon));
            return bits.migratetype(bits.parse(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    @Override
    public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
        prefix(timeNs, cpu, pid);
        line.append("mm_page_alloc: ");
        page(id);
        line.append(" order=").append(order).append(" migratetype=")
                .append(known(gfpSym) ? migratetypes[gfpSym] : 0).append(" gfp_flags=");
        if (known(gfpSym)) {
            String g = symbols[gfpSym];
            line.append(g, g.indexOf(':') + 1, g.length());
        } else {
            line.append("none");
        }
        line.append('\n');
        emit();
        return true;
    }

    @Override
    public void free(long timeNs, int cpu, long id, int order) {
        prefix(timeNs, cpu, 0);
        line.append("mm_page_free: ");
        page(id);
        line.append(" order=").append(order).append('\n');
        emit();
    }

    @Override
    public void processStart(long timeNs, int pid, int commSym, int oomAdj) {
        note(timeNs, "process_start").append(" pid=").append(pid).append(" comm=").append(text(commSym))
                .append(" oom_adj=").append(oomAdj).append('\n');
        emit();
    }

    @Override
    public void processExit(long timeNs, int pid) {
        note(timeNs, "process_exit").append(" pid=").append(pid).append('\n');
        emit();
    }

    @Override
    public void anonFault(long timeNs, int cpu, int pid, long pages) {
        note(timeNs, "anon_fault").append(" cpu=").append(cpu).append(" pid=").append(pid).append(" pages=")
                .append(pages).append('\n');
        emit();
    }

    @Override
    public void fileRead(long timeNs, int cpu, long pages, boolean dirty) {
        note(timeNs, "file_read").append(" cpu=").append(cpu).append(" pages=").append(pages).append(" dirty=")
                .append(dirty ? 1 : 0).append('\n');
        emit();
    }

    @Override
    public void bdevRead(long timeNs, int cpu, long pages, boolean dirty) {
        note(timeNs, "bdev_read").append(" cpu=").append(cpu).append(" pages=").append(pages).append(" dirty=")
                .append(dirty ? 1 : 0).append('\n');
        emit();
    }

    @Override
    public void fileDrop(long timeNs, long pages) {
        note(timeNs, "file_drop").append(" pages=").append(pages).append('\n');
        emit();
    }

    @Override
    public void marker(long timeNs, int kind, int nameSym) {
        note(timeNs, "marker").append(" kind=")
                .append(kind == MARKER_SNAPSHOT ? "snapshot" : kind == MARKER_PHASE ? "phase" : Integer.toString(kind))
                .append(" name=").append(text(nameSym)).append('\n');
        emit();
    }

    /** Flushes the underlying writer. */
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- formatting ----

    private boolean known(int sym) {
        return sym >= 0 && sym < symbols.length && symbols[sym] != null;
    }

    private String text(int sym) {
        return known(sym) ? symbols[sym] : sym == NO_SYMBOL ? "-" : "sym" + sym;
    }

    /** {@code "%16s-%-7d [%03d] ..... %5lu.%06lu: "} (trace_print_context + trace_print_time, 6.1). */
    private void prefix(long timeNs, int cpu, int pid) {
        pad(16 - "replay".length());
        line.append("replay-").append(pid);
        pad(7 - digits(pid));
        line.append(" [");
        if (cpu >= 0 && cpu < 100) {
            line.append(cpu < 10 ? "00" : "0");
        }
        line.append(cpu).append("] ..... ");
        long secs = Math.floorDiv(timeNs, 1_000_000_000L);
        long usecs = Math.floorMod(timeNs, 1_000_000_000L) / 1000;
        pad(5 - digits(secs));
        line.append(secs).append('.');
        pad0(6 - digits(usecs));
        line.append(usecs).append(": ");
    }

    /** {@code page=%p pfn=0x%lx}; a failure (-1) as 6.1 prints it: a NULL page and pfn 0. */
    private void page(long id) {
        line.append("page=");
        if (id == -1) {
            line.append("0000000000000000 pfn=0x0");
            return;
        }
        String addr = Long.toHexString(VMEMMAP_START + id * STRUCT_PAGE_BYTES);
        pad0(16 - addr.length());
        line.append(addr).append(" pfn=0x").append(Long.toHexString(id));
    }

    private StringBuilder note(long timeNs, String what) {
        return line.append("# pagealloc: ").append(what).append(" ns=").append(timeNs);
    }

    private void pad(int n) {
        for (int i = 0; i < n; i++) {
            line.append(' ');
        }
    }

    private void pad0(int n) {
        for (int i = 0; i < n; i++) {
            line.append('0');
        }
    }

    /** Characters of {@code v} in decimal, for padding without formatting twice. */
    private static int digits(long v) {
        int n = v < 0 ? 2 : 1;
        for (long x = v < 0 ? -(v / 10) : v / 10; x != 0; x /= 10) {
            n++;
        }
        return n;
    }

    private void emit() {
        try {
            out.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chars += line.length();
        line.setLength(0);
    }
}
