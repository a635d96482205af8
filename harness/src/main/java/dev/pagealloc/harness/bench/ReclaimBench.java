package dev.pagealloc.harness.bench;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.vmscan.PageUse;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.workloads.Machines;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reclaiming 1M pages of clean page cache (4 GiB) on an 8 GiB x86_64 machine: shrink_zone over
 * the LRU lists from DEF_PRIORITY down, every page back through the per-CPU free path. The fill
 * is set-up, not measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ReclaimBench {
    /** The kernel, by registry name: the benchmark runs once per kernel (BenchCommand lists them all). */
    @Param({"2.6.32", "6.1"})
    public String kernel;

    static final long PAGES = 1L << 20;
    private Machine machine;
    private Vmscan vmscan;

    @Setup(Level.Invocation)
    public void fill() {
        machine = Kernels.byName(kernel).boot(Machines.synthesize("reclaim", Arch.X86_64, 8L << 30, 1));
        vmscan = machine.kernel.newVmscan(machine.allocator);
        int gfp = machine.kernel.gfp().mask("GFP_HIGHUSER_MOVABLE");
        for (long i = 0; i < PAGES + 4096; i++) {
            if (vmscan.allocUserPage(gfp, 0, PageUse.FILE, 0, false) < 0) {
                throw new IllegalStateException("fill failed at " + i);
            }
        }
    }

    @TearDown(Level.Invocation)
    public void close() {
        machine.close();
    }

    @Benchmark
    public long reclaim_1m_pages() {
        long n = vmscan.reclaimPages(PAGES);
        if (n < PAGES) {
            throw new IllegalStateException("reclaimed only " + n);
        }
        return n;
    }
}
