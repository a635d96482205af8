package dev.pagealloc.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line layer of {@link ReportParser}: strips what transports add to kernel log lines (dmesg
 * timestamps, syslog/journalctl prefixes, {@code <N>} log levels, Android's {@code [cpu: comm:pid]},
 * mail quoting, CR), classifies each line by the kernel printk it came from, and re-joins lines
 * that mail software wrapped. Every step is linear in the input: each physical line is cleaned,
 * classified and consumed once (a joined line is capped in length).
 */
final class ReportLines {
    private ReportLines() {}

    /** What printk a (logical) line came from. */
    enum Kind {
        BLANK,
        /** {@code comm: page allocation failure[.:] order:N, mode:0x...}. */
        HEADER,
        /** {@code comm: vmalloc error: ...} or {@code vmalloc: allocation failure...}. */
        VMALLOC,
        /** {@code Pid: N, comm: X Not tainted R ...} (2.6.x dump_stack). */
        PID,
        /** {@code CPU: N PID: N Comm: X Not tainted R ...}. */
        CPU,
        /** {@code comm cpuset=/ mems_allowed=0} (4.19). */
        CPUSET,
        MEMINFO,
        /** {@code Node 0 DMA per-cpu:}. */
        PERCPU_HDR,
        /** {@code CPU    0: hi:    0, btch:   1 usd:   0} or 2.6.18 {@code cpu 0 hot: high 0, batch 1 used:0}. */
        PCP,
        /** The first line of the global counters ({@code active_anon:N ...}). */
        GLOBAL,
        /** A continuation line of the global counters (leading space, {@code key:N} only). */
        GLOBAL_CONT,
        /** 4.9+ {@code Node 0 active_anon:...kB ...}. */
        NODE,
        /** {@code [Node 0 ]DMA32 free:...kB min:...}. */
        ZONE,
        LOWMEM,
        /** {@code [Node 0 ]DMA32: 3*4kB (U) ... = 12kB} or {@code Node 0 Normal: empty}. */
        BUDDY,
        HUGEPAGES,
        /** Page totals, swap lines, pagecache, 2.6.18 "Free pages:". */
        TOTALS,
        /** A line that ends any report in progress (an OOM report's header). */
        TERMINATOR,
        /** Recognised and of no interest: call trace, registers, "callbacks suppressed"... */
        IGNORE,
        UNKNOWN
    }

    /** One logical line: possibly several physical lines re-joined. */
    record Line(String text, Kind kind, int first, int last, boolean prefixed, int joined) {}

    /** Longest logical line built by joining (keeps the regexes cheap on hostile input). */
    static final int MAX_JOINED_CHARS = 8192;
    private static final int MAX_JOINS = 40;

    // ---------------------------------------------------------------- prefixes

