package dev.pagealloc.workloads.gen;

import java.util.ArrayDeque;
import java.util.List;

/**
 * A NIC's receive ring as its driver keeps it, after e1000's {@code e1000_clean_rx_irq()} /
 * {@code e1000_alloc_rx_buffers()} (drivers/net/e1000/e1000_main.c): {@code ring} descriptors each
 * holding a buffer of 2^order pages. At {@code start_ms} the interface comes up and
 * {@code open()} fills the ring ({@code open_gfp}). Then packets arrive at {@code pps} per second;
 * each takes {@code buffersPerPacket} filled descriptors, whose buffers go up the stack and are
 * freed {@code delay_us} later (the stack's {@code kfree_skb()}), or is dropped when the ring has
 * too few filled descriptors (the hardware's "no buffer" miss, e1000's {@code rx_no_buffer_count}).
 * After each packet the NAPI poll refills every empty descriptor from softirq on {@code cpu}
 * ({@code gfp}, GFP_ATOMIC), one allocation per descriptor, stopping at the first failure
 * ({@code adapter->alloc_rx_buff_failed++; break;}); the descriptor stays empty and is retried
 * after the next packet.
 *
 * <p>Optional bursts: {@code burst_pps} for the first {@code burst_ms} of every
 * {@code burst_every_ms}, counted from {@code start_ms}.
 *
 * <p>Counters: {@code packets} (arrived), {@code rx_packets} (received), {@code rx_dropped},
 * {@code alloc_rx_buff_failed}.
 */
abstract class NicRx extends Generator {
    static final List<String> TRAFFIC_KEYS =
            List.of("ring", "mtu", "gfp", "open_gfp", "pps", "delay_us", "burst_pps", "burst_every_ms", "burst_ms", "site");

    /** The traffic settings both NIC kinds share. */
    record Traffic(int ring, int mtu, double pps, long delayNs, double burstPps, long burstEveryNs, long burstNs,
            String site) {
        static Traffic parse(Params p, int maxMtu, String defaultSite) {
            int ring = (int) p.integer("ring", 256, 1, 1 << 16);
            int mtu = (int) p.integer("mtu", 9000, 68, maxMtu);
            double pps = p.number("pps", 20000, 0, 1e8);
            long delayNs = p.integer("delay_us", 200, 0, 60_000_000L) * 1000;
            double burstPps = p.number("burst_pps", 0, 0, 1e8);
            long every = p.integer("burst_every_ms", 0, 0, 1_000_000_000L) * 1_000_000;
            long len = p.integer("burst_ms", 0, 0, 1_000_000_000L) * 1_000_000;
            if (burstPps > 0 && (every == 0 || len == 0)) {
                throw p.error("burst_pps", "expected burst_every_ms and burst_ms with burst_pps");
            }
            if (burstPps > 0 && len > every) {
                throw p.error("burst_ms", "expected burst_ms <= burst_every_ms");
            }
            String site = p.string("site", defaultSite);
            return new Traffic(ring, mtu, pps, delayNs, burstPps, every, len, site);
        }
    }

    final Traffic tr;
    final int order;
    final int buffersPerPacket;
    final String gfp;
    final String openGfp;
    private final ArrayDeque<Long> filled = new ArrayDeque<>();
    private boolean refilling;

    NicRx(GenSource out, Section s, int cpu, Traffic tr, int order, int buffersPerPacket, String gfp, String openGfp) {
        super(out, s, cpu);
        this.tr = tr;
        this.order = order;
        this.buffersPerPacket = buffersPerPacket;
        this.gfp = gfp;
        this.openGfp = openGfp;
        if (buffersPerPacket > tr.ring()) {
            throw s.params().error("ring", "a ring of " + tr.ring() + " descriptors cannot hold a packet of "
                    + buffersPerPacket + " buffers");
        }
    }

    @Override
    void start() {
        declare("packets", "rx_packets", "rx_dropped", "alloc_rx_buff_failed");
        at(startNs, this::openFill);
    }

    /** {@code open()}: fill the whole ring at ifup, as drivers do, with {@code open_gfp}. */
    private void openFill(long t) {
        long id = out.alloc(t, cpu, order, openGfp, 0, tr.site());
        if (id < 0) {
            count("alloc_rx_buff_failed", 1);
        } else {
            filled.add(id);
            if (filled.size() < tr.ring()) {
                at(t, this::openFill);
                return;
            }
        }
        if (tr.pps() > 0 || tr.burstPps() > 0) {
            at(t, this::packet);
        }
    }

    private double rate(long t) {
        if (tr.burstPps() > 0 && (t - startNs) % tr.burstEveryNs() < tr.burstNs()) {
            return tr.burstPps();
        }
        return tr.pps();
    }

    private void packet(long t) {
        count("packets", 1);
        if (filled.size() >= buffersPerPacket) {
            count("rx_packets", 1);
            for (int i = 0; i < buffersPerPacket; i++) {
                long id = filled.poll();
                at(t + tr.delayNs(), tt -> out.free(tt, cpu, id, order));
            }
        } else {
            count("rx_dropped", 1);
        }
        if (!refilling && filled.size() < tr.ring()) {
            refilling = true;
            at(t, this::refill);
        }
        // the next arrival: at the rate now, or at the start of the next burst when idle between them
        double r = rate(t);
        long next;
        if (r > 0) {
            next = t + intervalNs(r);
        } else {
            long into = (t - startNs) % tr.burstEveryNs();
            next = t + (tr.burstEveryNs() - into);
        }
        if (active(next)) {
            at(next, this::packet);
        }
    }

    /** The NAPI poll's refill: one allocation per empty descriptor, stopping at the first failure. */
    private void refill(long t) {
        long id = out.alloc(t, cpu, order, gfp, 0, tr.site());
        if (id < 0) {
            count("alloc_rx_buff_failed", 1);
            refilling = false;
            return;
        }
        filled.add(id);
        if (filled.size() < tr.ring()) {
            at(t, this::refill);
        } else {
            refilling = false;
        }
    }
}
