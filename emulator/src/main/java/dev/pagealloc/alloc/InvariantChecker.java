package dev.pagealloc.alloc;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_BUDDY;
import static dev.pagealloc.mem.MemMapDescriptor.PS_NOMAP;
import static dev.pagealloc.mem.MemMapDescriptor.PS_PCP;
import static dev.pagealloc.mem.MemMapDescriptor.PS_RESERVED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_TAIL;

import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PerCpuPages;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the allocator's invariants over the whole memmap, in the spirit of CONFIG_DEBUG_VM:
 * every pfn is in exactly one state (a free block, a per-CPU page, an allocated block, reserved,
 * or no page at all); list links are consistent; {@code nr_free} equals the list lengths;
 * NR_FREE_PAGES equals the free blocks' pages; no two free buddies of the same order coexist
 * (merging is eager); per-CPU counts equal their list lengths. Returns the violations found
 * (empty when all hold), at most {@link #MAX_REPORTED}. The checks hold in every kernel: a per-CPU
 * block is recognised by the order the memmap keeps for it, and two free buddies are an error only
 * where the kernel's {@link dev.pagealloc.buddy.BuddyPlacement} would have merged them.
 */
public final class InvariantChecker {
    public static final int MAX_REPORTED = 20;

    private InvariantChecker() {}

    public static List<String> check(PageAllocator a) {
        List<String> errs = new ArrayList<>();
        MemMap mm = a.memMap();
        for (Zone z : a.zones()) {
            if (z.spannedPages == 0) {
                continue;
            }
            checkLists(a, mm, z, errs);
            checkPcp(mm, z, errs);
            checkCoverage(mm, z, errs);
        }
        return errs.size() > MAX_REPORTED ? errs.subList(0, MAX_REPORTED) : errs;
    }

    private static void err(List<String> errs, String fmt, Object... args) {
        if (errs.size() <= MAX_REPORTED) {
            errs.add(String.format(fmt, args));
        }
    }

    private static void checkLists(PageAllocator a, MemMap mm, Zone z, List<String> errs) {
        long freePages = 0;
        for (int order = 0; order < Zone.MAX_ORDER; order++) {
            int blocks = 0;
            for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
                int s = Zone.slot(order, mt);
                int len = 0;
                int prev = NIL;
                for (int pfn = z.freeHead[s]; pfn != NIL; pfn = mm.next(pfn)) {
                    if (mm.prev(pfn) != prev) {
                        err(errs, "%s order %d mt %d: pfn %d has prev %d, expected %d", z, order, mt, pfn, mm.prev(pfn), prev);
                    }
                    if (mm.state(pfn) != PS_BUDDY || mm.order(pfn) != order || mm.pcpMigratetype(pfn) != mt) {
                        err(errs, "%s: pfn %d on free_list[%d][%d] has state %d order %d", z, pfn, order, mt, mm.state(pfn), mm.order(pfn));
                    }
                    if ((pfn & ((1 << order) - 1)) != 0 || !z.spansPfn(pfn) || !z.spansPfn(pfn + (1L << order) - 1)) {
                        err(errs, "%s: free block %d order %d misaligned or outside the zone", z, pfn, order);
                    }
                    if (order < Zone.MAX_ORDER - 1) {
                        int buddy = pfn ^ (1 << order);
                        if (buddy < mm.nrPages() && mm.state(buddy) == PS_BUDDY && mm.order(buddy) == order
                                && mm.zoneIdx(buddy) == z.idx && a.buddy().placement().mayMerge(a.buddy(), mt, buddy, order)) {
                            err(errs, "%s: free buddies %d and %d both free at order %d", z, pfn, buddy, order);
                        }
                    }
                    prev = pfn;
                    len++;
                    if (len > mm.nrPages()) {
                        err(errs, "%s: free_list[%d][%d] loops", z, order, mt);
                        break;
                    }
                }
                if (z.freeTail[s] != prev) {
                    err(errs, "%s: free_list[%d][%d] tail %d, last element %d", z, order, mt, z.freeTail[s], prev);
                }
                if (len != z.listLen[s]) {
                    err(errs, "%s: free_list[%d][%d] has %d blocks, counted %d", z, order, mt, len, z.listLen[s]);
                }
                blocks += len;
            }
            if (blocks != z.nrFree[order]) {
                err(errs, "%s: nr_free[%d] = %d but the lists hold %d", z, order, z.nrFree[order], blocks);
            }
            freePages += (long) blocks << order;
        }
        if (freePages != z.freePages()) {
            err(errs, "%s: NR_FREE_PAGES = %d but the free lists hold %d pages", z, z.freePages(), freePages);
        }
    }

    private static void checkPcp(MemMap mm, Zone z, List<String> errs) {
        for (int cpu = 0; cpu < z.pcp.length; cpu++) {
            PerCpuPages p = z.pcp[cpu];
            int n = 0;
            for (int mt = 0; mt < p.nrLists(); mt++) {
                int prev = NIL;
                int listOrder = -1;
                for (int pfn = p.head[mt]; pfn != NIL; pfn = mm.next(pfn)) {
                    if (mm.state(pfn) != PS_PCP || mm.zoneIdx(pfn) != z.idx || mm.prev(pfn) != prev) {
                        err(errs, "%s cpu %d: pfn %d on pcp list %d is in state %d", z, cpu, pfn, mt, mm.state(pfn));
                    }
                    int order = mm.order(pfn);
                    if (listOrder < 0) {
                        listOrder = order;
                    } else if (order != listOrder) {
                        err(errs, "%s cpu %d: pcp list %d holds orders %d and %d", z, cpu, mt, listOrder, order);
                    }
                    if ((pfn & ((1 << order) - 1)) != 0) {
                        err(errs, "%s cpu %d: pcp block %d of order %d is misaligned", z, cpu, pfn, order);
                    }
                    prev = pfn;
                    n += 1 << order;
                    if (n > mm.nrPages()) {
                        err(errs, "%s cpu %d: pcp list %d loops", z, cpu, mt);
                        break;
                    }
                }
                if (p.tail[mt] != prev) {
                    err(errs, "%s cpu %d: pcp list %d tail %d, last element %d", z, cpu, mt, p.tail[mt], prev);
                }
            }
            if (n != p.count) {
                err(errs, "%s cpu %d: pcp count %d but the lists hold %d", z, cpu, p.count, n);
            }
        }
    }

    /**
     * Walks the zone's pfns: each is the head of a free, per-CPU or allocated block, reserved or
     * absent; tails only inside blocks. Per-CPU blocks carry their order in the memmap in every
     * kernel (order 0 on 2.6.32's lists, up to the pageblock order on 6.1's).
     */
    private static void checkCoverage(MemMap mm, Zone z, List<String> errs) {
        long end = z.zoneEndPfn();
        for (long p = z.zoneStartPfn; p < end; ) {
            int pfn = (int) p;
            int state = mm.state(pfn);
            if (state == PS_NOMAP || state == PS_RESERVED) {
                if (state != PS_NOMAP && mm.zoneIdx(pfn) != z.idx) {
                    err(errs, "%s: pfn %d carries zone %d", z, pfn, mm.zoneIdx(pfn));
                }
                p++;
                continue;
            }
            if (state == PS_BUDDY || state == PS_ALLOCATED || state == PS_PCP) {
                if (mm.zoneIdx(pfn) != z.idx) {
                    err(errs, "%s: pfn %d carries zone %d", z, pfn, mm.zoneIdx(pfn));
                }
                int order = mm.order(pfn);
                for (long t = p + 1; t < p + (1L << order); t++) {
                    if (t >= end || mm.state((int) t) != PS_TAIL) {
                        err(errs, "%s: pfn %d inside the order-%d block at %d is in state %d", z, t, order, pfn,
                                t < end ? mm.state((int) t) : -1);
                        break;
                    }
                }
                p += 1L << order;
                continue;
            }
            err(errs, "%s: pfn %d is in state %d outside any block", z, pfn, state);
            p++;
        }
    }
}
