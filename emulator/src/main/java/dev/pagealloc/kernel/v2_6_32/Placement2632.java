package dev.pagealloc.kernel.v2_6_32;

import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.buddy.BuddyPlacement;
import dev.pagealloc.mmzone.Zone;

/**
 * 2.6.32's free-list placement: {@code __free_one_page()} (mm/page_alloc.c:449 [2632]) merges any
 * two free buddies and {@code list_add()}s the result at the head; {@code move_freepages()}
 * (:761) does the same. The most recently freed block is the next one handed out.
 */
final class Placement2632 implements BuddyPlacement {
    static final Placement2632 INSTANCE = new Placement2632();

    private Placement2632() {}

    @Override
    public boolean mayMerge(Buddy buddy, int migratetype, int buddyPfn, int order) {
        return true;
    }

    @Override
    public boolean freeToTail(Buddy buddy, Zone zone, int pfn, int order, boolean toTail) {
        return false;
    }

    @Override
    public boolean moveToTail() {
        return false;
    }
}
