package dev.pagealloc.harness.bench;

import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.gfp.AllocFlags;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.watermark.WatermarkCheck;
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
 * The allocator's hot paths on the booted {@code x86_64-4g} preset (4 GiB, 2 CPUs), for each kernel:
 * an order-0 alloc/free pair, which after the first refill stays on CPU 0's per-CPU list; an
 * order-3 pair, which splits and merges in the buddy lists (2.6.32) or goes through the order-3
 * per-CPU list (6.1, which keeps orders 0-3 there); and one {@code zone_watermark_ok()} (6.1's
 * {@code __zone_watermark_ok()}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class AllocatorBench {
    /** The kernel, by registry name: the benchmark runs once per kernel (BenchCommand lists them all). */
    @Param({"2.6.32", "6.1"})
    public String kernel;

    private Machine machine;
    private PageAllocator allocator;
    private WatermarkCheck watermarkCheck;
    private Zone normal;
    private int gfpKernel;

    @Setup(Level.Trial)
    public void boot() {
        machine = Kernels.byName(kernel).boot(Machines.preset("x86_64-4g"));
        allocator = machine.allocator;
        watermarkCheck = machine.kernel.watermarkCheck();
        gfpKernel = machine.kernel.gfp().mask("GFP_KERNEL");
        normal = machine.zone("Normal");
        for (int order : new int[] {0, 3}) {
            long pfn = allocator.allocPages(gfpKernel, order, 0);
            if (pfn < 0) {
                throw new IllegalStateException("order-" + order + " GFP_KERNEL failed on a fresh machine: "
                        + allocator.lastFailure());
            }
            allocator.freePages(pfn, order, 0);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        machine.close();
    }

    @Benchmark
    public long alloc_free_order0_pcp() {
        long pfn = allocator.allocPages(gfpKernel, 0, 0);
        allocator.freePages(pfn, 0, 0);
        return pfn;
    }

    @Benchmark
    public long alloc_free_order3_buddy() {
        long pfn = allocator.allocPages(gfpKernel, 3, 0);
        allocator.freePages(pfn, 3, 0);
        return pfn;
    }

    @Benchmark
    public boolean watermark_check() {
        return watermarkCheck.zoneWatermarkOk(
                normal, 4, normal.lowWmark(), normal.idx, AllocFlags.ALLOC_WMARK_LOW, null);
    }
}
