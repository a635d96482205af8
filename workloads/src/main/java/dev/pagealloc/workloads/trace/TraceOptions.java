package dev.pagealloc.workloads.trace;

/**
 * How {@link TraceReader} reads a kmem trace.
 *
 * @param lenient skip malformed lines of known events (counted in
 *     {@link dev.pagealloc.workloads.event.SourceStats#malformed}) instead of failing on the first
 * @param era the kernel release the trace was recorded on, as given with {@code --trace-kernel}
 *     ({@code "2.6.32"}, {@code "4.19"}, {@code "6.1.0-17-amd64"}: only major.minor counts), or
 *     null to detect it from the trace (see {@link TraceReader})
 */
public record TraceOptions(boolean lenient, String era) {
    /** Strict, era detected. */
    public static final TraceOptions DEFAULT = new TraceOptions(false, null);
}
