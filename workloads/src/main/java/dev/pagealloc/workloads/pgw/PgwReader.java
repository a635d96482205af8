package dev.pagealloc.workloads.pgw;

import static dev.pagealloc.workloads.pgw.PgwFormat.*;

import dev.pagealloc.workloads.event.EventSink;
import dev.pagealloc.workloads.event.EventSource;
import dev.pagealloc.workloads.event.SourceStats;
import dev.pagealloc.workloads.event.WorkloadFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Reads a {@code .pgw} file (layout: {@link PgwFormat}) as an {@link EventSource}. Streaming: the
 * input goes through one 1 MiB buffer, so memory does not grow with the file. Decoding is a loop
 * over that byte array with hand-written varint reads; the only objects made per record are the
 * strings of symbol definitions.
 *
 * <p>Anything that is not a well-formed file (bad magic or version, an unknown tag, a truncated
 * record, a missing END record, a wrong event count or CRC, bytes after the END record) is a
 * {@link WorkloadFormatException} {@code file: byte offset N: expected ...}, never another
 * exception. The CRC is only known at the END record: the events before it have been delivered by
 * then.
 */
public final class PgwReader implements EventSource {
    private static final int BUFFER_BYTES = 1024 * 1024;

    private final InputStream in; // null: the whole file is in buf
    private final String name;
    private final long size;
    private final byte[] buf;
    private int pos;
    private int limit;
    /** File offset of buf[0]. */
    private long base;
    private boolean eof;
    private boolean done;
    private final CRC32 crc = new CRC32();
    /** Start of the consumed bytes of buf not yet through the CRC. */
    private int crcFrom;

    private final int version;
    private final String sourceName;
    private final String era;
    private final List<String> provenance;

    // Decoder state (PgwFormat, "Decoder state").
    private long time;
    private long unit;
    private int cpu;
    private int lane;
    private final long[] laneAllocId = new long[LANES];
    private final long[] laneFreeId = new long[LANES];
    private final int[] laneGfp = new int[LANES];
    private final int[] lanePid = new int[LANES];
    private final int[] laneSite = new int[LANES];
    private final long[] counts = new long[EVENT_NAMES.length];

    /**
     * A reader of {@code in}, which it closes on {@link #close()}; reads the header.
     *
     * @param name the file name for messages
     * @param size the input's size in bytes for {@link #size()}, or -1
     * @throws WorkloadFormatException when the header is malformed
     */
    public PgwReader(InputStream in, String name, long size) {
        this(in, new byte[BUFFER_BYTES], 0, name, size);
    }

