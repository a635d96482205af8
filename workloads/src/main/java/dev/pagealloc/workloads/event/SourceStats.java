package dev.pagealloc.workloads.event;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a source read: per tracepoint (or record kind) how many it recognised, how many lines were
 * unknown events (counted and skipped) and, with {@code --lenient}, how many malformed lines were
 * skipped and where the first one was. Not on the hot path per event for counting by name: readers
 * count into arrays and fill this at the end, or per distinct name.
 */
public final class SourceStats {
    /** Recognised events by name ({@code mm_page_alloc}, {@code mm_page_free}, ...), sorted. */
    public final Map<String, Long> events = new TreeMap<>();
    /** Unknown event names (other tracepoints, other tools' lines) and how often each appeared. */
    public final Map<String, Long> unknown = new TreeMap<>();
    /** Lines that are neither events nor recognised framing (comments, headers, callchains). */
    public long otherLines;
    /** Malformed lines skipped under {@code --lenient}. */
    public long malformed;
    /** The first malformed line skipped under {@code --lenient}, as {@code file:line: message}, or null. */
    public String firstMalformed;
    /** The era the source was read as (for example {@code "6.1"} or {@code "2.6.32"}), or null. */
    public String era;

    public void count(String event) {
        events.merge(event, 1L, Long::sum);
    }

    public void unknown(String event) {
        unknown.merge(event, 1L, Long::sum);
    }

    public long recognised() {
        long n = 0;
        for (long v : events.values()) {
            n += v;
        }
        return n;
    }
}
