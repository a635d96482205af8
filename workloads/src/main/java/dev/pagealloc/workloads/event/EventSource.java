package dev.pagealloc.workloads.event;

/**
 * A workload read one event at a time (a trace file, a {@code .pgw} file, a generated job).
 * {@link #advance} pushes the next event, preceded by any symbol definitions it needs, into a
 * sink. Sources are streaming: memory does not grow with the length of the input.
 */
public interface EventSource extends AutoCloseable {
    /**
     * Pushes the next event into {@code sink}.
     *
     * @return false at the end of the stream
     * @throws WorkloadFormatException for malformed input (file:line and what was expected)
     */
    boolean advance(EventSink sink);

    /** What this source is, for outputs and messages (a file name or a job name). */
    String name();

    /** Bytes (or events) consumed so far, for a progress bar; with {@link #size()} the same unit. */
    long position();

    /** Total bytes (or events), or -1 when unknown. */
    long size();

    /** Input lines or records read, recognised, skipped; see {@link SourceStats}. */
    SourceStats stats();

    @Override
    default void close() {}
}
