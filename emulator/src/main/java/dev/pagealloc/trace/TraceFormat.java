package dev.pagealloc.trace;

/**
 * How one kernel prints its kmem page tracepoints in the ftrace {@code trace} file: the header of
 * the nop tracer, the context before each event ({@code trace_print_context()},
 * kernel/trace/trace_output.c) and the {@code TP_printk()} of {@code mm_page_alloc} and of the
 * page-free event (include/trace/events/kmem.h), whose name and pfn base changed between releases.
 * Writers append to a caller's {@link StringBuilder} and allocate nothing themselves.
 */
public interface TraceFormat {
    /** What {@code trace} prints before the first event with the nop tracer. */
    String header();

    /**
     * The context of one event: task, pid, CPU, time ({@code "%16s-%-7d [%03d] ..... %5lu.%06lu: "}
     * in 6.1), up to the event name.
     */
    void context(StringBuilder sb, String comm, int pid, int cpu, long timeNs);

    /**
     * {@code mm_page_alloc: page=… pfn=… order=… migratetype=… gfp_flags=…} for the block at
     * {@code pfn} (-1: a failed allocation, which prints no page and pfn 0).
     */
    void mmPageAlloc(StringBuilder sb, long pfn, int order, int migratetype, CharSequence gfpFlags);

    /** The page-free event of the kernel ({@code mm_page_free_direct} before 3.3, {@code mm_page_free}). */
    void mmPageFree(StringBuilder sb, long pfn, int order);
}
