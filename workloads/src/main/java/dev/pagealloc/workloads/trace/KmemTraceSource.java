package dev.pagealloc.workloads.trace;

import dev.pagealloc.workloads.event.EventSink;
import dev.pagealloc.workloads.event.EventSource;
import dev.pagealloc.workloads.event.SourceStats;
import dev.pagealloc.workloads.event.WorkloadFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The parser behind {@link TraceReader}: one pass over each line's bytes, in place. A line is
 * <ul>
 *   <li>prefixed: anything, then a timestamp token ({@code secs.frac}, or an integer from a
 *       counter clock) followed by {@code ": "}, then the event name followed by {@code ": "} (or
 *       the end of the line). The prefix is {@code comm-pid [cpu] flags} (ftrace
 *       {@code print_trace_fmt()}/{@code trace_print_context()}, kernel/trace/trace_output.c,
 *       and {@code trace-cmd report}), optionally with a {@code (tgid)} column, or
 *       {@code comm pid[/tid] [cpu]} ({@code perf script}, tools/perf/builtin-script.c; the
 *       {@code [cpu]} may be absent). The pid is the digits after the last {@code -} (or the
 *       blank) before the {@code [cpu]} column, so comms with blanks and dashes are fine;
 *   <li>bare: the event name first ({@code mm_page_alloc: page=...}, as tools render one event);
 *   <li>other: blank, {@code #} comments, headers ({@code cpus=4}, {@code version = 6},
 *       {@code K-PID CPU# TIMESTAMP FUNCTION}), perf callchain lines, elisions.
 * </ul>
 * Event fields are {@code key=value} tokens in any order, as {@code TP_printk} of
 * include/trace/events/kmem.h prints them; unknown keys are ignored, tokens without {@code =}
 * (the {@code (null)} of {@code page= (null)}) too.
 */
final class KmemTraceSource implements EventSource {
    private static final byte[] KMEM = ascii("kmem:");
    private static final byte[] PFN = ascii("pfn");
    private static final byte[] PAGE = ascii("page");
    private static final byte[] COLD = ascii("cold");
    private static final byte[] ORDER = ascii("order");
    private static final byte[] GFP_FLAGS = ascii("gfp_flags");
    private static final byte[] ALL_ONES_DEC = ascii("18446744073709551615");
    /** Orders up to this are accepted; the replay checks them against the kernel's MAX_ORDER. */
    private static final int MAX_ORDER_ACCEPTED = 30;

    private final String name;
    private final LineInput in;
    private final long size;
    private final boolean lenient;
    private final TraceEra era;
    private final SourceStats stats = new SourceStats();
    private final long[] eventCounts = new long[KmemEvent.values().length];
    private final ByteNames gfpNames = new ByteNames();
    private final ByteNames unknownNames = new ByteNames();
    private long[] unknownCounts = new long[8];
    private long lineNo;
    private boolean haveT0;
    private long t0;
    private long lastTime;
    private boolean done;

    // Results of the per-line helpers (fields, not objects, to keep the loop allocation-free).
    private int cpu;
    private int pid;
    private boolean badNumber;

    KmemTraceSource(String name, LineInput in, long size, TraceOptions options) {
        this.name = name;
        this.in = in;
        this.size = size;
        this.lenient = options.lenient();
        this.era = new TraceEra(options.era());
    }

    @Override
    public boolean advance(EventSink sink) {
        if (done) {
            return false;
        }
        try {
            while (in.next()) {
                lineNo++;
                if (line(sink)) {
                    return true;
                }
            }
            done = true;
            in.close();
            return false;
        } catch (IOException e) {
            throw new WorkloadFormatException(name, lineNo, "cannot read: " + e.getMessage());
        }
    }

    /** Parses the current line; true when it emitted an event. */
    private boolean line(EventSink sink) {
        byte[] b = in.buf();
        int s = in.start();
        int e = in.end();
        if (in.overlong()) {
            return malformed("expected a line shorter than " + (LineInput.MAX_LINE >> 20) + " MiB");
        }
        while (s < e && blank(b[s])) {
            s++;
        }
        if (s == e || b[s] == '#') {
            stats.otherLines++;
            return false;
        }
        // The timestamp is the first token that is digits[.digits], preceded by a blank or ']',
        // and followed by ": ". Without one, the line may still be a bare event.
        int firstColon = -1;
        int ts = -1;
        int te = -1;
        for (int i = s; i < e; i++) {
            if (b[i] != ':' || (i + 1 < e && !blank(b[i + 1]))) {
                continue;
            }
            if (firstColon < 0) {
                firstColon = i;
            }
            int j = i;
            int dots = 0;
            while (j > s) {
                byte c = b[j - 1];
                if (c >= '0' && c <= '9') {
                    j--;
                } else if (c == '.') {
                    dots++;
                    j--;
                } else {
                    break;
                }
            }
            if (j < i && j > s && dots <= 1 && b[j] != '.' && b[i - 1] != '.' && (blank(b[j - 1]) || b[j - 1] == ']')) {
                ts = j;
                te = i;
                break;
            }
        }
        int ns;
        if (ts >= 0) {
            ns = te + 1;
            while (ns < e && blank(b[ns])) {
                ns++;
            }
        } else if (firstColon >= 0 && isBareName(b, s, firstColon)) {
            ns = s;
        } else {
            stats.otherLines++;
            return false;
        }
        int ne = ns;
        while (ne < e) {
            byte c = b[ne];
            if (c == ':' && (ne + 1 == e || blank(b[ne + 1]))) {
                break;
            }
            if (blank(c)) {
                ne = e;
                break;
            }
            ne++;
        }
        if (ne >= e || ne == ns) {
            stats.otherLines++; // e.g. a function-tracer line "do_sys_open <-sys_open"
            return false;
        }
        int printed = ns;
        if (ne - ns > KMEM.length && Arrays.equals(b, ns, ns + KMEM.length, KMEM, 0, KMEM.length)) {
            ns += KMEM.length;
        }
        KmemEvent ev = KmemEvent.match(b, ns, ne);
        if (ev == null) {
            countUnknown(b, printed, ne);
            return false;
        }
        eventCounts[ev.ordinal()]++;
        era.sawEvent(ev);
        long time = lastTime;
        if (ts >= 0) {
            long abs = timestamp(b, ts, te);
            if (abs < 0) {
                return malformed("expected a timestamp secs.usecs before '" + ev.traceName + ":'");
            }
            if (!haveT0) {
                haveT0 = true;
                t0 = abs;
            }
            time = Math.max(lastTime, abs - t0); // trace_pipe of several CPUs is not quite sorted
        }
        lastTime = time;
        if (ev.kind == KmemEvent.Kind.INTERNAL) {
            return false;
        }
        return fields(sink, ev, b, ne + 1, e, time, s, ts);
    }

    /** The fields of an alloc or free; emits it. */
    private boolean fields(EventSink sink, KmemEvent ev, byte[] b, int from, int e, long time, int s, int ts) {
        int pfnS = -1;
        int pfnE = -1;
        int pageS = -1;
        int pageE = -1;
        int orderS = -1;
        int orderE = -1;
        int gfpS = -1;
        int gfpE = -1;
        boolean cold = false;
        int i = from;
        while (i < e) {
            while (i < e && blank(b[i])) {
                i++;
            }
            int ks = i;
            while (i < e && b[i] != '=' && !blank(b[i])) {
                i++;
            }
            if (i >= e || b[i] != '=') {
                continue;
            }
            int ke = i++;
            int vs = i;
            while (i < e && !blank(b[i])) {
                i++;
            }
            switch (ke - ks) {
                case 3 -> {
                    if (is(b, ks, PFN)) {
                        pfnS = vs;
                        pfnE = i;
                    }
                }
                case 4 -> {
                    if (is(b, ks, PAGE)) {
                        pageS = vs;
                        pageE = i;
                    } else if (is(b, ks, COLD)) {
                        cold = true;
                    }
                }
                case 5 -> {
                    if (is(b, ks, ORDER)) {
                        orderS = vs;
                        orderE = i;
                    }
                }
                case 9 -> {
                    if (is(b, ks, GFP_FLAGS)) {
                        gfpS = vs;
                        gfpE = i;
                    }
                }
                default -> { }
            }
        }
        if (pfnS < 0) {
            return malformed("expected pfn=<number> in " + ev.traceName + ", but the line has none");
        }
        boolean hex = pfnE - pfnS > 2 && b[pfnS] == '0' && (b[pfnS + 1] == 'x' || b[pfnS + 1] == 'X');
        long pfn = hex ? hex(b, pfnS + 2, pfnE) : decimal(b, pfnS, pfnE);
        if (badNumber) {
            return malformed("expected pfn=<decimal or 0x hex> in " + ev.traceName + ", got 'pfn="
                    + ByteNames.text(b, pfnS, pfnE) + "'");
        }
        int order = 0;
        if (ev.kind != KmemEvent.Kind.FREE_ORDER0 || orderS >= 0) {
            if (orderS < 0) {
                return malformed("expected order=<0.." + MAX_ORDER_ACCEPTED + "> in " + ev.traceName
                        + ", but the line has none");
            }
            long o = decimal(b, orderS, orderE);
            if (badNumber || o > MAX_ORDER_ACCEPTED) {
                return malformed("expected order=<0.." + MAX_ORDER_ACCEPTED + "> in " + ev.traceName + ", got 'order="
                        + ByteNames.text(b, orderS, orderE) + "'");
            }
            order = ev.kind == KmemEvent.Kind.FREE_ORDER0 ? 0 : (int) o;
        }
        if (ts >= 0) {
            prefix(b, s, ts);
        } else {
            cpu = 0;
            pid = 0;
        }
        if (ev.kind != KmemEvent.Kind.ALLOC) {
            era.sawPfn(hex);
            if (cold) {
                era.sawCold();
            }
            sink.free(time, cpu, pfn, order);
            return true;
        }
        if (gfpS < 0 || gfpS == gfpE) {
            return malformed("expected gfp_flags=<flags such as GFP_KERNEL|__GFP_COMP> in mm_page_alloc, "
                    + (gfpS < 0 ? "but the line has none" : "got an empty value"));
        }
        // Failure: 4.x+ store pfn -1 and print page NULL, pfn 0; 2.6.32 prints page NULL, pfn 0.
        boolean failed = pfn == -1 || (pfn == 0 && (pageS < 0 || nullPointer(b, pageS, pageE)));
        era.sawPfn(hex);
        int sym = gfpNames.find(b, gfpS, gfpE);
        if (sym < 0) {
            sym = newSpelling(sink, b, gfpS, gfpE);
            if (sym < 0) {
                return false;
            }
        }
        sink.alloc(time, cpu, failed ? -1 : pfn, order, sym, pid, EventSink.NO_SYMBOL);
        return true;
    }

    /** Numbers and defines a gfp spelling not seen before; -1 (after {@link #malformed}) if it is bad. */
    private int newSpelling(EventSink sink, byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '|')) {
                malformed("expected gfp_flags=<names joined by '|'>, got 'gfp_flags=" + ByteNames.text(b, from, to) + "'");
                return -1;
            }
        }
        String spelling = ByteNames.text(b, from, to);
        String eraName;
        try {
            eraName = era.eraFor(spelling);
        } catch (IllegalArgumentException x) {
            malformed("expected gfp_flags in the spelling of kernel " + era.era() + ": " + x.getMessage());
            return -1;
        }
        int sym = gfpNames.add(b, from, to);
        sink.symbol(sym, eraName + ":" + spelling);
        return sym;
    }

    /** {@code cpu} and {@code pid} from the prefix {@code b[s, ts)} of a prefixed line. */
    private void prefix(byte[] b, int s, int ts) {
        cpu = 0;
        pid = 0;
        int ownerEnd = ts;
        for (int i = ts - 1; i >= s; i--) {
            if (b[i] == ']') {
                int lb = i - 1;
                while (lb >= s && b[lb] != '[') {
                    lb--;
                }
                if (lb >= s) {
                    long c = decimal(b, skipBlanks(b, lb + 1, i), i);
                    if (!badNumber && c <= Integer.MAX_VALUE) {
                        cpu = (int) c;
                        ownerEnd = lb;
                    }
                }
                break;
            }
        }
        int oe = ownerEnd;
        while (oe > s && blank(b[oe - 1])) {
            oe--;
        }
        if (oe > s && b[oe - 1] == ')') { // ftrace's record-tgid column "(  1234)"
            int i = oe - 1;
            while (i > s && b[i] != '(') {
                i--;
            }
            oe = i;
            while (oe > s && blank(b[oe - 1])) {
                oe--;
            }
        }
        int ds = oe;
        while (ds > s && isDigit(b[ds - 1])) {
            ds--;
        }
        int de = oe;
        if (ds > s && b[ds - 1] == '/') { // perf "pid/tid": the owner is the pid
            int pe = ds - 1;
            int ps = pe;
            while (ps > s && isDigit(b[ps - 1])) {
                ps--;
            }
            if (ps < pe) {
                ds = ps;
                de = pe;
            }
        }
        if (ds == de || de - ds > 9 || (ds > s && b[ds - 1] != '-' && !blank(b[ds - 1]))) {
            return;
        }
        pid = (int) decimal(b, ds, de);
    }

    /** A timestamp in ns: {@code secs.frac} (frac of 1–9 digits, more are cut) or an integer read as ns; -1 if too large. */
    private static long timestamp(byte[] b, int from, int to) {
        long secs = 0;
        int i = from;
        while (i < to && b[i] != '.') {
            if (i - from >= 18) {
                return -1;
            }
            secs = secs * 10 + (b[i++] - '0');
        }
        if (i == to) {
            return secs;
        }
        if (secs > 9_000_000_000L) {
            return -1;
        }
        i++;
        long frac = 0;
        int digits = 0;
        for (; i < to && digits < 9; i++, digits++) {
            frac = frac * 10 + (b[i] - '0');
        }
        for (; digits < 9; digits++) {
            frac *= 10;
        }
        return secs * 1_000_000_000L + frac;
    }

    /** Unsigned decimal; sets {@link #badNumber}. 2^64-1 (an unsigned -1) gives -1. */
    private long decimal(byte[] b, int from, int to) {
        badNumber = from >= to;
        if (to - from == ALL_ONES_DEC.length && Arrays.equals(b, from, to, ALL_ONES_DEC, 0, ALL_ONES_DEC.length)) {
            return -1;
        }
        if (to - from > 18) {
            badNumber = true;
            return 0;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                badNumber = true;
                return 0;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Hex digits (after {@code 0x}), at most 16; sets {@link #badNumber}. */
    private long hex(byte[] b, int from, int to) {
        badNumber = from >= to || to - from > 16;
        long v = 0;
        for (int i = from; i < to && !badNumber; i++) {
            int c = b[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                badNumber = true;
                return 0;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** {@code %p} of NULL: empty (the {@code (null)} then follows as its own token), (null), (nil), 0, 0x0, 000...0. */
    private static boolean nullPointer(byte[] b, int from, int to) {
        if (from == to || b[from] == '(') {
            return true;
        }
        int i = from;
        if (to - from > 2 && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            i += 2;
        }
        for (; i < to; i++) {
            if (b[i] != '0') {
                return false;
            }
        }
        return true;
    }

    /** A bare event name: a letter, then letters, digits, '_' or ':' (a {@code kmem:} prefix). */
    private static boolean isBareName(byte[] b, int from, int to) {
        byte c0 = b[from];
        if (!(c0 >= 'a' && c0 <= 'z' || c0 >= 'A' && c0 <= 'Z')) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            byte c = b[i];
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_' || c == ':')) {
                return false;
            }
        }
        return true;
    }

    private void countUnknown(byte[] b, int from, int to) {
        int id = unknownNames.find(b, from, to);
        if (id < 0) {
            id = unknownNames.add(b, from, to);
            if (id >= unknownCounts.length) {
                unknownCounts = Arrays.copyOf(unknownCounts, unknownCounts.length * 2);
            }
        }
        unknownCounts[id]++;
    }

    /** A malformed line of a known event: the error, or under lenient a count; returns false. */
    private boolean malformed(String message) {
        if (!lenient) {
            throw new WorkloadFormatException(name, lineNo, message);
        }
        if (stats.malformed++ == 0) {
            stats.firstMalformed = name + ":" + lineNo + ": " + message;
        }
        return false;
    }

    private static boolean is(byte[] b, int from, byte[] key) {
        return Arrays.equals(b, from, from + key.length, key, 0, key.length);
    }

    private static int skipBlanks(byte[] b, int from, int to) {
        while (from < to && blank(b[from])) {
            from++;
        }
        return from;
    }

    private static boolean blank(byte c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long position() {
        return in.position();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SourceStats stats() {
        for (KmemEvent ev : KmemEvent.values()) {
            long n = eventCounts[ev.ordinal()];
            if (n > 0) {
                stats.events.put(ev.traceName, n);
            }
        }
        unknownNames.forEach(unknownCounts, stats.unknown::put);
        stats.era = era.era();
        return stats;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // Closing a read-only input: nothing was lost.
        }
    }
}
