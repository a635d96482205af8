package dev.pagealloc.workloads.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.workloads.event.EventSink;
import dev.pagealloc.workloads.event.EventSource;
import dev.pagealloc.workloads.pgw.PgwTextWriter;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each kernel's trace spellings ({@code Kernel.traceFormat()}): the 2.6.32 rendering prints an
 * event as a real 2.6.3x trace does (fixture T05, a 2.6.33-rc trace quoted on linux-mm: 56-byte
 * {@code struct page}s in the vmemmap, a decimal pfn, {@code mm_page_free_direct}, no irq-flag
 * columns), and the trace reader takes both kernels' renderings back as their era.
 */
class KernelTraceFormatTest {
    private static String render(String kernel, java.util.function.Consumer<EventSink> events) {
        StringWriter w = new StringWriter();
        PgwTextWriter t = new PgwTextWriter(w, Kernels.byName(kernel));
        events.accept(t);
        t.flush();
        return w.toString();
    }

    private static final java.util.function.Consumer<EventSink> T05_EVENTS = s -> {
        s.symbol(0, "GFP_KERNEL");
        // T05: mm_page_free_direct then mm_page_alloc of pfn 1155800 at 4415.246466 / .246506 s, CPU 0
        s.free(4415_246_466_000L, 0, 1155800, 0);
        s.alloc(4415_246_506_000L, 0, 1155800, 0, 0, 1567, EventSink.NO_SYMBOL);
    };

    @Test
    void a2632RenderingPrintsWhatA2632TraceHolds() {
        List<String> lines = render("2.6.32", T05_EVENTS).lines().filter(l -> !l.startsWith("#")).toList();
        // T05's lines after the context: the same event text, byte for byte
        assertEquals("mm_page_free_direct: page=ffffea0003db9f40 pfn=1155800 order=0",
                lines.get(0).substring(lines.get(0).indexOf(": ") + 2));
        assertEquals("mm_page_alloc: page=ffffea0003db9f40 pfn=1155800 order=0 migratetype=0 gfp_flags=GFP_KERNEL",
                lines.get(1).substring(lines.get(1).indexOf(": ") + 2));
        // "%16s-%-5d [%03d] %5lu.%06lu: ", as T05's "  gnome-terminal-1567  [000]  4415.246506: "
        assertEquals("          replay-1567  [000]  4415.246506: ", lines.get(1).substring(0, lines.get(1).indexOf("mm_")));
    }

    @Test
    void theReaderTakesEachKernelsRenderingBackAsItsEra() {
        for (String kernel : Kernels.names()) {
            String text = render(kernel, T05_EVENTS);
            try (EventSource src = TraceReader.open("t.txt", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                    TraceOptions.DEFAULT)) {
                RecordingSink s = RecordingSink.drain(src);
                assertEquals(kernel, src.stats().era, kernel);
                assertEquals(List.of(
                        new RecordingSink.Ev(true, 0, 0, 1155800, 0, -1, 0),
                        new RecordingSink.Ev(false, 40_000, 0, 1155800, 0, 0, 1567)), s.events, kernel);
            }
        }
    }
}
