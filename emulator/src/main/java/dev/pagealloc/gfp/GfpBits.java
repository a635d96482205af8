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

    /** The kernel profile this table belongs to, e.g. {@code 2.6.32}. */
    public final String profile;
    /** {@code __GFP_BITS_SHIFT}. */
    public final int bitsShift;

    private final Map<String, Integer> bits;        // kernel spelling, kernel order
    private final Map<String, Integer> composites;  // kernel spelling, definition order
    private final FlagName[] traceTable;
    private final String traceZero;
    private final String[] describeOrder;
    private final Map<String, Integer> parseNames;  // upper-case spelling -> mask

    private GfpBits(Builder b) {
        this.profile = b.profile;
        this.bitsShift = b.bitsShift;
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
                throw new IllegalStateException(profile + ": describe order names unknown composite " + n);
            }
        }
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
            throw new IllegalArgumentException("no GFP flag named '" + kernelName + "' in the " + profile + " profile");
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
            throw new IllegalArgumentException("empty GFP mask (expected a " + profile
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
                    + " (expected a " + profile + " flag name such as GFP_KERNEL, __GFP_COMP or GFP_COMP, "
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

    @Override
    public String toString() {
        return "GfpBits[" + profile + "]";
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
            return new GfpBits(this);
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
