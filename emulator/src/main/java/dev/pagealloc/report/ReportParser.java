package dev.pagealloc.report;

import dev.pagealloc.report.FailureReport.PerCpuLine;
import dev.pagealloc.report.FailureReport.ZoneReport;
import dev.pagealloc.report.ReportLines.Kind;
import dev.pagealloc.report.ReportLines.Line;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads "page allocation failure" reports out of text a user copied from dmesg, syslog, the
 * journal, a forum or a mail: the {@code warn_alloc()} / {@code warn_alloc_failed()} /
 * {@code __alloc_pages_slowpath()} header, the {@code dump_stack()} first line, and
 * {@code show_mem()} → {@code show_free_areas()} (mm/page_alloc.c) with the page totals, in the
 * formats of 2.6.x to 6.x (kernel-spec.md §8).
 *
 * <p>Each header starts a report; a report ends at the next header, at an OOM report, at a
 * second {@code Mem-Info:}, or at the end of input. Transport prefixes are stripped and lines
 * wrapped by mail software re-joined ({@link ReportLines}); call traces are ignored; lines the
 * parser does not know inside a Mem-Info block are skipped with a warning. Parts the report lacks
 * are named in {@link FailureReport#missing()}.
 *
 * <p>Only {@link ReportParseException} is ever thrown: when there is no header at all, or when a
 * header's order or mode cannot be read. Linear in the input.
 */
public final class ReportParser {
    private ReportParser() {}

    static final String NO_HEADER = "no 'page allocation failure' header found (expected a line like "
            + "'comm: page allocation failure: order:N, mode:0x...')";

    private static final int MAX_WARNINGS = 40;
    private static final int MAX_ORDER_ACCEPTED = 64;

    private static final Pattern ORDER = Pattern.compile("order:\\s*(\\d+)");
    private static final Pattern MODE = Pattern.compile("mode:\\s*(?:0x|0X)([0-9a-fA-F]+)(\\(([^)]*)(\\))?)?");
    private static final Pattern NODEMASK = Pattern.compile("nodemask=(\\(null\\)|[^,\\s]*)");
    private static final Pattern CPUSET_F = Pattern.compile("cpuset=([^,\\s]*)");
    private static final Pattern MEMS_F = Pattern.compile("mems_allowed=([^,\\s]*)");
    private static final Pattern RELEASE = Pattern.compile("(?:Not tainted|Tainted:[A-Z ]*?)\\s+(\\d[^\\s#]*)");
    private static final Pattern PID_COMM = Pattern.compile("comm: (.{1,40}?) (?:Not tainted|Tainted:)");
    private static final Pattern CPU_COMM = Pattern.compile(
            "Comm: (.{1,40}?) (?:Kdump: \\S+ )?(?:Not tainted|Tainted:)");
    private static final Pattern KV = Pattern.compile(
            "(?<![\\w()])([A-Za-z_][\\w()]*):\\s?(-?\\d{1,18})(kB|KB)?(?!\\w)");
    private static final Pattern UNRECLAIMABLE = Pattern.compile("all_unreclaimable\\?\\s*(yes|no)");
    private static final Pattern ZONE_HEAD = Pattern.compile("^(?:Node (\\d{1,6}),? )?([A-Z][A-Za-z0-9_]*) ");
    private static final Pattern BUDDY_ORDER = Pattern.compile("(\\d{1,18})\\*(\\d{1,12})([kMG])B(?:\\s*\\(([A-Za-z]*)\\))?");
    private static final Pattern BUDDY_TOTAL = Pattern.compile("=\\s*(\\d{1,18})kB");
    private static final Pattern HUGE_KV = Pattern.compile("hugepages_(total|free|surp)=(\\d{1,18})");
    private static final Pattern HUGE_SIZE = Pattern.compile("hugepages_size=(\\d{1,18})kB");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    /** Parses text (any line ending) into one report per header; see {@link #parse(List)}. */
    public static List<FailureReport> parse(String text) {
        if (text == null) {
            throw new ReportParseException(0, NO_HEADER);
        }
        return parse(Arrays.asList(text.split("\r\n|\r|\n", -1)));
    }

    /**
     * Parses lines into one {@link FailureReport} per "page allocation failure" (or vmalloc
     * failure) report, in input order.
     *
     * @throws ReportParseException when no header is found, or a header's order/mode is unreadable
     */
    public static List<FailureReport> parse(List<String> lines) {
        if (lines == null) {
            throw new ReportParseException(0, NO_HEADER);
        }
        try {
            return new ReportParser.Run(ReportLines.logical(lines)).run();
        } catch (ReportParseException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new ReportParseException(0, "internal parser error (" + e + "): the input could not be read");
        }
    }

    // ------------------------------------------------------------------ one pass over logical lines

    private static final class Run {
        private final List<Line> lines;
        private final List<FailureReport> out = new ArrayList<>();
        private Builder cur;
        private String vmallocNote;

        Run(List<Line> lines) {
            this.lines = lines;
        }

        List<FailureReport> run() {
            for (int i = 0; i < lines.size(); i++) {
                Line l = lines.get(i);
                switch (l.kind()) {
                    case HEADER -> {
                        finish();
                        cur = header(l);
                        if (vmallocNote != null) {
                            cur.warn("preceded by '" + vmallocNote + "': the pages were requested by vmalloc()");
                            vmallocNote = null;
                        }
                    }
                    case VMALLOC -> vmalloc(l, i);
                    case TERMINATOR -> {
                        finish();
                        cur = null;
                    }
                    case MEMINFO -> {
                        if (cur != null) {
                            if (cur.sawMemInfo) {
                                finish(); // a second Mem-Info block belongs to another dump (sysrq, OOM)
                                cur = null;
                            } else {
                                cur.sawMemInfo = true;
                                cur.accept(l);
                            }
                        }
                    }
                    case BLANK -> {}
                    case UNKNOWN -> {
                        if (cur != null && cur.globalStarted && cur.zones.isEmpty() && cur.nodes.isEmpty()
                                && ReportLines.globalTokens(l.text().strip())) {
                            // a global continuation line whose leading space a syslog daemon dropped
                            cur.data(new Line(" " + l.text().strip(), Kind.GLOBAL_CONT, l.first(), l.last(),
                                    l.prefixed(), l.joined()));
                        } else if (cur != null && (cur.sawMemInfo || cur.sawData)) {
                            cur.pending.add(l);
                        }
                    }
                    case IGNORE -> {
                        if (cur != null && !cur.sawMemInfo && !cur.sawData) {
                            cur.last = Math.max(cur.last, l.last());
                        }
                    }
                    default -> {
                        if (cur != null) {
                            cur.data(l);
                        }
                    }
                }
            }
            finish();
            if (out.isEmpty()) {
                throw new ReportParseException(0, NO_HEADER);
            }
            return out;
        }

        private void finish() {
            if (cur != null) {
                out.add(cur.build());
                cur = null;
            }
        }

        private void vmalloc(Line l, int i) {
            String t = l.text().strip();
            Matcher mm = MODE.matcher(t);
            if (!mm.find()) {
                // 2.6.x-4.8: "vmalloc: allocation failure: N bytes" is printed just before an ordinary header
                for (int k = i + 1; k < lines.size() && k <= i + 3; k++) {
                    Kind nk = lines.get(k).kind();
                    if (nk == Kind.HEADER) {
                        vmallocNote = t.length() > 80 ? t.substring(0, 80) : t;
                        return;
                    }
                    if (nk != Kind.BLANK && nk != Kind.IGNORE) {
                        break;
                    }
                }
            }
            finish();
            Matcher m = ReportLines.VMALLOC.matcher(t);
            String comm = m.matches() && m.group("comm") != null ? cleanComm(m.group("comm")) : null;
            Builder b = new Builder(l.first(), comm, -1, "vmalloc");
            if (mm.find(0)) {
                b.mask = parseHex(mm.group(1), l.first());
                b.names = mm.group(2) != null ? mm.group(3) : null;
            } else {
                b.missing.add("mode (the vmalloc line printed none)");
            }
            b.headerFields(t);
            b.joined(l);
            cur = b;
        }

        private Builder header(Line l) {
            String t = l.text().strip();
            Matcher m = ReportLines.HEADER.matcher(t);
            if (!m.matches()) { // cannot happen: classified as HEADER by the same pattern
                throw new ReportParseException(l.first(), "expected 'comm: page allocation failure: order:N, mode:0x...'");
            }
            String comm = cleanComm(m.group("comm"));
            String sep = m.group("sep");
            String rest = m.group("rest") == null ? "" : m.group("rest");
            Matcher om = ORDER.matcher(rest);
            if (!om.find()) {
                throw new ReportParseException(l.first(), "expected 'order:N, mode:0x...' after '" + comm
                        + ": page allocation failure" + (sep == null ? "" : sep) + "'");
            }
            Long order = parseLong(om.group(1));
            if (order == null || order > MAX_ORDER_ACCEPTED) {
                throw new ReportParseException(l.first(), "expected a small order after 'order:', found '"
                        + abbreviate(om.group(1)) + "'");
            }
            Matcher mm = MODE.matcher(rest);
            if (!mm.find(om.end())) {
                throw new ReportParseException(l.first(), "expected 'mode:0x<hex>' after 'order:" + order + "'");
            }
            long mask = parseHex(mm.group(1), l.first());
            String names = mm.group(2) != null ? mm.group(3) : null;
            String style = ".".equals(sep) ? "2.6" : names != null ? "4.9+" : "3.x";
            Builder b = new Builder(l.first(), comm, order.intValue(), style);
            b.mask = mask;
            b.names = names;
            if (mm.group(2) != null && mm.group(4) == null) {
                b.warn("line " + l.first() + ": the mode's flag names are not closed by ')': the header was cut");
            }
            b.headerFields(rest);
            b.joined(l);
            return b;
        }
    }

    private static long parseHex(String hex, int line) {
        if (hex.length() > 16) {
            throw new ReportParseException(line, "expected a GFP mask of at most 64 bits after 'mode:0x', found "
                    + hex.length() + " hex digits");
        }
        return Long.parseUnsignedLong(hex, 16);
    }

    private static String cleanComm(String raw) {
        String c = raw.strip();
        int br = c.lastIndexOf("] ");
        if (br >= 0) {
            c = c.substring(br + 2).strip();
        }
        if (c.length() > 64) {
            int sp = c.lastIndexOf(' ');
            c = sp >= 0 ? c.substring(sp + 1) : c.substring(c.length() - 64);
        }
        return c;
    }

    private static Long parseLong(String digits) {
        if (digits == null || digits.isEmpty() || digits.length() > 18) {
            return null;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 60 ? t.substring(0, 57) + "..." : t;
    }

    // ------------------------------------------------------------------ one report being read

    private static final class ZoneB {
        final int node;
        final String name;
        final Map<String, Long> kb = new LinkedHashMap<>();
        Long pagesScanned;
        Boolean allUnreclaimable;
        long[] lowmem;
        long[] buddy;
        String[] types;
        Long total;
        boolean zoneLine;

        ZoneB(int node, String name) {
            this.node = node;
            this.name = name;
        }

        String label() {
            return "Node " + node + " " + name;
        }
    }

    private static final class Builder {
        final int first;
        int last;
        final String comm0;
        final int order;
        final String style;
        String comm;
        long mask;
        String names;
        String release;
        String nodemask;
        String cpuset;
        String mems;
        final Map<String, Long> global = new LinkedHashMap<>();
        final Map<Integer, Map<String, Long>> nodes = new TreeMap<>();
        final List<PerCpuLine> perCpu = new ArrayList<>();
        final Map<String, ZoneB> zones = new LinkedHashMap<>();
        final Map<String, Long> totals = new LinkedHashMap<>();
        final List<String> missing = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<Line> pending = new ArrayList<>();
        int droppedWarnings;
        boolean sawMemInfo;
        boolean sawData;
        boolean globalStarted;
        boolean anyLetters;
        ZoneB lastZone;
        int pcpNode;
        String pcpZone;

        Builder(int first, String comm, int order, String style) {
            this.first = first;
            this.last = first;
            this.comm0 = comm;
            this.comm = comm;
            this.order = order;
            this.style = style;
        }

        void warn(String w) {
            if (warnings.size() < MAX_WARNINGS) {
                warnings.add(w);
            } else {
                droppedWarnings++;
            }
        }

        void joined(Line l) {
            if (l.joined() > 0 && l.kind() != Kind.IGNORE) {
                warn("lines " + l.first() + "-" + l.last() + ": re-joined a " + describe(l.kind())
                        + " wrapped over " + (l.joined() + 1) + " lines");
            }
        }

        void accept(Line l) {
            for (Line p : pending) {
                warn("line " + p.first() + ": skipped a line that is not part of the report: '"
                        + abbreviate(p.text()) + "'");
            }
            pending.clear();
            last = Math.max(last, l.last());
            joined(l);
        }

        void headerFields(String t) {
            Matcher m = NODEMASK.matcher(t);
            if (m.find()) {
                nodemask = m.group(1);
            }
            m = CPUSET_F.matcher(t);
            if (m.find()) {
                cpuset = m.group(1);
            }
            m = MEMS_F.matcher(t);
            if (m.find()) {
                mems = m.group(1);
            }
        }

        void data(Line l) {
            String t = l.text().strip();
            switch (l.kind()) {
                case PID, CPU -> {
                    if (release == null) {
                        Matcher m = RELEASE.matcher(t);
                        if (m.find()) {
                            release = m.group(1);
                        }
                        Matcher c = (l.kind() == Kind.PID ? PID_COMM : CPU_COMM).matcher(t);
                        if (comm == null && c.find()) {
                            comm = c.group(1).strip();
                        }
                    }
                    if (!sawMemInfo && !sawData) {
                        last = Math.max(last, l.last());
                        joined(l);
                        return;
                    }
                }
                case CPUSET -> {
                    Matcher m = ReportLines.CPUSET.matcher(t);
                    if (cpuset == null && m.matches()) {
                        cpuset = m.group("cpuset");
                        mems = m.group("mems");
                    }
                    if (!sawMemInfo && !sawData) {
                        last = Math.max(last, l.last());
                        joined(l);
                        return;
                    }
                }
                case PERCPU_HDR -> {
                    Matcher m = ReportLines.PERCPU_HDR.matcher(t);
                    if (m.matches()) {
                        Long node = parseLong(m.group("node"));
                        pcpNode = node == null ? 0 : (int) Math.min(node, Integer.MAX_VALUE);
                        pcpZone = m.group("zone");
                    }
                }
                case PCP -> pcp(t, l);
                case GLOBAL -> {
                    globalStarted = true;
                    keyValues(t, global, false);
                }
                case GLOBAL_CONT -> {
                    if (!globalStarted) {
                        if (sawMemInfo || sawData) {
                            pending.add(l);
                        }
                        return;
                    }
                    keyValues(t, global, false);
                }
                case NODE -> node(t);
                case ZONE -> zone(t, l);
                case LOWMEM -> lowmem(t, l);
                case BUDDY -> buddy(t, l);
                case HUGEPAGES -> hugepages(t);
                case TOTALS -> totals(t);
                default -> {
                    return;
                }
            }
            sawData = true;
            accept(l);
        }

        private void pcp(String t, Line l) {
            Matcher m = ReportLines.PCP.matcher(t);
            boolean old = false;
            if (!m.matches()) {
                m = ReportLines.PCP_OLD.matcher(t);
                if (!m.matches()) {
                    return;
                }
                old = true;
                if (m.group("hc").equals("cold")) {
                    return;
                }
            }
            Long cpu = parseLong(m.group("cpu"));
            Long hi = parseLong(m.group("hi"));
            Long btch = parseLong(m.group("btch"));
            Long usd = parseLong(m.group("usd"));
            if (cpu == null || hi == null || btch == null || usd == null || hi > Integer.MAX_VALUE
                    || btch > Integer.MAX_VALUE || Math.abs(usd) > Integer.MAX_VALUE) {
                warn("line " + l.first() + ": per-CPU line with unreadable numbers skipped");
                return;
            }
            if (pcpZone == null) {
                warn("line " + l.first() + ": per-CPU line without a 'Zone per-cpu:' line before it");
            }
            perCpu.add(new PerCpuLine(pcpNode, pcpZone == null ? "?" : pcpZone, cpu.intValue(), hi.intValue(),
                    btch.intValue(), usd.intValue()));
            if (old && perCpu.size() == 1) {
                warn("2.6.18-style per-CPU lines (hot/cold lists): recorded the hot list only");
            }
        }

        /** {@code key:N} tokens; with {@code units} the kB/KB suffix is required for the kb map. */
        private void keyValues(String t, Map<String, Long> into, boolean units) {
            Matcher m = KV.matcher(t);
            while (m.find()) {
                Long v = parseSigned(m.group(2));
                if (v == null) {
                    continue;
                }
                if (!units || m.group(3) != null) {
                    into.put(m.group(1), v);
                }
            }
        }

        private void node(String t) {
            Matcher h = ReportLines.NODE.matcher(t);
            if (!h.lookingAt()) {
                return;
            }
            Long id = parseLong(h.group("node"));
            int node = id == null ? 0 : (int) Math.min(id, Integer.MAX_VALUE);
            Map<String, Long> map = nodes.computeIfAbsent(node, k -> new LinkedHashMap<>());
            keyValues(t.substring(h.end()), map, false);
            Matcher u = UNRECLAIMABLE.matcher(t);
            if (u.find()) {
                map.put("all_unreclaimable", u.group(1).equals("yes") ? 1L : 0L);
            }
        }

        private ZoneB zoneFor(int node, String name) {
            return zones.computeIfAbsent(node + " " + name, k -> new ZoneB(node, name));
        }

        private void zone(String t, Line l) {
            Matcher h = ZONE_HEAD.matcher(t);
            if (!h.lookingAt()) {
                return;
            }
            Long id = parseLong(h.group(1));
            int node = id == null ? 0 : (int) Math.min(id, Integer.MAX_VALUE);
            ZoneB z = zoneFor(node, h.group(2));
            if (z.zoneLine) {
                warn("line " + l.first() + ": a second zone line for " + z.label() + " ignored");
                lastZone = null;
                return;
            }
            z.zoneLine = true;
            String rest = t.substring(h.end());
            Matcher m = KV.matcher(rest);
            while (m.find()) {
                Long v = parseSigned(m.group(2));
                if (v == null) {
                    warn("line " + l.first() + ": " + z.label() + " " + m.group(1) + ": number too large, ignored");
                    continue;
                }
                if (m.group(3) != null) {
                    z.kb.put(m.group(1), v);
                } else if (m.group(1).equals("pages_scanned")) {
                    z.pagesScanned = v;
                }
            }
            Matcher u = UNRECLAIMABLE.matcher(rest);
            if (u.find()) {
                z.allUnreclaimable = u.group(1).equals("yes");
            }
            lastZone = z;
        }

        private void lowmem(String t, Line l) {
            int colon = t.indexOf(':');
            List<Long> vals = new ArrayList<>();
            Matcher m = NUMBER.matcher(t.substring(colon + 1));
            while (m.find()) {
                Long v = parseSigned(m.group());
                if (v != null) {
                    vals.add(v);
                }
            }
            long[] arr = vals.stream().mapToLong(Long::longValue).toArray();
            if (lastZone != null && lastZone.lowmem == null) {
                lastZone.lowmem = arr;
            } else {
                warn("line " + l.first() + ": a lowmem_reserve[] line that follows no zone line ignored");
            }
        }

        private void buddy(String t, Line l) {
            Matcher h = ReportLines.BUDDY.matcher(t);
            if (!h.matches()) {
                return;
            }
            Long id = parseLong(h.group("node"));
            int node = id == null ? 0 : (int) Math.min(id, Integer.MAX_VALUE);
            ZoneB z = zoneFor(node, h.group("zone"));
            if (z.buddy != null) {
                warn("line " + l.first() + ": a second buddy line for " + z.label() + " ignored");
                return;
            }
            String rest = h.group("rest");
            if (rest.startsWith("empty")) {
                z.buddy = new long[0];
                z.total = 0L;
                return;
            }
            List<Long> counts = new ArrayList<>();
            List<String> letters = new ArrayList<>();
            long firstSize = -1;
            boolean irregular = false;
            boolean sawLetters = false;
            Matcher m = BUDDY_ORDER.matcher(rest);
            int end = 0;
            while (m.find()) {
                Long count = parseLong(m.group(1));
                Long size = parseLong(m.group(2));
                if (count == null || size == null) {
                    irregular = true;
                    continue;
                }
                long kb = switch (m.group(3)) {
                    case "M" -> size * 1024;
                    case "G" -> size * 1024 * 1024;
                    default -> size;
                };
                int orderHere = counts.size();
                if (firstSize < 0) {
                    firstSize = kb;
                } else if (orderHere >= 62 || kb != firstSize << orderHere) {
                    irregular = true;
                }
                counts.add(count);
                letters.add(m.group(4) == null ? "" : m.group(4));
                sawLetters |= m.group(4) != null;
                end = m.end();
            }
            if (counts.isEmpty()) {
                warn("line " + l.first() + ": buddy line for " + z.label() + " has no 'count*size' entries");
                return;
            }
            if (irregular) {
                warn("line " + l.first() + ": buddy line for " + z.label()
                        + " has block sizes that do not double order by order: counts kept in printed order");
            }
            z.buddy = counts.stream().mapToLong(Long::longValue).toArray();
            if (sawLetters) {
                z.types = letters.toArray(String[]::new);
                anyLetters = true;
            }
            Matcher tm = BUDDY_TOTAL.matcher(rest);
            if (tm.find(Math.min(end, rest.length()))) {
                z.total = parseLong(tm.group(1));
            } else {
                warn("line " + l.first() + ": buddy line for " + z.label() + " has no '= NkB' total");
            }
        }

        private void hugepages(String t) {
            Matcher s = HUGE_SIZE.matcher(t);
            String size = s.find() ? s.group(1) + "kB" : "?kB";
            Matcher m = HUGE_KV.matcher(t);
            while (m.find()) {
                Long v = parseLong(m.group(2));
                if (v != null) {
                    totals.merge("hugepages_" + m.group(1) + " " + size, v, ReportParser::saturatingAdd);
                }
            }
        }

        private void totals(String t) {
            Matcher m = ReportLines.TOTAL_PAGES.matcher(t);
            if (m.matches()) {
                Long v = parseSigned(m.group("n"));
                if (v != null) {
                    String what = m.group("what").strip();
                    String key = switch (what) {
                        case "pages of RAM" -> "pages RAM";
                        case "reserved pages" -> "pages reserved";
                        default -> what;
                    };
                    totals.put(key, v);
                }
                return;
            }
            m = ReportLines.SWAP_KB.matcher(t);
            if (m.matches()) {
                Long v = parseSigned(m.group("n"));
                if (v != null) {
                    totals.putIfAbsent(m.group("what") + " kB", v);
                }
                return;
            }
            m = ReportLines.SWAP_STATS.matcher(t);
            if (m.lookingAt()) {
                putIfReadable("swap cache add", m.group("add"));
                putIfReadable("swap cache delete", m.group("del"));
                putIfReadable("swap cache find", m.group("find"));
                putIfReadable("swap cache find total", m.group("total"));
                return;
            }
            m = ReportLines.FREE_PAGES_OLD.matcher(t);
            if (m.lookingAt()) {
                putIfReadable("Free pages kB", m.group("n"));
            }
        }

        private void putIfReadable(String key, String digits) {
            Long v = parseLong(digits);
            if (v != null) {
                totals.put(key, v);
            }
        }

        FailureReport build() {
            boolean letterEra = anyLetters || "4.9+".equals(style);
            List<ZoneReport> zs = new ArrayList<>();
            boolean anyMemData = sawMemInfo || !zones.isEmpty() || !global.isEmpty() || !totals.isEmpty();
            if (!anyMemData) {
                missing.add("Mem-Info block");
            } else {
                if (global.isEmpty()) {
                    missing.add("global counters (active_anon:... free:...)");
                }
                if (zones.isEmpty()) {
                    missing.add("zone lines (no 'Zone free:...kB min:...kB' line)");
                }
            }
            for (ZoneB z : zones.values()) {
                if (!z.zoneLine) {
                    missing.add("zone line for " + z.label());
                } else {
                    if (z.lowmem == null) {
                        missing.add("lowmem_reserve for " + z.label());
                    }
                    List<String> marks = new ArrayList<>();
                    for (String f : new String[] {"free", "min", "low", "high"}) {
                        if (!z.kb.containsKey(f)) {
                            marks.add(f);
                        }
                    }
                    if (!marks.isEmpty()) {
                        missing.add(String.join("/", marks) + " for " + z.label());
                    }
                }
                if (z.buddy == null) {
                    missing.add("buddy line for " + z.label());
                }
                String[] types = z.types;
                if (types == null && letterEra && z.buddy != null && z.buddy.length > 0) {
                    types = new String[z.buddy.length];
                    Arrays.fill(types, "");
                }
                zs.add(new ZoneReport(z.node, z.name, Collections.unmodifiableMap(new LinkedHashMap<>(z.kb)),
                        z.pagesScanned, z.allUnreclaimable, z.lowmem, z.buddy, types, z.total));
            }
            if (anyMemData && !totals.containsKey("pages RAM")) {
                missing.add("page totals ('N pages RAM' ...)");
            }
            if (release == null) {
                missing.add("kernel release (no 'Pid:'/'CPU:' line)");
            }
            if (droppedWarnings > 0) {
                warnings.add("... and " + droppedWarnings + " more warnings");
            }
            Map<Integer, Map<String, Long>> nodesCopy = new TreeMap<>();
            nodes.forEach((k, v) -> nodesCopy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
            return new FailureReport(first, last, comm, order, mask, names, style, release, nodemask, cpuset, mems,
                    Collections.unmodifiableMap(new LinkedHashMap<>(global)), Collections.unmodifiableMap(nodesCopy),
                    List.copyOf(perCpu), List.copyOf(zs), Collections.unmodifiableMap(new LinkedHashMap<>(totals)),
                    List.copyOf(missing), List.copyOf(warnings));
        }
    }

    private static Long parseSigned(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.charAt(0) == '-') {
            Long v = parseLong(s.substring(1));
            return v == null ? null : -v;
        }
        return parseLong(s);
    }

    private static Long saturatingAdd(Long a, Long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static String describe(Kind k) {
        return switch (k) {
            case HEADER, VMALLOC -> "header line";
            case PID, CPU -> "dump_stack line";
            case GLOBAL, GLOBAL_CONT -> "global counter line";
            case NODE -> "node line";
            case ZONE -> "zone line";
            case LOWMEM -> "lowmem_reserve line";
            case BUDDY -> "buddy line";
            case HUGEPAGES -> "hugepages line";
            case TOTALS -> "totals line";
            case CPUSET -> "cpuset line";
            default -> "line";
        };
    }
}
