package dev.pagealloc.workloads.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The page allocator's tracepoints, include/trace/events/kmem.h, by the name {@code TP_printk}
 * output carries: every era's spelling (2.6.32's {@code mm_page_free_direct} and
 * {@code mm_pagevec_free} became {@code mm_page_free} and {@code mm_page_free_batched} in 3.3).
 * The names have pairwise different lengths, so a name is recognised by its length and one
 * byte-range comparison.
 */
enum KmemEvent {
    MM_PAGE_ALLOC("mm_page_alloc", Kind.ALLOC),
    MM_PAGE_FREE("mm_page_free", Kind.FREE),
    MM_PAGE_FREE_BATCHED("mm_page_free_batched", Kind.FREE_ORDER0),
    MM_PAGE_FREE_DIRECT("mm_page_free_direct", Kind.FREE),
    MM_PAGEVEC_FREE("mm_pagevec_free", Kind.FREE_ORDER0),
    /** Buddy removals inside the allocator ({@code __rmqueue}): follows from the replay itself. */
    MM_PAGE_ALLOC_ZONE_LOCKED("mm_page_alloc_zone_locked", Kind.INTERNAL),
    /** Pages leaving a per-CPU list ({@code free_pcppages_bulk}): internal. */
    MM_PAGE_PCPU_DRAIN("mm_page_pcpu_drain", Kind.INTERNAL),
    /** A migratetype fallback ({@code __rmqueue_fallback}): internal. */
    MM_PAGE_ALLOC_EXTFRAG("mm_page_alloc_extfrag", Kind.INTERNAL);

    /** What a recognised event becomes in the sink. */
    enum Kind {
        /** {@code EventSink.alloc}. */
        ALLOC,
        /** {@code EventSink.free} with the recorded order. */
        FREE,
        /** {@code EventSink.free} of order 0 (the batched and pagevec paths free single pages). */
        FREE_ORDER0,
        /** Counted, nothing emitted: the emulated allocator makes these decisions itself. */
        INTERNAL
    }

    private static final KmemEvent[] BY_LENGTH = new KmemEvent[32];

    static {
        for (KmemEvent e : values()) {
            if (BY_LENGTH[e.bytes.length] != null) {
                throw new IllegalStateException("two kmem event names of length " + e.bytes.length);
            }
            BY_LENGTH[e.bytes.length] = e;
        }
    }

    final String traceName;
    final Kind kind;
    private final byte[] bytes;

    KmemEvent(String traceName, Kind kind) {
        this.traceName = traceName;
        this.kind = kind;
        this.bytes = traceName.getBytes(StandardCharsets.US_ASCII);
    }

    /** The event named by {@code b[from, to)}, or null. */
    static KmemEvent match(byte[] b, int from, int to) {
        int len = to - from;
        if (len >= BY_LENGTH.length) {
            return null;
        }
        KmemEvent e = BY_LENGTH[len];
        return e != null && Arrays.equals(b, from, to, e.bytes, 0, len) ? e : null;
    }
}
