package dev.pagealloc.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.report.FailureReport.ZoneReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Transport damage a pasted report survives: prefixes, quoting, CRLF, wrapping, junk, several reports. */
class ReportParserRobustnessTest {
    /** The seed's report, without the prose (a 2.6.32-41-server NUMA x86_64 machine). */
    static final List<String> SEED = List.of(
            "imap: page allocation failure. order:4, mode:0xc0d0",
            "Pid: 15273, comm: imap Not tainted 2.6.32-41-server #88-Ubuntu",
            "Call Trace:",
            " [<ffffffff810fcd27>] __alloc_pages_slowpath+0x4a7/0x590",
            " [<ffffffff810fcf89>] __alloc_pages_nodemask+0x179/0x180",
            "Mem-Info:",
            "Node 0 DMA per-cpu:",
            "CPU    0: hi:    0, btch:   1 usd:   0",
            "Node 0 DMA32 per-cpu:",
            "CPU    0: hi:  186, btch:  31 usd:   0",
            "Node 0 Normal per-cpu:",
            "CPU    0: hi:  186, btch:  31 usd:   0",
            "active_anon:79266 inactive_anon:31437 isolated_anon:0",
            " active_file:260339 inactive_file:255635 isolated_file:31",
            " unevictable:0 dirty:38 writeback:1 unstable:1",
            " free:7660 slab_reclaimable:320826 slab_unreclaimable:18290",
            " mapped:19846 shmem:7 pagetables:11033 bounce:0",
            "Node 0 DMA free:15900kB min:28kB low:32kB high:40kB active_anon:0kB inactive_anon:0kB active_file:0kB "
                    + "inactive_file:0kB unevictable:0kB isolated(anon):0kB isolated(file):0kB present:15336kB mlocked:0kB "
                    + "dirty:0kB writeback:0kB mapped:0kB shmem:0kB slab_reclaimable:0kB slab_unreclaimable:0kB "
                    + "kernel_stack:0kB pagetables:0kB unstable:0kB bounce:0kB writeback_tmp:0kB pages_scanned:0 "
                    + "all_unreclaimable? no",
            "lowmem_reserve[]: 0 3511 4016 4016",
            "Node 0 DMA32 free:12560kB min:7076kB low:8844kB high:10612kB active_anon:267460kB inactive_anon:75996kB "
                    + "active_file:935288kB inactive_file:938308kB unevictable:0kB isolated(anon):0kB isolated(file):124kB "
                    + "present:3596192kB mlocked:0kB dirty:128kB writeback:4kB mapped:68660kB shmem:16kB "
                    + "slab_reclaimable:1185640kB slab_unreclaimable:51468kB kernel_stack:4808kB pagetables:30040kB "
                    + "unstable:4kB bounce:0kB writeback_tmp:0kB pages_scanned:0 all_unreclaimable? no",
            "lowmem_reserve[]: 0 0 505 505",
            "Node 0 Normal free:2180kB min:1016kB low:1268kB high:1524kB active_anon:49604kB inactive_anon:49752kB "
                    + "active_file:106068kB inactive_file:84232kB unevictable:0kB isolated(anon):0kB isolated(file):0kB "
                    + "present:517120kB mlocked:0kB dirty:24kB writeback:0kB mapped:10724kB shmem:12kB "
                    + "slab_reclaimable:97664kB slab_unreclaimable:21692kB kernel_stack:2352kB pagetables:14092kB "
                    + "unstable:0kB bounce:0kB writeback_tmp:0kB pages_scanned:0 all_unreclaimable? no",
            "lowmem_reserve[]: 0 0 0 0",
            "Node 0 DMA: 3*4kB 2*8kB 4*16kB 2*32kB 2*64kB 0*128kB 1*256kB 0*512kB 1*1024kB 1*2048kB 3*4096kB = 15900kB",
            "Node 0 DMA32: 2360*4kB 80*8kB 21*16kB 7*32kB 4*64kB 1*128kB 2*256kB 0*512kB 1*1024kB 0*2048kB 0*4096kB = 12560kB",
            "Node 0 Normal: 377*4kB 14*8kB 17*16kB 9*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 2180kB",
            "530984 total pagecache pages",
            "14979 pages in swap cache",
            "Swap cache stats: add 800917, delete 785938, find 6804111/6850366",
            "Free swap  = 881852kB",
            "Total swap = 975864kB",
            "1048576 pages RAM",
            "34079 pages reserved",
            "277863 pages shared",
            "958709 pages non-shared");

