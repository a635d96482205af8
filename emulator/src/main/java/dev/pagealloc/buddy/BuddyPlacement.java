package dev.pagealloc.buddy;

import dev.pagealloc.mmzone.Zone;

/**
 * What kernels change in the buddy mechanism of mm/page_alloc.c: whether two free buddies may
 * merge, which end of a list a freed or merged block goes to ({@code __free_one_page()}), and
 * which end a moved block goes to ({@code move_freepages()}). The mechanism itself (the buddy
 * arithmetic, splitting, the lists) is {@link Buddy}'s and the same in every kernel.
 */
public interface BuddyPlacement {
    /**
     * Whether a block of {@code migratetype} (a slot) may merge at {@code order} with its free buddy
     * at {@code buddyPfn}. A kernel that looks at the buddy's pageblock reads it here, only when its
     * rule needs it: this is on the merge loop of every free.
     */
    boolean mayMerge(Buddy buddy, int migratetype, int buddyPfn, int order);

    /**
     * Whether the block that {@code __free_one_page()} ends with, at {@code pfn} of {@code order},
     * goes to the tail of its list rather than the head. {@code toTail} is the caller's
     * {@code FPI_TO_TAIL}.
     */
    boolean freeToTail(Buddy buddy, Zone zone, int pfn, int order, boolean toTail);

    /** Whether {@code move_freepages()} puts a moved block at the tail ({@code move_to_free_list()}). */
    boolean moveToTail();
}
