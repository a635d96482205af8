package dev.pagealloc.workloads.trace;

import dev.pagealloc.workloads.event.EventSource;
import dev.pagealloc.workloads.event.WorkloadFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads recorded kmem tracepoints (include/trace/events/kmem.h) as a workload: the text that
 * ftrace writes to {@code trace} / {@code trace_pipe} (kernel/trace/trace_output.c, every era from
 * 2.6.32's {@code %16s-%-5d [%03d] %5lu.%06lu:} to 6.x with irq/preempt flag columns),
 * {@code trace-cmd report} and {@code perf script} (tools/perf/builtin-script.c, callchains
 * skipped) print, or bare event text. Gzipped files are inflated transparently. Streaming: memory
 * does not grow with the length of the input.
 *
 * <h2>Events</h2>
 * <ul>
 *   <li>{@code mm_page_alloc} → {@link dev.pagealloc.workloads.event.EventSink#alloc alloc}: id =
 *       the pfn, or -1 when the recorded allocation failed ({@code page=(null)} with
 *       {@code pfn=0}, or a stored pfn of -1), the order, the gfp spelling as a symbol, the pid of
 *       the prefix (0 without one), no call site.
 *   <li>{@code mm_page_free}, 2.6.32's {@code mm_page_free_direct} → {@code free} with the order;
 *       {@code mm_page_free_batched}, {@code mm_pagevec_free} → {@code free} of order 0. Every
 *       record is emitted, including 2.6.32's doubled {@code mm_page_free_direct} and a batched
 *       free that follows its {@code mm_page_free}: the replay ignores frees of pfns not live.
 *   <li>{@code mm_page_alloc_zone_locked}, {@code mm_page_pcpu_drain},
 *       {@code mm_page_alloc_extfrag}: decisions inside the allocator, which the emulator makes
 *       itself; counted, not emitted.
 *   <li>Any other {@code name:} in event position is counted in
 *       {@link dev.pagealloc.workloads.event.SourceStats#unknown} and skipped.
 * </ul>
 * A {@code kmem:} prefix (perf) is optional. {@code pfn=} is decimal before 5.15 and {@code 0x}
 * hex from 5.15; unknown fields (vendor additions such as {@code nr_free=}) are ignored. A known
 * alloc/free line without a usable {@code pfn}, {@code order} or {@code gfp_flags} is a
 * {@link WorkloadFormatException} ({@code file:line: expected ...}), or with
 * {@link TraceOptions#lenient()} a count in {@code stats.malformed}; so is a line longer than
 * 1 MiB (which bounds the reader's memory).
 *
 * <h2>Time</h2>
 * Nanoseconds since the first recognised event's timestamp ({@code secs.usecs} or
 * {@code secs.nsecs}); a timestamp earlier than the previous one (trace_pipe interleaves CPUs)
 * is clamped to it, so emulated time never goes back. A bare line takes the previous time (0 at
 * the start), CPU 0 and pid 0.
 *
 * <h2>gfp symbols and the era</h2>
 * Each distinct {@code gfp_flags} spelling is defined once as {@code "<era>:<spelling>"} (see
 * {@link dev.pagealloc.workloads.event.GfpSpelling}), so the replay can carry the mask to its own
 * kernel's layout by meaning. The era is {@link TraceOptions#era()} when given; otherwise it is detected,
 * most specific evidence first: {@code mm_page_free_direct}/{@code mm_pagevec_free} →
 * {@code 2.6.32}; a hex pfn → {@code 6.1}; with a decimal pfn, the 2.6.32–4.5 trace spelling of
 * bits ({@code GFP_COMP}) → {@code 2.6.32}, or {@code 3.10} after {@code mm_page_free} or a
 * {@code cold=} field; the mmflags.h spelling ({@code __GFP_COMP}, {@code none}) → {@code 4.19}
 * ({@code 4.9} with {@code cold=}); composite names only → {@code 4.19}. Within that family the
 * first era whose tables know every name seen is used, so for instance {@code __GFP_OTHER_NODE}
 * moves a decimal-pfn trace to {@code 4.9}. The choice is safe where it is a guess because
 * composite names such as {@code GFP_KERNEL} and {@code GFP_ATOMIC} keep their meaning across
 * eras, and the bits printed by name are translated by name; only leftover hex bits depend on
 * the exact layout. The era read is in {@code stats().era}.
 */
public final class TraceReader {
    private TraceReader() {}

    /**
     * Opens a trace file (plain or gzipped).
     *
     * @throws WorkloadFormatException when the file cannot be read
     * @throws IllegalArgumentException when {@code options.era()} is not a kernel release
     */
    public static EventSource open(Path file, TraceOptions options) {
        String name = file.toString();
        InputStream in;
        long size;
        try {
            size = Files.size(file);
            in = Files.newInputStream(file);
        } catch (IOException e) {
            throw new WorkloadFormatException(name, 0, "cannot read: " + e.getMessage());
        }
        return open(name, in, size, options);
    }

    /**
     * Reads a trace from a stream ({@code -} for stdin, tests); {@code size()} is unknown (-1).
     * The source closes {@code in} at its end or on {@link EventSource#close()}.
     */
    public static EventSource open(String name, InputStream in, TraceOptions options) {
        return open(name, in, -1, options);
    }

    private static EventSource open(String name, InputStream in, long size, TraceOptions options) {
        TraceOptions o = options == null ? TraceOptions.DEFAULT : options;
        try {
            return new KmemTraceSource(name, new LineInput(in), size, o);
        } catch (IOException e) {
            closeQuietly(in);
            throw new WorkloadFormatException(name, 0, "cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
