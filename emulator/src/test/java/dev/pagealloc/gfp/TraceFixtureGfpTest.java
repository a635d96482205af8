package dev.pagealloc.gfp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.pagealloc.TestResources;
import dev.pagealloc.profile.Arch;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * gfp_flags strings from a real 2.6.33-rc x86_64 ftrace (linux-mm, Li Hong, 2010-01-13, quoted in
 * https://lore.kernel.org/r/20100114144732.6f0f82a6.akpm@linux-foundation.org; test resource
 * fixtures/traces/T05-mm_page_free_direct-mm_page_alloc-2.6.33-x86_64.txt, a copy of the one in
 * shared/fixtures/traces). 2.6.33 uses the same show_gfp_flags table and gfp bits as 2.6.32.
 */
class TraceFixtureGfpTest {
    private static final GfpBits B = GfpBits.V2_6_32;
    private static final String FIXTURE = "fixtures/traces/T05-mm_page_free_direct-mm_page_alloc-2.6.33-x86_64.txt";
    private static final Pattern ALLOC =
            Pattern.compile("mm_page_alloc: page=\\S+ pfn=\\d+ order=(\\d+) migratetype=(\\d+) gfp_flags=(\\S+)");

    /** The mm_page_alloc line of the fixture, verbatim. */
    private static final String LINE = "  gnome-terminal-1567  [000]  4415.246506: mm_page_alloc: "
            + "page=ffffea0003db9f40 pfn=1155800 order=0 migratetype=0 gfp_flags=GFP_KERNEL";

    @Test
    void embeddedLineDecodes() {
        Matcher m = ALLOC.matcher(LINE);
        assertEquals(true, m.find());
        checkLine(m);
        assertEquals(Gfp2632.GFP_KERNEL, B.parse(m.group(3)));
        assertEquals(Gfp2632.__GFP_WAIT | Gfp2632.__GFP_IO | Gfp2632.__GFP_FS, B.parse(m.group(3)));
        assertEquals(2, GfpZone.gfpZone(B.parse(m.group(3)), Arch.X86_64)); // ZONE_NORMAL
    }

    @Test
    void everyFixtureGfpStringDecodes() throws IOException {
        List<String> seen = new ArrayList<>();
        for (String line : Files.readAllLines(TestResources.path(FIXTURE))) {
            Matcher m = ALLOC.matcher(line);
            if (m.find()) {
                checkLine(m);
                seen.add(m.group(3));
            }
        }
        assertFalse(seen.isEmpty(), "no mm_page_alloc lines in " + FIXTURE);
        assertEquals(List.of("GFP_KERNEL"), seen);
    }

    /** The flags parse, print back identically, and give the migratetype the kernel printed. */
    private static void checkLine(Matcher m) {
        String flags = m.group(3);
        int gfp = B.parse(flags);
        assertEquals(flags, B.traceFlags(gfp));
        assertEquals(Integer.parseInt(m.group(2)), Gfp2632.allocflagsToMigratetype(gfp, false), flags);
    }
}