    static FailureReport one(List<String> lines) {
        List<FailureReport> rs = ReportParser.parse(lines);
        assertEquals(1, rs.size());
        return rs.get(0);
    }

    static void assertSeed(FailureReport r) {
        assertEquals("imap", r.comm());
        assertEquals(4, r.order());
        assertEquals(0xc0d0L, r.gfpMask());
        assertEquals("2.6", r.headerStyle());
        assertEquals("2.6.32-41-server", r.kernelRelease());
        assertEquals(List.of("DMA", "DMA32", "Normal"), r.zones().stream().map(ZoneReport::name).toList());
        long[] free = {15900, 12560, 2180};
        long[] min = {28, 7076, 1016};
        for (int i = 0; i < 3; i++) {
            assertEquals(free[i], r.zones().get(i).kb().get("free"));
            assertEquals(min[i], r.zones().get(i).kb().get("min"));
            assertEquals(free[i], r.zones().get(i).buddyTotalKb());
            assertEquals(11, r.zones().get(i).buddy().length);
        }
        assertArrayEquals(new long[] {0, 3511, 4016, 4016}, r.zones().get(0).lowmemReserve());
        assertArrayEquals(new long[] {0, 0, 505, 505}, r.zones().get(1).lowmemReserve());
        assertArrayEquals(new long[] {2360, 80, 21, 7, 4, 1, 2, 0, 1, 0, 0}, r.zones().get(1).buddy());
        assertEquals(517120L, r.zones().get(2).kb().get("present"));
        assertEquals(7660L, r.global().get("free"));
        assertEquals(11033L, r.global().get("pagetables"));
        assertEquals(1048576L, r.totals().get("pages RAM"));
        assertEquals(34079L, r.totals().get("pages reserved"));
        assertEquals(186, r.perCpu().get(1).high());
        assertEquals(List.of(), r.missing());
    }