    private static final Pattern LOGLEVEL = Pattern.compile("^<\\d{1,2}>");
    private static final Pattern SYSLOG = Pattern.compile(
            "^(?:[A-Z][a-z]{2} {1,2}\\d{1,2} \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?"
                    + "|\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?)"
                    + " (?:[\\w.-]+ )?kernel:(?: |$)");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "^\\[(?:\\s*\\d+\\.\\d+|\\s*\\+\\s*\\d+\\.\\d+|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}"
                    + "|[A-Z][a-z]{2}\\d{1,2} \\d\\d:\\d\\d)\\](?:\\[\\s*[TC]\\d+\\])?(?: |$)");
    private static final Pattern ANDROID = Pattern.compile("^ ?\\[\\d+:[^\\]\\[]{0,40}:\\s*\\d+\\](?: |$)");
    private static final Pattern HOST_KERNEL = Pattern.compile("^(?:[\\w.-]+ )?kernel:(?: |$)");

    /** A physical line with its transport prefixes removed. */
    record Clean(String text, boolean prefixed) {}

    static Clean clean(String raw) {
        String s = raw == null ? "" : raw;
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\r' || s.charAt(end - 1) == '\n')) {
            end--;
        }
        s = s.substring(0, end);
        if (s.indexOf('\r') >= 0) {
            s = s.replace('\r', ' ');
        }
        boolean prefixed = false;
        s = unquote(s);
        for (int pass = 0; pass < 6; pass++) {
            String before = s;
            s = strip(s, LOGLEVEL);
            s = strip(s, SYSLOG);
            s = strip(s, TIMESTAMP);
            s = strip(s, ANDROID);
            if (!s.equals(before)) {
                prefixed = true;
                // "[ 12.3] host kernel: " (journalctl -o short-monotonic), "kernel: " alone
                s = strip(s, HOST_KERNEL);
            } else if (pass == 0 && s.startsWith("kernel: ")) {
                s = s.substring("kernel: ".length());
                prefixed = true;
            } else {
                break;
            }
        }
        return new Clean(s, prefixed);
    }

    /** Mail quoting: up to 3 blanks, then any number of {@code >} each with one optional blank. */
    private static String unquote(String s) {
        int i = 0;
        while (i < s.length() && i < 3 && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        if (i >= s.length() || s.charAt(i) != '>') {
            return s;
        }
        while (i < s.length() && s.charAt(i) == '>') {
            i++;
            if (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }
        return s.substring(i);
    }

    /** A raw stack dump line: two or more words of 8-16 hex digits. */
    private static boolean hexDump(String t) {
        int words = 0;
        for (String w : t.split("\\s+")) {
            if (w.length() < 8 || w.length() > 16) {
                return false;
            }
            for (int k = 0; k < w.length(); k++) {
                if (Character.digit(w.charAt(k), 16) < 0 || Character.isUpperCase(w.charAt(k))) {
                    return false;
                }
            }
            words++;
        }
        return words >= 2;
    }

    private static String strip(String s, Pattern p) {
        if (s.isEmpty()) {
            return s;
        }
        Matcher m = p.matcher(s);
        return m.lookingAt() ? s.substring(m.end()) : s;
    }

    // ---------------------------------------------------------------- classification

    static final Pattern HEADER = Pattern.compile(
            "^(?<comm>.{1,80}?):\\s+page allocation failure(?:(?<sep>[.:])\\s*(?<rest>.*))?$");
    static final Pattern VMALLOC = Pattern.compile(
            "^(?:(?<comm>.{1,80}?):\\s+)?vmalloc(?: error:|: allocation failure)(?<rest>.*)$");
    static final Pattern PID = Pattern.compile("^Pid: \\d+, comm:(?: |$)");
    static final Pattern CPU = Pattern.compile("^CPU: \\d+ (?:UID: \\d+ )?PID: \\d+ Comm:(?: |$)");
    static final Pattern CPUSET = Pattern.compile("^(?<comm>\\S.{0,79}?) cpuset=(?<cpuset>\\S*) mems_allowed=(?<mems>\\S+)\\s*$");
    static final Pattern PERCPU_HDR = Pattern.compile("^(?:Node (?<node>\\d{1,6}),? )?(?<zone>[A-Z][A-Za-z0-9_]*) per-cpu:(?: empty)?\\s*$");
    static final Pattern PCP = Pattern.compile(
            "^CPU\\s+(?<cpu>\\d{1,6}): hi:\\s*(?<hi>\\d+), btch:\\s*(?<btch>\\d+) usd:\\s*(?<usd>-?\\d+)\\s*$");
    static final Pattern PCP_OLD = Pattern.compile(
            "^cpu (?<cpu>\\d{1,6}) (?<hc>hot|cold): high (?<hi>\\d+), batch (?<btch>\\d+) used:\\s*(?<usd>-?\\d+)\\s*$");
    static final Pattern GLOBAL = Pattern.compile("^(?:active_anon|Active_anon|Active):\\d+(?:\\s|$)");
    static final Pattern NODE = Pattern.compile("^Node (?<node>\\d{1,6}) (?=[a-z])");
    static final Pattern HUGEPAGES = Pattern.compile("^Node (?<node>\\d{1,6}) hugepages_");
    static final Pattern ZONE = Pattern.compile(
            "^(?:Node (?<node>\\d{1,6}),? )?(?<zone>[A-Z][A-Za-z0-9_]*) free:\\s?(?:-?\\d|$)");
    static final Pattern LOWMEM = Pattern.compile("^lowmem_reserve\\[\\]:");
    static final Pattern BUDDY = Pattern.compile(
            "^(?:Node (?<node>\\d{1,6}),? )?(?<zone>[A-Z][A-Za-z0-9_]*): (?<rest>(?:\\d+\\*|empty).*)$");
    static final Pattern TOTAL_PAGES = Pattern.compile(
            "^(?<n>-?\\d+) (?<what>total pagecache pages|reserved pages|pages [A-Za-z][A-Za-z/ -]{0,40})$");
    static final Pattern SWAP_STATS = Pattern.compile(
            "^Swap cache(?: stats)?: add (?<add>\\d+), delete (?<del>\\d+), find (?<find>\\d+)/(?<total>\\d+)");
    static final Pattern SWAP_KB = Pattern.compile("^(?<what>Free swap|Total swap)\\s*[=:]\\s*(?<n>-?\\d+)kB\\s*$");
    static final Pattern FREE_PAGES_OLD = Pattern.compile("^Free pages:\\s*(?<n>\\d+)kB");

    private static final Pattern CALLBACKS = Pattern.compile("^\\S+: \\d+ callbacks(?: suppressed)?");
    private static final Pattern IGNORE = Pattern.compile(
            "^\\s*(?:Call [Tt]race:|Hardware name:|Workqueue:|Modules linked in:|Tainted: \\[|RIP:|Code:|RSP:|EIP:|"
                    + "Exception stack|Stack:|Memory allocations:|Kernel panic|---\\[|"
                    + "\\[<[0-9a-fA-F]+>\\]|<(?:/?IRQ|EOI|/?TASK|/?NMI|/?SOFTIRQ)>|\\? \\S)");
    private static final Pattern FRAME = Pattern.compile("^\\s*(?:\\S+ from )?\\S+\\+0x[0-9a-f]+/0x[0-9a-f]+");
    private static final Pattern REGS = Pattern.compile("^\\s*(?:[A-Z][A-Z0-9]{1,3}|[0-9a-f]{4}|x\\d{1,2}|pc|lr|sp|fp): ?[0-9a-fA-F]{4}");

    static Kind classify(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return Kind.BLANK;
        }
        char c = t.charAt(0);
        boolean leadingSpace = Character.isWhitespace(s.charAt(0));
        if (t.contains("page allocation failure")) {
            Matcher m = HEADER.matcher(t);
            if (m.matches() && headerRestPlausible(m.group("rest"))) {
                return Kind.HEADER;
            }
        }
        if (t.contains("vmalloc") && VMALLOC.matcher(t).matches()) {
            return Kind.VMALLOC;
        }
        if (t.contains("invoked oom-killer")) {
            return Kind.TERMINATOR;
        }
        if (c == 'P' && PID.matcher(t).lookingAt()) {
            return Kind.PID;
        }
        if (c == 'C' && CPU.matcher(t).lookingAt()) {
            return Kind.CPU;
        }
        if (t.equalsIgnoreCase("Mem-Info:")) {
            return Kind.MEMINFO;
        }
        if (t.contains(" per-cpu:") && PERCPU_HDR.matcher(t).matches()) {
            return Kind.PERCPU_HDR;
        }
        if ((c == 'C' && PCP.matcher(t).matches()) || (c == 'c' && PCP_OLD.matcher(t).matches())) {
            return Kind.PCP;
        }
        if (GLOBAL.matcher(t).lookingAt()) {
            return Kind.GLOBAL;
        }
        if (c == 'N') {
            if (HUGEPAGES.matcher(t).lookingAt()) {
                return Kind.HUGEPAGES;
            }
            if (NODE.matcher(t).lookingAt()) {
                return Kind.NODE;
            }
        }
        if (Character.isUpperCase(c)) {
            if (t.contains(" free:") && ZONE.matcher(t).lookingAt()) {
                return Kind.ZONE;
            }
            if (BUDDY.matcher(t).matches()) {
                return Kind.BUDDY;
            }
        }
        if (c == 'l' && LOWMEM.matcher(t).lookingAt()) {
            return Kind.LOWMEM;
        }
        if (TOTAL_PAGES.matcher(t).matches() || SWAP_KB.matcher(t).matches() || t.startsWith("Swap cache")
                || FREE_PAGES_OLD.matcher(t).lookingAt()) {
            return Kind.TOTALS;
        }
        if (leadingSpace && globalTokens(t)) {
            return Kind.GLOBAL_CONT;
        }
        if (t.contains(" cpuset=") && CPUSET.matcher(t).matches()) {
            return Kind.CPUSET;
        }
        if (CALLBACKS.matcher(t).lookingAt() || IGNORE.matcher(s).lookingAt() || FRAME.matcher(t).lookingAt()
                || hexDump(t) || REGS.matcher(t).lookingAt()) {
            return Kind.IGNORE;
        }
        return Kind.UNKNOWN;
    }

    /** After "failure[.:]": nothing yet (wrapped), or the start of "order:"/"mode:". */
    private static boolean headerRestPlausible(String rest) {
        if (rest == null || rest.isBlank()) {
            return true;
        }
        String r = rest.stripLeading();
        return r.startsWith("o") || r.startsWith("mode") || r.startsWith(",");
    }

    /** Every whitespace-separated token is {@code key:digits} (a global-counter line). */
    static boolean globalTokens(String t) {
        int i = 0;
        int n = t.length();
        int tokens = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(t.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(t.charAt(i))) {
                i++;
            }
            if (!isKeyNumber(t, start, i)) {
                return false;
            }
            tokens++;
        }
        return tokens > 0;
    }

    private static boolean isKeyNumber(String t, int start, int end) {
        int colon = t.indexOf(':', start);
        if (colon <= start || colon >= end - 1) {
            return false;
        }
        char first = t.charAt(start);
        if (!(Character.isLetter(first) || first == '_')) {
            return false;
        }
        for (int k = start; k < colon; k++) {
            char ch = t.charAt(k);
            if (!(Character.isLetterOrDigit(ch) || ch == '_' || ch == '(' || ch == ')')) {
                return false;
            }
        }
        for (int k = colon + 1; k < end; k++) {
            if (!Character.isDigit(t.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- joining

    private static final Pattern ZONE_PARTIAL = Pattern.compile("^(?:Node \\d{1,6}|(?:Node \\d{1,6} )?[A-Z][A-Za-z0-9_]*:?)$");
    private static final Pattern HEADER_KEYWORD = Pattern.compile(
            "^(?:,|mode:|nodemask=|cpuset=|mems_allowed=|order:|allocation|failure|page)");
    private static final Pattern MODE_HEX = Pattern.compile("mode:\\s*0x[0-9a-fA-F]+");
    private static final Pattern RELEASE = Pattern.compile("(?:Not tainted|Tainted:[A-Z ]*?)\\s+(\\d[^\\s#]*)");
    private static final Pattern BUDDY_TOKEN = Pattern.compile("\\d+\\*\\d+[kMG]B|\\([A-Za-z]*\\)|=|-?\\d+kB|empty");

    /** Cleans, classifies and re-joins wrapped lines. */
    static List<Line> logical(List<String> raw) {
        int n = raw.size();
        String[] text = new String[n];
        boolean[] prefixed = new boolean[n];
        Kind[] kinds = new Kind[n];
        for (int i = 0; i < n; i++) {
            Clean c = clean(raw.get(i));
            text[i] = c.text();
            prefixed[i] = c.prefixed();
            kinds[i] = classify(c.text());
        }
        List<Line> out = new ArrayList<>();
        int i = 0;
        while (i < n) {
            String cur = text[i];
            Kind kind = kinds[i];
            int last = i;
            int joined = 0;
            if (kind == Kind.UNKNOWN && i + 1 < n && !prefixed[i + 1] && kinds[i + 1] == Kind.UNKNOWN) {
                // a header split before "page allocation failure" was complete, or "Node 0" / "DMA32" alone
                String t = cur.strip();
                String next = text[i + 1];
                String cand = null;
                boolean header = false;
                if (t.indexOf(':') >= 0 && (t.contains("fail") || next.contains("fail") || t.contains("vmalloc")
                        || next.contains("vmalloc"))) {
                    cand = join(Kind.HEADER, cur, next);
                    header = true;
                } else if (t.length() < 40 && ZONE_PARTIAL.matcher(t).matches()) {
                    String ns = next.strip();
                    if (!ns.isEmpty() && Character.isLetterOrDigit(ns.charAt(0))) {
                        cand = t + " " + ns;
                    }
                }
                if (cand != null && cand.length() <= MAX_JOINED_CHARS) {
                    Kind k = classify(cand);
                    boolean ok = header ? k == Kind.HEADER || k == Kind.VMALLOC
                            : k == Kind.ZONE || k == Kind.NODE || k == Kind.BUDDY || k == Kind.HUGEPAGES;
                    if (ok) {
                        cur = cand;
                        kind = k;
                        last = i + 1;
                        joined = 1;
                    }
                }
            }
            if (joinable(kind)) {
                while (last + 1 < n && joined < MAX_JOINS && cur.length() < MAX_JOINED_CHARS) {
                    int j = last + 1;
                    if (prefixed[j] || kinds[j] == Kind.BLANK) {
                        break;
                    }
                    boolean incomplete = incomplete(kind, cur);
                    boolean take;
                    if (kinds[j] == Kind.UNKNOWN) {
                        take = incomplete || continues(kind, text[j]) || (kind == Kind.IGNORE && prefixed[i]);
                    } else {
                        // a fragment that happens to look like a global continuation line
                        take = incomplete && (kind == Kind.ZONE || kind == Kind.NODE) && kinds[j] == Kind.GLOBAL_CONT;
                    }
                    if (!take) {
                        break;
                    }
                    cur = join(kind, cur, text[j]);
                    last = j;
                    joined++;
                }
            }
            out.add(new Line(cur, kind, i + 1, last + 1, prefixed[i], joined));
            i = last + 1;
        }
        return out;
    }

    private static boolean joinable(Kind k) {
        return switch (k) {
            case HEADER, VMALLOC, PID, CPU, CPUSET, GLOBAL, GLOBAL_CONT, NODE, ZONE, LOWMEM, BUDDY, HUGEPAGES, TOTALS,
                    IGNORE -> true;
            default -> false;
        };
    }

    /** The logical line is visibly cut short (a wrap, not the kernel's end of line). */
    static boolean incomplete(Kind kind, String cur) {
        String t = cur.strip();
        if (t.isEmpty()) {
            return false;
        }
        char lastCh = t.charAt(t.length() - 1);
        return switch (kind) {
            case HEADER, VMALLOC -> {
                int mode = t.indexOf("mode:");
                if (mode < 0 || !MODE_HEX.matcher(t).find()) {
                    yield kind == Kind.HEADER || t.endsWith(",");
                }
                int depth = 0;
                for (int k = mode; k < t.length(); k++) {
                    char ch = t.charAt(k);
                    if (ch == '(') {
                        depth++;
                    } else if (ch == ')') {
                        depth--;
                    }
                }
                yield depth > 0 || lastCh == ',' || lastCh == '|' || lastCh == '=' || lastCh == '(';
            }
            case PID, CPU -> !RELEASE.matcher(t).find();
            case CPUSET -> false;
            case ZONE -> !(t.endsWith("? yes") || t.endsWith("? no") || lastToken(t).matches("free_cma:\\d+kB"));
            case NODE -> !(t.endsWith("? yes") || t.endsWith("? no"));
            case GLOBAL, GLOBAL_CONT -> lastCh == ':' || !globalTokens(t);
            case BUDDY -> !(t.endsWith("kB") && t.matches("(?s).*=\\s*-?\\d+kB") || t.endsWith("empty"));
            case LOWMEM -> lastCh == ':' && t.equals("lowmem_reserve[]:");
            case HUGEPAGES -> !t.contains("hugepages_size=") || !t.endsWith("kB");
            case TOTALS -> t.startsWith("Swap cache") && !SWAP_STATS.matcher(t).lookingAt();
            default -> false;
        };
    }

    /** The next (unrecognised, unprefixed) line reads like the rest of a line of this kind. */
    static boolean continues(Kind kind, String next) {
        String t = next.strip();
        if (t.isEmpty()) {
            return false;
        }
        return switch (kind) {
            case HEADER, VMALLOC -> HEADER_KEYWORD.matcher(t).lookingAt() && !t.startsWith("page")
                    && !t.startsWith("allocation") && !t.startsWith("failure");
            case ZONE, NODE -> kvFragment(t);
            case GLOBAL, GLOBAL_CONT -> globalTokens(t);
            case LOWMEM -> allNumbers(t);
            case BUDDY -> allBuddyTokens(t);
            default -> false;
        };
    }

    private static boolean kvFragment(String t) {
        boolean sawKey = false;
        for (String tok : t.split("\\s+")) {
            if (tok.equals("yes") || tok.equals("no") || tok.equals("all_unreclaimable?")) {
                sawKey = true;
                continue;
            }
            int colon = tok.indexOf(':');
            if (colon >= 0) {
                String v = tok.substring(colon + 1);
                if (!v.isEmpty() && !v.matches("-?\\d+(?:kB|KB)?")) {
                    return false;
                }
                sawKey = true;
            } else if (!tok.matches("[\\w()]+")) {
                return false;
            }
        }
        return sawKey;
    }

    private static boolean allNumbers(String t) {
        for (String tok : t.split("\\s+")) {
            if (!tok.matches("-?\\d{1,19}")) {
                return false;
            }
        }
        return true;
    }

    private static boolean allBuddyTokens(String t) {
        for (String tok : t.split("\\s+")) {
            if (!BUDDY_TOKEN.matcher(tok).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Joins a wrapped piece to its line: with a space where a token ended, glued where one was cut. */
    static String join(Kind kind, String a, String b) {
        boolean space = !a.isEmpty() && Character.isWhitespace(a.charAt(a.length() - 1))
                || !b.isEmpty() && Character.isWhitespace(b.charAt(0));
        String l = a.stripTrailing();
        String r = b.stripLeading(); // its trailing space still tells the next join a token ended
        if (l.isEmpty()) {
            return r;
        }
        if (r.isBlank()) {
            return a;
        }
        if (space) {
            return l + " " + r;
        }
        String prevLast = lastToken(l);
        String nextFirst = firstToken(r);
        boolean glue = switch (kind) {
            case ZONE, NODE, GLOBAL, GLOBAL_CONT -> glueKeyValue(prevLast, nextFirst);
            case HUGEPAGES -> !prevLast.contains("=");
            case BUDDY -> !(BUDDY_TOKEN.matcher(prevLast).matches() && BUDDY_TOKEN.matcher(nextFirst).matches());
            case HEADER, VMALLOC -> glueHeader(prevLast, nextFirst);
            default -> false;
        };
        return glue ? l + r : l + " " + r;
    }

    private static boolean glueKeyValue(String prevLast, String nextFirst) {
        if (prevLast.endsWith("?") || nextFirst.equals("yes") || nextFirst.equals("no")
                || nextFirst.startsWith("all_unreclaimable")) {
            return false;
        }
        if (nextFirst.indexOf(':') >= 0) {
            if (prevLast.indexOf(':') >= 0) {
                return false; // "min:28kB" + "low:32kB"
            }
            // "Node 0" + "active_anon:..." keeps its space; "free" + "_pcp:15980kB" was one token
            return !(prevLast.matches("\\d+") || prevLast.equals("Node") || prevLast.matches("[A-Z][A-Za-z0-9_]*"));
        }
        // "anon_thp:" + "0kB" reads either way; "13352" + "96kB" and "free_pc" + "p" were cut mid-token
        return !prevLast.endsWith(":");
    }

    private static boolean glueHeader(String prevLast, String nextFirst) {
        if (HEADER_KEYWORD.matcher(nextFirst).lookingAt() && !nextFirst.startsWith(",")) {
            return false;
        }
        return !prevLast.endsWith(",");
    }

    private static String lastToken(String s) {
        int k = s.length();
        while (k > 0 && !Character.isWhitespace(s.charAt(k - 1))) {
            k--;
        }
        return s.substring(k);
    }

    private static String firstToken(String s) {
        int k = 0;
        while (k < s.length() && !Character.isWhitespace(s.charAt(k))) {
            k++;
        }
        return s.substring(0, k);
    }
}
