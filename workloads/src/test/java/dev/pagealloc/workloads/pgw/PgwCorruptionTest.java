package dev.pagealloc.workloads.pgw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pagealloc.workloads.event.WorkloadFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed {@code .pgw} input always ends in a one-line {@link WorkloadFormatException} naming a
 * byte offset, never in another exception: every truncation, every bit flip, random damage.
 */
class PgwCorruptionTest {
    static final byte[] GOOD = PgwRoundTripTest.encode(PgwRoundTripTest::everyKind, "6.1", List.of("p"));

    /** Reads all of {@code data} through both reader paths; returns the message of the exception (the same for both). */
    static String failure(byte[] data) {
        String first = null;
        for (int path = 0; path < 2; path++) {
            try {
                PgwReader r = path == 0 ? PgwReader.of(data, "test.pgw") : PgwRoundTripTest.streamReader(data, 5);
                Pgw.pump(r, new RecordingSink());
            } catch (WorkloadFormatException e) {
                String m = e.getMessage();
                assertFalse(m.contains("\n"), m);
                assertTrue(m.startsWith("test.pgw: byte offset "), m);
                assertEquals(0, e.line());
                if (first == null) {
                    first = m;
                } else {
                    assertEquals(first, m, "both reader paths report the same");
                }
                continue;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("not a WorkloadFormatException for " + Arrays.toString(data), e);
            }
            fail("no exception for a damaged file: " + Arrays.toString(data));
        }
        return first;
    }

    @Test
    void theGoodFileReads() {
        assertTrue(GOOD.length > 200, "the sample covers every record: " + GOOD.length);
        Pgw.pump(PgwReader.of(GOOD, "test.pgw"), new RecordingSink());
    }

    @Test
    void everyTruncation() {
        for (int len = 0; len < GOOD.length; len++) {
            String m = failure(Arrays.copyOf(GOOD, len));
            assertTrue(m.contains("the file ends") || m.contains("magic"), m);
        }
    }

    @Test
    void everyBitFlip() {
        for (int i = 0; i < GOOD.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] d = GOOD.clone();
                d[i] ^= (byte) (1 << bit);
                failure(d);
            }
        }
    }

    @Test
    void randomDamage() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 5000; trial++) {
            byte[] d = GOOD.clone();
            int n = 1 + r.nextInt(6);
            for (int k = 0; k < n; k++) {
                d[r.nextInt(d.length)] = (byte) r.nextInt(256);
            }
            if (r.nextInt(4) == 0) {
                d = Arrays.copyOf(d, r.nextInt(d.length));
            }
            if (!Arrays.equals(d, GOOD)) {
                failure(d);
            }
        }
    }

    @Test
    void messages() {
        byte[] d = GOOD.clone();
        d[1] = 'X';
        assertEquals("test.pgw: byte offset 0: expected the magic 'PGW1' of a .pgw file", failure(d));
        d = GOOD.clone();
        d[4] = 2;
        assertEquals("test.pgw: byte offset 4: expected version 1, found 2", failure(d));
        assertEquals("test.pgw: byte offset " + GOOD.length + ": expected the end of the file after the END record, found more bytes",
                failure(Arrays.copyOf(GOOD, GOOD.length + 1)));
        int end = endTagOffset(GOOD);
        assertEquals("test.pgw: byte offset " + end + ": expected a record (the END record is missing), the file ends",
                failure(Arrays.copyOf(GOOD, end)));
        d = GOOD.clone();
        d[end] = 0;
        assertEquals("test.pgw: byte offset " + end
                + ": expected a record tag (0x01-0x0a, 0x3f or 0x40-0xff), found 0x00", failure(d));
        d = GOOD.clone();
        d[d.length - 1] ^= 1;
        assertTrue(failure(d).matches("test\\.pgw: byte offset " + (GOOD.length - 4)
                + ": expected CRC-32 0x[0-9a-f]{8} \\(of the bytes before it\\), found 0x[0-9a-f]{8}: the file is corrupt"),
                failure(d));
        // A wrong event count under a correct CRC.
        d = Arrays.copyOf(GOOD, GOOD.length);
        d[end + 1]++;
        withCrc(d);
        assertTrue(failure(d).startsWith("test.pgw: byte offset " + (end + 1) + ": expected an event count of "), failure(d));
        // A varint cut off by the end of the file.
        byte[] cut = Arrays.copyOf(GOOD, end + 2);
        cut[end] = (byte) PgwFormat.TAG_FILE_DROP;
        cut[end + 1] = (byte) 0x80;
        assertEquals("test.pgw: byte offset " + (end + 2) + ": expected the time step (a varint), the file ends", failure(cut));
        // A varint of more than 64 bits.
        byte[] longer = Arrays.copyOf(GOOD, end + 12);
        longer[end] = (byte) PgwFormat.TAG_TIME;
        Arrays.fill(longer, end + 1, end + 11, (byte) 0xFF);
        assertEquals("test.pgw: byte offset " + (end + 10)
                + ": expected the time of a TIME record (a varint of at most 64 bits), found a longer one", failure(longer));
    }

    /** The offset of the END tag: the count is one byte for this small file, then 4 bytes of CRC. */
    private static int endTagOffset(byte[] d) {
        int end = d.length - 6;
        assertEquals(PgwFormat.TAG_END, d[end]);
        return end;
    }

    private static void withCrc(byte[] d) {
        CRC32 c = new CRC32();
        c.update(d, 0, d.length - 4);
        int v = (int) c.getValue();
        for (int i = 0; i < 4; i++) {
            d[d.length - 4 + i] = (byte) (v >>> (8 * i));
        }
    }

    @Test
    void isPgwChecksTheMagic(@TempDir Path dir) throws IOException {
        Path good = Files.write(dir.resolve("a.pgw"), GOOD);
        Path text = Files.writeString(dir.resolve("a.txt"), "# tracer: nop\n");
        Path empty = Files.write(dir.resolve("e"), new byte[0]);
        assertTrue(PgwReader.isPgw(good));
        assertFalse(PgwReader.isPgw(text));
        assertFalse(PgwReader.isPgw(empty));
        try (PgwReader r = PgwReader.open(good)) {
            assertEquals(good.toString(), r.name());
        }
    }
}
