package dev.pagealloc.workloads.trace;

import dev.pagealloc.gfp.GfpBits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which kernel's GFP layout a trace's {@code gfp_flags=} spellings are read in: the era given
 * with {@code --trace-kernel}, or one detected from what the trace shows. The rules, in order
 * (each names the releases whose include/trace/events/kmem.h and gfp tables print that way):
 * <ol>
 *   <li>{@code mm_page_free_direct} or {@code mm_pagevec_free} (2.6.32–3.2): {@code 2.6.32}, then
 *       {@code 3.10} if a spelling needs it.
 *   <li>{@code pfn=0x..} (hex from 5.15): {@code 6.1} (the 5.18–6.3 layout; 6.4+ differs only in
 *       dropping {@code __GFP_ATOMIC}, 5.14–5.17 only in {@code __GFP_SKIP_KASAN_POISON}), then
 *       {@code 5.15}, {@code 6.8}.
 *   <li>Decimal pfn and the 2.6.32–4.5 trace spelling of single bits ({@code GFP_COMP},
 *       {@code GFP_WAIT}, no leading underscores): {@code 2.6.32}, {@code 3.10} (first when
 *       {@code mm_page_free}, 3.3+, or {@code cold=} was seen), {@code 4.4}.
 *   <li>Decimal pfn and the mmflags.h spelling ({@code __GFP_*}, {@code none}; 4.6+): {@code 4.19}
 *       ({@code 4.9} first with {@code cold=}, which 4.15 removed), then {@code 5.4}, {@code 4.9},
 *       {@code 4.10}, {@code 4.13}, {@code 4.14}, {@code 5.15}.
 *   <li>Decimal pfn and composite names only ({@code GFP_KERNEL}, {@code GFP_ATOMIC}: every era
 *       prints those alike): {@code 4.19} (most decimal-pfn traces in circulation are 4.x/5.x),
 *       {@code 3.10} with {@code cold=}; provisional until a spelling above settles the style.
 * </ol>
 * The era in force is the first candidate that can parse every spelling seen so far (a spelling
 * none can parse is a malformed line). Each gfp symbol carries the era it was first seen in, so a
 * later change of mind affects only new symbols; that is safe because a provisional choice is
 * made only on composite names, which keep their meaning across eras (and the style evidence
 * usually arrives with the first alloc line).
 */
final class TraceEra {
    private static final String[] HEX = {"6.1", "5.15", "6.8"};
    private static final String[] FREE_DIRECT = {"2.6.32", "3.10"};
    private static final String[] OLD = {"2.6.32", "3.10", "4.4"};
    private static final String[] OLD_3X = {"3.10", "4.4"};
    private static final String[] MMFLAGS = {"4.19", "5.4", "4.9", "4.10", "4.13", "4.14", "5.15"};
    private static final String[] MMFLAGS_COLD = {"4.9", "4.10", "4.13", "4.14"};
    private static final String[] NEUTRAL = {"4.19", "5.4", "4.9", "4.10", "4.13", "4.14", "5.15", "2.6.32",
        "3.10", "4.4"};
    private static final String[] NEUTRAL_COLD = {"3.10", "4.4", "4.9", "4.10", "4.13", "4.14"};

    /** Spelling style of the bit names: not yet seen, 2.6.32–4.5 trace names, mmflags.h names. */
    private enum Style { NEUTRAL, OLD, MMFLAGS }

    private final String given;
    private String current;
    private boolean freeDirect;
    private boolean pageFree;
    private boolean cold;
    private int pfnHex = -1; // -1 unknown, 0 decimal, 1 hex
    private Style style = Style.NEUTRAL;
    private final List<String> spellings = new ArrayList<>();

    /** @param given the {@code --trace-kernel} release, or null to detect */
    TraceEra(String given) {
        if (given != null) {
            GfpBits.forKernel(given); // a bad release fails at open, with forKernel's message
        }
        this.given = given;
        this.current = given;
    }

    void sawEvent(KmemEvent e) {
        switch (e) {
            case MM_PAGE_FREE_DIRECT, MM_PAGEVEC_FREE -> freeDirect = true;
            case MM_PAGE_FREE, MM_PAGE_FREE_BATCHED -> pageFree = true;
            default -> { }
        }
    }

    void sawCold() {
        cold = true;
    }

    void sawPfn(boolean hex) {
        if (pfnHex < 0) {
            pfnHex = hex ? 1 : 0;
        }
    }

    /**
     * The era to read a new spelling in (and from now on).
     *
     * @throws IllegalArgumentException when no candidate era knows every name in it
     */
    String eraFor(String spelling) {
        if (given != null) {
            GfpBits.forKernel(given).parse(spelling);
            return given;
        }
        noteStyle(spelling);
        String[] cands = candidates();
        if (current != null && contains(cands, current) && parses(current, spelling)) {
            spellings.add(spelling);
            return current;
        }
        String pick = null;
        for (String c : cands) {
            if (parses(c, spelling) && parsesAll(c)) {
                pick = c;
                break;
            }
        }
        if (pick == null) {
            for (String c : cands) {
                if (parses(c, spelling)) {
                    pick = c;
                    break;
                }
            }
        }
        if (pick == null) {
            GfpBits.forKernel(cands[0]).parse(spelling); // throws, naming the bad token
            pick = cands[0];
        }
        current = pick;
        spellings.add(spelling);
        return pick;
    }

    /** The era the trace is read as: the one in force, or what the evidence alone suggests. */
    String era() {
        if (given != null) {
            return given;
        }
        if (current != null && contains(candidates(), current)) {
            return current;
        }
        return candidates()[0];
    }

    private String[] candidates() {
        if (freeDirect) {
            return FREE_DIRECT;
        }
        if (pfnHex == 1) {
            return HEX;
        }
        return switch (style) {
            case OLD -> pageFree || cold ? OLD_3X : OLD;
            case MMFLAGS -> cold ? MMFLAGS_COLD : MMFLAGS;
            case NEUTRAL -> cold ? NEUTRAL_COLD : NEUTRAL;
        };
    }

    /** The first spelling that shows a style decides it. */
    private void noteStyle(String spelling) {
        if (style != Style.NEUTRAL) {
            return;
        }
        for (String raw : spelling.split("\\|")) {
            String t = raw.strip().toUpperCase(Locale.ROOT);
            if (t.startsWith("__GFP_") || t.equals("NONE") || t.equals("GFP_TRANSHUGE_LIGHT")
                    || t.equals("GFP_KERNEL_ACCOUNT")) {
                style = Style.MMFLAGS;
                return;
            }
            if (t.startsWith("GFP_") && GfpBits.isPre46TraceBitName(t)) {
                style = Style.OLD;
                return;
            }
        }
    }

    private boolean parsesAll(String era) {
        for (String s : spellings) {
            if (!parses(era, s)) {
                return false;
            }
        }
        return true;
    }

    private static boolean parses(String era, String spelling) {
        try {
            GfpBits.forKernel(era).parse(spelling);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean contains(String[] a, String s) {
        for (String x : a) {
            if (x.equals(s)) {
                return true;
            }
        }
        return false;
    }
}
