package dev.pagealloc.report;

import dev.pagealloc.report.Explanation.Check;
import dev.pagealloc.report.Explanation.WhatIf;
import dev.pagealloc.report.Explanation.ZoneVerdict;
import java.util.Locale;

/** The plain-text answer of {@code pagealloc explain}. */
public final class ExplanationText {
    private ExplanationText() {}

    public static String render(Explanation e) {
        StringBuilder sb = new StringBuilder();
        line(sb, "%s: order-%d allocation, mode %#x%s (report at line %d)", e.comm(), e.order(), e.gfp().mask(),
                e.gfp().names() == null || e.gfp().names().isEmpty() ? "" : " (" + e.gfp().names() + ")",
                e.reportLine());
        line(sb, "kernel %s (from the %s); GFP layout %s; watermark check: %s", e.kernel(),
                e.kernelSource().equals("report") ? "report" : e.kernelSource().equals("--kernel") ? "--kernel option"
                        : "report's format, assumed",
                e.gfpLayout(), e.watermarkCheck());
        line(sb, "request: highest zone %s, migratetype %s, %s; slow-path alloc_flags %#x", e.gfp().zone(),
                e.gfp().migratetype(), e.gfp().canSleep() ? "may sleep (reclaim)" : "cannot sleep (atomic)",
                e.gfp().allocFlags());
        sb.append('\n');
        for (ZoneVerdict z : e.zones()) {
            line(sb, "Node %d %s: %s — %s", z.node(), z.zone(), z.verdict().replace('_', ' '), z.reason());
            if (!z.eligible()) {
                continue;
            }
            line(sb, "    free %d pages; free blocks by order %s", z.freePages(), blocks(z.freeByOrder()));
            if (z.reported() != null) {
                String re = z.recomputed() == null ? "" : String.format(Locale.ROOT, " (recomputed %d/%d/%d)",
                        z.recomputed().min(), z.recomputed().low(), z.recomputed().high());
                line(sb, "    watermarks min/low/high %d/%d/%d pages%s", z.reported().min(), z.reported().low(),
                        z.reported().high(), re);
            }
            for (Check c : z.checks()) {
                line(sb, "    %-38s %s: %s%s", c.pass(), c.mark(), c.passed() ? "passes" : "refused at ", c.passed()
                        ? "" : c.step() + " (short by " + (1 - c.margin()) + ")");
            }
            line(sb, "    unusable free index %.3f, fragmentation index %.3f at order %d", z.unusableFreeIndex(),
                    z.fragmentationIndex(), e.order());
        }
        sb.append('\n');
        line(sb, "diagnosis: %s", e.diagnosis().summary());
        line(sb, "OOM killer: %s", e.diagnosis().oomReason());
        if (e.minFreeKbytes() != null) {
            line(sb, "min_free_kbytes: %s", e.minFreeKbytes().note());
        }
        if (!e.whatIf().isEmpty()) {
            line(sb, "what would have worked:");
            for (WhatIf w : e.whatIf()) {
                line(sb, "  %s %s: %s", w.wouldSucceed() ? "yes" : "no ", w.change(), w.detail());
            }
        }
        for (String w : e.warnings()) {
            line(sb, "note: %s", w);
        }
        for (String m : e.missing()) {
            line(sb, "missing: %s", m);
        }
        return sb.toString();
    }

    private static String blocks(long[] b) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < b.length; i++) {
            sb.append(i == 0 ? "" : " ").append(b[i]);
        }
        return sb.append(']').toString();
    }

    private static void line(StringBuilder sb, String fmt, Object... args) {
        sb.append(String.format(Locale.ROOT, fmt, args)).append('\n');
    }
}
