package dev.pagealloc.mem;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The emulated RAM: the bytes of every page frame from pfn 0 to {@link #maxPfn()} - 1.
 *
 * <h2>Memory model</h2>
 *
 * <p>An emulated machine may be far larger than the host (a 64 GiB or 1 TiB box replayed on a
 * laptop), yet most workloads touch only a small part of it: the allocator itself keeps its
 * bookkeeping in {@code MemMap}, not here, and only DMA-style payloads, {@code __GFP_ZERO} and the
 * integrity mode write frames. So the preferred backing is one anonymous private mapping of
 * {@code maxPfn * 4096} bytes made by {@link Libc#mmap} with {@code MAP_NORESERVE}: the kernel
 * reserves no swap for it and backs a host page only on first write, so the cost is proportional
 * to the frames actually touched, as on the real machine where untouched RAM costs nothing
 * either. Transparent huge pages are turned off for the range ({@code MADV_NOHUGEPAGE}) so that
 * touching one frame costs one host page, not 2 MiB. {@link #discard} hands frames back to the
 * host with {@code MADV_DONTNEED}, after which they read as zero.
 *
 * <p>If {@link Libc#isAvailable()} is false (no native access, not Linux, or the mapping is
 * refused, e.g. under {@code vm.overcommit_memory=2}), a pure-Java fallback takes over: each 4 MiB
 * chunk is allocated from the caller's {@link Arena} the first time one of its frames is touched.
 * Its cost is coarser: touching one frame commits its whole chunk (the arena zeroes what it
 * allocates), a workload that touches one frame in every 4 MiB commits the whole machine, and
 * nothing is ever returned to the host before the arena closes, so {@link #discard} can only
 * write zeros. Reads that do not need the memory ({@link #verify} of a never-touched chunk) do not
 * materialise it. Both modes give byte-identical results.
 *
 * <h2>Layout</h2>
 *
 * <pre>
 *  chunk index = pfn &gt;&gt;&gt; 10           (4 MiB = 1024 frames = one MAX_ORDER-1 block on x86_64)
 *  offset      = (pfn &amp; 1023) &lt;&lt; 12    (byte offset of the frame inside its chunk)
 *
 *  one frame, 4096 bytes:
 *   0        8                                                  4088     4096
 *  +--------+--------------------------------------------------+--------+
 *  | stamp  |                  payload                         | stamp  |
 *  +--------+--------------------------------------------------+--------+
 * </pre>
 *
 * <p>In the mmap mode the chunks are slices of the single mapping (chunk {@code i} starts at byte
 * {@code i << 22}); in the fallback they are separate arena allocations aligned to 4096. The last
 * chunk is shorter when {@code maxPfn} is not a multiple of 1024. The two stamp words are
 * little-endian {@code long}s written only by {@link #stamp} (integrity mode); otherwise every
 * byte of the frame belongs to the workload.
 *
 * <p>Thread safety: materialising a chunk on first touch is safe from any thread the arena allows;
 * concurrent writes to the same frame are the caller's business, as in the kernel.
 */
public final class PhysMem {

    /** {@code PAGE_SHIFT}: log2 of the emulated page size. */
    public static final int PAGE_SHIFT = 12;
    /** {@code PAGE_SIZE}: bytes per emulated page frame. */
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    /** log2 of frames per chunk: 1024 frames, 4 MiB. */
    static final int CHUNK_PAGES_SHIFT = 10;
    static final long CHUNK_PAGES = 1L << CHUNK_PAGES_SHIFT;
    static final long CHUNK_BYTES = CHUNK_PAGES << PAGE_SHIFT;

    /**
     * Upper bound on maxPfn: 2^36 frames (256 TiB), four times what x86_64's 46 physical address
     * bits reach. Bounds the chunk table (4 bytes per 4 MiB chunk with compressed oops: 256 MiB of
     * heap at the limit, 64 KiB for a 64 GiB machine).
     */
    static final long MAX_PFN_LIMIT = 1L << 36;

    /** Largest order accepted by the block operations (a block must still fit the machine). */
    private static final int MAX_BLOCK_ORDER = 36;

    /** The stamp word, stated once: 8 bytes, little-endian, 8-aligned. */
    private static final ValueLayout.OfLong STAMP = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long STAMP_HEAD = 0;
    private static final long STAMP_TAIL = PAGE_SIZE - Long.BYTES;

    /** The kernel's {@code empty_zero_page}: the source of every {@link #zero} copy. */
    private static final MemorySegment ZERO_PAGE = Arena.global().allocate(PAGE_SIZE, PAGE_SIZE).asReadOnly();

    private final long maxPfn;
    private final Arena arena;
    /** The whole mapping in mmap mode, null in the fallback. */
    private final MemorySegment mapping;
    /** Chunk {@code i} once touched, else null. Plain reads; writes under {@code this}. */
    private final MemorySegment[] chunks;
    /** Why the fallback is in use; empty in mmap mode. */
    private final String fallbackReason;

    private PhysMem(long maxPfn, Arena arena, MemorySegment mapping, String fallbackReason) {
        this.maxPfn = maxPfn;
        this.arena = arena;
        this.mapping = mapping;
        this.chunks = new MemorySegment[Math.toIntExact((maxPfn + CHUNK_PAGES - 1) >>> CHUNK_PAGES_SHIFT)];
        this.fallbackReason = fallbackReason;
    }

    /**
     * Allocates the emulated RAM of a machine with {@code maxPfn} page frames, mirroring what
     * {@code memblock} hands to {@code free_area_init()} at boot: {@code maxPfn * 4096} bytes that
     * read as zero. Uses {@code mmap(2)} with {@code MAP_NORESERVE} when {@link Libc} is available
     * and the mapping succeeds, else the chunked fallback; either way the memory lives until
     * {@code arena} is closed.
     *
     * @param maxPfn number of page frames ({@code max_pfn}), at least 1
     * @param arena owner of the memory; closing it unmaps or frees everything
     */
    public static PhysMem allocate(long maxPfn, Arena arena) {
        checkMaxPfn(maxPfn);
        Objects.requireNonNull(arena, "arena");
        if (!Libc.isAvailable()) {
            return new PhysMem(maxPfn, arena, null, Libc.unavailableReason());
        }
        try {
            return allocateMapped(maxPfn, arena);
        } catch (Libc.ErrnoException e) {
            return new PhysMem(maxPfn, arena, null, e.getMessage());
        }
    }

    /** The mmap mode, unconditionally: fails if {@link Libc} is unavailable or mmap fails. */
    static PhysMem allocateMapped(long maxPfn, Arena arena) {
        checkMaxPfn(maxPfn);
        MemorySegment mapping = Libc.mmap(maxPfn << PAGE_SHIFT, arena);
        try {
            Libc.madvise(mapping, Libc.MADV_NOHUGEPAGE);
        } catch (Libc.ErrnoException e) {
            // EINVAL on kernels built without CONFIG_TRANSPARENT_HUGEPAGE: nothing to turn off.
        }
        return new PhysMem(maxPfn, arena, mapping, "");
    }

    /** The chunked fallback, unconditionally: what {@link #allocate} does without {@link Libc}. */
    static PhysMem allocateChunked(long maxPfn, Arena arena) {
        checkMaxPfn(maxPfn);
        return new PhysMem(maxPfn, Objects.requireNonNull(arena, "arena"), null, "forced");
    }

    private static void checkMaxPfn(long maxPfn) {
        if (maxPfn < 1 || maxPfn > MAX_PFN_LIMIT) {
            throw new IllegalArgumentException("maxPfn must be in [1, 2^36]: " + maxPfn);
        }
    }

    /** The number of page frames, mirroring the kernel's {@code max_pfn}. */
    public long maxPfn() {
        return maxPfn;
    }

    /**
     * Whether the memory is one {@code mmap(2)} mapping ({@code MAP_NORESERVE}) rather than the
     * chunked fallback. Mirrors nothing in the kernel; it tells how {@code page_address()} is
     * backed.
     */
    public boolean isNative() {
        return mapping != null;
    }

    /**
     * The 4096 bytes of frame {@code pfn}, mirroring {@code page_address(pfn_to_page(pfn))}. The
     * slice stays valid until the arena closes; writing to it is writing to emulated RAM.
     *
     * @throws IndexOutOfBoundsException if {@code pfn} is not in {@code [0, maxPfn)}
     */
    public MemorySegment pageAddress(long pfn) {
        Objects.checkIndex(pfn, maxPfn);
        return chunk(pfn).asSlice(offsetInChunk(pfn), PAGE_SIZE);
    }

    /**
     * Writes zeros over the {@code 2^order} frames starting at {@code pfn}, mirroring the
     * {@code clear_highpage()} loop that {@code __GFP_ZERO} runs in {@code post_alloc_hook()} /
     * {@code kernel_init_pages()}. Really writes, one frame at a time, as the kernel does.
     *
     * @throws IndexOutOfBoundsException if the block does not lie inside {@code [0, maxPfn)}
     */
    public void zero(long pfn, int order) {
        long end = pfn + checkBlock(pfn, order);
        for (long p = pfn; p < end; p++) {
            MemorySegment.copy(ZERO_PAGE, 0L, chunk(p), offsetInChunk(p), PAGE_SIZE);
        }
    }

    /**
     * Writes {@code stamp} into the first and the last 8 bytes of each of the {@code 2^order}
     * frames starting at {@code pfn}. The integrity-mode analogue of the poison pattern that
     * {@code kernel_poison_pages()} writes (mm/page_poison.c), checked by {@link #verify}.
     *
     * @throws IndexOutOfBoundsException if the block does not lie inside {@code [0, maxPfn)}
     */
    public void stamp(long pfn, int order, long stamp) {
        long end = pfn + checkBlock(pfn, order);
        for (long p = pfn; p < end; p++) {
            MemorySegment c = chunk(p);
            long off = offsetInChunk(p);
            c.set(STAMP, off + STAMP_HEAD, stamp);
            c.set(STAMP, off + STAMP_TAIL, stamp);
        }
    }

    /**
     * Whether every frame of the {@code 2^order} block at {@code pfn} still carries {@code stamp} in
     * its first and last 8 bytes, as written by {@link #stamp}. The analogue of
     * {@code check_poison_mem()} (mm/page_poison.c), which reports pages whose poison pattern was
     * overwritten. Never materialises a fallback chunk: untouched frames read as zero.
     *
     * @return false as soon as one stamp word differs
     * @throws IndexOutOfBoundsException if the block does not lie inside {@code [0, maxPfn)}
     */
    public boolean verify(long pfn, int order, long stamp) {
        long end = pfn + checkBlock(pfn, order);
        for (long p = pfn; p < end; p++) {
            MemorySegment c = chunks[chunkIndex(p)];
            if (c == null) {
                if (stamp != 0) {
                    return false;
                }
                continue;
            }
            long off = offsetInChunk(p);
            if (c.get(STAMP, off + STAMP_HEAD) != stamp || c.get(STAMP, off + STAMP_TAIL) != stamp) {
                return false;
            }
        }
        return true;
    }

    /**
     * Hands the {@code 2^order} frames at {@code pfn} back to the host, mirroring libc
     * {@code madvise(MADV_DONTNEED)}, what a hypervisor does with the free pages a guest reports
     * through {@code page_reporting_process()} (mm/page_reporting.c): in the mmap mode the host pages are dropped and read back as zero.
     * Any part smaller than a host page (hosts with pages above 4 KiB) is zeroed by hand instead.
     * The fallback cannot return arena memory, so it writes zeros to the frames already
     * materialised: the contents after discard are zero in both modes.
     *
     * @throws IndexOutOfBoundsException if the block does not lie inside {@code [0, maxPfn)}
     */
    public void discard(long pfn, int order) {
        long nr = checkBlock(pfn, order);
        if (mapping != null) {
            discardMapped(pfn << PAGE_SHIFT, (pfn + nr) << PAGE_SHIFT);
            return;
        }
        for (long p = pfn, end = pfn + nr; p < end; p++) {
            MemorySegment c = chunks[chunkIndex(p)];
            if (c != null) {
                MemorySegment.copy(ZERO_PAGE, 0L, c, offsetInChunk(p), PAGE_SIZE);
            }
        }
    }

    private void discardMapped(long start, long end) {
        long hostPage = Libc.pageSize();
        long base = mapping.address();
        // madvise only whole host pages; the mapping itself starts on a host page boundary.
        long from = alignUp(base + start, hostPage) - base;
        long to = ((base + end) & -hostPage) - base;
        if (from < to) {
            Libc.madvise(mapping.asSlice(from, to - from), Libc.MADV_DONTNEED);
            mapping.asSlice(start, from - start).fill((byte) 0);
            mapping.asSlice(to, end - to).fill((byte) 0);
        } else {
            mapping.asSlice(start, end - start).fill((byte) 0);
        }
    }

    private static long alignUp(long x, long pow2) {
        return (x + pow2 - 1) & -pow2;
    }

    /** Validates a block and returns its number of frames, {@code 2^order}. */
    private long checkBlock(long pfn, int order) {
        if (order < 0 || order > MAX_BLOCK_ORDER) {
            throw new IllegalArgumentException("order out of range: " + order);
        }
        long nr = 1L << order;
        Objects.checkFromIndexSize(pfn, nr, maxPfn);
        return nr;
    }

    private static int chunkIndex(long pfn) {
        return (int) (pfn >>> CHUNK_PAGES_SHIFT);
    }

    private static long offsetInChunk(long pfn) {
        return (pfn & (CHUNK_PAGES - 1)) << PAGE_SHIFT;
    }

    private MemorySegment chunk(long pfn) {
        MemorySegment c = chunks[chunkIndex(pfn)];
        return c != null ? c : materialize(chunkIndex(pfn));
    }

    /** First touch of chunk {@code i}: slice the mapping, or allocate 4 MiB from the arena. */
    private synchronized MemorySegment materialize(int i) {
        MemorySegment c = chunks[i];
        if (c == null) {
            long firstPfn = (long) i << CHUNK_PAGES_SHIFT;
            long bytes = Math.min(CHUNK_PAGES, maxPfn - firstPfn) << PAGE_SHIFT;
            c = mapping != null
                    ? mapping.asSlice(firstPfn << PAGE_SHIFT, bytes)
                    : arena.allocate(bytes, PAGE_SIZE);
            chunks[i] = c;
        }
        return c;
    }

    /** Describes the backing, with the reason when it is the fallback. */
    @Override
    public String toString() {
        long mib = (maxPfn << PAGE_SHIFT) >>> 20;
        return mapping != null
                ? "PhysMem[mmap MAP_NORESERVE, maxPfn=" + maxPfn + ", " + mib + " MiB]"
                : "PhysMem[chunked fallback (" + fallbackReason + "), maxPfn=" + maxPfn + ", " + mib + " MiB]";
    }
}
