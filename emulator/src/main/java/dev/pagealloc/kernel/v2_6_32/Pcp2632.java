package dev.pagealloc.kernel.v2_6_32;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_ISOLATE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_PCPTYPES;

import dev.pagealloc.alloc.AllocContext;
import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.PfnList;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PcpPolicy;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.vmstat.ZoneStatItem;

/**
 * 2.6.32's per-CPU lists (mm/page_alloc.c [2632]): order-0 pages only, one list per
 * MIGRATE_PCPTYPES type, hot at the head and cold at the tail.
 *
 * <h2>Notation</h2>
 * {@code count} pages over the three lists; {@code high} = 6 × {@code batch} ({@code setup_pageset()}).
 * <pre>
 *   alloc:  empty list → rmqueue_bulk(batch) appends batch pages in physical order (cold: prepends);
 *           take the head (cold: the tail)
 *   free:   to the head (cold: the tail) of the list of the page's pageblock type (RESERVE as
 *           MOVABLE; ISOLATE straight to the buddy lists); count ≥ high → free_pcppages_bulk(batch)
 *   flush:  round-robin over the lists from list 1, one more page from a list for every empty list
 *           skipped, always the tail (the coldest), back to the type in page_private
 * </pre>
 *
 * <h2>Invariants</h2>
 * {@code count} equals the pages on the lists; a page on a list is PS_PCP with its migratetype
 * (page_private) in the memmap; pages on the lists are not in NR_FREE_PAGES.
 */
final class Pcp2632 implements PcpPolicy {
    private final AllocContext ctx;
    private final Rmqueue2632 rmq;
    private final Buddy buddy;

    Pcp2632(AllocContext ctx, Rmqueue2632 rmq) {
        this.ctx = ctx;
        this.buddy = ctx.buddy();
        this.rmq = rmq;
    }

    @Override
    public int nrLists() {
        return MIGRATE_PCPTYPES;
    }

    /** {@code buffered_rmqueue()} takes only order 0 from the lists (mm/page_alloc.c:1181). */
    @Override
    public boolean allowed(int order) {
        return order == 0;
    }

    /**
     * The order-0 half of {@code buffered_rmqueue()}, mm/page_alloc.c:1181 [2632]: the CPU's list for
     * the migratetype, refilled by {@link #rmqueueBulk} when empty; hot from the head, __GFP_COLD
     * from the tail.
     */
    @Override
    public int rmqueue(MemMap mm, Zone zone, int order, int migratetype, int allocFlags, boolean cold, int cpu) {
        PerCpuPages pcp = zone.pcp[cpu];
        if (pcp.head[migratetype] == NIL) {
            pcp.count += rmqueueBulk(mm, zone, 0, pcp.batch, pcp, migratetype, cold);
            if (pcp.head[migratetype] == NIL) {
                return -1;
            }
        }
        int page = cold ? pcp.tail[migratetype] : pcp.head[migratetype];
        PfnList.del(mm, pcp.head, pcp.tail, migratetype, page);
        pcp.count--;
        return page;
    }

    /**
     * {@code rmqueue_bulk()}, mm/page_alloc.c:942 [2632]: {@code count} order-{@code order} pages
     * from {@code __rmqueue()} onto the per-CPU list, each after the previous one so the list keeps
     * physical order (for __GFP_COLD each goes before the previous one); returns how many.
     */
    private int rmqueueBulk(MemMap mm, Zone zone, int order, int count, PerCpuPages pcp, int migratetype, boolean cold) {
        int i;
        int at = NIL; // NIL: the list head itself
        for (i = 0; i < count; ++i) {
            int page = rmq.rmqueue(zone, order, migratetype);
            if (page < 0) {
                break;
            }
            if (!cold) {
                if (at == NIL) {
                    PfnList.add(mm, pcp.head, pcp.tail, migratetype, page);
                } else {
                    PfnList.addAfter(mm, pcp.head, pcp.tail, migratetype, at, page);
                }
            } else {
                if (at == NIL) {
                    PfnList.addTail(mm, pcp.head, pcp.tail, migratetype, page);
                } else {
                    PfnList.addBefore(mm, pcp.head, pcp.tail, migratetype, at, page);
                }
            }
            mm.setStatePcp(page, migratetype, 0);
            at = page;
        }
        zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] -= (long) i << order;
        return i;
    }

    /**
     * {@code free_hot_cold_page()}, mm/page_alloc.c:1081 [2632]: the page goes on the CPU's list of
     * its pageblock's migratetype (RESERVE as MOVABLE; ISOLATE straight to the buddy lists), hot at
     * the head or cold at the tail; reaching {@code high} returns {@code batch} pages to the buddy.
     */
    @Override
    public void free(MemMap mm, Zone zone, int page, int order, boolean cold, int cpu) {
        PerCpuPages pcp = zone.pcp[cpu];
        int migratetype = mm.pageblockMigratetype(page);
        mm.setStatePcp(page, migratetype, 0); // set_page_private(page, migratetype)
        ctx.countFree(1);
        if (migratetype >= MIGRATE_PCPTYPES) {
            if (migratetype == MIGRATE_ISOLATE.ordinal()) {
                PageAlloc2632.freeOnePage(buddy, zone, page, 0, migratetype);
                return;
            }
            migratetype = MIGRATE_MOVABLE.ordinal();
        }
        if (cold) {
            PfnList.addTail(mm, pcp.head, pcp.tail, migratetype, page);
        } else {
            PfnList.add(mm, pcp.head, pcp.tail, migratetype, page);
        }
        pcp.count++;
        if (pcp.count >= pcp.high) {
            freePcppagesBulk(mm, zone, pcp.batch, pcp);
            pcp.count -= pcp.batch;
        }
    }

    /**
     * {@code free_pcppages_bulk()}, mm/page_alloc.c:529 [2632]: round-robin over the lists starting
     * after list 0 (the index is pre-incremented), taking one more page from a list for every empty
     * list skipped, always from the tail (the coldest), back to the migratetype in page_private.
     */
    private void freePcppagesBulk(MemMap mm, Zone zone, int count, PerCpuPages pcp) {
        int migratetype = 0;
        int batchFree = 0;
        zone.allUnreclaimable = false;
        zone.pagesScanned = 0;
        zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] += count;
        while (count > 0) {
            do {
                batchFree++;
                if (++migratetype == MIGRATE_PCPTYPES) {
                    migratetype = 0;
                }
            } while (pcp.head[migratetype] == NIL);
            do {
                int page = pcp.tail[migratetype];
                PfnList.del(mm, pcp.head, pcp.tail, migratetype, page);
                int mt = mm.pcpMigratetype(page);
                buddy.freeOnePage(zone, page, 0, mt);
                ctx.trace().mmPagePcpuDrain(page, 0, mt);
            } while (--count > 0 && --batchFree > 0 && pcp.head[migratetype] != NIL);
        }
    }

    /** {@code drain_pages()}'s per-zone step, mm/page_alloc.c:1007 [2632]: the whole pageset back. */
    @Override
    public void drain(MemMap mm, Zone zone, int cpu) {
        PerCpuPages pcp = zone.pcp[cpu];
        freePcppagesBulk(mm, zone, pcp.count, pcp); // clears all_unreclaimable even when empty
        pcp.count = 0;
    }
}
