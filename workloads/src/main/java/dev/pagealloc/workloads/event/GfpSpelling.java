package dev.pagealloc.workloads.event;

import dev.pagealloc.gfp.GfpBits;
import java.util.Locale;
import java.util.Map;

/**
 * A gfp mask as a workload spells it, turned into a kernel's GFP layout. A spelling is what
 * {@code show_gfp_flags()} printed in a trace ({@code GFP_KERNEL|__GFP_COMP}, {@code GFP_NOWAIT},
 * leftover bits as {@code 0x..}), optionally prefixed by the era it was written in
 * ({@code "6.1:GFP_KERNEL|__GFP_ZERO"}, {@code "2.6.32:0x4020"}); without a prefix it is read in
 * the target kernel's own layout.
 *
 * <h2>Translation by meaning</h2>
 * Each {@code |}-separated token is carried across separately:
 * <ul>
 *   <li>a composite name ({@code GFP_KERNEL}, {@code GFP_ATOMIC}, {@code GFP_NOWAIT},
 *       {@code GFP_HIGHUSER_MOVABLE}, {@code GFP_TRANSHUGE}, ...) becomes the target's composite of
 *       that name when the target defines it (so 6.1 {@code GFP_ATOMIC}, HIGH|ATOMIC|KSWAPD_RECLAIM,
 *       is 2.6.32 {@code GFP_ATOMIC} = {@code __GFP_HIGH}), otherwise its bits one by one;
 *   <li>a bit name, in the kernel spelling ({@code __GFP_COMP}) or the 2.6.32–4.5 trace spelling
 *       ({@code GFP_COMP}), becomes the target's bit of that name; {@code __GFP_WAIT} and
 *       {@code __GFP_DIRECT_RECLAIM} stand for each other (4.4 split the one into the other plus
 *       kswapd waking), as do {@code __GFP_REPEAT} and {@code __GFP_RETRY_MAYFAIL} (4.13 renamed
 *       it);
 *   <li>a number ({@code 0x140cca}) is decoded in the source era and carried bit by bit;
 *   <li>a bit the target lacks is dropped: {@code __GFP_ATOMIC} (4.4–6.3; older kernels derive
 *       ALLOC_HARDER from the absence of {@code __GFP_WAIT}, 6.4+ from the absence of
 *       {@code __GFP_DIRECT_RECLAIM}), {@code __GFP_COLD}, {@code __GFP_ACCOUNT}, and so on.
 * </ul>
 * Waking kswapd is a property of the whole mask and is settled last. Before 4.4 there is no
 * {@code __GFP_KSWAPD_RECLAIM}: 2.6.32's {@code __alloc_pages_slowpath()} wakes kswapd for every
 * mask except the NUMA {@code GFP_THISNODE} triple ({@code __GFP_THISNODE|__GFP_NOWARN|__GFP_NORETRY},
 * which fails first), and 3.x also not for {@code __GFP_NO_KSWAPD}. So a mask from those eras
 * gets the target's {@code __GFP_KSWAPD_RECLAIM} exactly when its kernel would have woken kswapd,
 * and a 4.4+ mask without {@code __GFP_KSWAPD_RECLAIM} gets 3.x's {@code __GFP_NO_KSWAPD} (2.6.32
 * cannot express it).
 *
 * <p>Not on the hot path: a replay resolves each symbol once.
 */
public final class GfpSpelling {
    private GfpSpelling() {}

    /** Bits that changed name but not meaning, both ways. */
    private static final Map<String, String> SAME_MEANING = Map.of(
            "__GFP_WAIT", "__GFP_DIRECT_RECLAIM",
            "__GFP_DIRECT_RECLAIM", "__GFP_WAIT",
            "__GFP_REPEAT", "__GFP_RETRY_MAYFAIL",
            "__GFP_RETRY_MAYFAIL", "__GFP_REPEAT");

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
        source.parse(mask); // rejects unknown names and empty tokens with the table's own message
        int sourceMask = 0;
        int result = 0;
        for (String raw : mask.split("\\|", -1)) {
            String token = raw.strip();
            String upper = token.toUpperCase(Locale.ROOT);
            Integer composite = source.composites().get(upper);
            if (composite != null) {
                sourceMask |= composite;
                Integer same = target.composites().get(upper);
                result |= same != null ? same : bitByBit(composite, source, target);
                continue;
            }
            String bit = bitName(upper, source);
            if (bit != null) {
                int value = source.bits().get(bit);
                sourceMask |= value;
                result |= translateBit(bit, target);
                continue;
            }
            int value = source.parse(token); // a number, or "none" / another alias
            sourceMask |= value;
            result |= bitByBit(value, source, target);
        }
        return kswapd(result, sourceMask, source, target);
    }

    /** The kernel name of a bit token in either spelling ({@code __GFP_COMP}, {@code GFP_COMP}), or null. */
    private static String bitName(String upper, GfpBits source) {
        if (source.bits().containsKey(upper)) {
            return upper;
        }
        if (upper.startsWith("GFP_") && source.bits().containsKey("__" + upper)) {
            return "__" + upper;
        }
        return null;
    }

    /** Every named bit of {@code mask} in {@code source}, carried to {@code target}; unnamed bits are dropped. */
    private static int bitByBit(int mask, GfpBits source, GfpBits target) {
        int result = 0;
        for (Map.Entry<String, Integer> b : source.bits().entrySet()) {
            int v = b.getValue();
            if (v != 0 && (mask & v) == v) {
                result |= translateBit(b.getKey(), target);
            }
        }
        return result;
    }

    private static int translateBit(String name, GfpBits target) {
        Integer v = target.bits().get(name);
        if (v == null) {
            String same = SAME_MEANING.get(name);
            v = same == null ? null : target.bits().get(same);
        }
        return v == null ? 0 : v;
    }

    /** Settles kswapd waking between the pre-4.4 rule (implicit) and the 4.4+ bit. */
    private static int kswapd(int result, int sourceMask, GfpBits source, GfpBits target) {
        int srcKswapd = source.bit("__GFP_KSWAPD_RECLAIM");
        int tgtKswapd = target.bit("__GFP_KSWAPD_RECLAIM");
        if (srcKswapd == 0 && tgtKswapd != 0) {
            int noKswapd = source.bit("__GFP_NO_KSWAPD");
            int thisnode = source.bit("__GFP_THISNODE") | source.bit("__GFP_NOWARN") | source.bit("__GFP_NORETRY");
            boolean wakes = (sourceMask & noKswapd) == 0 && (sourceMask & thisnode) != thisnode;
            return wakes ? result | tgtKswapd : result & ~tgtKswapd;
        }
        int tgtNoKswapd = target.bit("__GFP_NO_KSWAPD");
        if (srcKswapd != 0 && tgtNoKswapd != 0) {
            return (sourceMask & srcKswapd) != 0 ? result & ~tgtNoKswapd : result | tgtNoKswapd;
        }
        return result;
    }
}
