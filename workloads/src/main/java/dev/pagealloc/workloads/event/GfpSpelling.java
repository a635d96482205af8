package dev.pagealloc.workloads.event;

import dev.pagealloc.gfp.GfpBits;

/**
 * A gfp mask as a workload spells it, turned into a profile's bits. A spelling is what
 * {@code show_gfp_flags()} printed in a trace ({@code GFP_KERNEL|__GFP_COMP}, {@code GFP_NOWAIT},
 * leftover bits as {@code 0x..}), optionally prefixed by the era it was written in
 * ({@code "6.1:GFP_KERNEL|__GFP_ZERO"}, {@code "2.6.32:0x4020"}); without a prefix it is read in
 * the target profile's own layout. Flags are carried across eras by meaning (for example 4.4+
 * {@code __GFP_DIRECT_RECLAIM} is 2.6.32 {@code __GFP_WAIT}); flags the target kernel does not
 * have are dropped.
 *
 * <p>Not on the hot path: a replay resolves each symbol once.
 */
public final class GfpSpelling {
    private GfpSpelling() {}

    /**
     * The mask {@code spelling} stands for in {@code target}'s layout.
     *
     * @throws IllegalArgumentException one line naming the bad token and what was expected
     */
    public static int toProfile(String spelling, GfpBits target) {
        int colon = spelling.indexOf(':');
        if (colon < 0) {
            return target.parse(spelling);
        }
        String era = spelling.substring(0, colon);
        String mask = spelling.substring(colon + 1);
        GfpBits source = GfpBits.forKernel(era);
        if (source == target) {
            return target.parse(mask);
        }
        // TODO(trace reader): translate by meaning; for now names shared by both eras.
        return target.parse(source.traceFlags(source.parse(mask)));
    }
}
