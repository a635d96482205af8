package dev.pagealloc.workloads.pgw;

/**
 * The layout of a {@code .pgw} file: the compact binary form of an {@link
 * dev.pagealloc.workloads.event.EventSink event stream}. This class is the one place the format is
 * described; {@link PgwWriter} and {@link PgwReader} follow it.
 *
 * <h2>Encodings</h2>
 * <ul>
 *   <li><b>uv</b>: unsigned LEB128 varint, 7 bits per byte, low group first, high bit = "more";
 *       at most 10 bytes for 64 bits. <b>uv32</b>: the same, holding at most 32 bits.
 *   <li><b>zz</b> / <b>zz32</b>: a signed value zigzag-mapped ({@code (n << 1) ^ (n >> 63)}, so
 *       0, -1, 1, -2 become 0, 1, 2, 3), then uv / uv32.
 *   <li><b>sym</b>: a symbol number plus one as uv32, so {@code NO_SYMBOL} (-1) is the byte 0.
 *   <li><b>str</b>: uv byte length (at most {@link #MAX_STRING_BYTES}), then that many bytes of UTF-8.
 *   <li><b>dt</b>: the time step, uv, in the current time unit: the decoder's clock becomes
 *       {@code time + dt * unit} nanoseconds. Trace timestamps are microseconds, so the unit
 *       starts at {@link #INITIAL_UNIT_NS} and a typical step is one byte.
 * </ul>
 *
 * <h2>File</h2>
 * <pre>
 * offset  size  field
 *   0      4    magic 'P' 'G' 'W' '1'
 *   4      1    version ({@link #VERSION})
 *   5      uv   initial time unit in ns (>= 1)
 *          str  source name (the input file or job)
 *          str  era the source was read as ("6.1", "2.6.32"), "" when not known
 *          uv   number of provenance strings (at most {@link #MAX_PROVENANCE}), then each as str
 *               (free form: the input's size and checksum, the converter's version)
 *          ...  records, each starting with a one-byte tag
 *          END  the last record; nothing may follow it
 * </pre>
 *
 * <h2>Decoder state</h2>
 * The clock ({@code time}, starts 0), the time {@code unit} (from the header), the current
 * {@code cpu} (starts 0) and, per <i>lane</i> {@code cpu & (LANES - 1)}, the last allocated id, the
 * last freed id and the last alloc's gfp symbol, pid and site symbol (start 0, 0, -1, 0, -1).
 * Lanes exist because the kernel hands pages out from per-CPU lists: the next pfn allocated (or
 * freed) on a CPU is usually near the last one on that CPU, and a task keeps its CPU for a while.
 * A failed allocation (id -1) does not update the lane's last allocated id.
 *
 * <h2>Event records: alloc and free (tags 0x40-0xFF)</h2>
 * <pre>
 * tag bits  7 6 | 5 | 4 3 2 1 0
 *           kind| C | order (0-30; 31 = escape: zz32 order follows)
 *   kind 01  mm_page_alloc, same gfp/pid/site as the lane's last alloc
 *   kind 10  mm_page_alloc, a change byte follows the tag:
 *            bit 0 gfp changed, bit 1 pid changed, bit 2 site changed (other bits 0)
 *   kind 11  mm_page_free
 *   C = 1    the cpu differs from the current cpu: a zz32 cpu follows
 *
 * record = tag [change byte] dt [cpu: zz32] [order: zz32] idDelta: zz
 *          alloc only, as the change byte says: [gfp: sym] [pid: zz32] [site: sym]
 * </pre>
 * {@code idDelta} is the id minus the lane's last allocated id (alloc) or last freed id (free),
 * in wrapping 64-bit arithmetic. A typical order-0 event on the same CPU as the one before is 3 to
 * 5 bytes: tag, one byte of dt, one to three bytes of id.
 *
 * <h2>Other records (tags 0x01-0x3F)</h2>
 * <pre>
 * tag   record           fields after the tag
 * 0x01  SYMBOL           sym (the number being defined), str (its text)
 * 0x02  PROCESS_START    dt, pid: zz32, comm: sym, oomAdj: zz32
 * 0x03  PROCESS_EXIT     dt, pid: zz32
 * 0x04  ANON_FAULT       dt, cpu: zz32, pid: zz32, pages: zz
 * 0x05  FILE_READ        dt, cpu: zz32, pages: zz        (clean)
 * 0x06  FILE_WRITE       dt, cpu: zz32, pages: zz        (fileRead with dirty = true)
 * 0x07  FILE_DROP        dt, pages: zz
 * 0x08  MARKER           dt, kind: zz32, name: sym
 * 0x09  TIME             time: zz, absolute ns (sets the clock; written when time goes back)
 * 0x0A  UNIT             unit: uv, ns (>= 1; written when a step is not a multiple of the unit)
 * 0x0B  BDEV_READ        dt, cpu: zz32, pages: zz        (block device page cache, clean)
 * 0x0C  BDEV_WRITE       dt, cpu: zz32, pages: zz        (bdevRead with dirty = true)
 * 0x3F  END              events: uv (event records, symbols and TIME/UNIT not counted),
 *                        crc: 4 bytes little-endian, CRC-32 (java.util.zip.CRC32) of every byte
 *                        of the file before the crc field (header, records, END tag and count)
 * </pre>
 * Tag 0x00 and the tags not listed are invalid (so a run of zero bytes is caught at once). The
 * non-alloc/free events carry their own cpu and do not change the current cpu.
 *
 * <p>Format errors are reported as {@code file: byte offset N: expected ...}; the CRC and event
 * count are checked when the END record is read, so a streaming consumer has seen the events of a
 * corrupt file before it hears about the corruption.
 */
