package dev.pagealloc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed as a user has it — a blog post quoting a real 2.6.32 report line by line — parsed,
 * explained, and reprinted: the reprint's lines (watermarks, lowmem_reserve and per-CPU high/batch
 * recomputed from first principles, not copied) are the report's own lines.
 */
class SeedReportEndToEndTest {
    static final Path SEED = Path.of("src/test/resources/fixtures/seeds/001_10e904e437390ad7.txt");

    @Test
    void parsedExplainedAndReprintedLineForLine() throws IOException {
        List<String> text = Files.readAllLines(SEED);
        List<FailureReport> reports = ReportParser.parse(String.join("\n", text));
        assertEquals(1, reports.size());
        FailureReport r = reports.get(0);
        Explanation e = Explainer.explain(r, null);
        assertEquals("fragmentation", e.diagnosis().kind());
        assertTrue(e.zones().get(0).reason().startsWith("lowmem_reserve"));
        assertTrue(e.zones().get(1).failedCheck().startsWith("order-0 step"));
        assertTrue(e.zones().get(2).failedCheck().startsWith("order-3 step"));
        String reprint = Kernels.printingFormatOf(r).orElseThrow().reports().reprint(r, e);
        int lines = 0;
        for (String line : reprint.split("\n")) {
            assertTrue(text.contains(line), "reprinted line not in the report: " + line);
            lines++;
        }
        assertEquals(34, lines, "header, Mem-Info, 9 per-cpu lines, 5 global, 6 zone, 3 buddy, pagecache, 4 swap, 4 totals");
    }
}
