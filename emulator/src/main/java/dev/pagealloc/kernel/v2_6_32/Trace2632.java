package dev.pagealloc.kernel.v2_6_32;

import dev.pagealloc.trace.TraceFormat;
import dev.pagealloc.trace.TraceText;

/**
 * 2.6.32's trace text: {@code print_func_help_header()} and {@code trace_print_context()}
 * ({@code "%16s-%-5d [%03d] %5lu.%06lu: "}, kernel/trace/trace.c:1659 and trace_output.c:542
 * [2632]: no irq-flag columns), {@code mm_page_free_direct} and {@code mm_page_alloc} with a
 * decimal pfn (include/trace/events/kmem.h:245 and :294), {@code %p} of NULL as {@code (null)}.
 * {@code struct page} is 56 bytes on x86_64 2.6.32, so the vmemmap address steps by 56.
 */
final class Trace2632 implements TraceFormat {
    static final Trace2632 INSTANCE = new Trace2632();

    private Trace2632() {}

    @Override
    public String header() {
        return "# tracer: nop\n#\n"
                + "#           TASK-PID    CPU#    TIMESTAMP  FUNCTION\n"
                + "#              | |       |          |         |\n";
    }

    @Override
    public void context(StringBuilder sb, String comm, int pid, int cpu, long timeNs) {
        TraceText.taskPidCpu(sb, comm, pid, 5, cpu);
        TraceText.time(sb, timeNs);
    }

    @Override
    public void mmPageAlloc(StringBuilder sb, long pfn, int order, int migratetype, CharSequence gfpFlags) {
        sb.append("mm_page_alloc: page=");
        if (pfn == -1) {
            sb.append("(null) pfn=0");
        } else {
            TraceText.vmemmapPage(sb, pfn, 56);
            sb.append(" pfn=").append(pfn);
        }
        sb.append(" order=").append(order).append(" migratetype=").append(migratetype).append(" gfp_flags=")
                .append(gfpFlags);
    }

    @Override
    public void mmPageFree(StringBuilder sb, long pfn, int order) {
        sb.append("mm_page_free_direct: page=");
        TraceText.vmemmapPage(sb, pfn, 56);
        sb.append(" pfn=").append(pfn).append(" order=").append(order);
    }
}
