package dev.pagealloc.workloads.pgw;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.trace.TraceFormat;
import dev.pagealloc.workloads.event.EventSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;

/**
 * Prints an event stream as a kernel's ftrace text ({@link TraceFormat}: Linux 6.1's unless told
 * otherwise), so that a {@code .pgw} file (or any source) can be turned back into a trace: the nop
 * tracer's header, then one line per alloc and free as {@code kernel/trace/trace_output.c} frames
 * them and {@code include/trace/events/kmem.h} prints them. In 6.1:
 *
 * <pre>
 *           replay-0       [000] .....     1.000000: mm_page_alloc: page=ffffea0000040000 pfn=0x1000 order=0 migratetype=0 gfp_flags=GFP_KERNEL
 *           replay-0       [000] .....     1.000003: mm_page_free: page=ffffea0000040000 pfn=0x1000 order=0
 * </pre>
 *
 * <p>This is a rendering, not a recording: the task is always {@code replay} with the alloc's pid
 * (0 for frees), time is cut to microseconds, {@code page=} is the x86_64 vmemmap address of the
 * pfn (unhashed, without KASLR), a failed allocation (id -1) prints the kernel's NULL page and pfn
 * 0, {@code migratetype} is the gfp mask's as the kernel computes it (in the layout the symbol was
 * recorded in, or the kernel's own), and {@code gfp_flags} is the symbol's text without its era
 * prefix ({@code none} when not recorded). Events that are not tracepoints (processes, page cache,
 * markers) become {@code # pagealloc: ...} comment lines.
 */
public final class PgwTextWriter implements EventSink, AutoCloseable {
    /** Symbols above this are printed as their number: a rendering should not need a huge table. */
    private static final int MAX_TABLE = 1 << 20;

    private final Writer out;
    private final TraceFormat format;
    private final GfpBits gfp;
    private final StringBuilder line = new StringBuilder(192);
    private String[] symbols = new String[64];
    private int[] migratetypes = new int[64];
    private long chars;

    /**
     * A writer onto {@code out} in {@code kernel}'s trace format; writes the header at once.
     * {@link #close()} closes {@code out}.
     */
    public PgwTextWriter(Writer out, Kernel kernel) {
        this.out = out;
        this.format = kernel.traceFormat();
        this.gfp = kernel.gfp();
        line.append(format.header());
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

    /** The migratetype the kernel would print for a gfp symbol's mask (0 when the text is not a mask). */
    private int migratetype(String text) {
        int colon = text.indexOf(':');
        try {
            GfpBits bits = colon < 0 ? gfp : GfpBits.forKernel(text.substring(0, colon));
            return bits.migratetype(bits.parse(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    @Override
    public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
        format.context(line, "replay", pid, cpu, timeNs);
        CharSequence flags = "none";
        if (known(gfpSym)) {
            String g = symbols[gfpSym];
            flags = g.subSequence(g.indexOf(':') + 1, g.length());
        }
        format.mmPageAlloc(line, id, order, known(gfpSym) ? migratetypes[gfpSym] : 0, flags);
        line.append('\n');
        emit();
        return true;
    }

    @Override
    public void free(long timeNs, int cpu, long id, int order) {
        format.context(line, "replay", 0, cpu, timeNs);
        format.mmPageFree(line, id, order);
        line.append('\n');
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

    private StringBuilder note(long timeNs, String what) {
        return line.append("# pagealloc: ").append(what).append(" ns=").append(timeNs);
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
