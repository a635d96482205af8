package dev.pagealloc.workloads.gen;

import java.util.List;

/**
 * {@code nic-sg}: the same NIC and traffic as {@link NicJumboNoSg} with scatter/gather on: every
 * descriptor holds one order-0 page and a frame spans as many descriptors as it needs, as e1000
 * does from 2.6.30 ({@code e1000_alloc_jumbo_rx_buffers()}: {@code alloc_page(GFP_ATOMIC)} per
 * descriptor, {@code e1000_clean_jumbo_rx_irq()} chaining the pages as skb fragments;
 * drivers/net/e1000/e1000_main.c). A packet takes {@code ceil((mtu + ETH_HLEN + ETH_FCS_LEN) /
 * PAGE_SIZE)} descriptors: 3 for MTU 9000 (9018 bytes), 1 for MTU 1500. The small skb head each
 * descriptor also gets from the slab is left out. No allocation above order 0, so no
 * fragmentation failure: this is the fix the {@code nic-jumbo-nosg} job's failures call for.
 *
 * <p>Keys: {@link NicRx}'s; {@code gfp} default {@code GFP_ATOMIC}, {@code open_gfp} default
 * {@code GFP_KERNEL}.
 */
final class NicSg extends NicRx {
    static final List<String> KEYS = TRAFFIC_KEYS;

    private NicSg(GenSource out, Section s, int cpu, Traffic tr, String gfp, String openGfp) {
        super(out, s, cpu, tr, 0, pagesPerPacket(tr.mtu()), gfp, openGfp);
    }

    /** Descriptors (order-0 pages) per received frame. */
    static int pagesPerPacket(int mtu) {
        int frame = mtu + ReleaseConstants.ETH_HLEN + ReleaseConstants.ETH_FCS_LEN;
        return (frame + ReleaseConstants.PAGE_SIZE - 1) / ReleaseConstants.PAGE_SIZE;
    }

    static Section.Factory parse(Params p) {
        Traffic tr = Traffic.parse(p, 65535, "e1000_alloc_jumbo_rx_buffers");
        String gfp = p.gfp("gfp", "GFP_ATOMIC");
        String openGfp = p.gfp("open_gfp", "GFP_KERNEL");
        return (out, s, ctx, cpu) -> {
            p.checkGfp("gfp", gfp, ctx.kernel().gfp());
            p.checkGfp("open_gfp", openGfp, ctx.kernel().gfp());
            NicSg g = new NicSg(out, s, cpu, tr, gfp, openGfp);
            g.declare("pages_per_packet");
            g.count("pages_per_packet", pagesPerPacket(tr.mtu()));
            return g;
        };
    }
}