public final class PgwFormat {
    private PgwFormat() {}

    /** The first four bytes of every {@code .pgw} file. */
    public static final byte[] MAGIC = {'P', 'G', 'W', '1'};
    /** The version byte after the magic. */
    public static final int VERSION = 1;
    /** The time unit a writer starts with: microseconds, the resolution of ftrace and perf timestamps. */
    public static final long INITIAL_UNIT_NS = 1000;
    /** Longest string (symbol text, header field), in UTF-8 bytes. */
    public static final int MAX_STRING_BYTES = 64 * 1024;
    /** Most provenance strings in a header. */
    public static final int MAX_PROVENANCE = 1024;
    /** Number of per-CPU predictor lanes (a power of two). */
    public static final int LANES = 64;

    public static final int TAG_SYMBOL = 0x01;
    public static final int TAG_PROCESS_START = 0x02;
    public static final int TAG_PROCESS_EXIT = 0x03;
    public static final int TAG_ANON_FAULT = 0x04;
    public static final int TAG_FILE_READ = 0x05;
    public static final int TAG_FILE_WRITE = 0x06;
    public static final int TAG_FILE_DROP = 0x07;
    public static final int TAG_MARKER = 0x08;
    public static final int TAG_TIME = 0x09;
    public static final int TAG_UNIT = 0x0A;
    /** Added after version 1 was first written; a version-1 reader without it rejects the tag as invalid. */
    public static final int TAG_BDEV_READ = 0x0B;
    public static final int TAG_BDEV_WRITE = 0x0C;
    public static final int TAG_END = 0x3F;

    /** Alloc with the lane's last gfp/pid/site: {@code 01 C ooooo}. */
    public static final int KIND_ALLOC_SAME = 0x40;
    /** Alloc followed by a change byte: {@code 10 C ooooo}. */
    public static final int KIND_ALLOC_CHANGED = 0x80;
    /** Free: {@code 11 C ooooo}. */
    public static final int KIND_FREE = 0xC0;
    /** The C bit of an alloc/free tag: a zz32 cpu follows. */
    public static final int CPU_CHANGED = 0x20;
    /** The order field of an alloc/free tag. */
    public static final int ORDER_MASK = 0x1F;
    /** Order field value meaning "a zz32 order follows". */
    public static final int ORDER_ESCAPE = 0x1F;

    /** Change byte bits of a {@link #KIND_ALLOC_CHANGED} record. */
    public static final int CHANGED_GFP = 1;
    public static final int CHANGED_PID = 2;
    public static final int CHANGED_SITE = 4;

    /**
     * Room a writer makes, and a reader ensures, for one record other than SYMBOL: the largest is
     * an alloc (tag, change byte, dt 10, cpu 5, order 5, id 10, gfp 5, pid 5, site 5 = 47 bytes)
     * after the TIME or UNIT record (11 bytes) its writer may put first.
     */
    static final int MAX_RECORD_BYTES = 64;

    /** Event kind indexes, for counting, and their names in {@link dev.pagealloc.workloads.event.SourceStats}. */
    static final int EV_ALLOC = 0;
    static final int EV_FREE = 1;
    static final int EV_PROCESS_START = 2;
    static final int EV_PROCESS_EXIT = 3;
    static final int EV_ANON_FAULT = 4;
    static final int EV_FILE_READ = 5;
    static final int EV_FILE_DROP = 6;
    static final int EV_MARKER = 7;
    static final int EV_BDEV_READ = 8;
    static final String[] EVENT_NAMES = {
        "mm_page_alloc", "mm_page_free", "process_start", "process_exit", "anon_fault", "file_read", "file_drop",
        "marker", "bdev_read"
    };
}
