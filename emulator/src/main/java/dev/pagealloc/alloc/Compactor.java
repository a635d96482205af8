package dev.pagealloc.alloc;

/**
 * Direct compaction as the slow path calls it ({@code __alloc_pages_direct_compact()} →
 * {@code try_to_compact_pages()}, mm/compaction.c), and kcompactd as kswapd wakes it. Profiles
 * without compaction (2.6.32) never call it. Implementations move movable (LRU) pages from the
 * bottom of a zone to free pages at its top until a block of the requested order is free.
 */
public interface Compactor {
    /** {@code enum compact_priority}: COMPACT_PRIO_SYNC_FULL 0, SYNC_LIGHT 1, ASYNC 2. */
    int COMPACT_PRIO_SYNC_FULL = 0;
    int COMPACT_PRIO_SYNC_LIGHT = 1;
    int COMPACT_PRIO_ASYNC = 2;
    int INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC;
    /** {@code DEF_COMPACT_PRIORITY}, include/linux/compaction.h:14: the slow path's loop starts here. */
    int DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT;
    int MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL;
    int MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT;

    /** {@code MAX_COMPACT_RETRIES}, include/linux/compaction.h. */
    int MAX_COMPACT_RETRIES = 16;

    /** {@code enum compact_result} values the slow path looks at. */
    int COMPACT_NOT_SUITABLE_ZONE = 0;
    int COMPACT_SKIPPED = 1;
    int COMPACT_DEFERRED = 2;
    int COMPACT_NO_SUITABLE_PAGE = 3;
    int COMPACT_CONTINUE = 4;
    int COMPACT_COMPLETE = 5;
    int COMPACT_PARTIAL_SKIPPED = 6;
    int COMPACT_CONTENDED = 7;
    int COMPACT_SUCCESS = 8;

    /**
     * {@code try_to_compact_pages()}: compacts each zone of the zonelist up to
     * {@code highZoneIdx} at {@code prio}; returns the best {@code compact_result}. The caller then
     * retries {@code get_page_from_freelist()}.
     */
    int tryToCompactPages(int gfpMask, int order, int highZoneIdx, int allocFlags, int prio);

    /** {@code wakeup_kcompactd()}: background compaction for {@code order}. */
    default void wakeupKcompactd(int order, int highZoneIdx) {}
}
