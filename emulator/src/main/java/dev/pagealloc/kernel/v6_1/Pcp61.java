package dev.pagealloc.kernel.v6_1;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_ISOLATE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_PCPTYPES;

import dev.pagealloc.alloc.AllocContext;
import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.kernel.Migratetypes;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.PfnList;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PcpPolicy;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.vmstat.ZoneStatItem;

/**
 * 6.1's per-CPU lists (mm/page_alloc.c [61]): orders 0-3 and the pageblock order go through
 * {@code pcp->lists[order_to_pindex(mt, order)]}.
 *
 * <h2>Notation</h2>
 * {@code NR_PCP_LISTS} = MIGRATE_PCPTYPES × (PAGE_ALLOC_COSTLY_ORDER + 1) + 1 = 13; list
 * {@code order_to_pindex(mt, order)} = 3 × order + mt (the kernel's U 0, M 1, E 2) for orders 0-3,
 * list 12 ({@code NR_LOWORDER_PCP_LISTS}) for the pageblock order (THP).
 * <pre>
 *   alloc:  free_factor >>= 1; empty list → rmqueue_bulk(max(batch >> order, 2)) (batch when
 *           batch ≤ 1) appends blocks from __rmqueue(); take the head
 *   free:   to the head of its list (HighAtomic on the Movable list, returning to HighAtomic when
 *           drained; Isolate straight to the buddy); count ≥ high (0 while high-order frees pile up
 *           without allocations: "free_high") → free_pcppages_bulk(nr_pcp_free):
 *           clamp(batch << free_factor, batch, high − batch), doubling free_factor while that
 *           stays below high − batch
 *   flush:  round-robin over the lists from the freed block's list, each time emptying the tail
 *           of one list, back to the type in page_private
 * </pre>
 *
 * <h2>Invariants</h2>
 * {@code count} equals Σ 2^order over the lists' blocks; a block on a list is PS_PCP with its order
 * and migratetype (page_private) in the memmap; pages on the lists are not in NR_FREE_PAGES.
 *
 * <p>Not modelled: ZONE_RECLAIM_ACTIVE (pcp high capped at 4 × batch while kswapd runs), and
 * 6.1.192's cap on {@code free_factor} ({@code CONFIG_PCP_BATCH_SCALE_MAX}, 5 in Debian's
 * config-6.1.0-57-amd64). They must come together: with the cap alone, pages freed by reclaim stay
 * on the per-CPU lists where the watermark check does not count them, and the 6.1 highalloc run's
 * direct reclaim loops (allocstall 2,319 → 19.7 million, measured).
 */
public final class Pcp61 implements PcpPolicy {
    /**
     * {@code NR_PCP_LISTS}, include/linux/mmzone.h:565 [61.192]: 3 × 4 low orders + {@code NR_PCP_THP}
     * 2 (:560; 6.1.20 had one THP list for every type).
     */
    public static final int NR_PCP_LISTS = 14;
    /** {@code NR_LOWORDER_PCP_LISTS}: the index of the first THP list (not Movable; Movable is next). */
    static final int NR_LOWORDER_PCP_LISTS = 12;
    /** MIGRATE_MOVABLE in 6.1's {@code enum migratetype}. */
    private static final int KERNEL_MOVABLE = 1;

    private final AllocContext ctx;
    private final Buddy buddy;
    private final Rmqueue61 rmq;
    private final Migratetypes types;
    private final int pageblockOrder;

    public Pcp61(AllocContext ctx, Rmqueue61 rmq) {
        this.ctx = ctx;
        this.buddy = ctx.buddy();
        this.rmq = rmq;
        this.types = ctx.migratetypes();
        this.pageblockOrder = buddy.pageblockOrder();
    }

    @Override
    public int nrLists() {
        return NR_PCP_LISTS;
    }

    /** {@code pcp_allowed_order()}, mm/page_alloc.c:756: orders 0 … PAGE_ALLOC_COSTLY_ORDER and pageblock order. */
    @Override
    public boolean allowed(int order) {
        return order <= Zone.PAGE_ALLOC_COSTLY_ORDER || order == pageblockOrder;
    }

    /**
     * {@code order_to_pindex()}, mm/page_alloc.c:733 [61.192] for a kernel migratetype value (U 0, M 1,
     * E 2): a THP-order block goes to the Movable or the other THP list (:739-744).
     */
    static int orderToPindex(int kernelMigratetype, int order) {
        if (order > Zone.PAGE_ALLOC_COSTLY_ORDER) { // only pageblock_order gets here
            return kernelMigratetype == KERNEL_MOVABLE ? NR_LOWORDER_PCP_LISTS + 1 : NR_LOWORDER_PCP_LISTS;
        }
        return 3 * order + kernelMigratetype;
    }

    /** {@code pindex_to_order()}, mm/page_alloc.c:752 [61.192]. */
    static int pindexToOrder(int pindex, int pageblockOrder) {
        return pindex >= NR_LOWORDER_PCP_LISTS ? pageblockOrder : pindex / 3;
    }

    /**
     * {@code rmqueue_pcplist()} + {@code __rmqueue_pcplist()}, mm/page_alloc.c:3775 and :3735: the
     * head of the (order, migratetype) list, refilled by {@code rmqueue_bulk()} when empty.
     */
    @Override
    public int rmqueue(MemMap mm, Zone zone, int order, int migratetype, int allocFlags, boolean cold, int cpu) {
        PerCpuPages pcp = zone.pcp[cpu];
        pcp.freeFactor >>= 1;
        int list = orderToPindex(types.kernelValue(migratetype), order);
        if (pcp.head[list] == NIL) {
            int batch = pcp.batch;
            if (batch > 1) {
                batch = Math.max(batch >> order, 2);
            }
            int alloced = rmqueueBulk(mm, zone, order, batch, pcp, list, migratetype, allocFlags);
            pcp.count += alloced << order;
            if (pcp.head[list] == NIL) {
                return -1;
            }
        }
        int page = pcp.head[list];
        PfnList.del(mm, pcp.head, pcp.tail, list, page);
        pcp.count -= 1 << order;
        return page;
    }