    private PgwReader(InputStream in, byte[] buf, int filled, String name, long size) {
        this.in = in;
        this.buf = buf;
        this.limit = filled;
        this.eof = in == null;
        this.name = name;
        this.size = size;
        Arrays.fill(laneGfp, EventSink.NO_SYMBOL);
        Arrays.fill(laneSite, EventSink.NO_SYMBOL);
        ensure(MAX_RECORD_BYTES);
        for (int i = 0; i < MAGIC.length; i++) {
            if (pos >= limit || buf[pos] != MAGIC[i]) {
                throw fail(0, "expected the magic 'PGW1' of a .pgw file");
            }
            pos++;
        }
        if (pos >= limit) {
            throw fail(base + pos, "expected the version byte, the file ends");
        }
        version = buf[pos++] & 0xFF;
        if (version != VERSION) {
            throw fail(base + pos - 1, "expected version " + VERSION + ", found " + version);
        }
        long start = base + pos;
        unit = uv("the time unit");
        if (unit < 1) {
            throw fail(start, "expected a time unit of at least 1 ns, found " + unit);
        }
        sourceName = str("the source name");
        era = str("the era");
        start = base + pos;
        long n = uv("the number of provenance strings");
        if (n < 0 || n > MAX_PROVENANCE) {
            throw fail(start, "expected at most " + MAX_PROVENANCE + " provenance strings, found " + n);
        }
        List<String> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.add(str("a provenance string"));
        }
        provenance = List.copyOf(p);
    }

    /** A reader of {@code file}. */
    public static PgwReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            return new PgwReader(in, file.toString(), Files.size(file));
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** A reader of a whole file held in memory (decoded in place, not copied). */
    public static PgwReader of(byte[] data, String name) {
        return new PgwReader(null, data, data.length, name, data.length);
    }

    /** Whether {@code file} starts with the {@code .pgw} magic. */
    public static boolean isPgw(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC.length);
            return Arrays.equals(head, MAGIC);
        }
    }

    /** The format version of the file. */
    public int version() {
        return version;
    }

    /** The source the file was made from, as its header says. */
    public String sourceName() {
        return sourceName;
    }

    /** The era the source was read as ({@code "6.1"}), or "" when not recorded. */
    public String era() {
        return era;
    }

    /** The header's provenance strings. */
    public List<String> provenance() {
        return provenance;
    }

    // ---- EventSource ----

    @Override
    public boolean advance(EventSink sink) {
        for (;;) {
            if (done) {
                return false;
            }
            if (limit - pos < MAX_RECORD_BYTES && !eof) {
                refill();
            }
            int p = pos;
            if (p >= limit) {
                throw fail(base + p, "expected a record (the END record is missing), the file ends");
            }
            int tag = buf[p] & 0xFF;
            pos = p + 1;
            if (tag >= KIND_FREE) {
                free(tag, sink);
                return true;
            }
            if (tag >= KIND_ALLOC_SAME) {
                alloc(tag, sink);
                return true;
            }
            switch (tag) {
                case TAG_SYMBOL -> symbol(sink);
                case TAG_PROCESS_START -> {
                    step();
                    int pid = zz32("the pid of process_start");
                    int comm = sym("the comm symbol of process_start");
                    int oomAdj = zz32("the oom_adj of process_start");
                    counts[EV_PROCESS_START]++;
                    sink.processStart(time, pid, comm, oomAdj);
                    return true;
                }
                case TAG_PROCESS_EXIT -> {
                    step();
                    int pid = zz32("the pid of process_exit");
                    counts[EV_PROCESS_EXIT]++;
                    sink.processExit(time, pid);
                    return true;
                }
                case TAG_ANON_FAULT -> {
                    step();
                    int c = zz32("the cpu of anon_fault");
                    int pid = zz32("the pid of anon_fault");
                    long pages = zz("the pages of anon_fault");
                    counts[EV_ANON_FAULT]++;
                    sink.anonFault(time, c, pid, pages);
                    return true;
                }
                case TAG_FILE_READ, TAG_FILE_WRITE -> {
                    step();
                    int c = zz32("the cpu of file_read");
                    long pages = zz("the pages of file_read");
                    counts[EV_FILE_READ]++;
                    sink.fileRead(time, c, pages, tag == TAG_FILE_WRITE);
                    return true;
                }
                case TAG_BDEV_READ, TAG_BDEV_WRITE -> {
                    step();
                    int c = zz32("the cpu of bdev_read");
                    long pages = zz("the pages of bdev_read");
                    counts[EV_BDEV_READ]++;
                    sink.bdevRead(time, c, pages, tag == TAG_BDEV_WRITE);
                    return true;
                }
                case TAG_FILE_DROP -> {
                    step();
                    long pages = zz("the pages of file_drop");
                    counts[EV_FILE_DROP]++;
                    sink.fileDrop(time, pages);
                    return true;
                }
                case TAG_MARKER -> {
                    step();
                    int kind = zz32("the kind of marker");
                    int nameSym = sym("the name symbol of marker");
                    counts[EV_MARKER]++;
                    sink.marker(time, kind, nameSym);
                    return true;
                }
                case TAG_TIME -> time = zz("the time of a TIME record");
                case TAG_UNIT -> {
                    long start = base + pos;
                    long u = uv("the unit of a UNIT record");
                    if (u < 1) {
                        throw fail(start, "expected a time unit of at least 1 ns, found " + u);
                    }
                    unit = u;
                }
                case TAG_END -> {
                    end();
                    return false;
                }
                default -> throw fail(base + p, String.format(Locale.ROOT,
                        "expected a record tag (0x01-0x0a, 0x3f or 0x40-0xff), found 0x%02x", tag));
            }
        }
    }

    private void alloc(int tag, EventSink sink) {
        int changes = 0;
        if (tag >= KIND_ALLOC_CHANGED) {
            if (pos >= limit) {
                throw fail(base + pos, "expected the change byte of mm_page_alloc, the file ends");
            }
            changes = buf[pos++] & 0xFF;
            if (changes == 0 || (changes & ~(CHANGED_GFP | CHANGED_PID | CHANGED_SITE)) != 0) {
                throw fail(base + pos - 1, String.format(Locale.ROOT,
                        "expected a change byte of mm_page_alloc (0x01-0x07), found 0x%02x", changes));
            }
        }
        time += uv("the time step of mm_page_alloc") * unit;
        if ((tag & CPU_CHANGED) != 0) {
            cpu = zz32("the cpu of mm_page_alloc");
            lane = cpu & (LANES - 1);
        }
        int order = tag & ORDER_MASK;
        if (order == ORDER_ESCAPE) {
            order = zz32("the order of mm_page_alloc");
        }
        int l = lane;
        long id = laneAllocId[l] + zz("the id delta of mm_page_alloc");
        if (id != -1) {
            laneAllocId[l] = id;
        }
        if (changes != 0) {
            if ((changes & CHANGED_GFP) != 0) {
                laneGfp[l] = sym("the gfp symbol of mm_page_alloc");
            }
            if ((changes & CHANGED_PID) != 0) {
                lanePid[l] = zz32("the pid of mm_page_alloc");
            }
            if ((changes & CHANGED_SITE) != 0) {
                laneSite[l] = sym("the site symbol of mm_page_alloc");
            }
        }
        counts[EV_ALLOC]++;
        sink.alloc(time, cpu, id, order, laneGfp[l], lanePid[l], laneSite[l]);
    }

    private void free(int tag, EventSink sink) {
        time += uv("the time step of mm_page_free") * unit;
        if ((tag & CPU_CHANGED) != 0) {
            cpu = zz32("the cpu of mm_page_free");
            lane = cpu & (LANES - 1);
        }
        int order = tag & ORDER_MASK;
        if (order == ORDER_ESCAPE) {
            order = zz32("the order of mm_page_free");
        }
        int l = lane;
        long id = laneFreeId[l] + zz("the id delta of mm_page_free");
        laneFreeId[l] = id;
        counts[EV_FREE]++;
        sink.free(time, cpu, id, order);
    }

    private void symbol(EventSink sink) {
        int sym = sym("the number of a SYMBOL record");
        String text = str("the text of a SYMBOL record");
        sink.symbol(sym, text);
    }

    /** The END record: event count, then the CRC of everything before it; then the end of the file. */
    private void end() {
        long countAt = base + pos;
        long count = uv("the event count of the END record");
        crc.update(buf, crcFrom, pos - crcFrom);
        crcFrom = pos;
        long crcAt = base + pos;
        ensure(4);
        if (limit - pos < 4) {
            throw fail(base + pos, "expected the 4-byte CRC-32 of the END record, the file ends");
        }
        int stored = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16
                | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        int computed = (int) crc.getValue();
        if (stored != computed) {
            throw fail(crcAt, String.format(Locale.ROOT,
                    "expected CRC-32 0x%08x (of the bytes before it), found 0x%08x: the file is corrupt", computed, stored));
        }
        long events = 0;
        for (long c : counts) {
            events += c;
        }
        if (count != events) {
            throw fail(countAt, "expected an event count of " + events + " (the events read), the END record says " + count);
        }
        ensure(1);
        if (pos < limit) {
            throw fail(base + pos, "expected the end of the file after the END record, found more bytes");
        }
        done = true;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long position() {
        return base + pos;
    }

    @Override
    public long size() {
        return size;
    }

    /** Events read so far by kind ({@code mm_page_alloc}, {@code mm_page_free}, {@code process_start}, ...). */
    @Override
    public SourceStats stats() {
        SourceStats s = new SourceStats();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                s.events.put(EVENT_NAMES[i], counts[i]);
            }
        }
        s.era = era.isEmpty() ? null : era;
        return s;
    }

    @Override
    public void close() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---- decoding ----

    /** Moves the unread bytes to the front of the buffer and fills the rest from the stream. */
    private void refill() {
        if (in == null) {
            eof = true;
            return;
        }
        crc.update(buf, crcFrom, pos - crcFrom);
        int rest = limit - pos;
        System.arraycopy(buf, pos, buf, 0, rest);
        base += pos;
        limit = rest;
        pos = 0;
        crcFrom = 0;
        try {
            while (limit < buf.length) {
                int n = in.read(buf, limit, buf.length - limit);
                if (n < 0) {
                    eof = true;
                    break;
                }
                limit += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code n} bytes readable unless the file ends first (the reads then say so). */
    private void ensure(int n) {
        if (limit - pos < n && !eof) {
            refill();
        }
    }

    /** A time step: advances the clock. */
    private void step() {
        time += uv("the time step") * unit;
    }

    /** An unsigned varint: one byte inline, longer ones (and errors) out of line. */
    private long uv(String what) {
        int p = pos;
        if (p < limit) {
            byte b = buf[p];
            if (b >= 0) {
                pos = p + 1;
                return b;
            }
        }
        return uvLong(what);
    }

    private long uvLong(String what) {
        int p = pos;
        long r = 0;
        for (int shift = 0; ; shift += 7) {
            if (p >= limit) {
                if (!eof) {
                    refill(); // only in the header, whose strings may fill the buffer
                    return uvLong(what);
                }
                throw fail(base + p, "expected " + what + " (a varint), the file ends");
            }
            byte b = buf[p++];
            if (shift == 63 && (b & 0xFE) != 0) {
                throw fail(base + p - 1, "expected " + what + " (a varint of at most 64 bits), found a longer one");
            }
            r |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                pos = p;
                return r;
            }
        }
    }

    private int uv32(String what) {
        long start = base + pos;
        long v = uv(what);
        if (v >>> 32 != 0) {
            throw fail(start, "expected " + what + " (a varint of at most 32 bits), found " + Long.toUnsignedString(v));
        }
        return (int) v;
    }

    private int zz32(String what) {
        int u = uv32(what);
        return (u >>> 1) ^ -(u & 1);
    }

    private long zz(String what) {
        long u = uv(what);
        return (u >>> 1) ^ -(u & 1);
    }

    private int sym(String what) {
        return uv32(what) - 1;
    }

    private String str(String what) {
        long start = base + pos;
        long len = uv(what);
        if (len < 0 || len > MAX_STRING_BYTES) {
            throw fail(start, "expected " + what + " of at most " + MAX_STRING_BYTES + " bytes, found a length of "
                    + Long.toUnsignedString(len));
        }
        int n = (int) len;
        ensure(n);
        if (limit - pos < n) {
            throw fail(base + limit, "expected " + n + " bytes of " + what + ", the file ends");
        }
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private WorkloadFormatException fail(long offset, String expected) {
        return new WorkloadFormatException(name, 0, "byte offset " + offset + ": " + expected);
    }
}
