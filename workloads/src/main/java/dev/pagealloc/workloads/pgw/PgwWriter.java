package dev.pagealloc.workloads.pgw;

import static dev.pagealloc.workloads.pgw.PgwFormat.*;

import dev.pagealloc.workloads.event.EventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * Writes an event stream as a {@code .pgw} file (layout: {@link PgwFormat}). Events are encoded
 * into a 256 KiB buffer, which goes to the output stream (and through the CRC) when full. {@link
 * #close()} writes the END record and closes the stream; a writer that is not closed leaves a file
 * that {@link PgwReader} rejects, which is the point (see {@link Pgw#convert} for writing a file
 * atomically).
 *
 * <p>The header is written with the first record, so that the era can come from a trace reader
 * that only learns it from its first lines. I/O errors are thrown as {@link UncheckedIOException}
 * (the {@link EventSink} methods cannot throw checked exceptions).
 */
public final class PgwWriter implements EventSink, AutoCloseable {
    private static final int BUFFER_BYTES = 256 * 1024;

    private final OutputStream out;
    private final String sourceName;
    private final Supplier<String> era;
    private final List<String> provenance;
    private final byte[] buf = new byte[BUFFER_BYTES];
    private final CRC32 crc = new CRC32();
    private int pos;
    private long flushed;
    private boolean headerWritten;
    private boolean closed;

    // Encoder state, mirrored by PgwReader's decoder state (PgwFormat, "Decoder state").
    private long time;
    private long unit = INITIAL_UNIT_NS;
    private int cpu;
    private int lane;
    private final long[] laneAllocId = new long[LANES];
    private final long[] laneFreeId = new long[LANES];
    private final int[] laneGfp = new int[LANES];
    private final int[] lanePid = new int[LANES];
    private final int[] laneSite = new int[LANES];
    private long events;

    /**
     * A writer onto {@code out}, which it closes on {@link #close()}.
     *
     * @param sourceName what the events were read from (a file or job name), for the header
     * @param era the era the source was read as, or a supplier of null/"" when not known; asked once,
     *     when the header is written (at the first record)
     * @param provenance free-form strings for the header (for example the input's checksum)
     */
    public PgwWriter(OutputStream out, String sourceName, Supplier<String> era, List<String> provenance) {
        this.out = out;
        this.sourceName = sourceName == null ? "" : sourceName;
        this.era = era == null ? () -> "" : era;
        this.provenance = List.copyOf(provenance);
        if (this.provenance.size() > MAX_PROVENANCE) {
            throw new IllegalArgumentException("at most " + MAX_PROVENANCE + " provenance strings, got " + provenance.size());
        }
        java.util.Arrays.fill(laneGfp, NO_SYMBOL);
        java.util.Arrays.fill(laneSite, NO_SYMBOL);
    }

    /** A writer creating (or replacing) {@code file}. */
    public static PgwWriter create(Path file, String sourceName, String era, List<String> provenance) throws IOException {
        return new PgwWriter(Files.newOutputStream(file), sourceName, () -> era, provenance);
    }

    /** Events written so far (symbol definitions not counted). */
    public long events() {
        return events;
    }

    /** Bytes produced so far, including those still in the buffer. */
    public long bytes() {
        return flushed + pos;
    }

    // ---- EventSink ----

    @Override
    public void symbol(int sym, String text) {
        byte[] utf8 = utf8(text);
        begin(utf8.length + 16);
        buf[pos++] = TAG_SYMBOL;
        putSym(sym);
        putString(utf8);
    }

    @Override
    public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
        begin(MAX_RECORD_BYTES);
        long dt = step(timeNs);
        boolean cpuChanged = cpu != this.cpu;
        int l = cpuChanged ? cpu & (LANES - 1) : lane;
        int changes = (gfpSym != laneGfp[l] ? CHANGED_GFP : 0) | (pid != lanePid[l] ? CHANGED_PID : 0)
                | (siteSym != laneSite[l] ? CHANGED_SITE : 0);
        int orderField = order >= 0 && order < ORDER_ESCAPE ? order : ORDER_ESCAPE;
        int tag = (changes != 0 ? KIND_ALLOC_CHANGED : KIND_ALLOC_SAME) | (cpuChanged ? CPU_CHANGED : 0) | orderField;
        buf[pos++] = (byte) tag;
        if (changes != 0) {
            buf[pos++] = (byte) changes;
        }
        putCommon(dt, cpuChanged, cpu, l, orderField, order);
        putZigzag(id - laneAllocId[l]);
        if (id != -1) {
            laneAllocId[l] = id; // a failure says nothing about where the next page comes from
        }
        if ((changes & CHANGED_GFP) != 0) {
            putSym(gfpSym);
            laneGfp[l] = gfpSym;
        }
        if ((changes & CHANGED_PID) != 0) {
            putZigzag32(pid);
            lanePid[l] = pid;
        }
        if ((changes & CHANGED_SITE) != 0) {
            putSym(siteSym);
            laneSite[l] = siteSym;
        }
        events++;
        return true;
    }

    @Override
    public void free(long timeNs, int cpu, long id, int order) {
        begin(MAX_RECORD_BYTES);
        long dt = step(timeNs);
        boolean cpuChanged = cpu != this.cpu;
        int l = cpuChanged ? cpu & (LANES - 1) : lane;
        int orderField = order >= 0 && order < ORDER_ESCAPE ? order : ORDER_ESCAPE;
        buf[pos++] = (byte) (KIND_FREE | (cpuChanged ? CPU_CHANGED : 0) | orderField);
        putCommon(dt, cpuChanged, cpu, l, orderField, order);
        putZigzag(id - laneFreeId[l]);
        laneFreeId[l] = id;
        events++;
    }

    /** The fields after an alloc/free tag (and change byte): dt, the cpu when it changed, an escaped order. */
    private void putCommon(long dt, boolean cpuChanged, int cpu, int l, int orderField, int order) {
        putVarint(dt);
        if (cpuChanged) {
            putZigzag32(cpu);
            this.cpu = cpu;
            lane = l;
        }
        if (orderField == ORDER_ESCAPE) {
            putZigzag32(order);
        }
    }

    @Override
    public void processStart(long timeNs, int pid, int commSym, int oomAdj) {
        begin(MAX_RECORD_BYTES);
        long dt = step(timeNs); // before the tag: it may write a TIME or UNIT record
        buf[pos++] = TAG_PROCESS_START;
        putVarint(dt);
        putZigzag32(pid);
        putSym(commSym);
        putZigzag32(oomAdj);
        events++;
    }

    @Override
    public void processExit(long timeNs, int pid) {
        begin(MAX_RECORD_BYTES);
        long dt = step(timeNs); // before the tag: it may write a TIME or UNIT record
        buf[pos++] = TAG_PROCESS_EXIT;
        putVarint(dt);
        putZigzag32(pid);
        events++;
    }

    @Override
    public void anonFault(long timeNs, int cpu, int pid, long pages) {
        begin(MAX_RECORD_BYTES);
        long dt = step(timeNs); // before the tag: it may write a TIME or UNIT record
        buf[pos++] = TAG_ANON_FAULT;
        putVarint(dt);
        putZigzag32(cpu);
        putZigzag32(pid);
        putZigzag(pages);
        events++;
    }

    @Override
    public void fileRead(long timeNs, int cpu, long pages, boolean dirty) {
        begin(MAX_RECORD_BYTES);
        long dt = step(timeNs); // before the tag: it may write a TIME or UNIT record
        buf[pos++] = (byte) (dirty ? TAG_FILE_WRITE : TAG_FILE_READ);
        putVarint(dt);
        putZigzag32(cpu);
        putZigzag(pages);
        events++;
    }

    @Override
    public void bdevRead(long timeNs, int cpu, long pages, boolean dirty) {
        begin(MAX_RECORD_BYTES);
        long dt = step(timeNs); // before the tag: it may write a TIME or UNIT record
        buf[pos++] = (byte) (dirty ? TAG_BDEV_WRITE : TAG_BDEV_READ);
        putVarint(dt);
        putZigzag32(cpu);
        putZigzag(pages);
        events++;
    }

    @Override
    public void fileDrop(long timeNs, long pages) {
        begin(MAX_RECORD_BYTES);
        long dt = step(timeNs); // before the tag: it may write a TIME or UNIT record
        buf[pos++] = TAG_FILE_DROP;
        putVarint(dt);
        putZigzag(pages);
        events++;
    }

    @Override
    public void marker(long timeNs, int kind, int nameSym) {
        begin(MAX_RECORD_BYTES);
        long dt = step(timeNs); // before the tag: it may write a TIME or UNIT record
        buf[pos++] = TAG_MARKER;
        putVarint(dt);
        putZigzag32(kind);
        putSym(nameSym);
        events++;
    }

    /** Writes the END record (event count and CRC) and closes the stream. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try (out) {
            begin(MAX_RECORD_BYTES);
            closed = true;
            buf[pos++] = TAG_END;
            putVarint(events);
            crc.update(buf, 0, pos);
            int c = (int) crc.getValue();
            buf[pos++] = (byte) c;
            buf[pos++] = (byte) (c >>> 8);
            buf[pos++] = (byte) (c >>> 16);
            buf[pos++] = (byte) (c >>> 24);
            out.write(buf, 0, pos);
            flushed += pos;
            pos = 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            closed = true;
        }
    }

    // ---- encoding ----

    /**
     * Makes room for a record of up to {@code bytes} bytes before its tag goes in: writes the
     * header first if this is the first record, and flushes the buffer when it is too full.
     */
    private void begin(int bytes) {
        if (closed) {
            throw new IllegalStateException("PgwWriter is closed");
        }
        if (!headerWritten) {
            writeHeader();
        }
        if (BUFFER_BYTES - pos < bytes) {
            flushBuffer();
        }
    }

    private void writeHeader() {
        headerWritten = true;
        System.arraycopy(MAGIC, 0, buf, pos, MAGIC.length);
        pos += MAGIC.length;
        buf[pos++] = (byte) VERSION;
        putVarint(INITIAL_UNIT_NS);
        putHeaderString(sourceName);
        String e = era.get();
        putHeaderString(e == null ? "" : e);
        putVarint(provenance.size());
        for (String p : provenance) {
            putHeaderString(p);
        }
    }

    private void putHeaderString(String s) {
        byte[] utf8 = utf8(s);
        if (BUFFER_BYTES - pos < utf8.length + 16) {
            flushBuffer();
        }
        putString(utf8);
    }

    private void flushBuffer() {
        crc.update(buf, 0, pos);
        try {
            out.write(buf, 0, pos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        flushed += pos;
        pos = 0;
    }

    /**
     * The dt of an event at {@code timeNs}, in the current unit, after writing the TIME or UNIT
     * record it needs (records of their own, so they go before the event's tag).
     */
    private long step(long timeNs) {
        long d = timeNs - time;
        if (timeNs < time || d < 0) {
            // Time went back (or the step overflows a long): set the clock absolutely, then step 0.
            buf[pos++] = TAG_TIME;
            putZigzag(timeNs);
            time = timeNs;
            return 0;
        }
        if (d % unit != 0) {
            // A finer timestamp than the unit (ns rather than µs): the unit shrinks for good.
            long u = unit;
            while (d % u != 0) {
                u = u % 10 == 0 ? u / 10 : 1;
            }
            unit = u;
            buf[pos++] = TAG_UNIT;
            putVarint(u);
        }
        time = timeNs;
        return d / unit;
    }

    /** {@code s} in UTF-8, checked against the format's limit before anything is written. */
    private static byte[] utf8(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("a string of " + utf8.length
                    + " UTF-8 bytes is longer than the .pgw limit of " + MAX_STRING_BYTES);
        }
        return utf8;
    }

    private void putString(byte[] utf8) {
        putVarint(utf8.length);
        System.arraycopy(utf8, 0, buf, pos, utf8.length);
        pos += utf8.length;
    }

    private void putSym(int sym) {
        putVarint(Integer.toUnsignedLong(sym + 1));
    }

    private void putZigzag32(int v) {
        putVarint(Integer.toUnsignedLong((v << 1) ^ (v >> 31)));
    }

    private void putZigzag(long v) {
        putVarint((v << 1) ^ (v >> 63));
    }

    private void putVarint(long v) {
        byte[] b = buf;
        int p = pos;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        pos = p;
    }
}
