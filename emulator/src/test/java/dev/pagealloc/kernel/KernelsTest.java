package dev.pagealloc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pagealloc.profile.KernelRelease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The registry and its one release parser. */
class KernelsTest {
    @ParameterizedTest
    @CsvSource({
        "6.1, 6.1", "6.1.0-57-amd64, 6.1", "6.1.192, 6.1", "' v6.1', 6.1", "6.1.0-17-arm64, 6.1",
        "2.6.32, 2.6.32", "2.6.32-41-server, 2.6.32", "2.6.32.69, 2.6.32"})
    void releasesNameTheRegisteredKernel(String release, String kernel) {
        assertEquals(kernel, Kernels.byName(release).name());
    }

    @Test
    void releasesWithoutAKernelAreRefusedNamingTheKernels() {
        for (String bad : new String[] {"2.6.18", "6.12.117+deb12-amd64", "4.19", "linux", "", "6", "6.x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.byName(bad), bad);
            assertEquals("unknown kernel '" + bad + "' (expected 2.6.32 or 6.1)", e.getMessage());
        }
    }

    @Test
    void theParserReadsMajorMinorPatchAndKeepsTheText() {
        KernelRelease r = KernelRelease.parse("6.12.117+deb12-amd64");
        assertEquals(6, r.major());
        assertEquals(12, r.minor());
        assertEquals(117, r.patch());
        assertEquals("6.12.117+deb12-amd64", r.text());
        assertEquals(0, KernelRelease.parse("4.9.0-0.rc8.git2.1.fc26.x86_64").patch());
        assertEquals(602, KernelRelease.parse("6.2-rc1").series());
        assertEquals(true, KernelRelease.parse("2.6.33").atLeast(2, 6, 33));
        assertEquals(false, KernelRelease.parse("2.6.32-41-server").atLeast(2, 6, 33));
        for (String bad : new String[] {"", "6", "6.x", "6..1", "linux-6.1", "x2.6"}) {
            assertThrows(IllegalArgumentException.class, () -> KernelRelease.parse(bad), bad);
        }
    }
}
