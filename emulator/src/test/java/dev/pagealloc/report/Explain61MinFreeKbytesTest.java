package dev.pagealloc.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real 6.1 reports' min watermarks fit one min_free_kbytes only once the pages freed late in
 * boot are taken out of managed, and that value is khugepaged's recommendation: explain must say
 * so, and its range must hold the min_free_kbytes the same machine's /proc/sys/vm showed.
 */
class Explain61MinFreeKbytesTest {

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-1G-smp2-frag", "x86_64-4G-smp2-frag", "i386-pae-1G-smp2-frag",
            "i386-pae-4G-smp2-frag", "x86_64-1G-smp2-frag-mayfail"})
    void inferredMinFreeKbytesIsTheMachinesAndKhugepagedsRecommendation(String name) throws IOException {
        String text = Files.readString(Path.of("src/test/resources/fixtures/oracle", name + ".txt"));
        Matcher m = Pattern.compile("min_free_kbytes: (\\d+)").matcher(text);
        assertTrue(m.find());
        long real = Long.parseLong(m.group(1));
        int from = text.indexOf("=== test-dmesg ===");
        Explanation e = Explainer.explain(ReportParser.parse(text.substring(from)).get(0), null);
        var mfk = e.minFreeKbytes();
        assertTrue(mfk.inferredLow() <= real && real <= mfk.inferredHigh(),
                name + ": " + real + " not in " + mfk.inferredLow() + ".." + mfk.inferredHigh() + ": " + mfk.note());
        assertTrue(mfk.note().contains("khugepaged's recommendation"), mfk.note());
    }
}
