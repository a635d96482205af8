package dev.pagealloc.workloads.pgw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.workloads.event.EventSink;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 6.1 ftrace rendering, line by line (framing as in shared/fixtures/traces/T04, a 5.18 capture). */
class PgwTextWriterTest {
    static List<String> render(java.util.function.Consumer<EventSink> events) {
        StringWriter w = new StringWriter();
        PgwTextWriter t = new PgwTextWriter(w, Kernels.byName("6.1"));
        events.accept(t);
        t.flush();
        return w.toString().lines().filter(l -> !l.startsWith("#") || l.startsWith("# pagealloc")).toList();
    }

    @Test
    void headerIsFtraces() {
        StringWriter w = new StringWriter();
        new PgwTextWriter(w, Kernels.byName("6.1")).flush();
        List<String> h = w.toString().lines().toList();
        assertEquals("# tracer: nop", h.get(0));
        assertEquals("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION", h.get(h.size() - 2));
    }

    @Test
    void allocAndFreeLines() {
        assertEquals(List.of(
                "          replay-0       [000] .....     1.000000: mm_page_alloc: page=ffffea0000040000 pfn=0x1000 order=0"
                        + " migratetype=0 gfp_flags=GFP_KERNEL",
                "          replay-4242    [013] ..... 12345.678901: mm_page_alloc: page=ffffea0000040040 pfn=0x1001 order=3"
                        + " migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO",
                "          replay-0       [002] .....   355.369905: mm_page_free: page=ffffea0006086400 pfn=0x182190 order=2",
                "          replay-1       [000] .....   355.369906: mm_page_alloc: page=0000000000000000 pfn=0x0 order=4"
                        + " migratetype=0 gfp_flags=none",
                "          replay-0       [127] .....     0.000000: mm_page_free: page=ffffea0000000000 pfn=0x0 order=0"),
                render(s -> {
                    s.symbol(0, "6.1:GFP_KERNEL");
                    s.symbol(1, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO");
                    s.alloc(1_000_000_000L, 0, 0x1000, 0, 0, 0, EventSink.NO_SYMBOL);
                    s.alloc(12_345_678_901_999L, 13, 0x1001, 3, 1, 4242, EventSink.NO_SYMBOL);
                    s.free(355_369_905_000L, 2, 0x182190, 2);
                    s.alloc(355_369_906_000L, 0, -1, 4, EventSink.NO_SYMBOL, 1, EventSink.NO_SYMBOL);
                    s.free(999, 127, 0, 0);
                }));
    }

    @Test
    void theMigratetypeFollowsTheSymbolsEra() {
        // 2.6.32 numbers MOVABLE 2 (allocflags_to_migratetype); 6.1 numbers it 1.
        List<String> l = render(s -> {
            s.symbol(0, "2.6.32:GFP_HIGHUSER_MOVABLE");
            s.symbol(1, "6.1:not a mask");
            s.alloc(0, 0, 1, 0, 0, 0, -1);
            s.alloc(0, 0, 1, 0, 1, 0, -1);
        });
        assertEquals(List.of("migratetype=2 gfp_flags=GFP_HIGHUSER_MOVABLE", "migratetype=0 gfp_flags=not a mask"),
                l.stream().map(x -> x.substring(x.indexOf("migratetype="))).toList());
    }

    @Test
    void otherEventsAreComments() {
        assertEquals(List.of(
                "# pagealloc: process_start ns=5 pid=42 comm=bash oom_adj=-17",
                "# pagealloc: process_exit ns=6 pid=42",
                "# pagealloc: anon_fault ns=7 cpu=1 pid=42 pages=512",
                "# pagealloc: file_read ns=8 cpu=0 pages=64 dirty=1",
                "# pagealloc: file_drop ns=9 pages=100",
                "# pagealloc: marker ns=10 kind=snapshot name=-",
                "# pagealloc: marker ns=11 kind=phase name=sym9"),
                render(s -> {
                    s.symbol(3, "bash");
                    s.processStart(5, 42, 3, -17);
                    s.processExit(6, 42);
                    s.anonFault(7, 1, 42, 512);
                    s.fileRead(8, 0, 64, true);
                    s.fileDrop(9, 100);
                    s.marker(10, EventSink.MARKER_SNAPSHOT, EventSink.NO_SYMBOL);
                    s.marker(11, EventSink.MARKER_PHASE, 9);
                }));
    }
}
