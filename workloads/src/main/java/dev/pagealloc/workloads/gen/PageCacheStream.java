package dev.pagealloc.workloads.gen;

import java.util.List;

/**
 * {@code pagecache-stream}: a process streaming file data through the page cache, as
 * {@code generic_file_aio_read()} → {@code page_cache_sync_readahead()} (mm/filemap.c,
 * mm/readahead.c) brings it in: {@code chunk_pages} (default 32, a 128 KiB readahead window)
 * order-0 GFP_HIGHUSER_MOVABLE page cache pages at a time, at {@code rate_mb_s} MiB per second
 * (default 200) of emulated time. {@code dirty_percent} of the chunks are written instead of read
 * (dirty pages, which reclaim must write back first), spread evenly.
 *
 * <p>{@code mapping} (default {@code "file"}) says whose page cache it is: {@code "file"}, a regular
 * file's mapping (GFP_HIGHUSER_MOVABLE: HighMem first on a 32-bit kernel), or {@code "blockdev"},
 * the block device's own mapping, as {@code dd if=/dev/sdb} or an image backup reads it
 * ({@code bdget()}/{@code bdev_alloc()} set it to GFP_USER: lowmem only, unmovable). Events are
 * {@link dev.pagealloc.workloads.event.EventSink#fileRead} or
 * {@link dev.pagealloc.workloads.event.EventSink#bdevRead} accordingly.
 *
 * <p>It stops after {@code total_mb} (default: no limit) or once the page cache
 * ({@link GenContext#filePages()}) is {@code until_percent} (default 90) of the present pages;
 * {@code until_percent = 100} never stops on the level, a stream through a file larger than RAM
 * that keeps reclaim busy. With {@code refill = true} a stream that reached its level keeps
 * polling at the chunk rate and reads again whenever reclaim has brought the cache below it.
 *
 * <p>{@code reread_percent} (default 0): after each chunk, that share of a chunk's pages is read
 * again from what is already cached, pages the sink picks at random
 * ({@link dev.pagealloc.workloads.event.EventSink#fileAccess}; {@code mark_page_accessed()}
 * activates a page read twice), so that reclaim no longer frees the cache in the order it was
 * filled, as on a machine that has been up for a while.
 *
 * <p>Optional {@code drop_every_ms} + {@code drop_pages}: every so often up to that many clean
 * cache pages are dropped (truncate, {@code echo 1 > drop_caches}).
 *
 * <p>Counters (a {@code blockdev} stream counts its pages the same way): {@code pages_read}, {@code pages_dirtied}, {@code pages_reread}, {@code target_reached_ms} (when the
 * level was first reached; absent until then).
 */
final class PageCacheStream extends Generator {
    static final List<String> KEYS = List.of("rate_mb_s", "total_mb", "until_percent", "refill", "chunk_pages",
            "dirty_percent", "reread_percent", "drop_every_ms", "drop_pages", "mapping");

    private final GenContext ctx;
    private final long intervalNs;
    private final int chunk;
    private final long totalPages;
    private final double untilPercent;
    private final boolean refill;
    private final boolean blockdev;
    private final double dirtyPercent;
    private final double rereadPercent;
    private double rereadAcc;
    private final long dropEveryNs;
    private final long dropPages;
    private long done;
    private double dirtyAcc;
    private boolean reached;

    private PageCacheStream(GenSource out, Section s, int cpu, GenContext ctx, double rateMbS, int chunk, long totalMb,
            double untilPercent, boolean refill, double dirtyPercent, double rereadPercent, long dropEveryNs,
            long dropPages, boolean blockdev) {
        super(out, s, cpu);
        this.blockdev = blockdev;
        this.ctx = ctx;
        this.chunk = chunk;
        this.intervalNs = intervalNs(rateMbS * (1 << 20) / ((double) chunk * ReleaseConstants.PAGE_SIZE));
        this.totalPages = totalMb * ((1 << 20) / ReleaseConstants.PAGE_SIZE);
        this.untilPercent = untilPercent;
        this.refill = refill;
        this.dirtyPercent = dirtyPercent;
        this.rereadPercent = rereadPercent;
        this.dropEveryNs = dropEveryNs;
        this.dropPages = dropPages;
    }

    static Section.Factory parse(Params p) {
        double rate = p.positive("rate_mb_s", 200, 1e6);
        long totalMb = p.integer("total_mb", 0, 0, 1L << 32);
        double until = p.positive("until_percent", 90, 100);
        boolean refill = p.bool("refill", false);
        int chunk = (int) p.integer("chunk_pages", 32, 1, 1 << 20);
        double dirty = p.number("dirty_percent", 0, 0, 100);
        double reread = p.number("reread_percent", 0, 0, 10000);
        long dropEvery = p.integer("drop_every_ms", 0, 0, 1_000_000_000L) * 1_000_000;
        long dropPages = p.integer("drop_pages", 0, 0, Long.MAX_VALUE);
        boolean blockdev = p.choice("mapping", "file", List.of("file", "blockdev")).equals("blockdev");
        if ((dropEvery > 0) != (dropPages > 0)) {
            throw p.error(dropEvery > 0 ? "drop_every_ms" : "drop_pages",
                    "expected drop_every_ms and drop_pages together (both above 0)");
        }
        return (out, s, ctx, cpu) -> new PageCacheStream(out, s, cpu, ctx, rate, chunk, totalMb, until, refill, dirty,
                reread, dropEvery, dropPages, blockdev);
    }

    @Override
    void start() {
        declare("pages_read", "pages_dirtied");
        if (rereadPercent > 0) {
            declare("pages_reread");
        }
        at(startNs, this::read);
        if (dropEveryNs > 0 && active(startNs + dropEveryNs)) {
            at(startNs + dropEveryNs, this::drop);
        }
    }

    private long target() {
        if (untilPercent >= 100) {
            return Long.MAX_VALUE;
        }
        return (long) Math.ceil(ctx.presentPages() * untilPercent / 100.0);
    }

    private void read(long t) {
        long pages = chunk;
        if (totalPages > 0) {
            pages = Math.min(pages, totalPages - done);
            if (pages <= 0) {
                return;
            }
        }
        long target = target();
        long now = ctx.filePages().getAsLong();
        if (now >= target) {
            if (!reached) {
                reached = true;
                declare("target_reached_ms");
                count("target_reached_ms", t / 1_000_000);
            }
            if (refill && active(t + intervalNs)) {
                at(t + intervalNs, this::read);
            }
            return;
        }
        if (target != Long.MAX_VALUE) {
            pages = Math.min(pages, target - now);
        }
        dirtyAcc += dirtyPercent;
        boolean dirty = dirtyAcc >= 100;
        if (dirty) {
            dirtyAcc -= 100;
        }
        if (blockdev) {
            out.bdevRead(t, cpu, pages, dirty);
        } else {
            out.fileRead(t, cpu, pages, dirty);
        }
        done += pages;
        count(dirty ? "pages_dirtied" : "pages_read", pages);
        if (rereadPercent > 0) {
            rereadAcc += chunk * rereadPercent / 100.0;
            long again = (long) rereadAcc;
            if (again > 0) {
                rereadAcc -= again;
                at(t, tt -> {
                    out.fileAccess(tt, cpu, again);
                    count("pages_reread", again);
                });
            }
        }
        if (active(t + intervalNs)) {
            at(t + intervalNs, this::read);
        }
    }

    private void drop(long t) {
        out.fileDrop(t, dropPages);
        if (active(t + dropEveryNs)) {
            at(t + dropEveryNs, this::drop);
        }
    }
}
