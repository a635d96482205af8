package dev.pagealloc.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the parser over the fixture texts: lines deleted, duplicated,
 * truncated, split (mail wrapping), joined, swapped, characters flipped, huge numbers inserted.
 * Whatever the input, the parser returns reports that hold together or throws
 * {@link ReportParseException}; never anything else.
 */
class ReportParserFuzzTest {
    private static final int ITERATIONS = 20_000;
    private static final String ALPHABET = ":*()=[]<>?|,.- \t0123456789xkKBMGN_/#>\r\n";

    static List<List<String>> corpus() throws IOException {
        List<List<String>> corpus = new ArrayList<>();
        // the fixture files only (each folder also has a README.md saying where they came from)
        try (Stream<Path> s = Files.list(ReportParserFixturesTest.REPORTS)) {
            for (Path p : s.filter(ReportParserFuzzTest::isTxt).sorted().toList()) {
                corpus.add(Files.readAllLines(p));
            }
        }
        try (Stream<Path> s = Files.list(ReportParserFixturesTest.ORACLE)) {
            for (Path p : s.filter(ReportParserFuzzTest::isTxt).sorted().toList()) {
                List<String> all = Files.readAllLines(p);
                FailureReport r = ReportParser.parse(all).get(0);
                corpus.add(new ArrayList<>(all.subList(Math.max(0, r.firstLine() - 20), Math.min(all.size(), r.lastLine() + 10))));
            }
        }
        return corpus;
    }

    private static boolean isTxt(Path p) {
        return p.getFileName().toString().endsWith(".txt");
    }

    @Test
    void onlyReportParseExceptionIsEverThrown() throws IOException {
        List<List<String>> corpus = corpus();
        SplittableRandom rnd = new SplittableRandom(0x9a6e_a110cL);
        int parsed = 0;
        int rejected = 0;
        for (int it = 0; it < ITERATIONS; it++) {
            List<String> lines = new ArrayList<>(corpus.get(rnd.nextInt(corpus.size())));
            int mutations = 1 + rnd.nextInt(8);
            for (int m = 0; m < mutations && !lines.isEmpty(); m++) {
                mutate(lines, corpus, rnd);
            }
            try {
                List<FailureReport> rs = rnd.nextInt(4) == 0 ? ReportParser.parse(String.join("\n", lines))
                        : ReportParser.parse(lines);
                check(rs, lines.size());
                parsed++;
            } catch (ReportParseException e) {
                assertFalse(e.getMessage().startsWith("internal parser error"), "iteration " + it + ": " + e.getMessage());
                assertTrue(e.line() >= 0);
                rejected++;
            } catch (Throwable t) {
                fail("iteration " + it + " threw " + t + " on:\n" + String.join("\n", lines), t);
            }
        }
        assertTrue(parsed > ITERATIONS / 2, "most mutants still hold a report: parsed " + parsed + ", rejected " + rejected);
    }

    private static void mutate(List<String> lines, List<List<String>> corpus, SplittableRandom rnd) {
        int i = rnd.nextInt(lines.size());
        String l = lines.get(i);
        switch (rnd.nextInt(11)) {
            case 0 -> lines.remove(i);
            case 1 -> lines.add(i, l);
            case 2 -> lines.set(i, l.substring(0, rnd.nextInt(l.length() + 1)));
            case 3, 4 -> {
                if (!l.isEmpty()) {
                    int k = rnd.nextInt(l.length());
                    char c = rnd.nextBoolean() ? ALPHABET.charAt(rnd.nextInt(ALPHABET.length()))
                            : (char) (rnd.nextInt(0x7f - 0x20) + 0x20);
                    lines.set(i, l.substring(0, k) + c + l.substring(k + 1));
                }
            }
            case 5 -> {
                if (i + 1 < lines.size()) {
                    lines.set(i, lines.get(i + 1));
                    lines.set(i + 1, l);
                }
            }
            case 6 -> {
                List<String> other = corpus.get(rnd.nextInt(corpus.size()));
                lines.add(i, other.get(rnd.nextInt(other.size())));
            }
            case 7 -> { // mail wrapping, with or without the space kept
                int k = rnd.nextInt(l.length() + 1);
                lines.set(i, l.substring(0, k));
                lines.add(i + 1, l.substring(k));
            }
            case 8 -> {
                if (i + 1 < lines.size()) {
                    lines.set(i, l + (rnd.nextBoolean() ? " " : "") + lines.remove(i + 1));
                }
            }
            case 9 -> {
                int k = rnd.nextInt(l.length() + 1);
                String big = rnd.nextBoolean() ? "99999999999999999999999" : "-9223372036854775808";
                lines.set(i, l.substring(0, k) + big + l.substring(k));
            }
            default -> lines.subList(i, lines.size()).clear();
        }
    }

    private static void check(List<FailureReport> rs, int size) {
        assertFalse(rs.isEmpty());
        for (FailureReport r : rs) {
            assertTrue(r.firstLine() >= 1 && r.firstLine() <= r.lastLine() && r.lastLine() <= Math.max(size, 1) + 1,
                    r.firstLine() + "-" + r.lastLine() + " of " + size);
            assertTrue(r.order() >= -1);
            assertNotNull(r.global());
            assertNotNull(r.nodes());
            assertNotNull(r.perCpu());
            assertNotNull(r.totals());
            assertNotNull(r.missing());
            assertNotNull(r.warnings());
            assertNotNull(r.headerStyle());
            for (FailureReport.ZoneReport z : r.zones()) {
                assertNotNull(z.name());
                assertNotNull(z.kb());
                if (z.buddyTypes() != null) {
                    assertTrue(z.buddy() != null && z.buddyTypes().length == z.buddy().length);
                }
            }
        }
    }
}
