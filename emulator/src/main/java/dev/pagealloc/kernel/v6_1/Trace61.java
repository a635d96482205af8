package dev.pagealloc.kernel.v6_1;

import dev.pagealloc.trace.TraceFormat;
import dev.pagealloc.trace.TraceText;

/**
 * 6.1's trace text: {@code print_func_help_header_irq()} (kernel/trace/trace.c) without the
 * entries/#P lines, {@code trace_print_context()} with the five irq/preempt flag columns
 * ({@code "%16s-%-7d [%03d] ..... %5lu.%06lu: "}, trace_output.c), {@code mm_page_free} and
 * {@code mm_page_alloc} with {@code pfn=0x%lx} (include/trace/events/kmem.h:152 and :198). A failed
 * allocation prints a NULL page as {@code 0000000000000000} and pfn 0; pages are 64-byte
 * {@code struct page}s in the x86_64 vmemmap, printed unhashed.
 */
final class Trace61 implements TraceFormat {
    static final Trace61 INSTANCE = new Trace61();

    private Trace61() {}

    @Override
    public String header() {
        return "# tracer: nop\n#\n"
                + "#                                _-----=> irqs-off/BH-disabled\n"
                + "#                               / _----=> need-resched\n"
                + "#                              | / _---=> hardirq/softirq\n"
                + "#                              || / _--=> preempt-depth\n"
                + "#                              ||| / _-=> migrate-disable\n"
                + "#                              |||| /     delay\n"
                + "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
                + "#              | |         |   |||||     |         |\n";
    }

    @Override
    public void context(StringBuilder sb, String comm, int pid, int cpu, long timeNs) {
        TraceText.taskPidCpu(sb, comm, pid, 7, cpu);
        sb.append("..... ");
        TraceText.time(sb, timeNs);
    }

    @Override
    public void mmPageAlloc(StringBuilder sb, long pfn, int order, int migratetype, CharSequence gfpFlags) {
        sb.append("mm_page_alloc: ");
        page(sb, pfn);
        sb.append(" order=").append(order).append(" migratetype=").append(migratetype).append(" gfp_flags=")
                .append(gfpFlags);
    }

    @Override
    public void mmPageFree(StringBuilder sb, long pfn, int order) {
        sb.append("mm_page_free: ");
        page(sb, pfn);
        sb.append(" order=").append(order);
    }

    private static void page(StringBuilder sb, long pfn) {
        sb.append("page=");
        if (pfn == -1) {
            sb.append("0000000000000000 pfn=0x0");
            return;
        }
        TraceText.vmemmapPage(sb, pfn, 64);
        sb.append(" pfn=0x").append(Long.toHexString(pfn));
    }
}
