package dev.pagealloc.alloc;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_BUDDY;
import static dev.pagealloc.mem.MemMapDescriptor.PS_NOMAP;
import static dev.pagealloc.mem.MemMapDescriptor.PS_PCP;
import static dev.pagealloc.mem.MemMapDescriptor.PS_RESERVED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_TAIL;

import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.gfp.GfpZone;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mem.PhysMem;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.trace.TraceSink;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.function.Consumer;

/**
 * The page allocator of one machine. Its public methods are the front door, the same in every
 * kernel: {@code alloc_pages()} and {@code __free_pages()} of mm/page_alloc.c as a caller sees
 * them. The front door decodes a request ({@code gfp_zone()}, the migratetype, the preferred
 * zone), hands it to the kernel's {@link #allocPagesNodemask}, traces {@code mm_page_alloc}; it
 * checks a free the way {@code free_pages_check()} does, reports a bad one as {@code bad_page()}
 * does and hands a good one to the kernel's {@link #freeCheckedPages}. Each kernel's package
 * subclasses this class with those paths (2.6.32's {@code PageAlloc2632}, 6.1's
 * {@code PageAlloc61}); {@link AllocContext} holds the node and the services they share. Reclaim,
 * compaction and the OOM killer are attached models ({@link Reclaimer}, {@link Compactor}) the
 * kernel's slow path calls.
 *
 * <h2>Why a subclass, and one memmap field</h2>
 * The front door and the kernel's paths are one object, so they share one {@link #mm} field. Every
 * reference to the memmap's off-heap segment costs the compiled code a type, bounds, alignment
 * and liveness check, and C2 merges those only for loads of the same field of the same object:
 * so the paths read {@link #mm} and pass it on to the per-CPU policy and to
 * {@link AllocContext#prepNewPage} rather than let those hold their own reference (each extra
 * reference cost an order-0 alloc/free pair about 3 ns in AllocatorBench, December 2026). Even
 * the same field read again inside a kernel's method counts as a second reference once C2 has
 * type-checked {@code this} for the virtual call, so the front door hands its checked {@link #mm}
 * to {@link #freeCheckedPages} as a parameter.
 *
 * <p>Single-threaded by design: "CPUs" are indices choosing a per-CPU pageset, so a replay is
 * deterministic. No allocation on the alloc/free hot paths.
 */
public abstract class PageAllocator {
    /** The node and the services every kernel's paths share. */
    protected final AllocContext ctx;
    /** The node's memmap, {@code ctx.memMap()}: the one reference the hot paths use (see above). */
    protected final MemMap mm;
    private final Arch arch;
    private Consumer<String> printk = s -> {};
    private String comm = "pagealloc";
    private long badPages;

    /** The allocator of the node {@code ctx} (a kernel's boot builds both). */
    protected PageAllocator(AllocContext ctx) {
        this.ctx = ctx;
        this.mm = ctx.memMap();
        this.arch = ctx.arch();
    }

    // ------------------------------------------------------------------ configuration

    public void setTrace(TraceSink trace) {
        ctx.setTrace(trace);
    }

    /** Reclaim and the OOM killer behind the slow path; null: the slow path stops before reclaim. */
    public void setReclaimer(Reclaimer reclaimer) {
        ctx.setReclaimer(reclaimer);
    }

    /** Direct compaction and kcompactd (kernels with CONFIG_COMPACTION). */
    public void setCompactor(Compactor compactor) {
        ctx.setCompactor(compactor);
    }

    /** Where kernel log lines ({@code bad_page()} reports) go. */
    public void setPrintk(Consumer<String> printk) {
        this.printk = printk;
    }

    /** {@code current->comm} for reports. */
    public void setComm(String comm) {
        this.comm = comm;
    }

    /** Integrity mode: stamp every allocation's frames and verify the stamp on free. */
    public void setIntegrity(boolean on) {
        ctx.setIntegrity(on);
    }

    // ------------------------------------------------------------------ the node

    /** The node and services the kernel's paths share. */
    public AllocContext context() {
        return ctx;
    }

    public Zone[] zones() {
        return ctx.zones();
    }

    /** The populated zone indices, highest first (a copy). */
    public int[] zonelist() {
        return ctx.zonelist().clone();
    }

    public MemMap memMap() {
        return mm;
    }

    public Buddy buddy() {
        return ctx.buddy();
    }

