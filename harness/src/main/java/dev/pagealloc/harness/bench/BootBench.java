package dev.pagealloc.harness.bench;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.workloads.Machines;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The whole boot of the {@code x86_64-64g} preset (64 GiB, 2 CPUs), for each kernel: memmap, zones, freeing
 * every page to the buddy lists, watermarks, per-CPU pagesets. Each boot is closed again (the
 * memmap unmapped) inside the timed region, so one op is one boot plus its teardown.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class BootBench {
    /** The kernel, by registry name: the benchmark runs once per kernel (BenchCommand lists them all). */
    @Param({"2.6.32", "6.1"})
    public String kernel;

    private final MachineLayout layout = Machines.preset("x86_64-64g");

    @Benchmark
    public long boot_x86_64_64g() {
        try (Machine m = Kernels.byName(kernel).boot(layout)) {
            return m.totalreservePages();
        }
    }
}