    /**
     * {@code rmqueue_bulk()}, mm/page_alloc.c:3124: {@code count} blocks from {@code __rmqueue()},
     * each added at the list's tail, so the list is in the order the buddy lists gave them.
     */
    private int rmqueueBulk(MemMap mm, Zone zone, int order, int count, PerCpuPages pcp, int list, int migratetype,
            int allocFlags) {
        int i;
        for (i = 0; i < count; ++i) {
            int page = rmq.rmqueue(zone, order, migratetype, allocFlags);
            if (page < 0) {
                break;
            }
            PfnList.addTail(mm, pcp.head, pcp.tail, list, page);
            mm.setStatePcp(page, migratetype, order); // set_pcppage_migratetype()
        }
        zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] -= (long) i << order;
        return i;
    }

    /**
     * {@code free_unref_page()} + {@code free_unref_page_commit()}, mm/page_alloc.c:3474 and :3442:
     * the block keeps its pageblock's type (HighAtomic goes on the Movable list but returns to
     * HighAtomic when drained; Isolate bypasses the lists) and goes to the head of its list.
     */
    @Override
    public void free(MemMap mm, Zone zone, int page, int order, boolean cold, int cpu) {
        int migratetype = mm.pageblockMigratetype(page);
        ctx.countFree(1L << order);
        int listMt = migratetype;
        if (migratetype >= MIGRATE_PCPTYPES) {
            if (migratetype == MIGRATE_ISOLATE.ordinal()) {
                PageAlloc61.freeOnePage(buddy, zone, page, order, migratetype);
                return;
            }
            listMt = MIGRATE_MOVABLE.ordinal();
        }
        PerCpuPages pcp = zone.pcp[cpu];
        int pindex = orderToPindex(types.kernelValue(listMt), order);
        PfnList.add(mm, pcp.head, pcp.tail, pindex, page);
        mm.setStatePcp(page, migratetype, order);
        pcp.count += 1 << order;
        boolean freeHigh = pcp.freeFactor != 0 && order > 0 && order <= Zone.PAGE_ALLOC_COSTLY_ORDER;
        int high = nrPcpHigh(pcp, freeHigh);
        if (pcp.count >= high) {
            freePcppagesBulk(mm, zone, nrPcpFree(pcp, high, pcp.batch, freeHigh), pcp, pindex);
        }
    }

    /** {@code nr_pcp_high()}, mm/page_alloc.c:3424 (ZONE_RECLAIM_ACTIVE not modelled). */
    private static int nrPcpHigh(PerCpuPages pcp, boolean freeHigh) {
        if (pcp.high == 0 || freeHigh) {
            return 0;
        }
        return pcp.high;
    }

    /** {@code nr_pcp_free()}, mm/page_alloc.c:3395. */
    private static int nrPcpFree(PerCpuPages pcp, int high, int batch, boolean freeHigh) {
        if (freeHigh) {
            return pcp.count;
        }
        if (high < batch) {
            return 1;
        }
        int minNrFree = batch;
        int maxNrFree = high - batch;
        batch <<= pcp.freeFactor;
        if (batch < maxNrFree) {
            pcp.freeFactor++;
        }
        return Math.max(minNrFree, Math.min(batch, maxNrFree));
    }

    /**
     * {@code free_pcppages_bulk()}, mm/page_alloc.c:1546: {@code count} pages back to the buddy
     * lists, round-robin over the lists starting with {@code pindex}, each time taking blocks from
     * one list's tail until it is empty or enough are freed.
     */
    private void freePcppagesBulk(MemMap mm, Zone zone, int count, PerCpuPages pcp, int pindex) {
        int minPindex = 0;
        int maxPindex = NR_PCP_LISTS - 1;
        count = Math.min(pcp.count, count);
        pindex = pindex - 1;
        while (count > 0) {
            while (true) {
                if (++pindex > maxPindex) {
                    pindex = minPindex;
                }
                if (pcp.head[pindex] != NIL) {
                    break;
                }
                if (pindex == maxPindex) {
                    maxPindex--;
                }
                if (pindex == minPindex) {
                    minPindex++;
                }
            }
            int order = pindexToOrder(pindex, pageblockOrder);
            int nrPages = 1 << order;
            do {
                int page = pcp.tail[pindex];
                int mt = mm.pcpMigratetype(page);
                PfnList.del(mm, pcp.head, pcp.tail, pindex, page);
                count -= nrPages;
                pcp.count -= nrPages;
                mm.setStateOrder(page, PS_ALLOCATED, order);
                zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] += nrPages;
                buddy.freeOnePage(zone, page, order, mt);
                if (ctx.tracing()) {
                    ctx.trace().mmPagePcpuDrain(page, order, types.kernelValue(mt));
                }
            } while (count > 0 && pcp.head[pindex] != NIL);
        }
    }

    /** {@code drain_pages_zone()}, mm/page_alloc.c:3199: every block of the CPU's pageset back. */
    @Override
    public void drain(MemMap mm, Zone zone, int cpu) {
        PerCpuPages pcp = zone.pcp[cpu];
        if (pcp.count > 0) {
            freePcppagesBulk(mm, zone, pcp.count, pcp, 0);
        }
    }
}
