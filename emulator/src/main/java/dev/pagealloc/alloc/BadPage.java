package dev.pagealloc.alloc;

import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mem.MemMapDescriptor;
import dev.pagealloc.profile.Arch;

/**
 * The second line of {@code bad_page()} (mm/page_alloc.c, 2.6.32):
 * {@code "page:%p flags:%p count:%d mapcount:%d mapping:%p index:%lx"}.
 *
 * <p>{@code page} is the emulated struct page address: on x86_64 the vmemmap base
 * 0xffffea0000000000 + pfn × 56; on i386 mem_map at 0xc1000000 + pfn × 32 (an assumption: the
 * real base depends on the kernel image size). {@code flags} carries PG_reserved (bit 10) or
 * PG_buddy (bit 19) and the zone number in the top bits (ZONES_PGSHIFT), as page->flags does.
 * {@code %p} of NULL prints {@code (null)}.
 */
final class BadPage {
    private static final int PG_RESERVED = 10;
    private static final int PG_BUDDY = 19;

    private BadPage() {}

    static String pageLine(Arch arch, MemMap mm, int pfn) {
        boolean is64 = arch == Arch.X86_64;
        long page = is64 ? 0xffffea0000000000L + (long) pfn * 56 : 0xc1000000L + (long) pfn * 32;
        int state = mm.state(pfn);
        long flags = 0;
        if (state == MemMapDescriptor.PS_RESERVED) {
            flags |= 1L << PG_RESERVED;
        } else if (state == MemMapDescriptor.PS_BUDDY) {
            flags |= 1L << PG_BUDDY;
        }
        flags |= (long) mm.zoneIdx(pfn) << (is64 ? 62 : 30);
        int count = state == MemMapDescriptor.PS_ALLOCATED ? 1 : 0;
        int mapcount = 0; // 2.6.32 marks free heads with PG_buddy, not _mapcount
        String fmt = is64 ? "%016x" : "%08x";
        return "page:" + String.format(fmt, page) + " flags:" + String.format(fmt, flags)
                + " count:" + count + " mapcount:" + mapcount + " mapping:(null) index:0";
    }
}
