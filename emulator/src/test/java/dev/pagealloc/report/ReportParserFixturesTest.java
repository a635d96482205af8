package dev.pagealloc.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.report.FailureReport.ZoneReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real report in the fixture corpus (shared/fixtures/failure-reports) and every oracle
 * capture with a failure (shared/oracle/captures/*-frag*) parses to the header the kernel printed
 * and to the zones, lowmem_reserve rows and buddy counts in its text.
 */
class ReportParserFixturesTest {
    static final Path REPORTS = Path.of("src/test/resources/fixtures/failure-reports");
    static final Path ORACLE = Path.of("src/test/resources/fixtures/oracle");

    static FailureReport only(Path p) throws IOException {
        List<FailureReport> rs = ReportParser.parse(Files.readString(p));
        assertEquals(1, rs.size(), p + ": reports");
        return rs.get(0);
    }

    static ZoneReport zone(FailureReport r, int node, String name) {
        return r.zones().stream().filter(z -> z.node() == node && z.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no zone Node " + node + " " + name + " in " + r.zones()));
    }

    static long zonesWithBuddy(FailureReport r) {
        return r.zones().stream().filter(z -> z.buddy() != null && z.buddy().length > 0).count();
    }

    /** file, order, mode, comm, release (null: not printed), headerStyle, zones with buddy lines. */
    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("001-virtio_net-order0-atomic-3.8-x86_64.txt", 0, 0x20L, "kworker/1:1", "3.8.0-rc2w5+", "3.x", 2),
                Arguments.of("004-kworker-order0-atomic-4.9-x86_64-kvm.txt", 0, 0x2280020L, "kworker/1:1H",
                        "4.9.0-0.rc8.git2.1.fc26.x86_64", "4.9+", 2),
                Arguments.of("006-webcontent-order7-atomic-5.13-x86_64.txt", 7, 0x40a20L, "Web Content", "5.13.14", "4.9+", 3),
                Arguments.of("009-e1000-jumbo-order3-atomic-2.6.18-x86_64-numa4.txt", 3, 0x20L, "vsftpd", null, "2.6", 5),
                Arguments.of("011-forcedeth-order1-atomic-2.6.29-i386-highmem.txt", 1, 0x4020L, "rtorrent", "2.6.29-rc3", "2.6", 3),
                Arguments.of("018-fglrx-order5-kernel-4.2-i686-pae-highmem.txt", 5, 0x40d0L, "Xorg", "4.2.0-19-generic", "3.x", 3),
                Arguments.of("019-dockerd-order5-kernel-6.1-arm64-numa4.txt", 5, 0x440dc0L, "dockerd", "6.1.0-17-arm64", "4.9+", 5),
                Arguments.of("024-EDGE-vmalloc-error-6.0-i386-highmem.txt", -1, 0xdc0L, "swapper",
                        "6.0.0-rc1-00121-ga02a0e703b59", "vmalloc", 3),
                Arguments.of("025-binder-order0-atomic-4.19-arm64-android.txt", 0, 0x480020L, "Binder:9343_3", null, "4.9+", 1),
                Arguments.of("031-EDGE-boot-order0-mode0-6.3-arm-no-zones.txt", 0, 0x0L, "swapper", "6.3.0-rc7-next-20230417", "4.9+", 0),
                Arguments.of("040-virtio_net-order0-atomic-5.4-x86_64-kvm.txt", 0, 0xa20L, "kworker/3:2", "5.4.26", "4.9+", 3),
                Arguments.of("045-apt-order0-kernel-5.18-arm-rza2.txt", 0, 0x40cc0L, "apt",
                        "5.18.0-rc3-rza2mevb-00734-g98e2a6b7a591", "4.9+", 1),
                Arguments.of("seed-001_10e904e437390ad7.txt", 4, 0xc0d0L, "imap", "2.6.32-41-server", "2.6", 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void headerAndZoneCount(String file, int order, long mode, String comm, String release, String style, int zones)
            throws IOException {
        FailureReport r = only(REPORTS.resolve(file));
        assertEquals(order, r.order(), "order");
        assertEquals(mode, r.gfpMask(), "mode");
        assertEquals(comm, r.comm(), "comm");
        assertEquals(release, r.kernelRelease(), "release");
        assertEquals(style, r.headerStyle(), "style");
        assertEquals(zones, zonesWithBuddy(r), "zones with buddy lines");
        if (release == null) {
            assertTrue(r.missing().stream().anyMatch(m -> m.startsWith("kernel release")), r.missing().toString());
        }
        assertBuddyTotalsConsistent(r);
    }

    /** Σ count × size equals the printed "= NkB" on every buddy line: no count lost in a re-join. */
    static void assertBuddyTotalsConsistent(FailureReport r) {
        for (ZoneReport z : r.zones()) {
            if (z.buddy() == null || z.buddy().length == 0) {
                continue;
            }
            long kb = 0;
            for (int o = 0; o < z.buddy().length; o++) {
                kb += z.buddy()[o] * (4L << o);
            }
            assertEquals(z.buddyTotalKb(), kb, "buddy total of Node " + z.node() + " " + z.name());
            assertEquals(11, z.buddy().length, "orders of Node " + z.node() + " " + z.name());
        }
    }

    @Test
    void seedReportLineByLine() throws IOException {
        FailureReport r = only(REPORTS.resolve("seed-001_10e904e437390ad7.txt"));
        assertNull(r.gfpNames());
        assertEquals(List.of("DMA", "DMA32", "Normal"), r.zones().stream().map(ZoneReport::name).toList());
        long[] free = {15900, 12560, 2180};
        long[] min = {28, 7076, 1016};
        long[] low = {32, 8844, 1268};
        long[] high = {40, 10612, 1524};
        long[] present = {15336, 3596192, 517120};
        long[][] lowmem = {{0, 3511, 4016, 4016}, {0, 0, 505, 505}, {0, 0, 0, 0}};
        long[][] buddy = {
            {3, 2, 4, 2, 2, 0, 1, 0, 1, 1, 3},
            {2360, 80, 21, 7, 4, 1, 2, 0, 1, 0, 0},
            {377, 14, 17, 9, 0, 0, 0, 0, 0, 0, 0}
        };
        for (int i = 0; i < 3; i++) {
            ZoneReport z = r.zones().get(i);
            assertEquals(0, z.node());
            assertEquals(free[i], z.kb().get("free"), z.name() + " free");
            assertEquals(min[i], z.kb().get("min"), z.name() + " min");
            assertEquals(low[i], z.kb().get("low"), z.name() + " low");
            assertEquals(high[i], z.kb().get("high"), z.name() + " high");
            assertEquals(present[i], z.kb().get("present"), z.name() + " present");
            assertArrayEquals(lowmem[i], z.lowmemReserve(), z.name() + " lowmem_reserve");
            assertArrayEquals(buddy[i], z.buddy(), z.name() + " buddy");
            assertEquals(free[i], z.buddyTotalKb(), z.name() + " buddy total");
            assertEquals(0L, z.pagesScanned());
            assertEquals(Boolean.FALSE, z.allUnreclaimable());
            assertNull(z.buddyTypes(), "2.6.32 prints no migratetype letters");
        }
        assertEquals(124L, zone(r, 0, "DMA32").kb().get("isolated(file)"));
        assertEquals(1185640L, zone(r, 0, "DMA32").kb().get("slab_reclaimable"));
        assertEquals(6, r.perCpu().size());
        FailureReport.PerCpuLine dma32cpu1 = r.perCpu().stream().filter(p -> p.zone().equals("DMA32") && p.cpu() == 1)
                .findFirst().orElseThrow();
        assertEquals(186, dma32cpu1.high());
        assertEquals(31, dma32cpu1.batch());
        assertEquals(0, dma32cpu1.count());
        assertEquals(0, r.perCpu().get(0).high());
        assertEquals(1, r.perCpu().get(0).batch());
        assertEquals(7660L, r.global().get("free"));
        assertEquals(79266L, r.global().get("active_anon"));
        assertEquals(11033L, r.global().get("pagetables"));
        assertEquals(17, r.global().size());
        assertEquals(1048576L, r.totals().get("pages RAM"));
        assertEquals(34079L, r.totals().get("pages reserved"));
        assertEquals(277863L, r.totals().get("pages shared"));
        assertEquals(958709L, r.totals().get("pages non-shared"));
        assertEquals(530984L, r.totals().get("total pagecache pages"));
        assertEquals(14979L, r.totals().get("pages in swap cache"));
        assertEquals(881852L, r.totals().get("Free swap kB"));
        assertEquals(975864L, r.totals().get("Total swap kB"));
        assertEquals(List.of(), r.missing());
        // the blog's prose between the quoted lines is skipped with warnings, not parsed
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("skipped")), r.warnings().toString());
        assertTrue(r.nodes().isEmpty());
    }

    @Test
    void fixture001ThreeEightLettersIncludeReserve() throws IOException {
        FailureReport r = only(REPORTS.resolve("001-virtio_net-order0-atomic-3.8-x86_64.txt"));
        ZoneReport dma = zone(r, 0, "DMA");
        assertEquals(2012L, dma.kb().get("free"));
        assertEquals(15900L, dma.kb().get("managed"));
        assertArrayEquals(new long[] {0, 488, 488, 488}, dma.lowmemReserve());
        assertEquals("R", dma.buddyTypes()[1]);
        assertEquals("", dma.buddyTypes()[3]);
        assertEquals("UEM", zone(r, 0, "DMA32").buddyTypes()[0]);
        assertEquals(4, r.perCpu().size());
        assertEquals(0L, r.global().get("free_cma"));
        assertEquals(131054L, r.totals().get("pages RAM"));
        assertEquals(List.of(), r.missing());
    }

    @Test
    void fixture004MailWrappedFourNine() throws IOException {
        FailureReport r = only(REPORTS.resolve("004-kworker-order0-atomic-4.9-x86_64-kvm.txt"));
        assertEquals("GFP_ATOMIC|__GFP_NOTRACK", r.gfpNames());
        assertEquals(179L, r.nodes().get(0).get("pages_scanned"));
        assertEquals(36L, r.nodes().get(0).get("anon_thp"));
        ZoneReport dma32 = zone(r, 0, "DMA32");
        assertEquals(1836L, dma32.kb().get("free"));
        assertEquals(156L, dma32.kb().get("local_pcp"));
        assertArrayEquals(new long[] {0, 0, 0, 0, 0}, dma32.lowmemReserve());
        assertArrayEquals(new long[] {77, 71, 28, 8, 4, 0, 0, 0, 0, 0, 0}, dma32.buddy());
        assertEquals("H", dma32.buddyTypes()[3]);
        assertEquals(690L, r.global().get("free"));
        assertEquals(13881082L, r.totals().get("swap cache find total"));
        assertEquals(0L, r.totals().get("pages hwpoisoned"));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("re-joined a zone line")), r.warnings().toString());
        assertEquals(List.of(), r.missing());
        // the SLUB message printed after the report is not part of it
        assertTrue(r.lastLine() < 115 + 3);
    }

    @Test
    void fixture006SyslogFlowedMidTokenWraps() throws IOException {
        FailureReport r = only(REPORTS.resolve("006-webcontent-order7-atomic-5.13-x86_64.txt"));
        assertEquals("(null)", r.nodemask());
        ZoneReport dma32 = zone(r, 0, "DMA32");
        assertEquals(15980L, dma32.kb().get("free_pcp"), "'free' + '_pcp:15980kB' re-joined without a space");
        assertEquals(26624L, dma32.kb().get("reserved_highatomic"), "capital KB accepted");
        assertEquals(1335296L, r.nodes().get(0).get("anon_thp"), "'13352' + '96kB' re-joined");
        assertArrayEquals(new long[] {0, 2357, 31506, 31506}, zone(r, 0, "DMA").lowmemReserve());
        ZoneReport normal = zone(r, 0, "Normal");
        assertEquals(13080L, normal.kb().get("free_pcp"));
        assertEquals(0L, normal.kb().get("free_cma"));
        assertEquals(18, normal.kb().size(), "the 18 kB fields of a 5.13 zone line (free .. free_cma)");
        assertEquals(1070473L, r.global().get("inactive_anon"));
        assertEquals(116342L, r.global().get("free"));
        assertEquals(List.of(), r.missing());
    }

    @Test
    void fixture009TwoSixEighteenNuma() throws IOException {
        FailureReport r = only(REPORTS.resolve("009-e1000-jumbo-order3-atomic-2.6.18-x86_64-numa4.txt"));
        assertEquals(16, r.zones().size());
        ZoneReport n0dma = zone(r, 0, "DMA");
        assertEquals(Boolean.TRUE, n0dma.allUnreclaimable());
        assertArrayEquals(new long[] {0, 2003, 2003, 2003}, n0dma.lowmemReserve());
        assertEquals(13L, zone(r, 2, "Normal").pagesScanned());
        assertEquals(47395L, zone(r, 3, "Normal").buddy()[0]);
        assertEquals(0, zone(r, 1, "DMA").buddy().length, "'Node 1 DMA: empty'");
        assertEquals(2097152L, r.totals().get("pages RAM"));
        assertEquals(32970L, r.totals().get("pages reserved"));
        assertEquals(1351719L, r.global().get("Active"));
        assertEquals(20, r.perCpu().size(), "hot lists only");
        assertEquals(List.of("kernel release (no 'Pid:'/'CPU:' line)"), r.missing());
    }

    @Test
    void fixture011WrappedI386() throws IOException {
        FailureReport r = only(REPORTS.resolve("011-forcedeth-order1-atomic-2.6.29-i386-highmem.txt"));
        ZoneReport high = zone(r, 0, "HighMem");
        assertEquals(658312L, high.kb().get("present"));
        assertEquals(0L, high.pagesScanned());
        assertEquals(Boolean.FALSE, high.allUnreclaimable());
        assertArrayEquals(new long[] {0, 865, 1508, 1508}, zone(r, 0, "DMA").lowmemReserve());
        assertArrayEquals(new long[] {8122, 0, 2, 2, 0, 0, 0, 1, 0, 0, 0}, zone(r, 0, "Normal").buddy());
        assertEquals(165874L, r.totals().get("pages HighMem"));
        assertEquals(14536L, r.global().get("Active_anon"));
        assertEquals(List.of(), r.missing());
    }

    @Test
    void fixture018And019() throws IOException {
        FailureReport r = only(REPORTS.resolve("018-fglrx-order5-kernel-4.2-i686-pae-highmem.txt"));
        assertEquals(241L, zone(r, 0, "HighMem").buddy()[10]);
        assertArrayEquals(new long[] {0, 0, 123935, 123935}, zone(r, 0, "Normal").lowmemReserve());
        assertEquals(3965938L, r.totals().get("pages HighMem/MovableOnly"));

        FailureReport a = only(REPORTS.resolve("019-dockerd-order5-kernel-6.1-arm64-numa4.txt"));
        assertEquals("GFP_KERNEL_ACCOUNT|__GFP_COMP|__GFP_ZERO", a.gfpNames());
        assertEquals("(null)", a.nodemask());
        assertEquals("docker.service", a.cpuset());
        assertEquals("0-3", a.memsAllowed());
        assertEquals(4, a.nodes().size());
        assertEquals(1L, a.nodes().get(2).get("all_unreclaimable"));
        assertEquals(439048L, zone(a, 2, "Normal").kb().get("boost"));
        assertEquals(2048L, zone(a, 0, "Normal").kb().get("reserved_highatomic"));
        assertEquals("UMEC", zone(a, 0, "DMA").buddyTypes()[0]);
        assertEquals(131072L, a.totals().get("pages cma reserved"));
        assertEquals(134216656L, a.totals().get("pages RAM"));
        assertEquals(List.of(), a.missing());
    }

    @Test
    void fixture024VmallocIsRecognisedNotThrown() throws IOException {
        FailureReport r = only(REPORTS.resolve("024-EDGE-vmalloc-error-6.0-i386-highmem.txt"));
        assertEquals(-1, r.order());
        assertEquals("vmalloc", r.headerStyle());
        assertEquals("GFP_KERNEL|__GFP_ZERO", r.gfpNames());
        assertEquals("(null)", r.cpuset(), "'cpuset=(nul' + 'l)' re-joined");
        assertEquals("0-7", r.memsAllowed());
        assertEquals(837L, zone(r, 0, "HighMem").buddy()[10]);
    }

    @Test
    void fixture025AndroidPrefixes() throws IOException {
        FailureReport r = only(REPORTS.resolve("025-binder-order0-atomic-4.19-arm64-android.txt"));
        ZoneReport n = zone(r, 0, "Normal");
        assertArrayEquals(new long[] {0, 0}, n.lowmemReserve());
        assertArrayEquals(new String[] {"H", "H", "H", "H", "H", "", "", "", "", "", ""}, n.buddyTypes());
        assertEquals(712L, n.kb().get("free_cma"));
        assertEquals(2727L, r.global().get("free"));
        assertTrue(r.missing().contains("page totals ('N pages RAM' ...)"), r.missing().toString());
    }

    @Test
    void fixture031NoZones() throws IOException {
        FailureReport r = only(REPORTS.resolve("031-EDGE-boot-order0-mode0-6.3-arm-no-zones.txt"));
        assertEquals("", r.gfpNames());
        assertTrue(r.zones().isEmpty());
        assertTrue(r.missing().stream().anyMatch(m -> m.startsWith("zone lines")), r.missing().toString());
        assertEquals(754086L, r.global().get("free"));
        assertEquals(786431L, r.totals().get("pages RAM"));
    }

    @Test
    void fixture040And045() throws IOException {
        FailureReport r = only(REPORTS.resolve("040-virtio_net-order0-atomic-5.4-x86_64-kvm.txt"));
        assertEquals("/", r.cpuset());
        assertEquals("0", r.memsAllowed());
        assertArrayEquals(new long[] {0, 3444, 7878, 7878, 7878}, zone(r, 0, "DMA").lowmemReserve());
        assertEquals(56392L, zone(r, 0, "Normal").kb().get("min"));
        assertEquals("UMEH", zone(r, 0, "DMA32").buddyTypes()[0]);
        assertEquals(0L, r.nodes().get(0).get("anon_thp"));
        assertEquals(2097048L, r.totals().get("pages RAM"));

        FailureReport a = only(REPORTS.resolve("045-apt-order0-kernel-5.18-arm-rza2.txt"));
        ZoneReport n = zone(a, 0, "Normal");
        assertEquals(0L, n.kb().get("free"));
        assertEquals(4096L, n.kb().get("boost"));
        assertEquals(5044L, n.kb().get("min"));
        assertArrayEquals(new long[11], n.buddy());
        assertEquals(16384L, a.totals().get("pages RAM"));
        assertEquals(List.of(), a.missing());
    }

    /** file, order, mode, names, zones (in print order), release. */
    static Stream<Arguments> oracle() {
        String k61 = "6.1.0-56-amd64";
        String pae = "6.1.0-50-686-pae";
        return Stream.of(
                Arguments.of("i386-pae-1G-smp2-frag.txt", 3, 0xa20L, "GFP_ATOMIC", List.of("DMA", "Normal"), pae),
                Arguments.of("i386-pae-2G-smp2-frag-highmem.txt", 0, 0xa22L, "GFP_ATOMIC|__GFP_HIGHMEM",
                        List.of("DMA", "Normal", "HighMem"), pae),
                Arguments.of("i386-pae-4G-smp2-frag.txt", 3, 0xa20L, "GFP_ATOMIC", List.of("DMA", "Normal"), pae),
                Arguments.of("x86_64-1G-smp2-frag-dma.txt", 0, 0xa21L, "GFP_ATOMIC|GFP_DMA", List.of("DMA"), k61),
                Arguments.of("x86_64-1G-smp2-frag-mayfail.txt", 4, 0x4cc0L, "GFP_KERNEL|__GFP_RETRY_MAYFAIL",
                        List.of("DMA", "DMA32"), k61),
                Arguments.of("x86_64-1G-smp2-frag.txt", 3, 0xa20L, "GFP_ATOMIC", List.of("DMA", "DMA32"), k61),
                Arguments.of("x86_64-1G-smp2-k6.12-frag.txt", 3, 0x820L, "GFP_ATOMIC", List.of("DMA", "DMA32"),
                        "6.12.117+deb12-amd64"),
                Arguments.of("x86_64-4G-smp2-frag.txt", 3, 0xa20L, "GFP_ATOMIC", List.of("DMA", "DMA32", "Normal"), k61),
                Arguments.of("x86_64-512M-smp1-frag-exhaust.txt", 0, 0xa20L, "GFP_ATOMIC", List.of("DMA", "DMA32"), k61));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oracle")
    void oracleCaptures(String file, int order, long mode, String names, List<String> zones, String release)
            throws IOException {
        Path p = ORACLE.resolve(file);
        FailureReport r = only(p);
        assertEquals(order, r.order());
        assertEquals(mode, r.gfpMask());
        assertEquals(names, r.gfpNames());
        assertEquals("insmod", r.comm());
        assertEquals(release, r.kernelRelease());
        assertEquals("4.9+", r.headerStyle());
        assertEquals("(null)", r.nodemask());
        assertEquals("/", r.cpuset());
        assertEquals("0", r.memsAllowed());
        assertEquals(zones, r.zones().stream().map(ZoneReport::name).toList());
        assertEquals(zones.size(), zonesWithBuddy(r));
        assertEquals(List.of(), r.missing());
        assertBuddyTotalsConsistent(r);
        for (ZoneReport z : r.zones()) {
            assertNotNull(z.lowmemReserve());
            assertNotNull(z.kb().get("boost"), "6.x zone line has boost:");
            assertNotNull(z.kb().get("reserved_highatomic"));
            assertNotNull(z.buddyTypes());
        }
        // the report is the lines the kernel printed: header ... "N pages hwpoisoned"
        List<String> lines = Files.readAllLines(p);
        assertTrue(lines.get(r.firstLine() - 1).contains("page allocation failure: order:" + order));
        assertTrue(lines.get(r.lastLine() - 1).endsWith("pages hwpoisoned"), lines.get(r.lastLine() - 1));
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void oracleNumbersMatchTheText() throws IOException {
        FailureReport r = only(ORACLE.resolve("x86_64-4G-smp2-frag.txt"));
        ZoneReport dma32 = zone(r, 0, "DMA32");
        assertEquals(1451032L, dma32.kb().get("free"));
        assertEquals(51316L, dma32.kb().get("min"));
        assertArrayEquals(new long[] {0, 0, 916, 916, 916}, dma32.lowmemReserve());
        assertArrayEquals(new long[] {362756, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, dma32.buddy());
        assertEquals(1451040L, dma32.buddyTotalKb(), "buddy sum and NR_FREE_PAGES differ by the pcp drift");
        assertArrayEquals(new long[] {0, 2947, 3864, 3864, 3864}, zone(r, 0, "DMA").lowmemReserve());
        assertEquals(1048446L, r.totals().get("pages RAM"));
        assertEquals(55375L, r.totals().get("pages reserved"));
    }
}
