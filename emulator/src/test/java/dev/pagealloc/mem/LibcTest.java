package dev.pagealloc.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class LibcTest {

    private static final int ENOMEM = 12;
    private static final int EINVAL = 22;

    private static boolean linuxX86OrArm() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("aarch64"));
    }

    @Test
    void availableOnLinuxWithNativeAccessEnabled() {
        assumeTrue(linuxX86OrArm(), "the downcalls only exist for Linux x86_64/arm64");
        // surefire passes --enable-native-access=ALL-UNNAMED
        assertTrue(Libc.isAvailable(), Libc::unavailableReason);
        assertEquals("", Libc.unavailableReason());
        long ps = Libc.pageSize();
        assertTrue(ps >= 4096 && Long.bitCount(ps) == 1, "page size " + ps);
    }

    @Test
    void unavailableReasonIsNeverEmptyWhenUnavailable() {
        assertEquals(Libc.isAvailable(), Libc.unavailableReason().isEmpty(), Libc::unavailableReason);
    }

    @Test
    void mmapGivesZeroedMemoryThatArenaCloseUnmaps() {
        assumeTrue(Libc.isAvailable(), Libc::unavailableReason);
        long len = 16 * Libc.pageSize();
        long address;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = Libc.mmap(len, arena);
            address = seg.address();
            assertEquals(len, seg.byteSize());
            assertEquals(0, address % Libc.pageSize());
            assertEquals(0L, seg.get(ValueLayout.JAVA_LONG, len - 8));
            seg.set(ValueLayout.JAVA_LONG, len - 8, 0x1234L);
            assertEquals(0x1234L, seg.get(ValueLayout.JAVA_LONG, len - 8));
            if (HostMemory.hasProcfs()) {
                assertTrue(HostMemory.isMapped(address), "mapping not in /proc/self/maps");
            }
        }
        if (HostMemory.hasProcfs()) {
            assertFalse(HostMemory.isMapped(address), "arena close did not munmap");
        }
    }

    @Test
    void madviseDontNeedDropsThePages() {
        assumeTrue(Libc.isAvailable(), Libc::unavailableReason);
        long ps = Libc.pageSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = Libc.mmap(4 * ps, arena);
            seg.fill((byte) 0x77);
            Libc.madvise(seg.asSlice(ps, 2 * ps), Libc.MADV_DONTNEED);
            assertEquals((byte) 0x77, seg.get(ValueLayout.JAVA_BYTE, ps - 1));
            assertEquals((byte) 0, seg.get(ValueLayout.JAVA_BYTE, ps));
            assertEquals((byte) 0, seg.get(ValueLayout.JAVA_BYTE, 3 * ps - 1));
            assertEquals((byte) 0x77, seg.get(ValueLayout.JAVA_BYTE, 3 * ps));
        }
    }

    @Test
    void failuresCarryErrno() {
        assumeTrue(Libc.isAvailable(), Libc::unavailableReason);
        try (Arena arena = Arena.ofConfined()) {
            // larger than any user address space: MAP_FAILED with ENOMEM
            Libc.ErrnoException e = assertThrows(Libc.ErrnoException.class, () -> Libc.mmap(1L << 62, arena));
            assertEquals(ENOMEM, e.errno(), e.getMessage());
            assertTrue(e.getMessage().contains("mmap") && e.getMessage().contains("ENOMEM"), e.getMessage());

            MemorySegment seg = Libc.mmap(2 * Libc.pageSize(), arena);
            Libc.ErrnoException m = assertThrows(Libc.ErrnoException.class,
                    () -> Libc.madvise(seg.asSlice(1, 8), Libc.MADV_DONTNEED));
            assertEquals(EINVAL, m.errno(), m.getMessage());
            assertTrue(m.getMessage().contains("0x" + Long.toHexString(seg.address() + 1)), m.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Libc.mmap(0, Arena.global()));
    }
}
