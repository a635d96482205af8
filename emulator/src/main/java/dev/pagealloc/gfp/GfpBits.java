package dev.pagealloc.gfp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One kernel profile's GFP table as data: the named {@code __GFP_*} bits (include/linux/gfp.h),
 * the composite masks written as the kernel's own definitions and evaluated from the bits, and the
 * tracepoint name table ({@code show_gfp_flags} in include/trace/events/kmem.h for 2.6.32;
 * gfpflags.h in 3.x; {@code __def_gfpflag_names} in mmflags.h from 4.x). A later profile is a new
 * instance built the same way; callers never change.
 *
 * <p>One instance per bit layout, oldest first in {@link #all()}: {@link #V2_6_32}, {@link #V3_10},
 * {@link #V4_4}, {@link #V4_9}, {@link #V4_10}/{@link #V4_13}/{@link #V4_14}, {@link #V4_19},
 * {@link #V5_4}/{@link #V5_14}/{@link #V6_1}, {@link #V6_4}, {@link #V6_8} (= {@link #V6_12});
 * {@link #forKernel(String)} picks one from a release string. Each also carries its era's rules
 * ({@link #canSleep}, {@link #isAtomicHarder}, {@link #migratetype}, and
 * {@link AllocFlags#gfpToAllocFlags(GfpBits, int)}) and its failure-header style
 * ({@link #headerMode}, {@link #formatPGg}).
 *
 * <p>Parsing ({@link #parse(String)}) and printing ({@link #traceFlags(int)}, {@link #describe(int)},
 * {@link #hex(int)}) are driven by the table. The allocator's hot path does not use this class: it
 * tests bits through int constants such as {@link Gfp2632#__GFP_WAIT}.
 */
public final class GfpBits {

    /** One entry of a kernel {@code struct trace_print_flags} table: a mask and the name printed for it. */
    public record FlagName(int mask, String name) {}

    /**
     * 2.6.32 ([2632] include/linux/gfp.h, include/trace/events/kmem.h). {@code __GFP_NOTRACK} is 0
     * without CONFIG_KMEMCHECK and is left out; GFP_THISNODE (0 without NUMA) is not a composite
     * here, so the name parses as the trace spelling of {@code __GFP_THISNODE}.
     */
    public static final GfpBits V2_6_32 = new Builder("2.6.32", 22)
            .era("2.6.32/3.x", Rules.P2632, "2.6", "2.6")
            .bit("__GFP_DMA", 0x01)
            .bit("__GFP_HIGHMEM", 0x02)
            .bit("__GFP_DMA32", 0x04)
            .bit("__GFP_MOVABLE", 0x08)
            .bit("__GFP_WAIT", 0x10)
            .bit("__GFP_HIGH", 0x20)
            .bit("__GFP_IO", 0x40)
            .bit("__GFP_FS", 0x80)
            .bit("__GFP_COLD", 0x100)
            .bit("__GFP_NOWARN", 0x200)
            .bit("__GFP_REPEAT", 0x400)
            .bit("__GFP_NOFAIL", 0x800)
            .bit("__GFP_NORETRY", 0x1000)
            .bit("__GFP_COMP", 0x4000)
            .bit("__GFP_ZERO", 0x8000)
            .bit("__GFP_NOMEMALLOC", 0x10000)
            .bit("__GFP_HARDWALL", 0x20000)
            .bit("__GFP_THISNODE", 0x40000)
            .bit("__GFP_RECLAIMABLE", 0x80000)
            .composite("GFP_ATOMIC", "__GFP_HIGH")
            .composite("GFP_NOWAIT", "GFP_ATOMIC & ~__GFP_HIGH")
            .composite("GFP_NOIO", "__GFP_WAIT")
            .composite("GFP_NOFS", "__GFP_WAIT | __GFP_IO")
            .composite("GFP_KERNEL", "__GFP_WAIT | __GFP_IO | __GFP_FS")
            .composite("GFP_TEMPORARY", "__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_RECLAIMABLE")
            .composite("GFP_USER", "__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL")
            .composite("GFP_HIGHUSER", "__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL | __GFP_HIGHMEM")
            .composite("GFP_HIGHUSER_MOVABLE",
                    "__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL | __GFP_HIGHMEM | __GFP_MOVABLE")
            .composite("GFP_DMA", "__GFP_DMA")
            .composite("GFP_DMA32", "__GFP_DMA32")
            // show_gfp_flags(): (flags) ? __print_flags(flags, "|", ...) : "GFP_NOWAIT".
            // Note: no __GFP_FS, __GFP_DMA, __GFP_HIGHMEM or __GFP_DMA32 entry; those print as hex.
            .trace("GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER_MOVABLE")
            .trace("GFP_HIGHUSER", "GFP_HIGHUSER")
            .trace("GFP_USER", "GFP_USER")
            .trace("GFP_TEMPORARY", "GFP_TEMPORARY")
            .trace("GFP_KERNEL", "GFP_KERNEL")
            .trace("GFP_NOFS", "GFP_NOFS")
            .trace("GFP_ATOMIC", "GFP_ATOMIC")
            .trace("GFP_NOIO", "GFP_NOIO")
            .trace("__GFP_HIGH", "GFP_HIGH")
            .trace("__GFP_WAIT", "GFP_WAIT")
            .trace("__GFP_IO", "GFP_IO")
            .trace("__GFP_COLD", "GFP_COLD")
            .trace("__GFP_NOWARN", "GFP_NOWARN")
            .trace("__GFP_REPEAT", "GFP_REPEAT")
            .trace("__GFP_NOFAIL", "GFP_NOFAIL")
            .trace("__GFP_NORETRY", "GFP_NORETRY")
            .trace("__GFP_COMP", "GFP_COMP")
            .trace("__GFP_ZERO", "GFP_ZERO")
            .trace("__GFP_NOMEMALLOC", "GFP_NOMEMALLOC")
            .trace("__GFP_HARDWALL", "GFP_HARDWALL")
            .trace("__GFP_THISNODE", "GFP_THISNODE")
            .trace("__GFP_RECLAIMABLE", "GFP_RECLAIMABLE")
            .trace("__GFP_MOVABLE", "GFP_MOVABLE")
            .traceZero("GFP_NOWAIT")
            .describeOrder("GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER", "GFP_USER", "GFP_TEMPORARY",
                    "GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO")
            .build();

    /**
     * 3.x (checked against 3.10.99 [310] include/linux/gfp.h and include/trace/events/gfpflags.h,
     * {@code __GFP_BITS_SHIFT 25}): the 2.6.32 bits plus {@code __GFP_MEMALLOC 0x2000} (3.6+),
     * {@code __GFP_KMEMCG 0x100000} (3.8–3.18), {@code __GFP_NOTRACK 0x200000},
     * {@code __GFP_NO_KSWAPD 0x400000}, {@code __GFP_OTHER_NODE 0x800000} and
     * {@code __GFP_WRITE 0x1000000}. Stands for every kernel from 3.0 to 4.3 (the last with
     * {@code __GFP_WAIT}); reports print {@code mode:0x%x} (plain hex). GFP_TRANSHUGE assumes
     * CONFIG_TRANSPARENT_HUGEPAGE (it is 0 without it). The tracepoint table is 3.10's gfpflags.h
     * (no entry for {@code __GFP_FS}, {@code __GFP_WRITE} or the zone bits: they print as hex).
     */
    public static final GfpBits V3_10 = new Builder("3.10", 25)
            .era("2.6.32/3.x", Rules.P310, "3.0", "4.3")
            .bit("__GFP_DMA", 0x01)
            .bit("__GFP_HIGHMEM", 0x02)
            .bit("__GFP_DMA32", 0x04)
            .bit("__GFP_MOVABLE", 0x08)
            .bit("__GFP_WAIT", 0x10)
            .bit("__GFP_HIGH", 0x20)
            .bit("__GFP_IO", 0x40)
            .bit("__GFP_FS", 0x80)
            .bit("__GFP_COLD", 0x100)
            .bit("__GFP_NOWARN", 0x200)
            .bit("__GFP_REPEAT", 0x400)
            .bit("__GFP_NOFAIL", 0x800)
            .bit("__GFP_NORETRY", 0x1000)
            .bit("__GFP_MEMALLOC", 0x2000)
            .bit("__GFP_COMP", 0x4000)
            .bit("__GFP_ZERO", 0x8000)
            .bit("__GFP_NOMEMALLOC", 0x10000)
            .bit("__GFP_HARDWALL", 0x20000)
            .bit("__GFP_THISNODE", 0x40000)
            .bit("__GFP_RECLAIMABLE", 0x80000)
            .bit("__GFP_KMEMCG", 0x100000)
            .bit("__GFP_NOTRACK", 0x200000)
            .bit("__GFP_NO_KSWAPD", 0x400000)
            .bit("__GFP_OTHER_NODE", 0x800000)
            .bit("__GFP_WRITE", 0x1000000)
            .composite("GFP_ATOMIC", "__GFP_HIGH")
            .composite("GFP_NOWAIT", "GFP_ATOMIC & ~__GFP_HIGH")
            .composite("GFP_NOIO", "__GFP_WAIT")
            .composite("GFP_NOFS", "__GFP_WAIT | __GFP_IO")
            .composite("GFP_KERNEL", "__GFP_WAIT | __GFP_IO | __GFP_FS")
            .composite("GFP_TEMPORARY", "__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_RECLAIMABLE")
            .composite("GFP_USER", "__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL")
            .composite("GFP_HIGHUSER", "GFP_USER | __GFP_HIGHMEM")
            .composite("GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER | __GFP_MOVABLE")
            .composite("GFP_DMA", "__GFP_DMA")
            .composite("GFP_DMA32", "__GFP_DMA32")
            .composite("GFP_TRANSHUGE", "GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC"
                    + " | __GFP_NORETRY | __GFP_NOWARN | __GFP_NO_KSWAPD")
            .trace("GFP_TRANSHUGE", "GFP_TRANSHUGE")
            .trace("GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER_MOVABLE")
            .trace("GFP_HIGHUSER", "GFP_HIGHUSER")
            .trace("GFP_USER", "GFP_USER")
            .trace("GFP_TEMPORARY", "GFP_TEMPORARY")
            .trace("GFP_KERNEL", "GFP_KERNEL")
            .trace("GFP_NOFS", "GFP_NOFS")
            .trace("GFP_ATOMIC", "GFP_ATOMIC")
            .trace("GFP_NOIO", "GFP_NOIO")
            .trace("__GFP_HIGH", "GFP_HIGH")
            .trace("__GFP_WAIT", "GFP_WAIT")
            .trace("__GFP_IO", "GFP_IO")
            .trace("__GFP_COLD", "GFP_COLD")
            .trace("__GFP_NOWARN", "GFP_NOWARN")
            .trace("__GFP_REPEAT", "GFP_REPEAT")
            .trace("__GFP_NOFAIL", "GFP_NOFAIL")
            .trace("__GFP_NORETRY", "GFP_NORETRY")
            .trace("__GFP_COMP", "GFP_COMP")
            .trace("__GFP_ZERO", "GFP_ZERO")
            .trace("__GFP_NOMEMALLOC", "GFP_NOMEMALLOC")
            .trace("__GFP_MEMALLOC", "GFP_MEMALLOC")
            .trace("__GFP_HARDWALL", "GFP_HARDWALL")
            .trace("__GFP_THISNODE", "GFP_THISNODE")
            .trace("__GFP_RECLAIMABLE", "GFP_RECLAIMABLE")
            .trace("__GFP_KMEMCG", "GFP_KMEMCG")
            .trace("__GFP_MOVABLE", "GFP_MOVABLE")
            .trace("__GFP_NOTRACK", "GFP_NOTRACK")
            .trace("__GFP_NO_KSWAPD", "GFP_NO_KSWAPD")
            .trace("__GFP_OTHER_NODE", "GFP_OTHER_NODE")
            .traceZero("GFP_NOWAIT")
            .describeOrder("GFP_TRANSHUGE", "GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER", "GFP_USER",
                    "GFP_TEMPORARY", "GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO")
            .build();

    /**
     * 4.4 ([44] include/linux/gfp.h, {@code __GFP_BITS_SHIFT 26}): the re-layout that split
     * {@code __GFP_WAIT} into {@code __GFP_DIRECT_RECLAIM 0x400000} and
     * {@code __GFP_KSWAPD_RECLAIM 0x2000000}, added {@code __GFP_ATOMIC 0x80000} and moved
     * {@code __GFP_RECLAIMABLE} to 0x10. Stands for 4.4–4.5: reports still print
     * {@code mode:0x%x}; the tracepoint uses 4.4's gfpflags.h ({@code GFP_*} spellings, zero →
     * {@code GFP_NOWAIT}). Bit 0x100000 is {@code __GFP_NOACCOUNT} in 4.4 ({@code __GFP_ACCOUNT}
     * from 4.5).
     */
    public static final GfpBits V4_4 = layout44("4.4", "4.4", "4.5", false)
            .trace("GFP_TRANSHUGE", "GFP_TRANSHUGE")
            .trace("GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER_MOVABLE")
            .trace("GFP_HIGHUSER", "GFP_HIGHUSER")
            .trace("GFP_USER", "GFP_USER")
            .trace("GFP_TEMPORARY", "GFP_TEMPORARY")
            .trace("GFP_KERNEL", "GFP_KERNEL")
            .trace("GFP_NOFS", "GFP_NOFS")
            .trace("GFP_ATOMIC", "GFP_ATOMIC")
            .trace("GFP_NOIO", "GFP_NOIO")
            .trace("__GFP_HIGH", "GFP_HIGH")
            .trace("__GFP_ATOMIC", "GFP_ATOMIC")
            .trace("__GFP_IO", "GFP_IO")
            .trace("__GFP_COLD", "GFP_COLD")
            .trace("__GFP_NOWARN", "GFP_NOWARN")
            .trace("__GFP_REPEAT", "GFP_REPEAT")
            .trace("__GFP_NOFAIL", "GFP_NOFAIL")
            .trace("__GFP_NORETRY", "GFP_NORETRY")
            .trace("__GFP_COMP", "GFP_COMP")
            .trace("__GFP_ZERO", "GFP_ZERO")
            .trace("__GFP_NOMEMALLOC", "GFP_NOMEMALLOC")
            .trace("__GFP_MEMALLOC", "GFP_MEMALLOC")
            .trace("__GFP_HARDWALL", "GFP_HARDWALL")
            .trace("__GFP_THISNODE", "GFP_THISNODE")
            .trace("__GFP_RECLAIMABLE", "GFP_RECLAIMABLE")
            .trace("__GFP_MOVABLE", "GFP_MOVABLE")
            .trace("__GFP_NOTRACK", "GFP_NOTRACK")
            .trace("__GFP_DIRECT_RECLAIM", "GFP_DIRECT_RECLAIM")
            .trace("__GFP_KSWAPD_RECLAIM", "GFP_KSWAPD_RECLAIM")
            .trace("__GFP_OTHER_NODE", "GFP_OTHER_NODE")
            .traceZero("GFP_NOWAIT")
            .describeOrder("GFP_TRANSHUGE", "GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER", "GFP_USER",
                    "GFP_TEMPORARY", "GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO", "GFP_NOWAIT")
            .build();

    /**
     * 4.9 ([49]): the 4.4 bits with {@code __GFP_ACCOUNT}, GFP_KERNEL_ACCOUNT and
     * GFP_TRANSHUGE_LIGHT; reports print {@code mode:%#x(%pGg)} over mmflags.h
     * {@code __def_gfpflag_names} (ending in {@code __GFP_OTHER_NODE}). Stands for 4.6–4.9 (4.6
     * introduced {@code %pGg} in warn_alloc); 4.6–4.7 had no GFP_TRANSHUGE_LIGHT and the 4.4
     * GFP_TRANSHUGE, which this table does not model.
     */
    public static final GfpBits V4_9 = layout44("4.9", "4.6", "4.9", true).mmflags().build();

    /**
     * 4.10–4.12: {@code __GFP_OTHER_NODE} removed (commit 41b6167e8f74, "mm: get rid of
     * __GFP_OTHER_NODE", 4.10), so {@code __GFP_WRITE 0x800000}, {@code __GFP_KSWAPD_RECLAIM
     * 0x1000000}, {@code __GFP_BITS_SHIFT 25}; GFP_KERNEL = 0x14000c0. Verified against the 4.10.1
     * include/linux/gfp.h (GitHub kaikai-sk/linux-4.10.1, commit
     * 20b5e53e1d810b2c912b5fd335930ffee3cc58b7) and that patch's mmflags.h hunk.
     */
    public static final GfpBits V4_10 = layout410("4.10", "4.10", "4.12", true, true).mmflags().build();

    /**
     * 4.13: as {@link #V4_10} with {@code __GFP_REPEAT} renamed {@code __GFP_RETRY_MAYFAIL} (same
     * bit 0x400). Release bound from upstream history (commit dcda9b04713c), not from a tree.
     */
    public static final GfpBits V4_13 = layout410("4.13", "4.13", "4.13", false, true).mmflags().build();

    /**
     * 4.14: as {@link #V4_13} without GFP_TEMPORARY (commit 0ee931c4e31a). Layout checked against a
     * 4.14 include/linux/gfp.h (GitHub harveydong/linux-4.14-comment, commit
     * 14516d8205ceb0ec596746481f7813f98377447d), which like later 4.14.y stable kernels no longer has
     * {@code __GFP_NOTRACK} (kmemcheck removal backport); 4.14.0 still names bit 0x200000
     * {@code __GFP_NOTRACK}, kept here.
     */
    public static final GfpBits V4_14 = layout410("4.14", "4.14", "4.14", false, false).mmflags().build();

    /**
     * 4.15–5.3 ([419],[50], {@code __GFP_BITS_SHIFT 23}, NOLOCKDEP 0x800000 only with LOCKDEP, left
     * out): COLD and NOTRACK gone, {@code __GFP_WRITE 0x100}, {@code __GFP_DIRECT_RECLAIM 0x200000},
     * {@code __GFP_KSWAPD_RECLAIM 0x400000}.
     */
    public static final GfpBits V4_19 = new Builder("4.19", 23)
            .era("4.15-5.3", Rules.P44, "4.15", "5.3")
            .bit("__GFP_DMA", 0x01)
            .bit("__GFP_HIGHMEM", 0x02)
            .bit("__GFP_DMA32", 0x04)
            .bit("__GFP_MOVABLE", 0x08)
            .bit("__GFP_RECLAIMABLE", 0x10)
            .bit("__GFP_HIGH", 0x20)
            .bit("__GFP_IO", 0x40)
            .bit("__GFP_FS", 0x80)
            .bit("__GFP_WRITE", 0x100)
            .bit("__GFP_NOWARN", 0x200)
            .bit("__GFP_RETRY_MAYFAIL", 0x400)
            .bit("__GFP_NOFAIL", 0x800)
            .bit("__GFP_NORETRY", 0x1000)
            .bit("__GFP_MEMALLOC", 0x2000)
            .bit("__GFP_COMP", 0x4000)
            .bit("__GFP_ZERO", 0x8000)
            .bit("__GFP_NOMEMALLOC", 0x10000)
            .bit("__GFP_HARDWALL", 0x20000)
            .bit("__GFP_THISNODE", 0x40000)
            .bit("__GFP_ATOMIC", 0x80000)
            .bit("__GFP_ACCOUNT", 0x100000)
            .bit("__GFP_DIRECT_RECLAIM", 0x200000)
            .bit("__GFP_KSWAPD_RECLAIM", 0x400000)
            .composites44(false)
            .mmflags()
            .build();

    /**
     * 5.4–5.13 ([54]): the 5.4 renumbering ({@code __GFP_ZERO 0x100}, {@code __GFP_ATOMIC 0x200},
     * {@code __GFP_DIRECT_RECLAIM 0x400}, {@code __GFP_KSWAPD_RECLAIM 0x800}, ...,
     * {@code __GFP_ACCOUNT 0x400000}); same %pGg table as 4.19.
     */
    public static final GfpBits V5_4 = layout54("5.4", "5.4-6.3", "5.4", "5.13", true, 0).mmflags().build();

    /**
     * 5.14–5.17 ([515] 5.15.85): adds {@code __GFP_ZEROTAGS 0x800000} and an unconditional
     * {@code __GFP_SKIP_KASAN_POISON 0x1000000} which GFP_HIGHUSER_MOVABLE includes, so
     * GFP_HIGHUSER_MOVABLE = 0x1100cca and the THP masks 0x11c20ca / 0x11c24ca even on x86; both names
     * end the %pGg table. The release bounds come from upstream history (5.14 introduced the bits;
     * 5.18 made the KASAN bit depend on CONFIG_KASAN_HW_TAGS); only 5.15.85 was read.
     */
    public static final GfpBits V5_14 = layout54("5.14", "5.4-6.3", "5.14", "5.17", true, 0x1000000)
            .mmflags().build();

    /**
     * 5.18–6.3 ([61] 6.1.20 include/linux/gfp_types.h, x86: no CONFIG_KASAN_HW_TAGS, so
     * SKIP_ZERO/SKIP_KASAN_* are 0 and absent): the 5.4 bits plus {@code __GFP_ZEROTAGS 0x800000},
     * which ends the %pGg table.
     */
    public static final GfpBits V6_1 = layout54("6.1", "5.4-6.3", "5.18", "6.3", true, -1).mmflags().build();

    /**
     * 6.4–6.7: {@code __GFP_ATOMIC} removed (bit 0x200 unused); GFP_ATOMIC = HIGH|KSWAPD_RECLAIM =
     * 0x820, GFP_NOWAIT = 0x800; ALLOC_HARDER replaced by ALLOC_NON_BLOCK / ALLOC_MIN_RESERVE /
     * ALLOC_HIGHATOMIC.
     */
    public static final GfpBits V6_4 = layout54("6.4", "6.4+", "6.4", "6.7", false, -1).mmflags().build();

    /**
     * 6.8 and later ([612] 6.12.19, [613] 6.13.7, gfp_types.h as an enum): as {@link #V6_4} with
     * GFP_NOWAIT = KSWAPD_RECLAIM|NOWARN = 0x2800 ("gfp: Include __GFP_NOWARN in GFP_NOWAIT",
     * posted 2023-11-09, merged for 6.8 per upstream history; the spec only saw it in 6.12/6.13).
     */
    public static final GfpBits V6_8 = layout54("6.8", "6.4+", "6.8", "99.99", false, -1)
            .composite("GFP_NOWAIT", "__GFP_KSWAPD_RECLAIM | __GFP_NOWARN")
            .mmflags().build();

    /** The 6.12 layout: the same table as {@link #V6_8} (GFP_NOWAIT includes __GFP_NOWARN). */
    public static final GfpBits V6_12 = V6_8;

    /** Every layout, oldest first ({@link #V6_12} is {@link #V6_8}). */
    private static final List<GfpBits> ALL = List.of(
            V2_6_32, V3_10, V4_4, V4_9, V4_10, V4_13, V4_14, V4_19, V5_4, V5_14, V6_1, V6_4, V6_8);

    /** Every distinct layout, oldest first. */
    public static List<GfpBits> all() {
        return ALL;
    }

    /** The 4.4 bits (4.4–4.9). */
    private static Builder layout44(String profile, String first, String last, boolean v49) {
        Builder b = new Builder(profile, 26)
                .era("4.4-4.9", Rules.P44, first, last)
                .namesInHeader(v49)
                .bit("__GFP_DMA", 0x01)
                .bit("__GFP_HIGHMEM", 0x02)
                .bit("__GFP_DMA32", 0x04)
                .bit("__GFP_MOVABLE", 0x08)
                .bit("__GFP_RECLAIMABLE", 0x10)
                .bit("__GFP_HIGH", 0x20)
                .bit("__GFP_IO", 0x40)
                .bit("__GFP_FS", 0x80)
                .bit("__GFP_COLD", 0x100)
                .bit("__GFP_NOWARN", 0x200)
                .bit("__GFP_REPEAT", 0x400)
                .bit("__GFP_NOFAIL", 0x800)
                .bit("__GFP_NORETRY", 0x1000)
                .bit("__GFP_MEMALLOC", 0x2000)
                .bit("__GFP_COMP", 0x4000)
                .bit("__GFP_ZERO", 0x8000)
                .bit("__GFP_NOMEMALLOC", 0x10000)
                .bit("__GFP_HARDWALL", 0x20000)
                .bit("__GFP_THISNODE", 0x40000)
                .bit("__GFP_ATOMIC", 0x80000)
                .bit(v49 ? "__GFP_ACCOUNT" : "__GFP_NOACCOUNT", 0x100000)
                .bit("__GFP_NOTRACK", 0x200000)
                .bit("__GFP_DIRECT_RECLAIM", 0x400000)
                .bit("__GFP_OTHER_NODE", 0x800000)
                .bit("__GFP_WRITE", 0x1000000)
                .bit("__GFP_KSWAPD_RECLAIM", 0x2000000);
        if (v49) {
            return b.composites44(true);
        }
        return b.composite("__GFP_RECLAIM", "__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM")
                .composite("GFP_ATOMIC", "__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM")
                .composite("GFP_KERNEL", "__GFP_RECLAIM | __GFP_IO | __GFP_FS")
                .composite("GFP_NOWAIT", "__GFP_KSWAPD_RECLAIM")
                .composite("GFP_NOIO", "__GFP_RECLAIM")
                .composite("GFP_NOFS", "__GFP_RECLAIM | __GFP_IO")
                .composite("GFP_TEMPORARY", "__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_RECLAIMABLE")
                .composite("GFP_USER", "__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL")
                .composite("GFP_DMA", "__GFP_DMA")
                .composite("GFP_DMA32", "__GFP_DMA32")
                .composite("GFP_HIGHUSER", "GFP_USER | __GFP_HIGHMEM")
                .composite("GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER | __GFP_MOVABLE")
                .composite("GFP_TRANSHUGE", "(GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC"
                        + " | __GFP_NORETRY | __GFP_NOWARN) & ~__GFP_KSWAPD_RECLAIM");
    }

    /** The 4.10–4.14 bits: 4.9 without {@code __GFP_OTHER_NODE}. */
    private static Builder layout410(String profile, String first, String last, boolean repeat, boolean temporary) {
        return new Builder(profile, 25)
                .era("4.10-4.14", Rules.P44, first, last)
                .bit("__GFP_DMA", 0x01)
                .bit("__GFP_HIGHMEM", 0x02)
                .bit("__GFP_DMA32", 0x04)
                .bit("__GFP_MOVABLE", 0x08)
                .bit("__GFP_RECLAIMABLE", 0x10)
                .bit("__GFP_HIGH", 0x20)
                .bit("__GFP_IO", 0x40)
                .bit("__GFP_FS", 0x80)
                .bit("__GFP_COLD", 0x100)
                .bit("__GFP_NOWARN", 0x200)
                .bit(repeat ? "__GFP_REPEAT" : "__GFP_RETRY_MAYFAIL", 0x400)
                .bit("__GFP_NOFAIL", 0x800)
                .bit("__GFP_NORETRY", 0x1000)
                .bit("__GFP_MEMALLOC", 0x2000)
                .bit("__GFP_COMP", 0x4000)
                .bit("__GFP_ZERO", 0x8000)
                .bit("__GFP_NOMEMALLOC", 0x10000)
                .bit("__GFP_HARDWALL", 0x20000)
                .bit("__GFP_THISNODE", 0x40000)
                .bit("__GFP_ATOMIC", 0x80000)
                .bit("__GFP_ACCOUNT", 0x100000)
                .bit("__GFP_NOTRACK", 0x200000)
                .bit("__GFP_DIRECT_RECLAIM", 0x400000)
                .bit("__GFP_WRITE", 0x800000)
                .bit("__GFP_KSWAPD_RECLAIM", 0x1000000)
                .composites44(temporary);
    }

    /**
     * The 5.4+ bits. {@code skipKasanPoison}: 0 = no ZEROTAGS/KASAN bits (5.4–5.13), a value = 5.14–5.17
     * (ZEROTAGS plus the unconditional KASAN bit in GFP_HIGHUSER_MOVABLE), -1 = ZEROTAGS only.
     */
    private static Builder layout54(String profile, String name, String first, String last, boolean atomic,
            int skipKasanPoison) {
        Builder b = new Builder(profile, skipKasanPoison > 0 ? 25 : skipKasanPoison < 0 ? 24 : 23)
                .era(name, atomic ? Rules.P44 : Rules.P64, first, last)
                .bit("__GFP_DMA", 0x01)
                .bit("__GFP_HIGHMEM", 0x02)
                .bit("__GFP_DMA32", 0x04)
                .bit("__GFP_MOVABLE", 0x08)
                .bit("__GFP_RECLAIMABLE", 0x10)
                .bit("__GFP_HIGH", 0x20)
                .bit("__GFP_IO", 0x40)
                .bit("__GFP_FS", 0x80)
                .bit("__GFP_ZERO", 0x100);
        if (atomic) {
            b.bit("__GFP_ATOMIC", 0x200);
        }
        b.bit("__GFP_DIRECT_RECLAIM", 0x400)
                .bit("__GFP_KSWAPD_RECLAIM", 0x800)
                .bit("__GFP_WRITE", 0x1000)
                .bit("__GFP_NOWARN", 0x2000)
                .bit("__GFP_RETRY_MAYFAIL", 0x4000)
                .bit("__GFP_NOFAIL", 0x8000)
                .bit("__GFP_NORETRY", 0x10000)
                .bit("__GFP_MEMALLOC", 0x20000)
                .bit("__GFP_COMP", 0x40000)
                .bit("__GFP_NOMEMALLOC", 0x80000)
                .bit("__GFP_HARDWALL", 0x100000)
                .bit("__GFP_THISNODE", 0x200000)
                .bit("__GFP_ACCOUNT", 0x400000);
        if (skipKasanPoison != 0) {
            b.bit("__GFP_ZEROTAGS", 0x800000);
        }
        if (skipKasanPoison > 0) {
            b.bit("__GFP_SKIP_KASAN_POISON", skipKasanPoison);
        }
        b.composite("__GFP_RECLAIM", "__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM")
                .composite("GFP_ATOMIC", atomic
                        ? "__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM"
                        : "__GFP_HIGH | __GFP_KSWAPD_RECLAIM")
                .composite("GFP_KERNEL", "__GFP_RECLAIM | __GFP_IO | __GFP_FS")
                .composite("GFP_KERNEL_ACCOUNT", "GFP_KERNEL | __GFP_ACCOUNT")
                .composite("GFP_NOIO", "__GFP_RECLAIM")
                .composite("GFP_NOFS", "__GFP_RECLAIM | __GFP_IO")
                .composite("GFP_USER", "__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL")
                .composite("GFP_DMA", "__GFP_DMA")
                .composite("GFP_DMA32", "__GFP_DMA32")
                .composite("GFP_HIGHUSER", "GFP_USER | __GFP_HIGHMEM")
                .composite("GFP_HIGHUSER_MOVABLE", skipKasanPoison > 0
                        ? "GFP_HIGHUSER | __GFP_MOVABLE | __GFP_SKIP_KASAN_POISON"
                        : "GFP_HIGHUSER | __GFP_MOVABLE")
                .composite("GFP_TRANSHUGE_LIGHT",
                        "(GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM")
                .composite("GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM");
        if (!profile.equals("6.8")) {
            b.composite("GFP_NOWAIT", "__GFP_KSWAPD_RECLAIM");
        }
        return b;
    }

    /** The release this table is named after, e.g. {@code 2.6.32}, {@code 6.1}. */
    public final String name;
    /** {@code __GFP_BITS_SHIFT}. */
    public final int bitsShift;

    private final Map<String, Integer> bits;        // kernel spelling, kernel order
    private final Map<String, Integer> composites;  // kernel spelling, definition order
    private final FlagName[] traceTable;
    private final String traceZero;
    private final String[] describeOrder;
    private final Map<String, Integer> parseNames;  // upper-case spelling -> mask
    private final String profileName;
    private final boolean namesInHeader;
    final Rules rules;
    /** First and last kernel release (major*100+minor) this table stands for. */
    final int since;
    final int until;
    private final int waitBit;        // __GFP_WAIT (2.6.32/3.x) or __GFP_DIRECT_RECLAIM (4.4+)
    private final int atomicBit;      // __GFP_ATOMIC (4.4-6.3), else 0
    private final int noKswapdBit;    // __GFP_NO_KSWAPD (3.x), else 0
    private final int noMemallocBit;
    private final int movableBit;
    private final int reclaimableBit;

    private GfpBits(Builder b) {
        this.name = b.profile;
        this.bitsShift = b.bitsShift;
        this.profileName = b.profileName;
        this.namesInHeader = b.namesInHeader;
        this.rules = b.rules;
        this.since = b.since;
        this.until = b.until;
        this.bits = Collections.unmodifiableMap(new LinkedHashMap<>(b.bits));
        this.composites = Collections.unmodifiableMap(new LinkedHashMap<>(b.composites));
        this.traceTable = b.trace.toArray(new FlagName[0]);
        this.traceZero = b.traceZero;
        this.describeOrder = b.describeOrder;
        Map<String, Integer> names = new HashMap<>();
        // Precedence: kernel spellings, then trace spellings, then bit names without underscores.
        bits.forEach((n, m) -> names.put(upper(n), m));
        composites.forEach((n, m) -> names.put(upper(n), m));
        for (FlagName f : traceTable) {
            names.putIfAbsent(upper(f.name()), f.mask());
        }
        names.putIfAbsent(upper(traceZero), 0);
        bits.forEach((n, m) -> names.putIfAbsent(upper(n.replaceFirst("^_+", "")), m));
        this.parseNames = Collections.unmodifiableMap(names);
        for (String n : describeOrder) {
            if (!composites.containsKey(n)) {
                throw new IllegalStateException(name + ": describe order names unknown composite " + n);
            }
        }
        boolean oldRules = rules == Rules.P2632 || rules == Rules.P310;
        this.waitBit = bit(oldRules ? "__GFP_WAIT" : "__GFP_DIRECT_RECLAIM");
        this.atomicBit = bit("__GFP_ATOMIC");
        this.noKswapdBit = bit("__GFP_NO_KSWAPD");
        this.noMemallocBit = bit("__GFP_NOMEMALLOC");
        this.movableBit = bit("__GFP_MOVABLE");
        this.reclaimableBit = bit("__GFP_RECLAIMABLE");
    }

    private static String upper(String name) {
        return name.toUpperCase(Locale.ROOT);
    }

    /** {@code __GFP_BITS_MASK}, include/linux/gfp.h: the bits this profile defines room for. */
    public int bitsMask() {
        return (1 << bitsShift) - 1;
    }

    /** The {@code __GFP_*} bit defines of include/linux/gfp.h, kernel spelling, in the kernel's order. */
    public Map<String, Integer> bits() {
        return bits;
    }

    /** The composite {@code GFP_*} defines of include/linux/gfp.h, evaluated from their definitions. */
    public Map<String, Integer> composites() {
        return composites;
    }

    /** The {@code show_gfp_flags()} table of include/trace/events/kmem.h [2632], in order. */
    public List<FlagName> traceTable() {
        return List.of(traceTable);
    }

    /**
     * A {@code __GFP_*} or {@code GFP_*} define of include/linux/gfp.h by its kernel spelling
     * ({@code __GFP_WAIT}, {@code GFP_KERNEL}); not for the hot path.
     *
     * @throws IllegalArgumentException when the profile has no such name
     */
    public int mask(String kernelName) {
        Integer m = bits.get(kernelName);
        if (m == null) {
            m = composites.get(kernelName);
        }
        if (m == null) {
            throw new IllegalArgumentException("no GFP flag named '" + kernelName + "' in the " + name + " GFP layout");
        }
        return m;
    }

    /**
     * Inverse of {@code ftrace_print_flags_seq()}, kernel/trace/trace_output.c, and of
     * {@code printk("0x%x")}: parses a gfp mask as written in reports, traces and on the command
     * line: {@code 0xc0d0}, decimal {@code 208}, or names joined by {@code |} in the kernel's
     * spelling ({@code GFP_KERNEL|__GFP_COMP|__GFP_ZERO}), in this profile's tracepoint spelling
     * ({@code GFP_KERNEL|GFP_COMP|GFP_ZERO}, {@code GFP_NOWAIT}), or a bit name without its leading
     * underscores; a hex or decimal token may appear in the list (ftrace prints leftover bits as
     * {@code |0x1}). Names are matched case-insensitively; spaces around tokens are ignored.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad token and what was
     *     expected
     */
    public int parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty GFP mask (expected a " + name
                    + " flag name such as GFP_KERNEL, names joined by '|', or a number such as 0xc0d0)");
        }
        int mask = 0;
        for (String raw : text.split("\\|", -1)) {
            String tok = raw.strip();
            if (tok.isEmpty()) {
                throw new IllegalArgumentException("empty flag name in GFP mask '" + text
                        + "' (expected names joined by single '|', e.g. GFP_KERNEL|__GFP_COMP)");
            }
            mask |= token(tok, text);
        }
        return mask;
    }

    private int token(String tok, String whole) {
        char c = tok.charAt(0);
        if (c >= '0' && c <= '9') {
            return number(tok, whole);
        }
        Integer m = parseNames.get(tok.toUpperCase(Locale.ROOT));
        if (m == null) {
            throw new IllegalArgumentException("unknown GFP flag '" + tok + "'"
                    + (tok.equals(whole) ? "" : " in '" + whole + "'")
                    + " (expected a " + name + " flag name such as GFP_KERNEL, __GFP_COMP or GFP_COMP, "
                    + "or a number such as 0xc0d0 or 208)");
        }
        return m;
    }

    private static int number(String tok, String whole) {
        long v;
        try {
            if (tok.length() > 2 && (tok.startsWith("0x") || tok.startsWith("0X"))) {
                v = Long.parseLong(tok.substring(2), 16);
            } else {
                v = Long.parseLong(tok, 10);
            }
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 0 || v > 0xffff_ffffL) {
            throw new IllegalArgumentException("bad GFP number '" + tok + "'"
                    + (tok.equals(whole) ? "" : " in '" + whole + "'")
                    + " (expected hex such as 0xc0d0 or decimal such as 208, at most 32 bits)");
        }
        return (int) v;
    }

    /**
     * {@code show_gfp_flags()}, include/trace/events/kmem.h [2632], printed by
     * {@code ftrace_print_flags_seq()}, kernel/trace/trace_output.c: the {@code gfp_flags=%s} field
     * of mm_page_alloc and the kmalloc events. Walk the table in order; each entry whose mask is
     * wholly contained in the remaining flags prints its name (preceded by {@code |} unless it is
     * the first thing printed) and clears its bits; the loop stops once no flags remain; leftover
     * bits print as {@code 0x%lx}. Zero prints the profile's zero name ({@code GFP_NOWAIT}).
     */
    public String traceFlags(int flags) {
        if (flags == 0) {
            return traceZero;
        }
        StringBuilder sb = new StringBuilder(48);
        long rest = flags & 0xffff_ffffL;
        for (int i = 0; i < traceTable.length && rest != 0; i++) {
            long mask = traceTable[i].mask() & 0xffff_ffffL;
            if ((rest & mask) != mask) {
                continue;
            }
            rest &= ~mask;
            if (!sb.isEmpty()) {
                sb.append('|');
            }
            sb.append(traceTable[i].name());
        }
        if (rest != 0) {
            if (!sb.isEmpty()) {
                sb.append('|');
            }
            sb.append("0x").append(Long.toHexString(rest));
        }
        return sb.toString();
    }

    /**
     * Like {@code %pGg} (lib/vsprintf.c {@code format_flags()}, 4.9+) for this profile's names: a
     * kernel-spelling decode of a mask for explanations, e.g. 0xc0d0 →
     * {@code GFP_KERNEL|__GFP_COMP|__GFP_ZERO}: the largest composites first (as the kernel's
     * {@code %pGg} table orders them), then single bits in bit order, then leftover bits as
     * {@code 0x%x}; zero gives the first zero-valued composite ({@code GFP_NOWAIT}) or {@code 0x0}.
     * (No 2.6.32 kernel counterpart: 2.6.32 reports print only {@code mode:0x%x}.)
     */
    public String describe(int flags) {
        if (namesInHeader && flags != 0) {
            return traceFlags(flags);
        }
        if (flags == 0) {
            for (Map.Entry<String, Integer> e : composites.entrySet()) {
                if (e.getValue() == 0) {
                    return e.getKey();
                }
            }
            return "0x0";
        }
        StringBuilder sb = new StringBuilder(48);
        int rest = flags;
        for (String n : describeOrder) {
            int m = composites.get(n);
            if (m != 0 && (rest & m) == m) {
                rest = appendName(sb, rest, m, n);
            }
        }
        for (Map.Entry<String, Integer> e : bits.entrySet()) {
            int m = e.getValue();
            if (m != 0 && (rest & m) == m) {
                rest = appendName(sb, rest, m, e.getKey());
            }
        }
        if (rest != 0) {
            if (!sb.isEmpty()) {
                sb.append('|');
            }
            sb.append(hex(rest));
        }
        return sb.toString();
    }

    private static int appendName(StringBuilder sb, int rest, int mask, String name) {
        if (!sb.isEmpty()) {
            sb.append('|');
        }
        sb.append(name);
        return rest & ~mask;
    }

    /**
     * {@code printk("0x%x")} as in the 2.6.32 failure header {@code mode:0x%x}
     * (__alloc_pages_slowpath, mm/page_alloc.c [2632]): lower-case hex with a 0x prefix, {@code 0x0}
     * for zero, the int read as unsigned.
     */
    public static String hex(int flags) {
        return "0x" + Integer.toHexString(flags);
    }

    /**
     * Which kernel rules interpret a mask: {@code gfp_to_alloc_flags} (mm/page_alloc.c) and the
     * migratetype numbering (include/linux/mmzone.h, gfp.h).
     */
    public enum Rules {
        /** 2.6.32: {@code !__GFP_WAIT} → ALLOC_HARDER; old migratetype numbering. */
        P2632,
        /** 3.x–4.3: {@code !(__GFP_WAIT|__GFP_NO_KSWAPD)} → ALLOC_HARDER unless NOMEMALLOC. */
        P310,
        /** 4.4–6.3: {@code __GFP_ATOMIC} → ALLOC_HARDER unless NOMEMALLOC; new numbering. */
        P44,
        /** 6.4+: {@code !__GFP_DIRECT_RECLAIM} → ALLOC_NON_BLOCK (+HIGHATOMIC if order > 0). */
        P64
    }

    /** The rules this layout's kernels apply to a mask. */
    public Rules rules() {
        return rules;
    }

    /**
     * The layout of a kernel release as printed by {@code uname -r} or in a report's
     * "Not tainted" / "Tainted:" line: {@code 2.6.32-41-server}, {@code 3.8.0-rc2w5+},
     * {@code 4.9.0-0.rc8.git2.1.fc26.x86_64}, {@code 6.12.117+deb12-amd64}; only major.minor is
     * used. 2.6.x → {@link #V2_6_32}; 3.0–4.3 → {@link #V3_10}; 4.4–4.5 → {@link #V4_4}; 4.6–4.9 →
     * {@link #V4_9}; 4.10–4.12 → {@link #V4_10}; 4.13 → {@link #V4_13}; 4.14 → {@link #V4_14};
     * 4.15–5.3 → {@link #V4_19}; 5.4–5.13 → {@link #V5_4}; 5.14–5.17 → {@link #V5_14}; 5.18–6.3 →
     * {@link #V6_1}; 6.4–6.7 → {@link #V6_4}; 6.8 and later (also 7.x+) → {@link #V6_8}.
     *
     * @throws IllegalArgumentException when the text does not start with {@code major.minor} or
     *     names a kernel older than 2.6
     */
    public static GfpBits forKernel(String release) {
        return forRelease(dev.pagealloc.profile.KernelRelease.parse(release));
    }

    /** {@link #forKernel(String)} for a parsed release. */
    public static GfpBits forRelease(dev.pagealloc.profile.KernelRelease release) {
        int r = release.series();
        if (release.major() < 2 || r < 206) {
            throw new IllegalArgumentException("kernel " + release.major() + "." + release.minor() + " in '" + release
                    + "' is older than 2.6, which has no emulator profile");
        }
        for (GfpBits g : ALL) {
            if (r >= g.since && r <= g.until) {
                return g;
            }
        }
        if (r > V6_8.until || release.major() >= 7) {
            return V6_8;
        }
        // 2.6 only matches V2_6_32; a 2.x minor above 6 (none exists) lands here.
        throw new IllegalArgumentException("no GFP layout for kernel " + release.major() + "." + release.minor()
                + " in '" + release + "'");
    }

    /**
     * Whether {@code name} (upper case, without leading underscores, e.g. {@code GFP_COMP}) is how
     * a 2.6.32 … 4.5 trace prints a single bit: {@code show_gfp_flags()} printed bits without their
     * underscores until mmflags.h (4.6), and no composite of those layouts has the name.
     */
    public static boolean isPre46TraceBitName(String name) {
        for (GfpBits g : ALL) {
            if (g.since < 406 && g.bits.containsKey("__" + name) && !g.composites.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    /** The emulator profile this layout belongs to: {@code 2.6.32/3.x}, {@code 4.4-4.9}, ..., {@code 6.4+}. */
    public String profileName() {
        return profileName;
    }

    /**
     * Whether the "page allocation failure" header prints the mask with names,
     * {@code mode:%#x(%pGg)} (warn_alloc, 4.6+), rather than plain {@code mode:0x%x}
     * (2.6.32 __alloc_pages_slowpath, warn_alloc_failed up to 4.5).
     */
    public boolean printsNamesInHeader() {
        return namesInHeader;
    }

    /**
     * The text after {@code mode:} in this layout's failure header: {@code 0xc0d0} (plain hex) or
     * {@code 0x40dc0(GFP_KERNEL|__GFP_COMP|__GFP_ZERO)}; zero is {@code 0x0} or {@code 0x0()}.
     */
    public String headerMode(int mask) {
        return namesInHeader ? hex(mask) + "(" + formatPGg(mask) + ")" : hex(mask);
    }

    /**
     * {@code %pGg} (lib/vsprintf.c {@code flags_string} → {@code format_flags} over
     * {@code gfpflag_names}): walk the mmflags.h table in order; an entry whose mask is wholly in
     * the remaining flags prints its name, clears its bits and, if bits remain, a {@code |}; the
     * walk stops when no bits remain; leftover bits print as {@code 0x%lx}; zero prints nothing.
     * E.g. 6.x 0x40dc0 → {@code GFP_KERNEL|__GFP_COMP|__GFP_ZERO}, 4.19 0x480020 →
     * {@code GFP_ATOMIC}. For layouts whose kernels have no {@code %pGg} (before 4.6) this returns
     * {@link #describe(int)} instead (no kernel counterpart), and "" for zero.
     */
    public String formatPGg(int mask) {
        if (mask == 0) {
            return "";
        }
        return namesInHeader ? traceFlags(mask) : describe(mask);
    }

    /**
     * A {@code __GFP_*} bit (or composite such as {@code GFP_KERNEL}) by kernel name, or 0 when this
     * layout has no such name (e.g. {@code __GFP_WAIT} in 4.4+, {@code __GFP_DIRECT_RECLAIM} before).
     */
    public int bit(String kernelName) {
        Integer m = bits.get(kernelName);
        if (m == null) {
            m = composites.get(kernelName);
        }
        return m == null ? 0 : m;
    }

    /**
     * Whether a request may sleep and reclaim: {@code __GFP_WAIT} (2.6.32, 3.x) or
     * {@code gfpflags_allow_blocking()} = {@code __GFP_DIRECT_RECLAIM} (4.4+).
     */
    public boolean canSleep(int mask) {
        return (mask & waitBit) != 0;
    }

    /**
     * The mask part of {@code gfp_to_alloc_flags()}' "atomic" rule, i.e. whether the request gets
     * ALLOC_HARDER (6.4+: ALLOC_NON_BLOCK) from its gfp alone: 2.6.32 {@code !__GFP_WAIT}; 3.x
     * {@code !(__GFP_WAIT|__GFP_NO_KSWAPD)} unless {@code __GFP_NOMEMALLOC}; 4.4–6.3
     * {@code __GFP_ATOMIC} unless {@code __GFP_NOMEMALLOC}; 6.4+ {@code !__GFP_DIRECT_RECLAIM}
     * unless {@code __GFP_NOMEMALLOC}.
     */
    public boolean isAtomicHarder(int mask) {
        boolean noMemalloc = (mask & noMemallocBit) != 0;
        return switch (rules) {
            case P2632 -> (mask & waitBit) == 0;
            case P310 -> (mask & (waitBit | noKswapdBit)) == 0 && !noMemalloc;
            case P44 -> (mask & atomicBit) != 0 && !noMemalloc;
            case P64 -> (mask & waitBit) == 0 && !noMemalloc;
        };
    }

    /**
     * The kernel's migratetype value for a mask in this layout's numbering: 2.6.32/3.x
     * {@code allocflags_to_migratetype} = (MOVABLE ? 2 : 0) + (RECLAIMABLE ? 1 : 0) (UNMOVABLE 0,
     * RECLAIMABLE 1, MOVABLE 2, RESERVE 3); 4.4+ {@code gfpflags_to_migratetype} /
     * {@code gfp_migratetype} = (flags & 0x18) >> 3 (UNMOVABLE 0, MOVABLE 1, RECLAIMABLE 2,
     * HIGHATOMIC 3). Both bits set (a kernel WARN) gives 3, as the kernel computes it.
     */
    public int migratetype(int mask) {
        boolean movable = (mask & movableBit) != 0;
        boolean reclaimable = (mask & reclaimableBit) != 0;
        if (rules == Rules.P2632 || rules == Rules.P310) {
            return (movable ? 2 : 0) + (reclaimable ? 1 : 0);
        }
        return (mask & (movableBit | reclaimableBit)) >>> 3;
    }

    /** {@link #migratetype(int)}, or MIGRATE_UNMOVABLE (0) when {@code page_group_by_mobility_disabled}. */
    public int migratetype(int mask, boolean pageGroupByMobilityDisabled) {
        return pageGroupByMobilityDisabled ? 0 : migratetype(mask);
    }

    @Override
    public String toString() {
        return "GfpBits[" + name + "]";
    }

    /**
     * Builds a profile's table. Composite and trace masks are expressions over names already
     * defined, in the kernel's own syntax: names, hex or decimal literals, {@code |}, {@code &},
     * {@code ~} and parentheses, e.g. {@code "GFP_ATOMIC & ~__GFP_HIGH"}.
     */
    public static final class Builder {
        private final String profile;
        private final int bitsShift;
        private final Map<String, Integer> bits = new LinkedHashMap<>();
        private final Map<String, Integer> composites = new LinkedHashMap<>();
        private final List<FlagName> trace = new ArrayList<>();
        private String traceZero;
        private String[] describeOrder = new String[0];
        private String profileName;
        private boolean namesInHeader;
        private Rules rules = Rules.P2632;
        private int since;
        private int until;

        /**
         * {@code __def_gfpflag_names} of include/trace/events/mmflags.h in the order of every
         * release from 4.6 to 6.13; each table keeps the names its profile defines (4.9 ends in
         * {@code __GFP_OTHER_NODE}; 4.15 dropped COLD/NOTRACK; 5.14–5.17 end in ZEROTAGS and
         * SKIP_KASAN_POISON; 5.18+ in ZEROTAGS; 6.4 dropped {@code __GFP_ATOMIC}).
         */
        private static final String[] MMFLAGS_ORDER = {
            "GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT", "GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER", "GFP_USER",
            "GFP_TEMPORARY", "GFP_KERNEL_ACCOUNT", "GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO",
            "GFP_NOWAIT", "GFP_DMA", "__GFP_HIGHMEM", "GFP_DMA32", "__GFP_HIGH", "__GFP_ATOMIC", "__GFP_IO",
            "__GFP_FS", "__GFP_COLD", "__GFP_NOWARN", "__GFP_REPEAT", "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL",
            "__GFP_NORETRY", "__GFP_COMP", "__GFP_ZERO", "__GFP_NOMEMALLOC", "__GFP_MEMALLOC",
            "__GFP_HARDWALL", "__GFP_THISNODE", "__GFP_RECLAIMABLE", "__GFP_MOVABLE", "__GFP_ACCOUNT",
            "__GFP_NOTRACK", "__GFP_WRITE", "__GFP_RECLAIM", "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM",
            "__GFP_OTHER_NODE", "__GFP_ZEROTAGS", "__GFP_SKIP_KASAN_POISON",
        };

        /**
         * @param profile the kernel profile name
         * @param bitsShift {@code __GFP_BITS_SHIFT}
         */
        public Builder(String profile, int bitsShift) {
            this.profile = profile;
            this.bitsShift = bitsShift;
        }

        /** A {@code __GFP_*} bit (kernel spelling) with its value. */
        public Builder bit(String name, int value) {
            if (bits.containsKey(name) || composites.containsKey(name)) {
                throw new IllegalStateException(profile + ": duplicate GFP name " + name);
            }
            bits.put(name, value);
            return this;
        }

        /** A composite mask defined as in the kernel header, e.g. {@code "__GFP_WAIT | __GFP_IO"}. */
        public Builder composite(String name, String definition) {
            if (bits.containsKey(name) || composites.containsKey(name)) {
                throw new IllegalStateException(profile + ": duplicate GFP name " + name);
            }
            composites.put(name, new Expr(definition, this::lookup).parse());
            return this;
        }

        /** The next entry of the tracepoint name table: a mask expression and the printed name. */
        public Builder trace(String maskExpression, String printedName) {
            trace.add(new FlagName(new Expr(maskExpression, this::lookup).parse(), printedName));
            return this;
        }

        /** What the tracepoint prints for a zero mask ({@code GFP_NOWAIT} in 2.6.32, {@code none} in 4.x+). */
        public Builder traceZero(String name) {
            this.traceZero = name;
            return this;
        }

        /** Composites tried first, in this order, by {@link GfpBits#describe(int)}. */
        public Builder describeOrder(String... names) {
            this.describeOrder = names.clone();
            return this;
        }

        /** The finished, immutable table. */
        public GfpBits build() {
            if (traceZero == null) {
                throw new IllegalStateException(profile + ": no tracepoint zero name");
            }
            if (profileName == null) {
                profileName = profile;
            }
            return new GfpBits(this);
        }

        /**
         * The allocator era: the emulator profile name ({@code 4.15-5.3}), the rules of
         * {@code gfp_to_alloc_flags} and the migratetype numbering, and the first and last kernel
         * release ({@code "4.15"}, {@code "5.3"}) this table stands for.
         */
        public Builder era(String profileName, Rules rules, String firstRelease, String lastRelease) {
            this.profileName = profileName;
            this.rules = rules;
            this.since = release(firstRelease);
            this.until = release(lastRelease);
            return this;
        }

        /** Whether the failure header prints {@code mode:%#x(%pGg)} (4.6+) rather than {@code mode:0x%x}. */
        public Builder namesInHeader(boolean names) {
            this.namesInHeader = names;
            return this;
        }

        /**
         * The tracepoint and {@code %pGg} table from {@code __def_gfpflag_names} (mmflags.h, 4.6+):
         * every name of the canonical order that this profile defines; zero prints {@code none}.
         */
        public Builder mmflags() {
            for (String n : MMFLAGS_ORDER) {
                if (bits.containsKey(n) || composites.containsKey(n)) {
                    trace(n, n);
                }
            }
            this.namesInHeader = true;
            return traceZero("none");
        }

        /** The composite masks of include/linux/gfp.h from 4.9 to 5.3 (4.4 bit names). */
        Builder composites44(boolean temporary) {
            composite("__GFP_RECLAIM", "__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM");
            composite("GFP_ATOMIC", "__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM");
            composite("GFP_KERNEL", "__GFP_RECLAIM | __GFP_IO | __GFP_FS");
            composite("GFP_KERNEL_ACCOUNT", "GFP_KERNEL | __GFP_ACCOUNT");
            composite("GFP_NOWAIT", "__GFP_KSWAPD_RECLAIM");
            composite("GFP_NOIO", "__GFP_RECLAIM");
            composite("GFP_NOFS", "__GFP_RECLAIM | __GFP_IO");
            if (temporary) {
                composite("GFP_TEMPORARY", "__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_RECLAIMABLE");
            }
            composite("GFP_USER", "__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL");
            composite("GFP_DMA", "__GFP_DMA");
            composite("GFP_DMA32", "__GFP_DMA32");
            composite("GFP_HIGHUSER", "GFP_USER | __GFP_HIGHMEM");
            composite("GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER | __GFP_MOVABLE");
            composite("GFP_TRANSHUGE_LIGHT",
                    "(GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM");
            return composite("GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM");
        }

        private static int release(String r) {
            int dot = r.indexOf('.');
            return Integer.parseInt(r.substring(0, dot)) * 100 + Integer.parseInt(r.substring(dot + 1));
        }

        private int lookup(String name) {
            Integer m = bits.get(name);
            if (m == null) {
                m = composites.get(name);
            }
            if (m == null) {
                throw new IllegalStateException(profile + ": GFP definition uses undefined name " + name);
            }
            return m;
        }
    }

    /** Recursive-descent evaluator for C mask expressions: or := and ('|' and)*; and := un ('&' un)*. */
    private static final class Expr {
        interface Lookup {
            int get(String name);
        }

        private final String s;
        private final Lookup lookup;
        private int pos;

        Expr(String s, Lookup lookup) {
            this.s = s;
            this.lookup = lookup;
        }

        int parse() {
            int v = or();
            skip();
            if (pos != s.length()) {
                throw error();
            }
            return v;
        }

        private int or() {
            int v = and();
            while (eat('|')) {
                v |= and();
            }
            return v;
        }

        private int and() {
            int v = unary();
            while (eat('&')) {
                v &= unary();
            }
            return v;
        }

        private int unary() {
            if (eat('~')) {
                return ~unary();
            }
            if (eat('(')) {
                int v = or();
                if (!eat(')')) {
                    throw error();
                }
                return v;
            }
            skip();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw error();
            }
            String tok = s.substring(start, pos);
            if (Character.isDigit(tok.charAt(0))) {
                return tok.startsWith("0x") || tok.startsWith("0X")
                        ? (int) Long.parseLong(tok.substring(2), 16)
                        : Integer.parseInt(tok);
            }
            return lookup.get(tok);
        }

        private boolean eat(char c) {
            skip();
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void skip() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        private IllegalStateException error() {
            return new IllegalStateException("bad GFP mask expression '" + s + "' at " + pos);
        }
    }
}
