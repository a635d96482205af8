package dev.pagealloc.workloads.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.workloads.event.EventSource;
import dev.pagealloc.workloads.event.GfpSpelling;
import dev.pagealloc.workloads.event.SourceStats;
import dev.pagealloc.workloads.event.WorkloadFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Line framing of ftrace (kernel/trace/trace_output.c), trace-cmd report and perf script
 * (tools/perf/builtin-script.c) around the TP_printk text of include/trace/events/kmem.h, on
 * synthetic lines written in each tool's layout; malformed input; streaming and gzip.
 */
class TraceReaderTest {
    private SourceStats stats;

    private RecordingSink read(String text, TraceOptions o) {
        try (EventSource src = TraceReader.open("t.txt", bytes(text), o)) {
            RecordingSink s = RecordingSink.drain(src);
            stats = src.stats();
            assertEquals(-1, src.size());
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, src.position());
            return s;
        }
    }

    private RecordingSink read(String text) {
        return read(text, TraceOptions.DEFAULT);
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void traceCmdReportWithHeadersAndNanoseconds() {
        RecordingSink s = read("""
                version = 6
                CPU 3 is empty
                cpus=4
                          <idle>-0     [001]  5036.123456789: mm_page_alloc: page=0xffffea0004a1b2c0 pfn=1215180 order=0 migratetype=1 gfp_flags=GFP_ATOMIC|__GFP_NOWARN
                   Web Content-4242  [002]  5036.123457001: mm_page_free: page=0xffffea0004a1b2c0 pfn=1215180 order=0
                 kworker/u8:2-31337 [003]  5036.123458000: mm_page_free_batched: page=0xffffea0004a1b300 pfn=1215181 order=0
                CPU:0 [LOST 12 EVENTS]
                """);
        assertEquals(List.of(
                new RecordingSink.Ev(false, 0, 1, 1215180, 0, 0, 0),
                new RecordingSink.Ev(true, 212, 2, 1215180, 0, -1, 0),
                new RecordingSink.Ev(true, 1211, 3, 1215181, 0, -1, 0)), s.events);
        assertEquals("4.19:GFP_ATOMIC|__GFP_NOWARN", s.symbols.get(0));
        assertEquals(4, stats.otherLines);
        assertEquals(Map.of("mm_page_alloc", 1L, "mm_page_free", 1L, "mm_page_free_batched", 1L), stats.events);
    }

    @Test
    void ftrace6xFlagsTgidAndCommsWithDashes() {
        RecordingSink s = read("""
                # tracer: nop
                #
                #                           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
                #                              | |         |   |||||     |         |
                           <...>-22275   [006] d..1.   889.213383: mm_page_alloc: page=00000000d2be5665 pfn=0x3a1b4 order=3 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP
                 systemd-journal-412     (    411) [000] .....   889.213390: mm_page_alloc: page=00000000d2be5665 pfn=0x3a1c0 order=3 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP
                  irq/35-iwlwifi-611     [003] dNh2.   889.213391: mm_page_alloc: page=00000000aa11bb22 pfn=0x3a1b8 order=2 migratetype=0 gfp_flags=GFP_ATOMIC|__GFP_COMP
                           <...>-22275   [006] d..1.   889.213392: mm_page_free: page=00000000d2be5665 pfn=0x3a1b4 order=3
                """);
        assertEquals(List.of(
                new RecordingSink.Ev(false, 0, 6, 0x3a1b4, 3, 0, 22275),
                new RecordingSink.Ev(false, 7000, 0, 0x3a1c0, 3, 0, 412),
                new RecordingSink.Ev(false, 8000, 3, 0x3a1b8, 2, 1, 611),
                new RecordingSink.Ev(true, 9000, 6, 0x3a1b4, 3, -1, 0)), s.events);
        assertEquals(4, stats.otherLines);
        assertEquals("6.1", stats.era);
        // 6.1 bits (kernel-spec 1.1): GFP_KERNEL 0xcc0, __GFP_COMP 0x40000.
        assertEquals(0x40cc0, GfpSpelling.toProfile(s.symbols.get(0), GfpBits.V6_1));
    }

    @Test
    void kernel2632LayoutWithPagevecFree() {
        RecordingSink s = read("""
                # tracer: nop
                #
                #           TASK-PID    CPU#    TIMESTAMP  FUNCTION
                #              | |       |          |         |
                            bash-2745  [001]   123.456789: mm_page_alloc: page=ffffea0000a3b2c0 pfn=670134 order=1 migratetype=0 gfp_flags=GFP_KERNEL|GFP_COMP
                            bash-2745  [001]   123.456800: mm_pagevec_free: page=ffffea0000a3b2c0 pfn=670135 order=0 cold=0
                          <idle>-0     [000]   123.456900: mm_page_free_direct: page=ffffea0000a3b2c0 pfn=670134 order=1
                """);
        assertEquals(List.of(
                new RecordingSink.Ev(false, 0, 1, 670134, 1, 0, 2745),
                new RecordingSink.Ev(true, 11_000, 1, 670135, 0, -1, 0),
                new RecordingSink.Ev(true, 111_000, 0, 670134, 1, -1, 0)), s.events);
        assertEquals("2.6.32:GFP_KERNEL|GFP_COMP", s.symbols.get(0));
        assertEquals("2.6.32", stats.era);
        assertEquals(0x40d0, GfpSpelling.toProfile(s.symbols.get(0), GfpBits.V2_6_32));
    }

    @Test
    void perfScriptWithoutCpuAndWithPidTid() {
        RecordingSink s = read("""
                            perf  6429    22.498450: kmem:mm_page_alloc: page=0x176a17 pfn=1534487 order=0 migratetype=0 gfp_flags=GFP_KERNEL
                	    ffffffffbe23e32e __alloc_pages_nodemask+0x22e (/lib/modules/5.1.0-rc3+/build/vmlinux)

                     kworker 17/18   [002]    22.500000: kmem:mm_page_free: page=0x176a17 pfn=1534487 order=0
                """);
        assertEquals(List.of(
                new RecordingSink.Ev(false, 0, 0, 1534487, 0, 0, 6429),
                new RecordingSink.Ev(true, 1_550_000, 2, 1534487, 0, -1, 0)), s.events);
        assertEquals(2, stats.otherLines);
    }

    @Test
    void bareEventsHaveNoTimeCpuOrPid() {
        RecordingSink s = read("""
                  mm_page_alloc:  page=0xffffffff981685f3 pfn=0x1d1ac1 order=1 migratetype=1 gfp_flags=GFP_KERNEL
                kmem:mm_page_free: page=0xffffffff981685f3 pfn=0x1d1ac1 order=1
                """);
        assertEquals(List.of(
                new RecordingSink.Ev(false, 0, 0, 0x1d1ac1, 1, 0, 0),
                new RecordingSink.Ev(true, 0, 0, 0x1d1ac1, 1, -1, 0)), s.events);
    }

    @Test
    void timeNeverGoesBack() {
        RecordingSink s = read("""
                a-1 [000] .... 10.000002: mm_page_free: page=x pfn=1 order=0
                b-2 [001] .... 10.000001: mm_page_free: page=x pfn=2 order=0
                c-3 [002] .... 10.000005: mm_page_free: page=x pfn=3 order=0
                """);
        assertEquals(List.of(0L, 0L, 3000L), s.events.stream().map(RecordingSink.Ev::timeNs).toList());
    }

    @Test
    void internalAndUnknownEventsAreCountedOnly() {
        RecordingSink s = read("""
                a-1 [000] .... 1.000000: mm_page_alloc_zone_locked: page=x pfn=0x100 order=0 migratetype=0 percpu_refill=1
                a-1 [000] .... 1.000001: mm_page_pcpu_drain: page=x pfn=0x101 order=0 migratetype=0
                a-1 [000] .... 1.000002: mm_page_alloc_extfrag: page=x pfn=0x200 alloc_order=0 fallback_order=9 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1
                a-1 [000] .... 1.000003: sched_switch: prev_comm=a prev_pid=1 prev_prio=120
                a-1 [000] .... 1.000004: tracing_mark_write: phase 2
                a-1 [000] .... 1.000005: sched_switch: prev_comm=a prev_pid=1 prev_prio=120
                a-1 [000] .... 1.000006: do_sys_open <-sys_open
                a-1 [000] .... 1.000007: mm_page_free: page=x pfn=0x100 order=0
                """);
        // Time counts from the first recognised event, internal ones included.
        assertEquals(List.of(new RecordingSink.Ev(true, 7000, 0, 0x100, 0, -1, 0)), s.events);
        assertEquals(Map.of("sched_switch", 2L, "tracing_mark_write", 1L), stats.unknown);
        assertEquals(Map.of("mm_page_alloc_zone_locked", 1L, "mm_page_pcpu_drain", 1L, "mm_page_alloc_extfrag", 1L,
                "mm_page_free", 1L), stats.events);
        assertEquals(1, stats.otherLines);
    }

    @Test
    void failedAllocationsInEachSpelling() {
        RecordingSink s = read("""
                a-1 [000] .... 1.0: mm_page_alloc: page=(null) pfn=0 order=3 migratetype=0 gfp_flags=GFP_ATOMIC
                a-1 [000] .... 1.0: mm_page_alloc: page=  (null) pfn=0 order=3 migratetype=0 gfp_flags=GFP_ATOMIC
                a-1 [000] .... 1.0: mm_page_alloc: page=0000000000000000 pfn=0 order=3 migratetype=0 gfp_flags=GFP_ATOMIC
                perf 9 [000] 1.0: kmem:mm_page_alloc: page=0x0 pfn=0 order=3 migratetype=0 gfp_flags=GFP_ATOMIC
                a-1 [000] .... 1.0: mm_page_alloc: page=0000000000000000 pfn=18446744073709551615 order=3 migratetype=0 gfp_flags=GFP_ATOMIC
                a-1 [000] .... 1.0: mm_page_alloc: page=ffffea0000000000 pfn=0 order=0 migratetype=0 gfp_flags=GFP_ATOMIC
                """);
        assertEquals(List.of(-1L, -1L, -1L, -1L, -1L, 0L), s.events.stream().map(RecordingSink.Ev::id).toList());
        assertEquals(1, s.symbolDefinitions);
    }

    @Test
    void unknownFieldsAnyOrderAndCrLf() {
        RecordingSink s = read("a-1 [000] .... 1.0: mm_page_alloc: gfp_flags=GFP_KERNEL nr_free=3650 order=2 pfn=77 "
                + "page=ffff migratetype=0\r\na-1 [000] .... 1.0: mm_page_free: order=2 pfn=77\r\n");
        assertEquals(List.of(new RecordingSink.Ev(false, 0, 0, 77, 2, 0, 1), new RecordingSink.Ev(true, 0, 0, 77, 2, -1, 0)),
                s.events);
        assertEquals("4.19:GFP_KERNEL", s.symbols.get(0));
    }

    @Test
    void malformedLinesNameFileAndLine() {
        String good = "a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=5 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n";
        String[][] cases = {
            {"a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=5 migratetype=0 gfp_flags=GFP_KERNEL", "expected order="},
            {"a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=5z order=0 migratetype=0 gfp_flags=GFP_KERNEL", "expected pfn="},
            {"a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=0xq order=0 migratetype=0 gfp_flags=GFP_KERNEL", "expected pfn="},
            {"a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=5 order=-1 migratetype=0 gfp_flags=GFP_KERNEL", "expected order="},
            {"a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=5 order=0 migratetype=0", "expected gfp_flags="},
            {"a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=5 order=0 migratetype=0 gfp_flags=", "expected gfp_flags="},
            {"a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=5 order=0 gfp_flags=GFP_KERNEL,GFP_DMA", "expected gfp_flags="},
            {"a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=5 order=0 gfp_flags=__GFP_BOGUS", "expected gfp_flags"},
            {"a-1 [000] .... 1.0: mm_page_alloc: page=ffffea00", "expected pfn="},
            {"a-1 [000] .... 1.0: mm_page_free: page=x pfn", "expected pfn="},
            {"mm_page_free: page=x pfn=12", "expected order="},
        };
        for (String[] c : cases) {
            String text = good + good + c[0] + "\n" + good;
            WorkloadFormatException e = assertThrows(WorkloadFormatException.class, () -> read(text), c[0]);
            assertEquals("t.txt", e.file());
            assertEquals(3, e.line());
            assertTrue(e.getMessage().startsWith("t.txt:3: " + c[1]), e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'));

            RecordingSink s = read(text, new TraceOptions(true, null));
            assertEquals(3, s.events.size(), c[0]);
            assertEquals(1, stats.malformed);
            assertEquals(e.getMessage(), stats.firstMalformed);
        }
    }

    @Test
    void lenientCountsEveryMalformedLineAndKeepsTheFirst() {
        read("""
                a-1 [000] .... 1.0: mm_page_free: page=x pfn=1
                a-1 [000] .... 1.0: mm_page_free: page=x pfn=1 order=0
                a-1 [000] .... 1.0: mm_page_free: page=x order=0
                """, new TraceOptions(true, null));
        assertEquals(2, stats.malformed);
        assertTrue(stats.firstMalformed.startsWith("t.txt:1: expected order="), stats.firstMalformed);
        assertEquals(3L, stats.events.get("mm_page_free"));
    }

    @Test
    void givenEraIsUsedAndEnforced() {
        String line = "a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=0x5 order=0 gfp_flags=GFP_KERNEL|__GFP_COMP\n";
        RecordingSink s = read(line, new TraceOptions(false, "2.6.32"));
        assertEquals("2.6.32:GFP_KERNEL|__GFP_COMP", s.symbols.get(0));
        assertEquals("2.6.32", stats.era);
        String atomic = "a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=0x5 order=0 gfp_flags=GFP_ATOMIC|__GFP_ATOMIC\n";
        WorkloadFormatException e = assertThrows(WorkloadFormatException.class,
                () -> read(atomic, new TraceOptions(false, "2.6.32")));
        assertTrue(e.getMessage().contains("__GFP_ATOMIC"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TraceReader.open("x", bytes(""), new TraceOptions(false, "banana")));
    }

    @Test
    void eraDetectionFollowsTheEvidence() {
        // Composite names only: provisional 4.19; the 2.6.32-4.5 bit spelling then moves to 2.6.32.
        RecordingSink s = read("""
                a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=5 order=0 migratetype=0 gfp_flags=GFP_KERNEL
                a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=6 order=0 migratetype=0 gfp_flags=GFP_KERNEL|GFP_COMP
                """);
        assertEquals("4.19:GFP_KERNEL", s.symbols.get(0));
        assertEquals("2.6.32:GFP_KERNEL|GFP_COMP", s.symbols.get(1));
        assertEquals("2.6.32", stats.era);
        // The two symbols still mean the same GFP_KERNEL.
        assertEquals(GfpSpelling.toProfile(s.symbols.get(0), GfpBits.V2_6_32) | 0x4000,
                GfpSpelling.toProfile(s.symbols.get(1), GfpBits.V2_6_32));

        read("""
                a-1 [000] .... 1.0: mm_page_free: page=x pfn=5 order=0
                a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=6 order=0 migratetype=0 gfp_flags=GFP_NOFS|GFP_NO_KSWAPD
                """);
        assertEquals("3.10", stats.era);
        read("a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=6 order=0 gfp_flags=GFP_USER|GFP_DIRECT_RECLAIM\n");
        assertEquals("4.4", stats.era);
        read("""
                a-1 [000] .... 1.0: mm_page_free_batched: page=x pfn=5 order=0 cold=1
                a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=6 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP
                """);
        assertEquals("4.9", stats.era);
        read("a-1 [000] .... 1.0: mm_page_free_batched: page=x pfn=5 order=0 cold=1\n");
        assertEquals("3.10", stats.era);
        read("a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=6 order=0 gfp_flags=GFP_KERNEL|__GFP_OTHER_NODE\n");
        assertEquals("4.9", stats.era);
        read("a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=6 order=0 gfp_flags=none\n");
        assertEquals("4.19", stats.era);
        read("a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=0x6 order=0 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_SKIP_KASAN_POISON\n");
        assertEquals("5.15", stats.era);
        read("a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=0x6 order=0 gfp_flags=GFP_ATOMIC\n");
        assertEquals("6.1", stats.era);
    }

    @Test
    void gzipStream() throws IOException {
        String text = "a-1 [000] .... 1.0: mm_page_alloc: page=x pfn=0x5 order=0 gfp_flags=GFP_KERNEL\n".repeat(1000);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        try (EventSource src = TraceReader.open("t.gz", new ByteArrayInputStream(bos.toByteArray()), TraceOptions.DEFAULT)) {
            RecordingSink s = RecordingSink.drain(src);
            assertEquals(1000, s.events.size());
            assertEquals(bos.size(), src.position());
        }
    }

    @Test
    void streamsLongInputAndSurvivesAHugeLine() {
        int lines = 300_000;
        byte[] line = "   kworker/3:1-1234  [003] d..1.  100.000001: mm_page_free: page=x pfn=0x5 order=0\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] huge = ("junk: " + "x".repeat(3 << 20) + "\n").getBytes(StandardCharsets.US_ASCII);
        InputStream gen = new InputStream() {
            long i;
            int off;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int o, int len) {
                if (i >= lines) {
                    return -1;
                }
                byte[] cur = i == 1000 ? huge : line;
                int n = Math.min(len, cur.length - off);
                System.arraycopy(cur, off, b, o, n);
                off += n;
                if (off == cur.length) {
                    off = 0;
                    i++;
                }
                return n;
            }
        };
        WorkloadFormatException e;
        try (EventSource src = TraceReader.open("gen", gen, TraceOptions.DEFAULT)) {
            RecordingSink counting = new RecordingSink();
            e = assertThrows(WorkloadFormatException.class, () -> {
                while (src.advance(counting)) {
                    counting.events.clear();
                }
            });
        }
        assertEquals(1001, e.line());
        assertTrue(e.getMessage().contains("expected a line shorter than"), e.getMessage());
    }

    @Test
    void hugeLineIsSkippedWhenLenient() {
        String text = "a-1 [000] .... 1.0: mm_page_free: page=x pfn=1 order=0\n" + "y".repeat(3 << 20) + "\n"
                + "a-1 [000] .... 1.0: mm_page_free: page=x pfn=2 order=0\n";
        RecordingSink s = read(text, new TraceOptions(true, null));
        assertEquals(List.of(1L, 2L), s.events.stream().map(RecordingSink.Ev::id).toList());
        assertEquals(1, stats.malformed);
    }

    @Test
    void emptyInput() {
        RecordingSink s = read("");
        assertTrue(s.events.isEmpty());
        assertTrue(stats.events.isEmpty());
        assertNull(stats.firstMalformed);
    }
}