    public PhysMem physMem() {
        return ctx.physMem();
    }

    public Arch arch() {
        return arch;
    }

    /** The failure of the last allocation that returned no page. */
    public AllocFailure lastFailure() {
        return ctx.lastFailure();
    }

    public long badPageCount() {
        return badPages;
    }

    public long kswapdWakeups() {
        return ctx.kswapdWakeups();
    }

    /** pgalloc_* of /proc/vmstat for the zone at {@code idx}. */
    public long pgalloc(int idx) {
        return ctx.pgalloc(idx);
    }

    public long pgfree() {
        return ctx.pgfree();
    }

    // ------------------------------------------------------------------ allocation

    /**
     * {@code alloc_pages()} → the kernel's {@code __alloc_pages()}: returns the pfn of the first
     * page, or -1 with {@link #lastFailure()} explaining why.
     */
    public final long allocPages(int gfpMask, int order, int cpu) {
        int highZoneIdx = GfpZone.gfpZone(gfpMask, arch);
        int migratetype = ctx.requestSlot(gfpMask);
        int preferred = ctx.firstZone(highZoneIdx);
        long page = allocPagesNodemask(gfpMask, order, cpu, highZoneIdx, migratetype, preferred);
        if (ctx.tracing()) {
            ctx.trace().mmPageAlloc(page, order, gfpMask, ctx.migratetypes().kernelValue(migratetype));
        }
        return page;
    }

    // ------------------------------------------------------------------ freeing

    /**
     * {@code __free_pages()}, mm/page_alloc.c. A pfn that is not the head of an allocated block of
     * this order is reported the way {@code bad_page()} does and left alone.
     */
    public final void freePages(long pfn, int order, int cpu) {
        freePages(pfn, order, cpu, false);
    }

    /** {@link #freePages(long, int, int)}, with {@code cold} as {@code free_cold_page()}. */
    public final void freePages(long pfn, int order, int cpu, boolean cold) {
        if (!freePagesCheck(pfn, order)) {
            return;
        }
        ctx.trace().mmPageFreeDirect(pfn, order);
        freeCheckedPages(mm, (int) pfn, order, cpu, cold);
    }

    /**
     * {@code free_pages_check()} + {@code bad_page()}, mm/page_alloc.c: refuses frees of pages that
     * are not allocated, not the head of their block, of another order, or whose contents lost their
     * integrity stamp.
     */
    private boolean freePagesCheck(long pfn, int order) {
        if (pfn < 0 || pfn >= mm.nrPages() || order < 0 || order >= Zone.MAX_ORDER) {
            badPages++;
            printk.accept(String.format(
                    "BUG: Bad page state in process %s  pfn:%05x (no such page, order %d)",
                    comm, pfn, order));
            return false;
        }
        int page = (int) pfn;
        int state = mm.state(page);
        String why = null;
        if (state != PS_ALLOCATED) {
            why = switch (state) {
                case PS_BUDDY -> "page is free (PageBuddy): double free";
                case PS_PCP -> "page is free on a per-CPU list: double free";
                case PS_RESERVED -> "page is PageReserved";
                case PS_NOMAP -> "pfn has no struct page";
                default -> "page is not the head of an allocated block";
            };
        } else if (mm.order(page) != order) {
            why = "freed as order " + order + " but allocated as order " + mm.order(page);
        } else if (ctx.integrity() && !ctx.physMem().verify(page, order, mm.integrityStamp(page))) {
            why = "contents changed after allocation: integrity stamp broken";
        }
        if (why == null) {
            return true;
        }
        badPage(page, why);
        return false;
    }

    /**
     * {@code bad_page()}, mm/page_alloc.c (2.6.32): the two KERN_ALERT lines, then our reason in
     * place of the stack dump. The page is left as it was and the emulator keeps going.
     */
    private void badPage(int pfn, String why) {
        badPages++;
        printk.accept(String.format(
                "BUG: Bad page state in process %s  pfn:%05x", comm, pfn));
        printk.accept(BadPage.pageLine(arch, mm, pfn));
        printk.accept("pagealloc: " + why);
    }

    /** {@code drain_all_pages()}, mm/page_alloc.c: {@link #drainPages} on every CPU. */
    public final void drainAllPages() {
        for (int cpu = 0; cpu < ctx.cpus(); cpu++) {
            drainPages(cpu);
        }
    }

