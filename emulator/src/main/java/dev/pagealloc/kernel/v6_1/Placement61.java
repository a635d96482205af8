package dev.pagealloc.kernel.v6_1;

import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RESERVE;
import static dev.pagealloc.mmzone.Zone.MAX_ORDER;

import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.buddy.BuddyPlacement;
import dev.pagealloc.mmzone.Zone;

/**
 * 6.1's free-list placement (mm/page_alloc.c [61]): {@code __free_one_page()} (:1111) does not merge
 * pageblock-order blocks across a HighAtomic or Isolate pageblock of another type, and puts a
 * block that did not reach MAX_ORDER − 2 at the tail when its would-be parent's buddy is free
 * ({@code buddy_merge_likely()}, :1071), or when the caller asked ({@code FPI_TO_TAIL});
 * {@code move_to_free_list()} (:1041) always moves to the tail.
 */
final class Placement61 implements BuddyPlacement {
    static final Placement61 INSTANCE = new Placement61();

    private Placement61() {}

    /**
     * Below pageblock order every buddy merges; at or above, not across a HighAtomic or Isolate
     * pageblock of another type ({@code migratetype_is_mergeable()}: slots below MIGRATE_RESERVE's,
     * where HighAtomic lives).
     */
    @Override
    public boolean mayMerge(Buddy buddy, int migratetype, int buddyPfn, int order) {
        if (order < buddy.pageblockOrder()) {
            return true;
        }
        int buddyMt = buddy.memMap().pageblockMigratetype(buddyPfn);
        if (migratetype == buddyMt) {
            return true;
        }
        return migratetype < MIGRATE_RESERVE.ordinal() && buddyMt < MIGRATE_RESERVE.ordinal();
    }

    @Override
    public boolean freeToTail(Buddy buddy, Zone zone, int pfn, int order, boolean toTail) {
        if (toTail) {
            return true;
        }
        if (order >= MAX_ORDER - 2) {
            return false;
        }
        // buddy_merge_likely(): is the buddy of our would-be parent free at order + 1?
        int higher = pfn & ~(1 << order);
        return buddy.pageIsBuddy(zone, higher ^ (1 << (order + 1)), order + 1);
    }

    @Override
    public boolean moveToTail() {
        return true;
    }
}
