package dev.pagealloc.harness.bench;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.workloads.Machines;
import dev.pagealloc.workloads.pgw.PgwReader;
import dev.pagealloc.workloads.pgw.PgwSample;
import dev.pagealloc.workloads.pgw.PgwWriter;
import dev.pagealloc.workloads.replay.ReplaySummary;
import dev.pagealloc.workloads.replay.Replayer;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Replaying a 1M-event {@code .pgw} file held in memory ({@link PgwSample}: a kmem-trace-like
 * stream of order-0 to order-3 allocations and frees with about 16k pages live, gfp masks written
 * in 6.1 spelling) on a freshly booted 4 GiB x86_64 machine as 2.6.32: decoding, the pfn identity
 * map, {@code __alloc_pages_nodemask()} and {@code __free_pages()} through the per-CPU and buddy
 * lists, kswapd's turn every emulated millisecond. The score is nanoseconds per event: 1e9 / score
 * is events per second (issue 5's target: at least 10M events/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ReplayBench {
    /** The kernel, by registry name: the benchmark runs once per kernel (BenchCommand lists them all). */
    @Param({"2.6.32", "6.1"})
    public String kernel;

    static final int EVENTS = 1_000_000;

    byte[] pgw;
    Machine machine;

    @Setup(Level.Trial)
    public void build() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PgwWriter w = new PgwWriter(bytes, "PgwSample(1)", () -> "6.1", List.of())) {
            PgwSample.generate(1, EVENTS, w);
        }
        pgw = bytes.toByteArray();
    }

    /** A fresh machine per replay: held pages and kswapd state must not carry over. */
    @Setup(Level.Invocation)
    public void boot() {
        machine = Kernels.byName(kernel).boot(Machines.synthesize("bench-4g", Arch.X86_64, 4L << 30, 4));
    }

    @TearDown(Level.Invocation)
    public void shutdown() {
        machine.close();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long replay_1m_pgw_events() {
        Replayer r = new Replayer(machine, Replayer.Options.defaults());
        try (PgwReader in = PgwReader.of(pgw, "bench.pgw")) {
            while (in.advance(r)) {
                // every event goes into the allocator
            }
        }
        ReplaySummary s = r.finish();
        return s.allocs() + s.frees();
    }
}
