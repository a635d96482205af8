package dev.pagealloc.kernel.v6_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.OracleCapture;
import dev.pagealloc.mmzone.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 6.1 text views of a machine booted from each real 6.1 capture's zone counts
 * (shared/oracle/captures, copied to the test resources) against the files that kernel wrote: the
 * same lines in the same order with the same labels at the same columns, and byte-identical lines
 * wherever the number is computed from the layout alone.
 */
class ProcViews61Test {

    static Stream<String> captures() {
        return OracleCapture.names61().stream();
    }

    /**
     * The machine of a capture, as the oracle's /init left it when it dumped the files: booted, then
     * /proc/sys/vm/lowmem_reserve_ratio read (which recomputes lowmem_reserve after the late frees).
     */
    static Machine boot(OracleCapture c) {
        Machine m = Linux61.KERNEL.boot(c.layout());
        m.kernel.lowmemReserveRatioSysctl(m);
        return m;
    }

    /** The lines of a section, without the blank line the capture script puts after it. */
    static List<String> lines(String text) {
        List<String> l = new ArrayList<>(text.lines().toList());
        while (!l.isEmpty() && l.getLast().isEmpty()) {
            l.removeLast();
        }
        return l;
    }

    /** A line's shape: the text with its trailing number (the value) replaced by '#'. */
    static String shape(String line) {
        return line.replaceFirst("-?\\d+$", "#");
    }

    /** A zoneinfo line's label: the trimmed text before its trailing number. */
    static String label(String line) {
        return line.replaceFirst("\\s*-?\\d+$", "").trim();
    }

    /** zoneinfo labels whose value depends only on the layout, CPU count and THP mode. */
    static final Set<String> FROM_LAYOUT = Set.of(
            "min", "low", "high", "spanned", "present", "managed", "cma", "high:", "batch:",
            "start_pfn:", "vm stats threshold:", "cpu:", "per-node stats", "pagesets");

