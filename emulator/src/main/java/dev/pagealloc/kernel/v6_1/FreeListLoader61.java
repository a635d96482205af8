package dev.pagealloc.kernel.v6_1;

import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_BUDDY;

import dev.pagealloc.alloc.FreeListLoader;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.kernel.Migratetypes;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.PfnList;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PerCpuPages;

/**
 * Puts a zone into the state a 4.4+ report describes: the free blocks per order of a buddy line
 * such as {@code "Node 0 DMA: 1247*4kB (MH) 1*8kB (H) …"}, on the free lists its
 * {@code show_migration_types()} letters name, and the per-CPU counts of its {@code free_pcp} /
 * {@code local_pcp} fields.
 *
 * <p>The report says only which lists of an order are non-empty, not how the blocks are shared
 * out: one block goes to each named list other than the first and the rest to the first
 * (Movable when it is named, else the first letter in kernel order). Any such split prints the same
 * letters.
 */
public final class FreeListLoader61 {
    private FreeListLoader61() {}

    /**
     * Loads {@code nrFree} (index = order) into {@code zone} with {@link FreeListLoader}, then moves
     * blocks so that {@code letters[order]} (e.g. "UM", "MH"; null or "" for none printed) names
     * exactly the non-empty lists of each order with free blocks.
     *
     * @throws IllegalArgumentException if an order has fewer blocks than letters, names an unknown
     *     letter, or the zone cannot hold the blocks
     */
    public static void load(PageAllocator a, Zone zone, int[] nrFree, String[] letters) {
        Migratetypes p = a.context().migratetypes();
        int movable = MigrateType.MIGRATE_MOVABLE.ordinal();
        FreeListLoader.load(a, zone, nrFree, movable);
        for (int order = 0; order < nrFree.length; order++) {
            String l = letters == null || order >= letters.length || letters[order] == null ? "" : letters[order];
            if (nrFree[order] == 0 || l.isEmpty()) {
                continue;
            }
            if (l.length() > nrFree[order]) {
                throw new IllegalArgumentException(String.format("zone %s order %d: %d blocks cannot fill the %d lists (%s)",
                        zone.name, order, nrFree[order], l.length(), l));
            }
            int[] slots = new int[l.length()];
            for (int i = 0; i < l.length(); i++) {
                int v = ShowMem61.TYPE_LETTERS.indexOf(l.charAt(i));
                if (v < 0 || v >= p.count()) {
                    throw new IllegalArgumentException("zone " + zone.name + " order " + order
                            + ": unknown migratetype letter '" + l.charAt(i) + "' (expected one of U M E H I)");
                }
                slots[i] = p.slot(v);
            }
            boolean keepsMovable = false;
            for (int s : slots) {
                keepsMovable |= s == movable;
            }
            int first = keepsMovable ? movable : slots[0];
            for (int s : slots) {
                if (s != first) {
                    move(a, zone, order, movable, s);
                }
            }
            if (!keepsMovable) {
                while (zone.listLen[Zone.slot(order, movable)] > 0) {
                    move(a, zone, order, movable, first);
                }
            }
        }
    }

    private static void move(PageAllocator a, Zone zone, int order, int from, int to) {
        int pfn = a.takeFreeBlock(zone, order, from);
        a.freeToBuddy(pfn, order, to);
    }

    /**
     * Puts {@code pages} order-0 pages of {@code zone} on {@code cpu}'s per-CPU Movable list, as
     * {@code free_unref_page_commit()} would leave them: taken from the zone's allocated pages (never
     * from its free lists, so the buddy lines do not change), lowest pfns first.
     *
     * @throws IllegalArgumentException if the zone has fewer allocated pages
     */
    public static void loadPcp(PageAllocator a, Zone zone, int cpu, long pages) {
        if (pages <= 0) {
            return;
        }
        MemMap mm = a.memMap();
        PerCpuPages pcp = zone.pcp[cpu];
        int movable = MigrateType.MIGRATE_MOVABLE.ordinal();
        int list = Pcp61.orderToPindex(a.context().migratetypes().kernelValue(movable), 0);
        long left = pages;
        long end = zone.zoneEndPfn();
        for (long q = zone.zoneStartPfn; q < end && left > 0; ) {
            int pfn = (int) q;
            int state = mm.state(pfn);
            if (state != PS_ALLOCATED) {
                q += state == PS_BUDDY ? 1L << mm.order(pfn) : 1;
                continue;
            }
            int order = mm.order(pfn);
            int size = 1 << order;
            for (int i = 0; i < size; i++) {
                mm.setStateOrder(pfn + i, PS_ALLOCATED, 0); // split_page()
            }
            for (int i = 0; i < size && left > 0; i++, left--) {
                mm.setStatePcp(pfn + i, movable, 0);
                PfnList.add(mm, pcp.head, pcp.tail, list, pfn + i);
                pcp.count++;
            }
            q += size;
        }
        if (left > 0) {
            throw new IllegalArgumentException(String.format("zone %s has %d allocated pages too few for %d on cpu %d's lists",
                    zone.name, left, pages, cpu));
        }
    }
}
