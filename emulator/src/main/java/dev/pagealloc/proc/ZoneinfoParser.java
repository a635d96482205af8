package dev.pagealloc.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a real {@code /proc/zoneinfo} (2.6.32 … 6.x; mm/vmstat.c {@code zoneinfo_show_print()})
 * into the numbers the emulator can rebuild a machine from, and the numbers the kernel computed
 * from them (watermarks, protection, pagesets) to compare against.
 */
public final class ZoneinfoParser {
    private ZoneinfoParser() {}

    /** One zone as the file printed it. Fields the file lacks are -1. */
    public record ParsedZone(
            int node,
            String name,
            long free,
            long boost,
            long min,
            long low,
            long high,
            long spanned,
            long present,
            long managed,
            long[] protection,
            long startPfn,
            List<Pageset> pagesets,
            int line) {

        public boolean populated() {
            return present > 0;
        }
    }

    /** One CPU's {@code pagesets} entry. */
    public record Pageset(int cpu, long count, long high, long batch) {}

    /** A malformed file: the 1-based line and what was expected there. */
    public static final class ParseException extends Exception {
        public final int line;

        public ParseException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private static final Pattern ZONE = Pattern.compile("^Node (\\d+), zone\\s+(\\S+)\\s*$");
    private static final Pattern KV = Pattern.compile("^\\s+(pages free|boost|min|low|high|spanned|present|managed|start_pfn:|count:|high:|batch:)\\s+(-?\\d+)\\s*$");
    private static final Pattern CPU = Pattern.compile("^\\s+cpu: (\\d+)\\s*$");
    private static final Pattern PROT = Pattern.compile("^\\s+protection: \\(([\\d, ]*)\\)\\s*$");

    /** Parses the text; a file without any "Node N, zone NAME" line is malformed. */
    public static List<ParsedZone> parse(String text) throws ParseException {
        List<ParsedZone> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        Builder b = null;
        boolean inPagesets = false;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            Matcher m = ZONE.matcher(l);
            if (m.matches()) {
                if (b != null) {
                    out.add(b.build());
                }
                b = new Builder(Integer.parseInt(m.group(1)), m.group(2), i + 1);
                inPagesets = false;
                continue;
            }
            if (b == null) {
                continue;
            }
            if (l.trim().equals("pagesets")) {
                inPagesets = true;
                continue;
            }
            m = CPU.matcher(l);
            if (m.matches()) {
                b.cpu(Integer.parseInt(m.group(1)));
                continue;
            }
            m = PROT.matcher(l);
            if (m.matches()) {
                String[] parts = m.group(1).split(",\\s*");
                long[] p = new long[parts.length];
                for (int k = 0; k < parts.length; k++) {
                    try {
                        p[k] = Long.parseLong(parts[k].trim());
                    } catch (NumberFormatException e) {
                        throw new ParseException(i + 1, "expected numbers in protection: (...), got '" + l.trim() + "'");
                    }
                }
                b.protection = p;
                continue;
            }
            m = KV.matcher(l);
            if (m.matches()) {
                long v = Long.parseLong(m.group(2));
                switch (m.group(1)) {
                    case "pages free" -> b.free = v;
                    case "boost" -> b.boost = v;
                    case "min" -> b.min = v;
                    case "low" -> b.low = v;
                    case "high" -> b.high = v;
                    case "spanned" -> b.spanned = v;
                    case "present" -> b.present = v;
                    case "managed" -> b.managed = v;
                    case "start_pfn:" -> b.startPfn = v;
                    case "count:" -> b.pcpCount = v;
                    case "high:" -> b.pcpHigh = v;
                    case "batch:" -> {
                        if (inPagesets) {
                            b.pcpBatch(v);
                        }
                    }
                    default -> { }
                }
            }
        }
        if (b != null) {
            out.add(b.build());
        }
        if (out.isEmpty()) {
            throw new ParseException(1, "expected a /proc/zoneinfo (\"Node 0, zone      DMA\" lines), found none");
        }
        for (ParsedZone z : out) {
            if (z.populated() && (z.spanned < 0 || z.startPfn < 0)) {
                throw new ParseException(z.line(), "expected spanned, present and start_pfn for zone " + z.name());
            }
        }
        return out;
    }

    private static final class Builder {
        final int node;
        final String name;
        final int line;
        long free = -1, boost = -1, min = -1, low = -1, high = -1, spanned = -1, present = -1, managed = -1;
        long startPfn = -1;
        long[] protection = new long[0];
        final List<Pageset> pagesets = new ArrayList<>();
        int cpu = -1;
        long pcpCount = -1, pcpHigh = -1;

        Builder(int node, String name, int line) {
            this.node = node;
            this.name = name;
            this.line = line;
        }

        void cpu(int c) {
            cpu = c;
            pcpCount = -1;
            pcpHigh = -1;
        }

        void pcpBatch(long batch) {
            if (cpu >= 0) {
                pagesets.add(new Pageset(cpu, pcpCount, pcpHigh, batch));
                cpu = -1;
            }
        }

        ParsedZone build() {
            // 2.6.32 has no managed line: present is what its formulas use
            long m = managed >= 0 ? managed : present;
            return new ParsedZone(node, name, free, Math.max(0, boost), min, low, high, spanned, Math.max(0, present), m,
                    protection, startPfn, List.copyOf(pagesets), line);
        }
    }
}