    static boolean fromLayout(String label) {
        if (label.startsWith("Node ") || label.startsWith("protection:")) {
            return true;
        }
        return FROM_LAYOUT.contains(label);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void zoneinfoHasTheRealLinesAndTheLayoutLinesByteForByte(String name) {
        OracleCapture c = OracleCapture.load(name);
        List<String> real = lines(c.section("/proc/zoneinfo"));
        try (Machine m = boot(c)) {
            String text = ProcViews61.INSTANCE.zoneinfo(m);
            assertTrue(text.endsWith("\n"), name);
            List<String> emu = lines(text);
            int exact = 0;
            for (int i = 0; i < Math.min(real.size(), emu.size()); i++) {
                String r = real.get(i);
                String e = emu.get(i);
                String where = name + ": zoneinfo line " + (i + 1);
                assertEquals(shape(r), shape(e), where);
                if (fromLayout(label(r))) {
                    assertEquals(r, e, where);
                    exact++;
                }
            }
            assertEquals(real.size(), emu.size(), name + ": zoneinfo lines");
            assertTrue(exact > 20, name + ": layout lines compared: " + exact);
        }
    }

    private static final Pattern FREE_ROW = Pattern.compile("^(Node +\\d+, zone +\\S+, type +\\S+ )(.*)$");
    private static final Pattern BLOCK_ROW = Pattern.compile("^(Node \\d+, zone +\\S+ )(.*)$");
    /** Eleven {@code "%6lu "} columns (a free-list count may carry the kernel's '>' overflow mark). */
    private static final Pattern ORDER_COLUMNS = Pattern.compile("^(?:(?: {0,5}|>)\\d{1,6} |\\d{7,} ){11}$");
    /** {@code "%12lu "} per migratetype. */
    private static final Pattern BLOCK_COLUMNS = Pattern.compile("^(?: {0,11}\\d{1,12} ){5}$");

    @ParameterizedTest
    @MethodSource("captures")
    void pagetypeinfoHasTheRealHeadersRowsAndPageblockTotals(String name) {
        OracleCapture c = OracleCapture.load(name);
        List<String> real = lines(c.section("/proc/pagetypeinfo"));
        try (Machine m = boot(c)) {
            List<String> emu = lines(ProcViews61.INSTANCE.pagetypeinfo(m));
            assertEquals(real.size(), emu.size(), name + ": pagetypeinfo lines");
            for (int i = 0; i < real.size(); i++) {
                String r = real.get(i);
                String e = emu.get(i);
                String where = name + ": pagetypeinfo line " + (i + 1);
                Matcher rf = FREE_ROW.matcher(r);
                Matcher rb = BLOCK_ROW.matcher(r);
                if (rf.matches()) {
                    Matcher ef = FREE_ROW.matcher(e);
                    assertTrue(ef.matches(), where + ": " + e);
                    assertEquals(rf.group(1), ef.group(1), where);
                    assertTrue(ORDER_COLUMNS.matcher(rf.group(2)).matches(), where + " (real): " + r);
                    assertTrue(ORDER_COLUMNS.matcher(ef.group(2)).matches(), where + ": " + e);
                } else if (rb.matches()) {
                    Matcher eb = BLOCK_ROW.matcher(e);
                    assertTrue(eb.matches(), where + ": " + e);
                    assertEquals(rb.group(1), eb.group(1), where);
                    assertTrue(BLOCK_COLUMNS.matcher(rb.group(2)).matches(), where + " (real): " + r);
                    assertTrue(BLOCK_COLUMNS.matcher(eb.group(2)).matches(), where + ": " + e);
                    // every pageblock of the zone is counted once, whatever its type
                    String zone = rb.group(1).replaceFirst("^Node \\d+, zone +", "").trim();
                    assertEquals(sum(rb.group(2)), sum(eb.group(2)), where + ": pageblocks of " + zone);
                } else {
                    // "Page block order", "Pages per block", the two table headers, blank lines
                    assertEquals(r, e, where);
                }
            }
        }
    }

    /**
     * The rows of the real /proc/buddyinfo, and numbers that must agree with them. The counts are
     * not equal in general: the emulator's fresh boot has every managed page free (Σ count × 2^order
     * = the capture's managed, in every zone of every capture), while the real kernel had allocated
     * pages by the time /init read the file (e.g. i386-1G-smp1 Normal: 201869 free of 205301
     * managed; x86_64-512M DMA32: about 7% of the zone; the x86_64 DMA zones: 32 pages at 512M
     * and 1G, 64 at 2G, 128 at 4G, 512 at 16G). Nor can the real row be held to the real
     * zoneinfo's nr_free_pages: /init reads the two files at different moments and they differ by
     * up to 164 pages in 14 of the 155 zone rows of the 6.1 captures. What does hold, in every zone
     * of every capture:
     * <ul>
     *   <li>the real free memory fits in the emulator's block by block: for every order k, the pages
     *       in free blocks of order k or more are no more in the real row than in the emulated one
     *       (the real kernel's free pages are a subset of those the boot freed, and a subset never
     *       merges into larger blocks than the whole set);
     *   <li>a zone the real kernel had not allocated from (its row adds up to its managed pages: the
     *       DMA zone of every i386 and i386-pae capture) has the real row byte for byte.
     * </ul>
     */
    @ParameterizedTest
    @MethodSource("captures")
    void buddyinfoHasTheRealRows(String name) {
        OracleCapture c = OracleCapture.load(name);
        List<String> real = lines(c.section("/proc/buddyinfo"));
        try (Machine m = boot(c)) {
            List<String> emu = lines(ProcViews61.INSTANCE.buddyinfo(m));
            assertEquals(real.size(), emu.size(), name + ": buddyinfo rows");
            for (int i = 0; i < real.size(); i++) {
                Matcher r = BLOCK_ROW.matcher(real.get(i));
                Matcher e = BLOCK_ROW.matcher(emu.get(i));
                assertTrue(r.matches() && e.matches(), name + ": " + emu.get(i));
                assertEquals(r.group(1), e.group(1), name + ": buddyinfo row " + (i + 1));
                assertTrue(ORDER_COLUMNS.matcher(r.group(2)).matches(), name + " (real): " + real.get(i));
                assertTrue(ORDER_COLUMNS.matcher(e.group(2)).matches(), name + ": " + emu.get(i));

                String zone = r.group(1).replaceFirst("^Node \\d+, zone +", "").trim();
                String where = name + " " + zone + "\n  real " + real.get(i) + "\n  emu  " + emu.get(i);
                long managed = c.zoneinfo().stream().filter(z -> z.name().equals(zone)).findFirst()
                        .orElseThrow().managed();
                long[] rc = columns(r.group(2));
                long[] ec = columns(e.group(2));
                assertEquals(Zone.MAX_ORDER, rc.length, where);
                assertEquals(Zone.MAX_ORDER, ec.length, where);
                long realAtOrAbove = 0;
                long emuAtOrAbove = 0;
                for (int k = Zone.MAX_ORDER - 1; k >= 0; k--) {
                    realAtOrAbove += rc[k] << k;
                    emuAtOrAbove += ec[k] << k;
                    assertTrue(realAtOrAbove <= emuAtOrAbove, where + "\n  pages in blocks of order >= " + k);
                }
                assertEquals(managed, emuAtOrAbove, where + ": the fresh boot's free pages = managed");
                if (realAtOrAbove == managed) {
                    assertEquals(real.get(i), emu.get(i), where + ": a zone the real kernel had not allocated from");
                }
            }
        }
    }

    /**
     * Right after boot every free page is in the buddy lists or on a per-CPU list, and only the
     * former count in NR_FREE_PAGES: the buddyinfo columns times 2^order add up to the zone's
     * nr_free_pages in zoneinfo, and pagetypeinfo's rows add up to buddyinfo's columns.
     */
    @ParameterizedTest
    @MethodSource("captures")
    void freshBootBuddyinfoAddsUpToNrFreePages(String name) {
        OracleCapture c = OracleCapture.load(name);
        try (Machine m = boot(c)) {
            List<String> buddy = lines(ProcViews61.INSTANCE.buddyinfo(m));
            List<String> ptype = lines(ProcViews61.INSTANCE.pagetypeinfo(m));
            String zoneinfo = ProcViews61.INSTANCE.zoneinfo(m);
            Zone[] populated = m.populatedZones();
            assertEquals(populated.length, buddy.size(), name);
            long total = 0;
            for (int i = 0; i < populated.length; i++) {
                Zone z = populated[i];
                Matcher b = BLOCK_ROW.matcher(buddy.get(i));
                assertTrue(b.matches(), buddy.get(i));
                assertTrue(b.group(1).contains(" " + z.name + " "), b.group(1));
                long[] cols = columns(b.group(2));
                long pages = 0;
                for (int o = 0; o < cols.length; o++) {
                    pages += cols[o] << o;
                }
                assertTrue(pages > 0, name + " " + z.name);
                assertEquals(nrFreePages(zoneinfo, z.name), pages, name + " " + z.name + ": Σ nr_free × 2^order");
                total += pages;

                long[] byOrder = new long[Zone.MAX_ORDER];
                for (String l : ptype) {
                    Matcher f = FREE_ROW.matcher(l);
                    if (f.matches() && f.group(1).contains(" " + z.name + ",")) {
                        long[] t = columns(f.group(2));
                        for (int o = 0; o < t.length; o++) {
                            byOrder[o] += t[o];
                        }
                    }
                }
                for (int o = 0; o < Zone.MAX_ORDER; o++) {
                    assertEquals(cols[o], byOrder[o], name + " " + z.name + " order " + o + ": Σ over migratetypes");
                }
            }
            assertEquals(VmstatView61.globalZonePageState(m, ProcViews61.ZoneItem.NR_FREE_PAGES), total, name);
        }
    }

    /** The "pages free" value of zone {@code zone} in a zoneinfo text. */
    static long nrFreePages(String zoneinfo, String zone) {
        Matcher m = Pattern.compile("Node 0, zone +" + zone + "\n(?:  per-node stats\n(?:      .*\n)*)?  pages free +(\\d+)\n")
                .matcher(zoneinfo);
        assertTrue(m.find(), zone);
        return Long.parseLong(m.group(1));
    }

    static long[] columns(String s) {
        String[] w = s.trim().split(" +");
        long[] out = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = Long.parseLong(w[i].replace(">", ""));
        }
        return out;
    }

    static long sum(String s) {
        long n = 0;
        for (long v : columns(s)) {
            n += v;
        }
        return n;
    }
}