    static List<String> map(List<String> in, java.util.function.IntFunction<String> prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            out.add(prefix.apply(i) + in.get(i));
        }
        return out;
    }

    @Test
    void plain() {
        FailureReport r = one(SEED);
        assertSeed(r);
        assertEquals(1, r.firstLine());
        assertEquals(SEED.size(), r.lastLine());
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void dmesgTimestamps() {
        FailureReport r = one(map(SEED, i -> String.format(Locale.ROOT, "[%5d.%06d] ", 1234 + i, 567890 + i)));
        assertSeed(r);
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        assertSeed(one(map(SEED, i -> "[Sat Jun 16 00:00:35 2012] ")));
        assertSeed(one(map(SEED, i -> "<4>[    0.5" + i + "][    T1] ")));
    }

    @Test
    void syslogAndJournalPrefixes() {
        assertSeed(one(map(SEED, i -> "Jun 16 00:00:35 host kernel: [ 123.4] ")));
        assertSeed(one(map(SEED, i -> "Jun  6 00:00:35 host kernel: ")));
        assertSeed(one(map(SEED, i -> "2012-06-16T00:00:35+0200 host kernel: ")));
        assertSeed(one(map(SEED, i -> "Jun 16 00:00:35.123456 host kernel: ")));
        assertSeed(one(map(SEED, i -> "kernel: ")));
        assertSeed(one(map(SEED, i -> "[  123.456789] host kernel: ")));
        assertSeed(one(map(SEED, i -> "<4>[ 6207.637280]  [3:  Binder:9343_3:22875] ")));
    }

    @Test
    void syslogThatDroppedTheContinuationSpace() {
        List<String> w = map(SEED, i -> "Jun 16 00:00:35 host kernel: ");
        w.replaceAll(String::strip);
        FailureReport r = one(w);
        assertSeed(r);
        assertEquals(17, r.global().size());
    }

    @Test
    void hugeAndHostileLinesNeitherOverflowNorHang() {
        String[] evil = {
            ">".repeat(300_000),
            "00000000 ".repeat(100_000),
            "lowmem_reserve[]:" + " 1".repeat(200_000),
            "Node 0 DMA free:1kB " + "a:1kB ".repeat(200_000),
            "Node 0 DMA: " + "1*4kB (U) ".repeat(100_000) + "= 4kB",
            " " + "a:1 ".repeat(200_000),
            "x:".repeat(100_000) + " page allocation failure: order:1, mode:0x1",
            "[".repeat(100_000),
            "Sep  9 15:12:41 knalp3 kernel: ".repeat(20_000),
            "(".repeat(100_000) + "mode:0x1" + "|".repeat(100_000),
        };
        long t0 = System.nanoTime();
        for (String e : evil) {
            List<String> lines = new ArrayList<>(SEED);
            lines.add(6, e);
            lines.add(e);
            List<FailureReport> rs = ReportParser.parse(lines);
            assertEquals(4, rs.get(0).order());
        }
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000);
    }

    @Test
    void mailQuotingAndCrlf() {
        assertSeed(one(map(SEED, i -> "> ")));
        assertSeed(one(map(SEED, i -> "> > ")));
        assertSeed(one(map(SEED, i -> ">")));
        assertSeed(ReportParser.parse(String.join("\r\n", SEED) + "\r\n").get(0));
        assertSeed(ReportParser.parse(String.join("\r\n", map(SEED, i -> "> [ 12.345678] "))).get(0));
        assertSeed(ReportParser.parse(String.join("\r", SEED)).get(0));
    }

    @Test
    void wrappedZoneLineIsRejoinedWithAWarning() {
        List<String> w = new ArrayList<>(SEED);
        int dma32 = 19; // "Node 0 DMA32 free:..."
        String line = w.get(dma32);
        int cut1 = line.indexOf("inactive_file:938308kB") - 1; // at a space, space dropped (Outlook)
        int cut2 = line.indexOf("kernel_stack:4808kB") + 5; // inside a token ("kerne" + "l_stack")
        w.set(dma32, line.substring(0, cut1));
        w.add(dma32 + 1, line.substring(cut1 + 1, cut2));
        w.add(dma32 + 2, line.substring(cut2));
        // a buddy line cut inside a count, and its total alone on the next line
        int buddy = w.indexOf(SEED.get(24));
        String b = w.get(buddy);
        w.set(buddy, b.substring(0, b.indexOf("21*16kB") + 1));
        w.add(buddy + 1, b.substring(b.indexOf("21*16kB") + 1, b.indexOf("= 12560kB") + 2));
        w.add(buddy + 2, b.substring(b.indexOf("= 12560kB") + 2));
        // the global block wrapped
        int g = w.indexOf(SEED.get(12));
        w.set(g, "active_anon:79266 inactive_anon:31437");
        w.add(g + 1, "isolated_anon:0");
        // the header and lowmem_reserve wrapped
        w.set(0, "imap: page allocation failure. order:4,");
        w.add(1, "mode:0xc0d0");
        int lm = w.indexOf("lowmem_reserve[]: 0 3511 4016 4016");
        w.set(lm, "lowmem_reserve[]: 0 3511 ");
        w.add(lm + 1, "4016 4016");
        FailureReport r = one(w);
        assertSeed(r);
        ZoneReport z = r.zones().get(1);
        assertEquals(938308L, z.kb().get("inactive_file"));
        assertEquals(4808L, z.kb().get("kernel_stack"));
        assertEquals(Boolean.FALSE, z.allUnreclaimable());
        assertEquals(0L, r.global().get("isolated_anon"));
        assertTrue(r.warnings().stream().anyMatch(x -> x.contains("re-joined a zone line wrapped over 3 lines")),
                r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(x -> x.contains("re-joined a buddy line")), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(x -> x.contains("re-joined a header line")), r.warnings().toString());
    }

    @Test
    void headerWrappedInsidePhraseAndZonePrefixAlone() {
        List<String> w = new ArrayList<>(SEED);
        w.set(0, "imap: page ");
        w.add(1, "allocation failure. order:4, mode:0xc0d0");
        int z = w.indexOf(SEED.get(21));
        w.set(z, "Node 0");
        w.add(z + 1, SEED.get(21).substring("Node 0 ".length()));
        assertSeed(one(w));
    }

    @Test
    void timestampedWrapUsesTheMissingPrefix() {
        // in dmesg text, a line without the "[ ts] " the others have continues the line before it
        List<String> w = new ArrayList<>(map(SEED, i -> "[  785.58" + i + "] "));
        int z = w.indexOf("[  785.5819] " + SEED.get(19));
        String line = w.get(z);
        int cut = line.indexOf("present:");
        w.set(z, line.substring(0, cut));
        w.add(z + 1, line.substring(cut));
        assertSeed(one(w));
    }

    @Test
    void twoReportsInOneInput() {
        List<String> two = new ArrayList<>();
        two.add("some earlier dmesg line");
        two.addAll(map(SEED, i -> "[ 100.0000" + i + "] "));
        two.add("[ 101.000000] e1000e: eth0 NIC Link is Up");
        List<String> second = new ArrayList<>(SEED);
        second.set(0, "java: page allocation failure. order:2, mode:0x20");
        second.set(1, "Pid: 99, comm: java Not tainted 2.6.32-41-server #88-Ubuntu");
        two.addAll(map(second, i -> "[ 200.0000" + i + "] "));
        List<FailureReport> rs = ReportParser.parse(two);
        assertEquals(2, rs.size());
        assertSeed(rs.get(0));
        assertEquals("java", rs.get(1).comm());
        assertEquals(2, rs.get(1).order());
        assertEquals(0x20L, rs.get(1).gfpMask());
        assertEquals(3, rs.get(1).zones().size());
        assertEquals(2, rs.get(0).firstLine());
        assertEquals(1 + SEED.size(), rs.get(0).lastLine());
        assertEquals(2 + SEED.size() + 1, rs.get(1).firstLine());
        assertTrue(rs.get(0).warnings().isEmpty(), "a trailing foreign line is not a warning: " + rs.get(0).warnings());
    }

    @Test
    void interleavedJunkIsSkippedWithWarnings() {
        List<String> w = new ArrayList<>(SEED);
        w.add(20, "e1000e 0000:00:19.0: eth0: Detected Hardware Unit Hang:");
        w.add(15, "usb 2-1: new high-speed USB device number 3 using ehci-pci");
        w.add(8, "BUG: soft lockup - CPU#1 stuck for 22s! [kworker:123]");
        FailureReport r = one(w);
        assertSeed(r);
        assertTrue(r.warnings().stream().anyMatch(x -> x.contains("usb 2-1")), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(x -> x.contains("e1000e")), r.warnings().toString());
    }

    @Test
    void missingSectionsAreNamed() {
        List<String> w = new ArrayList<>(SEED);
        w.remove("Node 0 Normal: 377*4kB 14*8kB 17*16kB 9*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 2180kB");
        w.remove("lowmem_reserve[]: 0 3511 4016 4016");
        w.remove(SEED.get(1));
        FailureReport r = one(w);
        assertTrue(r.missing().contains("buddy line for Node 0 Normal"), r.missing().toString());
        assertTrue(r.missing().contains("lowmem_reserve for Node 0 DMA"), r.missing().toString());
        assertTrue(r.missing().contains("kernel release (no 'Pid:'/'CPU:' line)"), r.missing().toString());
        assertNull(r.zones().get(0).lowmemReserve());
        assertArrayEquals(new long[] {0, 0, 505, 505}, r.zones().get(1).lowmemReserve());

        FailureReport h = one(SEED.subList(0, 5));
        assertEquals(List.of("Mem-Info block"), h.missing());
        assertTrue(h.zones().isEmpty());
    }

    @Test
    void noHeaderThrowsTheDocumentedMessage() {
        for (String text : new String[] {"", "\n\n", "hello\nworld", String.join("\n", SEED.subList(1, SEED.size()))}) {
            ReportParseException e = assertThrows(ReportParseException.class, () -> ReportParser.parse(text));
            assertEquals(0, e.line());
            assertEquals("no 'page allocation failure' header found (expected a line like "
                    + "'comm: page allocation failure: order:N, mode:0x...')", e.getMessage());
        }
        assertThrows(ReportParseException.class, () -> ReportParser.parse(List.of()));
        assertThrows(ReportParseException.class, () -> ReportParser.parse((String) null));
        // prose that mentions the phrase is not a header
        assertThrows(ReportParseException.class,
                () -> ReportParser.parse("We keep seeing page allocation failures.\nWhy our server had its page allocation failure »"));
    }

    @Test
    void unreadableHeaderThrowsWithItsLine() {
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> ReportParser.parse("junk\nimap: page allocation failure. order:x4, mode:0xc0d0\n"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("order:N"), e.getMessage());
        e = assertThrows(ReportParseException.class,
                () -> ReportParser.parse("imap: page allocation failure: order:4, mode:c0d0\n"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("mode:0x"), e.getMessage());
        e = assertThrows(ReportParseException.class,
                () -> ReportParser.parse("imap: page allocation failure: order:99999999999999999999999, mode:0x20\n"));
        assertEquals(1, e.line());
        e = assertThrows(ReportParseException.class,
                () -> ReportParser.parse("imap: page allocation failure: order:1, mode:0x123456789abcdef01\n"));
        assertEquals(1, e.line());
    }

    @Test
    void vmallocForms() {
        FailureReport a = one(List.of(
                "[ 1.0] swapper: vmalloc error: size 7864320, vm_struct allocation failed, mode:0xdc0(GFP_KERNEL|__GFP_ZERO), "
                        + "nodemask=(null),cpuset=/,mems_allowed=0",
                "[ 1.1] CPU: 0 PID: 0 Comm: swapper Not tainted 6.0.0 #1"));
        assertEquals(-1, a.order());
        assertEquals("vmalloc", a.headerStyle());
        assertEquals(0xdc0L, a.gfpMask());
        assertEquals("6.0.0", a.kernelRelease());
        FailureReport b = one(List.of("modprobe: vmalloc: allocation failure: 4194304 bytes, mode:0x24000c2(GFP_KERNEL|__GFP_HIGHMEM)"));
        assertEquals(-1, b.order());
        assertEquals("modprobe", b.comm());
        assertEquals(0x24000c2L, b.gfpMask());
        FailureReport c = one(List.of("vmalloc: allocation failure: 4194304 bytes", "Call Trace:"));
        assertEquals(-1, c.order());
        assertTrue(c.missing().stream().anyMatch(m -> m.startsWith("mode")), c.missing().toString());
        // 3.x: the vmalloc line comes just before an ordinary header, which is the report
        FailureReport d = one(List.of("vmalloc: allocation failure: 4194304 bytes",
                "insmod: page allocation failure: order:0, mode:0xd2",
                "Pid: 1, comm: insmod Not tainted 3.10.0 #1"));
        assertEquals(0, d.order());
        assertEquals("3.x", d.headerStyle());
        assertEquals(0xd2L, d.gfpMask());
        assertTrue(d.warnings().stream().anyMatch(x -> x.contains("vmalloc")), d.warnings().toString());
    }

    @Test
    void fourNineteenCpusetLineAndNonNumaZones() {
        FailureReport r = one(List.of(
                "[  1.0] swapper/100: page allocation failure: order:0, mode:0x480020(GFP_ATOMIC), nodemask=(null)",
                "[  1.0] swapper/100 cpuset=/ mems_allowed=0-1",
                "[  1.0] CPU: 100 PID: 0 Comm: swapper/100 Tainted: G        W  OE     4.19.0-1-amd64 #1 Debian 4.19.12-1",
                "[  1.1] Mem-Info:",
                "[  1.1] active_anon:1 inactive_anon:2 isolated_anon:0",
                "[  1.1]  free:3 free_pcp:4 free_cma:0",
                "[  1.1] Node 0 active_anon:4kB inactive_anon:8kB all_unreclaimable? no",
                "[  1.1] DMA free:15908kB min:16kB low:20kB high:24kB active_anon:0kB present:15992kB managed:15908kB "
                        + "free_pcp:0kB local_pcp:0kB free_cma:0kB",
                "[  1.1] lowmem_reserve[]: 0 1 2 2",
                "[  1.1] DMA: 1*4kB (U) 0*8kB 1*16kB (M) = 20kB",
                "[  1.1] 10 pages RAM"));
        assertEquals("/", r.cpuset());
        assertEquals("0-1", r.memsAllowed());
        assertEquals("(null)", r.nodemask());
        assertEquals("4.19.0-1-amd64", r.kernelRelease());
        assertEquals(4L, r.global().get("free_pcp"));
        ZoneReport z = r.zones().get(0);
        assertEquals(0, z.node());
        assertEquals("DMA", z.name());
        assertArrayEquals(new long[] {1, 0, 1}, z.buddy());
        assertArrayEquals(new String[] {"U", "", "M"}, z.buddyTypes());
        assertEquals(List.of("buddy line for Node 0 DMA").size(), 1);
        assertEquals(List.of(), r.missing());
    }

    @Test
    void sixtyFourKilobytePagesAreCountsNotKilobytes() {
        FailureReport r = one(List.of(
                "kworker/0:1: page allocation failure: order:2, mode:0x820(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0",
                "CPU: 0 PID: 7 Comm: kworker/0:1 Not tainted 6.1.0-17-arm64 #1 Debian 6.1.69-1",
                "Mem-Info:",
                "active_anon:1 inactive_anon:2 isolated_anon:0",
                "Node 0 Normal free:1024kB boost:0kB min:640kB low:800kB high:960kB reserved_highatomic:0KB present:4194304kB "
                        + "managed:4000000kB free_pcp:0kB local_pcp:0kB free_cma:0kB",
                "lowmem_reserve[]: 0 0 0",
                "Node 0 Normal: 10*64kB (UM) 3*128kB (M) 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB 0*8192kB 0*16384kB "
                        + "0*32768kB 0*65536kB 0*131072kB 0*262144kB 0*524288kB = 1024kB",
                "65536 pages RAM"));
        ZoneReport z = r.zones().get(0);
        assertEquals(14, z.buddy().length);
        assertEquals(10L, z.buddy()[0]);
        assertEquals(3L, z.buddy()[1]);
        assertEquals(1024L, z.buddyTotalKb());
        assertEquals("UM", z.buddyTypes()[0]);
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void oomReportAfterwardsIsNotMerged() {
        List<String> w = new ArrayList<>(SEED);
        w.add("java invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0");
        w.add("Mem-Info:");
        w.add("Node 0 DMA free:1kB min:28kB low:32kB high:40kB pages_scanned:0 all_unreclaimable? no");
        FailureReport r = one(w);
        assertSeed(r);
        assertEquals(SEED.size(), r.lastLine());
    }

    @Test
    void tenThousandLinesWithTwentyReportsParseFast() throws IOException {
        List<String> report = Files.readAllLines(
                Path.of("src/test/resources/fixtures/failure-reports/040-virtio_net-order0-atomic-5.4-x86_64-kvm.txt"));
        List<String> big = new ArrayList<>();
        int n = 0;
        while (big.size() < 10_000) {
            for (int j = 0; j < 390; j++) {
                big.add(String.format(Locale.ROOT, "[%6d.%06d] eth0: some unrelated driver chatter %d", n, j, j));
            }
            if (n < 20) {
                big.addAll(report);
            }
            n++;
        }
        assertEquals(20, ReportParser.parse(big).size()); // warm-up
        long t0 = System.nanoTime();
        List<FailureReport> rs = ReportParser.parse(big);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(20, rs.size());
        assertTrue(big.size() >= 10_000);
        assertTrue(ms < 1000, "parsed " + big.size() + " lines in " + ms + " ms");
        for (FailureReport r : rs) {
            assertEquals(3, r.zones().size());
        }
    }
}
