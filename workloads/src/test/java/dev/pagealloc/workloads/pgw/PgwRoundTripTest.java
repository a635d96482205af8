package dev.pagealloc.workloads.pgw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.workloads.event.EventSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.Writer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@code .pgw} round trips: every event kind and edge value, 1M-event streams, header fields, size. */
class PgwRoundTripTest {
    /** Encodes what {@code events} emits. */
    static byte[] encode(Consumer<EventSink> events, String era, List<String> provenance) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PgwWriter w = new PgwWriter(bytes, "test.trace", () -> era, provenance)) {
            events.accept(w);
        }
        return bytes.toByteArray();
    }

    static byte[] encode(Consumer<EventSink> events) {
        return encode(events, "6.1", List.of());
    }

    /** Decodes {@code data} through the stream path, in chunks of at most {@code chunk} bytes per read. */
    static PgwReader streamReader(byte[] data, int chunk) {
        InputStream in = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
        return new PgwReader(in, "test.pgw", data.length);
    }

    static List<String> decode(PgwReader r) {
        RecordingSink s = new RecordingSink();
        Pgw.pump(r, s);
        assertFalse(r.advance(s), "advance after the end stays false");
        return s.calls;
    }

    /** The same calls come out of both reader paths as went in. */
    static void assertRoundTrip(Consumer<EventSink> events) {
        RecordingSink expected = new RecordingSink();
        events.accept(expected);
        byte[] data = encode(events);
        assertEquals(expected.calls, decode(PgwReader.of(data, "test.pgw")));
        assertEquals(expected.calls, decode(streamReader(data, 7)));
    }

    /** Every event kind and edge values, as one stream. */
    static void everyKind(EventSink s) {
        s.symbol(0, "6.1:GFP_KERNEL|__GFP_COMP");
        s.symbol(1, "bash");
        s.symbol(7, "");
        s.symbol(2, "snapshot one — ünïcødé ✓");
        s.alloc(0, 0, 0, 0, 0, 0, EventSink.NO_SYMBOL);
        s.alloc(0, 0, 4096, 3, 0, 0, EventSink.NO_SYMBOL);
        s.free(0, 0, 4096, 3);
        s.alloc(1000, 1, -1, 0, 0, 17, 7); // a failure: id -1
        s.alloc(2000, 1, 100, 0, 0, 17, 7); // after a failure
        s.alloc(2001, 1, 99, 0, EventSink.NO_SYMBOL, 17, 7); // ns step, id going down, gfp not recorded
        s.alloc(2001, 1, 98, 0, EventSink.NO_SYMBOL, -5, EventSink.NO_SYMBOL);
        s.free(1_000_000_000_000L, 2, 98, 0); // a huge jump
        s.free(999, 2, 97, 0); // time goes back
        s.alloc(999, 63, Long.MAX_VALUE, 30, 0, Integer.MAX_VALUE, 0);
        s.alloc(999, 64, Long.MIN_VALUE, 31, 0, Integer.MIN_VALUE, 0); // lane 0 again, escaped order
        s.alloc(999, -1, 1L << 40, -1, Integer.MAX_VALUE, 0, Integer.MIN_VALUE);
        s.free(999, Integer.MIN_VALUE, -1, Integer.MAX_VALUE);
        s.free(999, Integer.MAX_VALUE, 0x7fff_ffff_ffffL, 1000);
        s.symbol(0, "6.1:GFP_ATOMIC"); // redefined
        s.alloc(5_000, 0, 12, 2, 0, 0, EventSink.NO_SYMBOL);
        s.processStart(6_000, 42, 1, -1000);
        s.processStart(6_000, -1, EventSink.NO_SYMBOL, Integer.MAX_VALUE);
        s.processExit(7_000, 42);
        s.anonFault(7_500, 3, 42, 512);
        s.anonFault(7_500, -3, Integer.MIN_VALUE, Long.MIN_VALUE);
        s.fileRead(8_000, 1, 64, false);
        s.fileRead(8_000, 1, Long.MAX_VALUE, true);
        s.bdevRead(8_500, 2, 32, false);
        s.bdevRead(8_500, -2, Long.MIN_VALUE, true);
        s.fileDrop(9_000, 1L << 33);
        s.fileDrop(9_000, -7);
        s.marker(10_000, EventSink.MARKER_SNAPSHOT, 2);
        s.marker(10_000, EventSink.MARKER_PHASE, EventSink.NO_SYMBOL);
        s.marker(Long.MAX_VALUE, 99, 7);
        s.free(Long.MIN_VALUE, 0, 1, 0);
        s.free(Long.MAX_VALUE, 0, 2, 0); // the largest step there is
        s.alloc(0, 0, 3, 0, 0, 0, EventSink.NO_SYMBOL);
    }

    @Test
    void everyEventKindAndEdgeValueRoundTrips() {
        assertRoundTrip(PgwRoundTripTest::everyKind);
    }

    /** Each kind as the first event (a finer step: UNIT record) and after time went back (TIME record). */
    @Test
    void everyKindAfterAUnitAndATimeRecord() {
        List<Consumer<EventSink>> kinds = List.of(
                s -> s.alloc(1, 1, 2, 0, -1, 3, -1), s -> s.free(1, 1, 2, 0), s -> s.processStart(1, 2, -1, 0),
                s -> s.processExit(1, 2), s -> s.anonFault(1, 1, 2, 3), s -> s.fileRead(1, 1, 2, true),
                s -> s.bdevRead(1, 1, 2, false), s -> s.fileDrop(1, 2), s -> s.marker(1, 1, -1));
        for (Consumer<EventSink> kind : kinds) {
            assertRoundTrip(s -> {
                s.free(1500, 0, 9, 0);
                kind.accept(new TimeShift(s, 1_234_567)); // not a multiple of 1500's unit (100 ns)
                kind.accept(new TimeShift(s, 5)); // time goes back
            });
        }
    }

    /** Forwards calls with time set to {@code t}. */
    record TimeShift(EventSink s, long t) implements EventSink {
        @Override
        public void symbol(int sym, String text) {
            s.symbol(sym, text);
        }

        @Override
        public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
            return s.alloc(t, cpu, id, order, gfpSym, pid, siteSym);
        }

        @Override
        public void free(long timeNs, int cpu, long id, int order) {
            s.free(t, cpu, id, order);
        }

        @Override
        public void processStart(long timeNs, int pid, int commSym, int oomAdj) {
            s.processStart(t, pid, commSym, oomAdj);
        }

        @Override
        public void processExit(long timeNs, int pid) {
            s.processExit(t, pid);
        }

        @Override
        public void anonFault(long timeNs, int cpu, int pid, long pages) {
            s.anonFault(t, cpu, pid, pages);
        }

        @Override
        public void fileRead(long timeNs, int cpu, long pages, boolean dirty) {
            s.fileRead(t, cpu, pages, dirty);
        }

        @Override
        public void bdevRead(long timeNs, int cpu, long pages, boolean dirty) {
            s.bdevRead(t, cpu, pages, dirty);
        }

        @Override
        public void fileDrop(long timeNs, long pages) {
            s.fileDrop(t, pages);
        }

        @Override
        public void marker(long timeNs, int kind, int nameSym) {
            s.marker(t, kind, nameSym);
        }
    }

    @Test
    void emptyStreamRoundTrips() {
        assertRoundTrip(s -> { });
        byte[] data = encode(s -> { });
        assertTrue(data.length < 40, "an empty file is a header and an END record: " + data.length);
    }

    @Test
    void headerFieldsRoundTrip() throws Exception {
        byte[] data = encode(s -> s.free(1000, 0, 1, 0), "2.6.32", List.of("input=trace.txt bytes=12", "crc32c=0x1234abcd"));
        PgwReader r = PgwReader.of(data, "x.pgw");
        assertEquals(PgwFormat.VERSION, r.version());
        assertEquals("test.trace", r.sourceName());
        assertEquals("2.6.32", r.era());
        assertEquals(List.of("input=trace.txt bytes=12", "crc32c=0x1234abcd"), r.provenance());
        assertEquals("x.pgw", r.name());
        assertEquals(data.length, r.size());
        Pgw.pump(r, new RecordingSink());
        assertEquals(data.length, r.position());
        assertEquals(1L, r.stats().events.get("mm_page_free"));
        assertEquals("2.6.32", r.stats().era);
        assertEquals(null, PgwReader.of(encode(s -> { }, null, List.of()), "y").stats().era);
    }

    @Test
    void theEraIsAskedForAtTheFirstRecord() {
        String[] era = {null};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PgwWriter w = new PgwWriter(bytes, "t", () -> era[0], List.of())) {
            era[0] = "4.19"; // a trace reader learns its era from its first line, before the first event
            w.free(0, 0, 1, 0);
        }
        assertEquals("4.19", PgwReader.of(bytes.toByteArray(), "t").era());
    }

    @Test
    void aHeaderLargerThanTheReadBufferIsRead() {
        List<String> provenance = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            provenance.add(Character.toString('a' + i).repeat(PgwFormat.MAX_STRING_BYTES));
        }
        byte[] data = encode(PgwRoundTripTest::everyKind, "6.1", provenance);
        assertTrue(data.length > 1024 * 1024);
        PgwReader r = streamReader(data, 1 << 16);
        assertEquals(provenance, r.provenance());
        RecordingSink expected = new RecordingSink();
        everyKind(expected);
        assertEquals(expected.calls, decode(r));
    }

    @Test
    void symbolsAcrossBufferBoundariesRoundTrip() {
        Consumer<EventSink> events = s -> {
            SplittableRandom r = new SplittableRandom(7);
            for (int i = 0; i < 60; i++) {
                s.symbol(i, "g".repeat(r.nextInt(PgwFormat.MAX_STRING_BYTES + 1)));
                for (int j = 0; j < 1000; j++) {
                    s.alloc(i * 1_000_000L + j, j & 3, r.nextLong(1 << 20), 0, i, 1, EventSink.NO_SYMBOL);
                }
            }
        };
        HashingSink expected = new HashingSink();
        events.accept(expected);
        byte[] data = encode(events);
        assertTrue(data.length > 2 * 1024 * 1024, "crosses the 1 MiB buffer: " + data.length);
        HashingSink got = new HashingSink();
        Pgw.pump(streamReader(data, 1 << 20), got);
        assertEquals(expected.calls, got.calls);
        assertEquals(expected.hash, got.hash);
    }

    @Test
    void writerContract() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PgwWriter w = new PgwWriter(bytes, "t", () -> "6.1", List.of());
        assertTrue(w.alloc(0, 0, 1, 0, EventSink.NO_SYMBOL, 0, EventSink.NO_SYMBOL), "a writer accepts every alloc");
        w.symbol(3, "x");
        assertEquals(1, w.events());
        assertThrows(IllegalArgumentException.class, () -> w.symbol(4, "x".repeat(PgwFormat.MAX_STRING_BYTES + 1)));
        w.close();
        w.close(); // idempotent
        assertEquals(bytes.size(), w.bytes());
        assertThrows(IllegalStateException.class, () -> w.free(0, 0, 1, 0));
        assertEquals(List.of("alloc t=0 cpu=0 id=1 order=0 gfp=-1 pid=0 site=-1", "symbol 3 x"),
                decode(PgwReader.of(bytes.toByteArray(), "t")));
    }

    /** One million events of uniformly random kinds and values, including every edge the encoder has. */
    static void randomStream(long seed, int n, EventSink s) {
        SplittableRandom r = new SplittableRandom(seed);
        long t = 0;
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(100);
            t += switch (r.nextInt(10)) {
                case 0 -> r.nextLong(1L << 40);
                case 1 -> -r.nextLong(1_000_000);
                case 2 -> r.nextInt(1000);
                default -> 1000L * r.nextInt(50);
            };
            int cpu = r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(4);
            long id = switch (r.nextInt(8)) {
                case 0 -> r.nextLong();
                case 1 -> -1;
                default -> r.nextLong(1L << 24);
            };
            int order = r.nextInt(16) == 0 ? r.nextInt() : r.nextInt(11);
            int sym = r.nextInt(20) == 0 ? EventSink.NO_SYMBOL : r.nextInt(30);
            if (k < 2) {
                s.symbol(r.nextInt(40), Long.toString(r.nextLong(), 36));
            } else if (k < 50) {
                s.alloc(t, cpu, id, order, sym, r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(5), r.nextInt(4) == 0 ? sym : -1);
            } else if (k < 94) {
                s.free(t, cpu, id, order);
            } else {
                switch (k) {
                    case 94 -> s.processStart(t, r.nextInt(), sym, r.nextInt(2001) - 1000);
                    case 95 -> s.processExit(t, r.nextInt());
                    case 96 -> s.anonFault(t, cpu, r.nextInt(), r.nextLong());
                    case 97 -> s.fileRead(t, cpu, r.nextLong(1 << 20), r.nextBoolean());
                    case 98 -> s.fileDrop(t, r.nextLong());
                    default -> s.marker(t, r.nextInt(3), sym);
                }
            }
        }
    }

    @Test
    void aMillionRandomEventsRoundTripExactly() {
        Consumer<EventSink> events = s -> randomStream(42, 1_000_000, s);
        HashingSink expected = new HashingSink();
        events.accept(expected);
        byte[] data = encode(events);
        for (PgwReader r : List.of(PgwReader.of(data, "m.pgw"), streamReader(data, 100_000))) {
            HashingSink got = new HashingSink();
            Pgw.pump(r, got);
            assertEquals(expected.calls, got.calls);
            assertEquals(expected.hash, got.hash);
        }
    }

    @Test
    void aMillionSampleEventsRoundTripExactly() {
        HashingSink expected = new HashingSink();
        PgwSample.generate(1, 1_000_000, expected);
        byte[] data = encode(s -> PgwSample.generate(1, 1_000_000, s));
        HashingSink got = new HashingSink();
        PgwReader r = streamReader(data, 1 << 20);
        Pgw.pump(r, got);
        assertEquals(expected.calls, got.calls);
        assertEquals(expected.hash, got.hash);
        assertEquals(expected.allocs, r.stats().events.get("mm_page_alloc"));
        assertEquals(expected.frees, r.stats().events.get("mm_page_free"));
    }

    /** Counts characters and drops them. */
    static final class CountingWriter extends Writer {
        long chars;

        @Override
        public void write(char[] cbuf, int off, int len) {
            chars += len;
        }

        @Override
        public void write(String str, int off, int len) {
            chars += len;
        }

        @Override
        public Writer append(CharSequence csq) {
            chars += csq.length();
            return this;
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void atLeastEightTimesSmallerThanFtraceTextAndAtMostSixBytesPerEvent() {
        int n = 1_000_000;
        byte[] data = encode(s -> PgwSample.generate(3, n, s));
        CountingWriter text = new CountingWriter();
        PgwSample.generate(3, n, new PgwTextWriter(text, Kernels.byName("6.1")));
        double ratio = (double) text.chars / data.length;
        double perEvent = (double) data.length / n;
        String sizes = String.format("pgw: %d events, %d bytes (%.2f B/event); 6.1 ftrace text %d bytes (%.1f B/line): %.1fx",
                n, data.length, perEvent, text.chars, (double) text.chars / n, ratio);
        assertTrue(ratio >= 8, "text/pgw = " + ratio + "; " + sizes);
        assertTrue(perEvent <= 6, "bytes per event = " + perEvent + "; " + sizes);
    }
}
