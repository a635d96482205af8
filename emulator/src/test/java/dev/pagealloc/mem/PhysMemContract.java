package dev.pagealloc.mem;

import static dev.pagealloc.mem.PhysMem.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PhysMem} backing must have; run once per backing by the concrete
 * {@code *PhysMemTest} classes (Lucene's {@code BaseDirectoryTestCase} pattern).
 */
abstract class PhysMemContract {

    static final long GIB = 1L << 30;
    /** 64 GiB of 4 KiB frames. */
    static final long MAX_PFN_64G = (64 * GIB) / PAGE_SIZE;

    /** Creates the backing under test. */
    abstract PhysMem create(long maxPfn, Arena arena);

    /** Whether {@link #create} gives the mmap backing. */
    abstract boolean expectNative();

    private static void fill(PhysMem mem, long pfn, int order, byte value) {
        for (long p = pfn; p < pfn + (1L << order); p++) {
            mem.pageAddress(p).fill(value);
        }
    }

    private static void assertAllBytes(PhysMem mem, long pfn, int order, byte expected) {
        for (long p = pfn; p < pfn + (1L << order); p++) {
            MemorySegment page = mem.pageAddress(p);
            for (long off = 0; off < PAGE_SIZE; off++) {
                byte b = page.get(ValueLayout.JAVA_BYTE, off);
                if (b != expected) {
                    throw new AssertionError("pfn " + p + " byte " + off + ": expected " + expected + " got " + b);
                }
            }
        }
    }

    @Test
    void sixtyFourGiBMapsWithoutCommittingMemory() {
        assumeTrue(HostMemory.hasProcfs(), "needs /proc/self/status");
        long before = HostMemory.rssBytes();
        try (Arena arena = Arena.ofShared()) {
            PhysMem mem = create(MAX_PFN_64G, arena);
            assertEquals(expectNative(), mem.isNative(), mem::toString);
            assertEquals(MAX_PFN_64G, mem.maxPfn());
            long[] pfns = {0, 1, MAX_PFN_64G / 7, MAX_PFN_64G / 3, MAX_PFN_64G / 2, MAX_PFN_64G - 1};
            for (long pfn : pfns) {
                MemorySegment page = mem.pageAddress(pfn);
                page.set(ValueLayout.JAVA_LONG, 0, pfn);
                page.set(ValueLayout.JAVA_LONG, PAGE_SIZE - 8, ~pfn);
            }
            for (long pfn : pfns) {
                MemorySegment page = mem.pageAddress(pfn);
                assertEquals(pfn, page.get(ValueLayout.JAVA_LONG, 0));
                assertEquals(~pfn, page.get(ValueLayout.JAVA_LONG, PAGE_SIZE - 8));
            }
            long grown = HostMemory.rssBytes() - before;
            assertTrue(grown < GIB, "RSS grew by " + (grown >> 20) + " MiB for a 64 GiB " + mem);
        }
    }

    @Test
    void pageAddressIsOneFrameAndFramesDoNotAlias() {
        try (Arena arena = Arena.ofConfined()) {
            long maxPfn = 3000; // not a multiple of the 1024-frame chunk: last chunk is short
            PhysMem mem = create(maxPfn, arena);
            for (long pfn = 0; pfn < maxPfn; pfn++) {
                MemorySegment page = mem.pageAddress(pfn);
                assertEquals(PAGE_SIZE, page.byteSize());
                assertEquals(0, page.address() % PAGE_SIZE, "frame not page aligned");
                page.set(ValueLayout.JAVA_LONG, 0, pfn);
                page.set(ValueLayout.JAVA_LONG, PAGE_SIZE - 8, -pfn);
            }
            for (long pfn = 0; pfn < maxPfn; pfn++) {
                MemorySegment page = mem.pageAddress(pfn);
                assertEquals(pfn, page.get(ValueLayout.JAVA_LONG, 0));
                assertEquals(-pfn, page.get(ValueLayout.JAVA_LONG, PAGE_SIZE - 8));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> mem.pageAddress(maxPfn));
            assertThrows(IndexOutOfBoundsException.class, () -> mem.pageAddress(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> mem.pageAddress(maxPfn - 1).get(ValueLayout.JAVA_BYTE, PAGE_SIZE));
            assertThrows(IndexOutOfBoundsException.class, () -> mem.zero(maxPfn - 2, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> mem.stamp(maxPfn, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> mem.verify(0, -1, 1));
        }
    }

    @Test
    void freshMemoryReadsZero() {
        try (Arena arena = Arena.ofConfined()) {
            PhysMem mem = create(4096, arena);
            assertAllBytes(mem, 2048 + 512, 2, (byte) 0);
            assertTrue(mem.verify(0, 12, 0), "untouched memory carries the zero stamp");
            assertFalse(mem.verify(0, 0, 42));
        }
    }

    @Test
    void zeroReallyZeroesADirtiedBlock() {
        try (Arena arena = Arena.ofConfined()) {
            PhysMem mem = create(4096, arena);
            fill(mem, 1016, 5, (byte) 0xAB); // pfn 1016..1047 straddles a chunk boundary
            mem.zero(1024, 3);
            assertAllBytes(mem, 1024, 3, (byte) 0);
            assertAllBytes(mem, 1016, 3, (byte) 0xAB);
            assertAllBytes(mem, 1032, 4, (byte) 0xAB);
            mem.zero(1016, 0);
            assertAllBytes(mem, 1016, 0, (byte) 0);
            assertAllBytes(mem, 1017, 0, (byte) 0xAB);
            mem.zero(2048, 10); // untouched memory: still zero afterwards
            assertAllBytes(mem, 2048 + 1000, 3, (byte) 0);
        }
    }

    @Test
    void stampVerifyDetectsACorruptedByte() {
        try (Arena arena = Arena.ofConfined()) {
            PhysMem mem = create(8192, arena);
            long stamp = 0x5a5a_dead_beef_1234L;
            long pfn = 4096 + 64;
            int order = 4;
            mem.stamp(pfn, order, stamp);
            assertTrue(mem.verify(pfn, order, stamp));
            assertTrue(mem.verify(pfn + 8, 3, stamp), "a sub-block carries the same stamp");
            assertFalse(mem.verify(pfn, order, stamp + 1), "another stamp");
            assertFalse(mem.verify(pfn - 1, 0, stamp), "the frame before was not stamped");

            // payload bytes between the stamps are the workload's: writing them is not corruption
            mem.pageAddress(pfn + 3).set(ValueLayout.JAVA_BYTE, 100, (byte) 7);
            assertTrue(mem.verify(pfn, order, stamp));

            SplittableRandom rnd = new SplittableRandom(12345);
            long[] offsets = {0, 7, PAGE_SIZE - 8, PAGE_SIZE - 1};
            for (long off : offsets) {
                long victim = pfn + rnd.nextLong(1L << order);
                MemorySegment page = mem.pageAddress(victim);
                byte old = page.get(ValueLayout.JAVA_BYTE, off);
                page.set(ValueLayout.JAVA_BYTE, off, (byte) (old ^ 0x10));
                assertFalse(mem.verify(pfn, order, stamp), "flip at pfn " + victim + " byte " + off);
                page.set(ValueLayout.JAVA_BYTE, off, old);
                assertTrue(mem.verify(pfn, order, stamp));
            }
        }
    }

    @Test
    void discardedFramesReadBackZero() {
        try (Arena arena = Arena.ofConfined()) {
            PhysMem mem = create(4096, arena);
            fill(mem, 512, 4, (byte) 0x3C);
            mem.stamp(512, 4, 99);
            mem.discard(520, 2);
            assertAllBytes(mem, 520, 2, (byte) 0);
            assertFalse(mem.verify(520, 2, 99));
            assertTrue(mem.verify(520, 2, 0));
            assertTrue(mem.verify(512, 3, 99), "frames before the discarded block are intact");
            assertTrue(mem.verify(524, 2, 99), "frames after the discarded block are intact");
            mem.pageAddress(521).set(ValueLayout.JAVA_INT, 40, 77); // usable again after discard
            assertEquals(77, mem.pageAddress(521).get(ValueLayout.JAVA_INT, 40));
            mem.discard(3072, 10); // never touched: harmless
            assertAllBytes(mem, 3072, 1, (byte) 0);
        }
    }

    @Test
    void closingTheArenaReleasesTheMemory() {
        MemorySegment page;
        try (Arena arena = Arena.ofConfined()) {
            PhysMem mem = create(1024, arena);
            page = mem.pageAddress(5);
            page.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        }
        MemorySegment closed = page;
        assertThrows(IllegalStateException.class, () -> closed.get(ValueLayout.JAVA_BYTE, 0));
    }
}
