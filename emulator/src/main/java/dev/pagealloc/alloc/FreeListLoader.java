package dev.pagealloc.alloc;

import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_TAIL;

import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;

/**
 * Puts a zone into the state a report describes: exactly {@code nrFree[o]} free blocks of each
 * order, as in a report's "Node 0 DMA32: 2360*4kB 80*8kB …" line. Used to replay a real failure
 * against its own free lists.
 *
 * <p>It drains the per-CPU lists, takes every free block of the zone, then picks, from the largest
 * order down and at the lowest addresses, blocks to free again whose buddy keeps at least one page
 * that will stay in use (a reserved page, or one it pins): nothing can merge, so the counts are
 * exact. The rest of what it took stays allocated, split into aligned blocks.
 */
public final class FreeListLoader {
    private FreeListLoader() {}

    /**
     * Loads {@code nrFree} (index = order) into {@code zone}, every block on the
     * {@code migratetype} list. Throws IllegalArgumentException if the zone cannot hold them.
     */
    public static void load(PageAllocator a, Zone zone, int[] nrFree, int migratetype) {
        a.drainAllPages();
        MemMap mm = a.memMap();
        int base = (int) zone.zoneStartPfn;
        int span = (int) zone.spannedPages;
        boolean[] avail = new boolean[span]; // taken from the free lists, may be freed again
        boolean[] chosen = new boolean[span];
        boolean[] kept = new boolean[span]; // pinned in use so that a chosen block cannot merge
        for (int order = Zone.MAX_ORDER - 1; order >= 0; order--) {
            for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
                int pfn;
                while ((pfn = a.takeFreeBlock(zone, order, mt)) >= 0) {
                    for (int i = 0; i < 1 << order; i++) {
                        avail[pfn - base + i] = true;
                    }
                }
            }
        }
        int[] chosenOrder = new int[span];
        java.util.Arrays.fill(chosenOrder, -1);
        int[] picks = new int[total(nrFree)];
        int np = 0;
        for (int order = Zone.MAX_ORDER - 1; order >= 0; order--) {
            int size = 1 << order;
            int cursor = alignUp(base, size);
            for (int n = 0; n < nrFree[order]; n++) {
                int found = -1;
                for (; cursor + size <= base + span; cursor += size) {
                    if (free(avail, chosen, kept, cursor - base, size) && buddyStaysUsed(avail, chosen, kept, base, span, cursor, order)) {
                        found = cursor;
                        cursor += size;
                        break;
                    }
                }
                if (found < 0) {
                    throw new IllegalArgumentException(String.format(
                            "zone %s cannot hold %d free blocks of order %d with the others", zone.name,
                            nrFree[order], order));
                }
                pinBuddy(avail, chosen, kept, base, span, found, order);
                for (int i = 0; i < size; i++) {
                    chosen[found - base + i] = true;
                }
                chosenOrder[found - base] = order;
                picks[np++] = found;
            }
        }
        // Re-split everything taken into allocated blocks that either are one chosen block or
        // hold none, so the memmap describes exactly what is free and what is not.
        for (int p = 0; p < span; ) {
            if (!avail[p]) {
                p++;
                continue;
            }
            int order = Integer.numberOfTrailingZeros((base + p) | (1 << (Zone.MAX_ORDER - 1)));
            while (order > 0 && (p + (1 << order) > span || !allAvail(avail, p, 1 << order))) {
                order--;
            }
            markBlocks(mm, avail, chosen, chosenOrder, base, p, order);
            p += 1 << order;
        }
        for (int i = 0; i < np; i++) {
            int pfn = picks[i];
            a.freeToBuddy(pfn, chosenOrder[pfn - base], migratetype);
        }
    }

    private static void markBlocks(MemMap mm, boolean[] avail, boolean[] chosen, int[] chosenOrder, int base,
            int p, int order) {
        int size = 1 << order;
        boolean any = false;
        boolean all = true;
        for (int i = 0; i < size; i++) {
            any |= chosen[p + i];
            all &= chosen[p + i];
        }
        if (!any || (all && chosenOrder[p] == order)) {
            mm.setStateOrder(base + p, PS_ALLOCATED, order);
            for (int i = 1; i < size; i++) {
                mm.setStateOrder(base + p + i, PS_TAIL, 0);
            }
            return;
        }
        markBlocks(mm, avail, chosen, chosenOrder, base, p, order - 1);
        markBlocks(mm, avail, chosen, chosenOrder, base, p + size / 2, order - 1);
    }

    private static boolean allAvail(boolean[] avail, int p, int n) {
        for (int i = 0; i < n; i++) {
            if (!avail[p + i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean free(boolean[] avail, boolean[] chosen, boolean[] kept, int p, int n) {
        for (int i = 0; i < n; i++) {
            if (!avail[p + i] || chosen[p + i] || kept[p + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the buddy of the order-{@code order} block at {@code pfn} can be kept from ever being
     * wholly free: false only when the buddy is itself a block already chosen to be free.
     */
    private static boolean buddyStaysUsed(boolean[] avail, boolean[] chosen, boolean[] kept, int base, int span,
            int pfn, int order) {
        if (order == Zone.MAX_ORDER - 1) {
            return true;
        }
        int b = (pfn ^ (1 << order)) - base;
        if (b < 0 || b + (1 << order) > span) {
            return true;
        }
        for (int i = 0; i < 1 << order; i++) {
            if (!avail[b + i] || kept[b + i] || !chosen[b + i]) {
                return true;
            }
        }
        return false;
    }

    /** Keeps one page of the buddy in use unless it already holds one (reserved, outside, kept). */
    private static void pinBuddy(boolean[] avail, boolean[] chosen, boolean[] kept, int base, int span, int pfn,
            int order) {
        if (order == Zone.MAX_ORDER - 1) {
            return;
        }
        int b = (pfn ^ (1 << order)) - base;
        if (b < 0 || b + (1 << order) > span) {
            return;
        }
        for (int i = 0; i < 1 << order; i++) {
            if (!avail[b + i] || kept[b + i]) {
                return;
            }
        }
        for (int i = (1 << order) - 1; i >= 0; i--) {
            if (!chosen[b + i]) {
                kept[b + i] = true;
                return;
            }
        }
    }

    private static int total(int[] nrFree) {
        int t = 0;
        for (int n : nrFree) {
            t += n;
        }
        return t;
    }

    private static int alignUp(int x, int a) {
        return (x + a - 1) & -a;
    }
}
