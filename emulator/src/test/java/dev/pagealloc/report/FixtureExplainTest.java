package dev.pagealloc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Every real report of the corpus explained (or, for the EDGE ones, classified as not
 * explainable), each with the verdict one gets by hand from its printed numbers.
 */
class FixtureExplainTest {
    static final Path REPORTS = Path.of("src/test/resources/fixtures/failure-reports");
    static final Path ORACLE = Path.of("src/test/resources/fixtures/oracle");

    static Explanation explain(Path p) throws IOException {
        List<FailureReport> rs = ReportParser.parse(Files.readString(p));
        assertEquals(1, rs.size(), p.toString());
        return Explainer.explain(rs.get(0), null);
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                // 3.8 GFP_ATOMIC order 0: DMA32 (free 3480 pages) is above its low mark 870 at print time
                Arguments.of("001-virtio_net-order0-atomic-3.8-x86_64.txt", "not reproduced", "2.6.32-4.3"),
                // 4.9 GFP_ATOMIC order 0: both zones pass the marks, but every free block is (H), and
                // an order-0 __rmqueue never takes a highatomic block
                Arguments.of("004-kworker-order0-atomic-4.9-x86_64-kvm.txt", "highatomic reserve", "4.4+"),
                // 5.13 order 7: Normal's largest free blocks are below order 7
                Arguments.of("006-webcontent-order7-atomic-5.13-x86_64.txt", "fragmentation", "4.4+"),
                // 2.6.18 jumbo frames order 3 on 4 nodes: node 3's Normal passes with the printed numbers
                Arguments.of("009-e1000-jumbo-order3-atomic-2.6.18-x86_64-numa4.txt", "not reproduced", "2.6.32-4.3"),
                // 2.6.29 order 1 atomic: 8122 of Normal's 8274 free pages are order 0: 151 <= 175 at the order-0 step
                Arguments.of("011-forcedeth-order1-atomic-2.6.29-i386-highmem.txt", "fragmentation", "2.6.32-4.3"),
                // 4.2 GFP_KERNEL order 5: Normal's largest free block is order 4; HighMem not allowed
                Arguments.of("018-fglrx-order5-kernel-4.2-i686-pae-highmem.txt", "fragmentation", "2.6.32-4.3"),
                // 6.1 arm64 order 5 in a docker cgroup: every Normal zone passes; the limit is elsewhere
                Arguments.of("019-dockerd-order5-kernel-6.1-arm64-numa4.txt", "not reproduced", "4.4+"),
                // 4.19 Android GFP_ATOMIC order 0: every free block is (H); order-0 rmqueue never takes them
                Arguments.of("025-binder-order0-atomic-4.19-arm64-android.txt", "highatomic reserve", "4.4+"),
                // 5.4 GFP_ATOMIC order 0: Normal free 20672 kB < min 56392 kB
                Arguments.of("040-virtio_net-order0-atomic-5.4-x86_64-kvm.txt", "exhaustion", "4.4+"),
                // 5.18 arm GFP_KERNEL order 0: Normal free 0 kB
                Arguments.of("045-apt-order0-kernel-5.18-arm-rza2.txt", "exhaustion", "4.4+"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("corpus")
    void explained(String file, String kind, String check) throws IOException {
        Explanation e = explain(REPORTS.resolve(file));
        assertEquals(kind, e.diagnosis().kind(), e.diagnosis().summary());
        assertTrue(e.watermarkCheck().startsWith(check), e.watermarkCheck());
        assertTrue(e.zones().stream().anyMatch(z -> z.eligible()), "some zone is eligible");
    }

    @Test
    void seedReport() throws IOException {
        Explanation e = explain(REPORTS.resolve("seed-001_10e904e437390ad7.txt"));
        assertEquals("fragmentation", e.diagnosis().kind());
    }

    @Test
    void edgeReportsAreRecognisedButNotExplainable() throws IOException {
        for (String f : List.of("024-EDGE-vmalloc-error-6.0-i386-highmem.txt", "031-EDGE-boot-order0-mode0-6.3-arm-no-zones.txt")) {
            FailureReport r = ReportParser.parse(Files.readString(REPORTS.resolve(f))).get(0);
            Explainer.NotExplainable ex = assertThrows(Explainer.NotExplainable.class, () -> Explainer.explain(r, null));
            assertEquals(1, ex.getMessage().lines().count());
        }
    }

    static Stream<Path> oracle() throws IOException {
        try (Stream<Path> s = Files.list(ORACLE)) {
            return s.filter(p -> p.getFileName().toString().contains("frag")).sorted().toList().stream();
        }
    }

    /** Real Debian 6.1/6.12 kernels under QEMU (shared/oracle): judged with the 4.4+ check. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("oracle")
    void oracleReportsAreJudgedWithThe44Check(Path p) throws IOException {
        Explanation e = explain(p);
        assertTrue(e.kernel().startsWith("6."), e.kernel());
        assertTrue(e.watermarkCheck().startsWith("4.4+"), e.watermarkCheck());
        for (var z : e.zones()) {
            if (z.eligible()) {
                assertTrue(z.checks().size() == 2, z.zone());
            }
        }
    }
}
