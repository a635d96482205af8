package dev.pagealloc.report;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer coverage-guided fuzzing of the report parser: whatever the input, the only exception is
 * the documented {@link ReportParseException}. Under {@code mvn test} this runs in regression mode
 * (the seed corpus in src/test/resources/dev/pagealloc/report/ReportParserJazzerTestInputs/ plus
 * an empty input); {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class ReportParserJazzerTest {
    @FuzzTest(maxDuration = "30s")
    void parserThrowsOnlyReportParseException(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            ReportParser.parse(text);
        } catch (ReportParseException expected) {
            // the documented error for unreadable input
        }
    }
}
