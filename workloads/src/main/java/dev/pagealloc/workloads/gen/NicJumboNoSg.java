package dev.pagealloc.workloads.gen;

import dev.pagealloc.profile.Arch;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nic-jumbo-nosg}: a NIC with jumbo frames and no scatter/gather, whose every RX buffer is
 * one physically contiguous block big enough for a whole frame, refilled with GFP_ATOMIC from
 * softirq: the classic source of {@code order:3, mode:0x4020} allocation failures. The ring and
 * traffic are {@link NicRx}'s; this class sizes the buffer.
 *
 * <h2>{@code style = "e1000"} (default)</h2>
 * The rule of e1000 7.x, drivers/net/e1000/e1000_main.c {@code e1000_change_mtu()} (mainline
 * 2.6.18–2.6.29; from 2.6.30 e1000 receives jumbo frames into pages instead, which {@code nic-sg}
 * models): {@code max_frame = mtu + ENET_HEADER_SIZE (14) + ETHERNET_FCS_SIZE (4)};
 * {@code rx_buffer_len} = 2048, 4096, 8192 or 16384, the first that holds max_frame (with LPE a
 * 1518- or 1522-byte frame gets {@code MAXIMUM_ETHERNET_VLAN_SIZE} 1522 instead). Then
 * {@code e1000_alloc_rx_buffers()}: {@code netdev_alloc_skb(netdev, rx_buffer_len + NET_IP_ALIGN)}
 * → {@code __netdev_alloc_skb()} adds {@code NET_SKB_PAD} → {@code __alloc_skb()}
 * (net/core/skbuff.c) asks kmalloc for {@code SKB_DATA_ALIGN(size) + sizeof(struct
 * skb_shared_info)}. Above {@code KMALLOC_MAX_CACHE_SIZE} (2 pages, SLUB) that is
 * {@code kmalloc_large_node()}, mm/slub.c, which since 2.6.31 does
 * {@code flags |= __GFP_COMP | __GFP_NOTRACK; alloc_pages_node(node, flags, get_order(size))}:
 * GFP_ATOMIC (0x20) | __GFP_COMP (0x4000) = {@code mode:0x4020}, NOTRACK being 0 without
 * KMEMCHECK. At or below it the object comes from the power-of-two kmalloc cache, charged here as
 * one allocation of {@code get_order(class)} per buffer (a simplification: a real slab serves
 * several small buffers from one slab page). As Andrew Morton put it on LKML (2006-09): "This is
 * going to cause an 9000-byte MTU to use a 16384-byte allocation ... which causes the slab
 * allocator to request 32768 bytes."
 *
 * <h2>{@code style = "page"}</h2>
 * A page-based driver without scatter/gather: one block of whole pages per frame,
 * {@code mtu + ETH_HLEN + NET_SKB_PAD + NET_IP_ALIGN + sizeof(struct skb_shared_info)} rounded up
 * to pages (the skb is built around the block), {@code get_order()} of that.
 *
 * <h2>Constants and results (hand-derived; {@link ReleaseConstants} has the sources)</h2>
 * <pre>
 *                      NET_SKB_PAD  NET_IP_ALIGN  sizeof(skb_shared_info)
 * 2.6.32 x86_64             32           2          496
 * 2.6.32 i386 / PAE         32           2          336 / 412
 * 6.1 x86_64                64           0          320 (SKB_DATA_ALIGN'd: 320)
 * 6.1 i386                  64           0          244 (SKB_DATA_ALIGN'd: 256)
 *
 * MTU 9000, e1000:  rx_buffer_len 16384 (max_frame 9018 > 8192)
 *   2.6.32 x86_64   SKB_DATA_ALIGN(16384+2+32) = 16448, + 496 = 16944 > 16384  → order 3
 *   2.6.32 i386     16448 + 336 = 16784                                        → order 3
 *   6.1 x86_64      SKB_DATA_ALIGN(16384+0+64) = 16448, + 320 = 16768          → order 3
 * MTU 9000, page:
 *   2.6.32 x86_64   9000+14+32+2+496 = 9544 → 3 pages                          → order 2
 *   6.1 x86_64      9000+14+64+0+320 = 9398 → 3 pages                          → order 2
 * MTU 1500, e1000:  LPE → 1522; 2.6.32 x86_64 SKB_DATA_ALIGN(1556) = 1600, + 496 = 2096 → kmalloc-4096 → order 0
 * MTU 1500, page:   2.6.32 x86_64 1500+48+496 = 2044 → 1 page                  → order 0
 * MTU 4000, e1000:  4096; 2.6.32 x86_64 SKB_DATA_ALIGN(4130) = 4160, + 496 = 4656 → kmalloc-8192 → order 1
 * </pre>
 * Margins: for e1000 at MTU 9000 any overhead above 0 and below 16 KiB gives order 3, so errors of
 * tens of bytes in {@code sizeof(struct skb_shared_info)} cannot change it; for page style at
 * MTU 9000 the total sits about 1.2–1.4 KiB above the 8 KiB (order-1) boundary and far below 12 KiB.
 *
 * <p>Keys: {@link NicRx}'s plus {@code style} ("e1000" | "page"), {@code order} (overrides the
 * sizing), {@code gfp} (default {@code GFP_ATOMIC|__GFP_COMP}), {@code open_gfp} (default
 * {@code GFP_KERNEL|__GFP_COMP}: many drivers fill the ring with GFP_KERNEL in {@code open()};
 * e1000 itself used GFP_ATOMIC {@code netdev_alloc_skb()} there too).
 */
final class NicJumboNoSg extends NicRx {
    static final List<String> KEYS;

    static {
        List<String> k = new ArrayList<>(TRAFFIC_KEYS);
        k.add("style");
        k.add("order");
        KEYS = List.copyOf(k);
    }

    /** {@code MAX_JUMBO_FRAME_SIZE} 0x3F00 less header and FCS: e1000's largest MTU. */
    static final int E1000_MAX_MTU = 0x3F00 - 18;

    private NicJumboNoSg(GenSource out, Section s, int cpu, Traffic tr, int order, String gfp, String openGfp) {
        super(out, s, cpu, tr, order, 1, gfp, openGfp);
    }

    static Section.Factory parse(Params p) {
        String style = p.choice("style", "e1000", List.of("e1000", "page"));
        Traffic tr = Traffic.parse(p, style.equals("e1000") ? E1000_MAX_MTU : 65535,
                style.equals("e1000") ? "e1000_alloc_rx_buffers" : "alloc_rx_pages");
        int order = (int) p.integer("order", -1, 0, 10);
        String gfp = p.gfp("gfp", "GFP_ATOMIC|__GFP_COMP");
        String openGfp = p.gfp("open_gfp", "GFP_KERNEL|__GFP_COMP");
        return (out, s, ctx, cpu) -> {
            p.checkGfp("gfp", gfp, ctx.kernel().gfp());
            p.checkGfp("open_gfp", openGfp, ctx.kernel().gfp());
            ReleaseConstants era = ReleaseConstants.of(ctx.kernel().release());
            int o = order >= 0 ? order
                    : style.equals("e1000") ? e1000Order(tr.mtu(), era, ctx.arch()) : pageStyleOrder(tr.mtu(), era, ctx.arch());
            NicJumboNoSg g = new NicJumboNoSg(out, s, cpu, tr, o, gfp, openGfp);
            g.declare("buffer_order");
            g.count("buffer_order", o);
            return g;
        };
    }

    /** {@code e1000_change_mtu()}'s rx_buffer_len for {@code mtu} (e1000 7.x, LPE on, no TBI). */
    static int e1000RxBufferLen(int mtu) {
        int maxFrame = mtu + ReleaseConstants.ETH_HLEN + ReleaseConstants.ETH_FCS_LEN;
        if (maxFrame == ReleaseConstants.MAXIMUM_ETHERNET_FRAME_SIZE || maxFrame == ReleaseConstants.MAXIMUM_ETHERNET_VLAN_SIZE) {
            return ReleaseConstants.MAXIMUM_ETHERNET_VLAN_SIZE;
        }
        if (maxFrame <= 2048) {
            return 2048;
        }
        if (maxFrame <= 4096) {
            return 4096;
        }
        if (maxFrame <= 8192) {
            return 8192;
        }
        return 16384;
    }

    /** The bytes {@code __alloc_skb()} asks kmalloc for, per RX buffer, e1000 style. */
    static int e1000KmallocBytes(int mtu, ReleaseConstants era, Arch arch) {
        return era.allocSkbBytes(e1000RxBufferLen(mtu) + era.netIpAlign() + era.netSkbPad(), arch);
    }

    /** The page order of one e1000-style RX buffer: kmalloc_large's get_order, or the kmalloc class's. */
    static int e1000Order(int mtu, ReleaseConstants era, Arch arch) {
        int bytes = e1000KmallocBytes(mtu, era, arch);
        if (bytes > era.kmallocMaxCacheSize()) {
            return ReleaseConstants.getOrder(bytes); // kmalloc_large_node()
        }
        int cls = Integer.highestOneBit(bytes - 1) << 1; // the power-of-two kmalloc cache
        return ReleaseConstants.getOrder(cls);
    }

    /** The bytes of one page-style RX buffer before rounding up to pages. */
    static int pageStyleBytes(int mtu, ReleaseConstants era, Arch arch) {
        int sh = era.sizeofSkbSharedInfo(arch);
        return mtu + ReleaseConstants.ETH_HLEN + era.netSkbPad() + era.netIpAlign()
                + (era.alignsSharedInfo() ? ReleaseConstants.skbDataAlign(sh) : sh);
    }

    /** The page order of one page-style RX buffer. */
    static int pageStyleOrder(int mtu, ReleaseConstants era, Arch arch) {
        return ReleaseConstants.getOrder(pageStyleBytes(mtu, era, arch));
    }
}