    // ------------------------------------------------------------------ loading a state

    /**
     * {@code free_one_page()} for a caller that owns an allocated block and wants it straight on
     * the buddy lists of {@code migratetype}, bypassing the per-CPU lists (used to rebuild a zone's
     * free lists from a report).
     */
    public void freeToBuddy(int pfn, int order, int migratetype) {
        if (!freePagesCheck(pfn, order)) {
            return;
        }
        freeOnePage(ctx.zones()[mm.zoneIdx(pfn)], pfn, order, migratetype);
    }

    /**
     * Takes the head block of free_list[order][migratetype] as an allocated block, or returns -1
     * when that list is empty (the rebuild helper's way of emptying a zone).
     */
    public int takeFreeBlock(Zone zone, int order, int migratetype) {
        if (zone.freeHead[Zone.slot(order, migratetype)] == NIL) {
            return -1;
        }
        int pfn = ctx.buddy().rmqueueSmallest(zone, order, migratetype);
        zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] -= 1L << order;
        return pfn;
    }

    // ------------------------------------------------------------------ boot

    /**
     * {@code __free_pages_bootmem()}, mm/page_alloc.c (2.6.32): hands a reserved-at-boot block to
     * the kernel's free path, as {@code free_all_bootmem()} does. The block is an allocated head of
     * this order by construction, so {@code free_pages_check()} has nothing to find.
     */
    public final void freePagesBootmem(int pfn, int order, int cpu) {
        clearReserved(pfn, order);
        ctx.trace().mmPageFreeDirect(pfn, order);
        freeBootmemBlock(mm, pfn, order, cpu);
    }

    /** {@code __ClearPageReserved()} on every page of the block; the head becomes allocated. */
    public final void clearReserved(int pfn, int order) {
        for (int i = 1; i < 1 << order; i++) {
            mm.setStateOrder(pfn + i, PS_TAIL, 0);
        }
        mm.setStateOrder(pfn, PS_ALLOCATED, order);
    }

    // ------------------------------------------------------------------ what each kernel writes

    /**
     * The kernel's {@code __alloc_pages_nodemask()} (5.13+: {@code __alloc_pages()}) with its fast
     * path and slow path: the first page of an order-{@code order} block for {@code gfpMask}, or -1
     * after recording the failure with {@link AllocContext#fail}.
     *
     * @param highZoneIdx {@code gfp_zone(gfp_mask)}
     * @param migratetype the request's free-list slot ({@code gfp_migratetype()} mapped to a slot)
     * @param preferred the first zonelist entry at or below {@code highZoneIdx}, or -1 when none
     */
    protected abstract long allocPagesNodemask(int gfpMask, int order, int cpu, int highZoneIdx, int migratetype,
            int preferred);

    /**
     * The kernel's {@code __free_pages()} of an allocated block the front door has already checked
     * and traced; {@code cold} is {@code free_cold_page()} in kernels that have hot/cold lists.
     *
     * <p>{@code mm} is this allocator's own {@link #mm}, handed down rather than read again: a field
     * read through the subclass (after the JIT's type check on {@code this}) is a different node to
     * C2, which then repeats every check of the memmap's segment that {@code free_pages_check()} has
     * just made (measured: about 1 ns of a 25 ns order-0 alloc/free pair).
     */
    protected abstract void freeCheckedPages(MemMap mm, int page, int order, int cpu, boolean cold);

    /**
     * The kernel's {@code __free_pages_bootmem()}, for kernels whose boot frees memory through
     * {@code __free_pages()}: a block boot reserved, its pages already un-reserved and the free
     * traced. By default {@link #freeCheckedPages}; a kernel overrides it where the kernel's own
     * function tests the order itself, which also keeps boot's many large frees out of the JIT's
     * profile of {@link #freeCheckedPages}.
     */
    protected void freeBootmemBlock(MemMap mm, int page, int order, int cpu) {
        freeCheckedPages(mm, page, order, cpu, false);
    }

    /**
     * The kernel's {@code free_one_page()}: the block goes on the buddy lists of {@code migratetype}
     * and merges, with the zone's free-page accounting as that kernel keeps it.
     */
    protected abstract void freeOnePage(Zone zone, int page, int order, int migratetype);

    /** The kernel's {@code drain_pages()}: every block on this CPU's lists back to the buddy lists. */
    public abstract void drainPages(int cpu);
}
