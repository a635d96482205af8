package dev.pagealloc.harness.bench;

import dev.pagealloc.workloads.event.EventSink;
import dev.pagealloc.workloads.event.EventSource;
import dev.pagealloc.workloads.trace.TraceOptions;
import dev.pagealloc.workloads.trace.TraceReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reading a recorded kmem trace: 1,000,000 lines of 6.1-style ftrace text
 * (kernel/trace/trace_output.c framing with the irq/preempt flag column, include/trace/events/kmem.h
 * {@code mm_page_alloc} / {@code mm_page_free} with hex pfns), held in memory, parsed into a sink
 * that only counts. The score is nanoseconds per line; lines/s = 1e9 / score.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class TraceParseBench {
    static final int LINES = 1_000_000;

    private static final String[] COMMS = {"kworker/u16:3", "<...>", "Web Content", "systemd-journal", "ksoftirqd/2",
        "<idle>", "kswapd0", "irq/35-iwlwifi", "postgres", "java"};
    private static final String[] FLAGS = {".....", "d..1.", "..s1.", "d.h2.", "...1."};
    private static final String[] GFP = {"GFP_KERNEL", "GFP_HIGHUSER_MOVABLE|__GFP_ZERO", "GFP_ATOMIC|__GFP_NOWARN|__GFP_COMP",
        "GFP_NOWAIT|__GFP_NOWARN", "GFP_KERNEL_ACCOUNT|__GFP_ZERO", "GFP_HIGHUSER_MOVABLE", "GFP_KERNEL|__GFP_COMP|__GFP_ZERO"};

    byte[] trace;

    @Setup(Level.Trial)
    public void generate() {
        trace = ftrace61(LINES, 42);
    }

    /** {@code lines} lines, half allocations and half frees of live blocks, seeded. */
    static byte[] ftrace61(int lines, long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines * 150);
        StringBuilder sb = new StringBuilder(200);
        ArrayDeque<long[]> live = new ArrayDeque<>();
        long usecs = 3_600_000_000L;
        for (int i = 0; i < lines; i++) {
            int c = r.nextInt(COMMS.length);
            int pid = COMMS[c].equals("<idle>") ? 0 : 100 + c * 977 + r.nextInt(3);
            int cpu = r.nextInt(8);
            usecs += 1 + r.nextInt(20);
            sb.setLength(0);
            sb.append(String.format(Locale.ROOT, "%16s-%-7d [%03d] %s %5d.%06d: ", COMMS[c], pid, cpu,
                    FLAGS[r.nextInt(FLAGS.length)], usecs / 1_000_000, usecs % 1_000_000));
            boolean alloc = live.isEmpty() || (live.size() < 4096 && r.nextBoolean());
            if (alloc) {
                int order = r.nextInt(10) < 8 ? 0 : r.nextInt(4);
                long pfn = (0x100000L + r.nextInt(0x300000)) & ~((1L << order) - 1);
                live.add(new long[] {pfn, order});
                sb.append(String.format(Locale.ROOT,
                        "mm_page_alloc: page=%016x pfn=0x%x order=%d migratetype=%d gfp_flags=%s",
                        r.nextLong(), pfn, order, r.nextInt(3), GFP[r.nextInt(GFP.length)]));
            } else {
                long[] b = live.poll();
                sb.append(String.format(Locale.ROOT, "mm_page_free: page=%016x pfn=0x%x order=%d", r.nextLong(), b[0], b[1]));
            }
            sb.append('\n');
            out.writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long parse_1m_ftrace_61_lines() {
        CountingSink sink = new CountingSink();
        try (EventSource src = TraceReader.open("bench", new ByteArrayInputStream(trace), TraceOptions.DEFAULT)) {
            while (src.advance(sink)) {
                // counted by the sink
            }
        }
        if (sink.allocs + sink.frees != LINES) {
            throw new IllegalStateException("parsed " + (sink.allocs + sink.frees) + " events of " + LINES + " lines");
        }
        return sink.checksum;
    }

    /** Counts events; the checksum keeps the parse from being optimised away. */
    static final class CountingSink implements EventSink {
        long allocs;
        long frees;
        long checksum;

        @Override
        public void symbol(int sym, String text) {
            checksum += text.length();
        }

        @Override
        public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
            allocs++;
            checksum += id + timeNs + cpu + order + gfpSym + pid;
            return true;
        }

        @Override
        public void free(long timeNs, int cpu, long id, int order) {
            frees++;
            checksum += id + timeNs + cpu + order;
        }

        @Override
        public void processStart(long timeNs, int pid, int commSym, int oomAdj) {}

        @Override
        public void processExit(long timeNs, int pid) {}

        @Override
        public void anonFault(long timeNs, int cpu, int pid, long pages) {}

        @Override
        public void fileRead(long timeNs, int cpu, long pages, boolean dirty) {}

        @Override
        public void bdevRead(long timeNs, int cpu, long pages, boolean dirty) {}

        @Override
        public void fileDrop(long timeNs, long pages) {}

        @Override
        public void marker(long timeNs, int kind, int nameSym) {}
    }
}
