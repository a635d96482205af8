package dev.pagealloc.workloads.replay;

import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.workloads.event.EventSource;
import dev.pagealloc.workloads.event.SourceStats;
import dev.pagealloc.workloads.gen.GenContext;
import dev.pagealloc.workloads.gen.GenJob;

/**
 * One replay: boot the machine, pump the workload's events into a {@link Replayer}, collect the
 * summary. A generator job brings its own engine settings ({@code [global]} seed, swap, kswapd
 * interval, snapshot interval); those given on the command line win.
 */
public final class ReplayRun {
    private ReplayRun() {}

    /**
     * The outcome of a replay. {@code wallNanos} is the only wall-clock figure: outputs that must
     * compare byte for byte leave it out.
     */
    public record Result(ReplayInput input, String machine, String kernel, int cpus, long seed, ReplaySummary summary,
            SourceStats source, long events, long wallNanos) {}

    /** Progress reporting: called with (position, size) every 2^16 events and at the end; may be null. */
    public interface Progress {
        void at(long position, long size);
    }

    /**
     * Replays {@code input} (not a phase job) on a fresh boot of {@code layout} with {@code kernel}.
     * {@code cli} holds the command line's settings; its zero fields take the job's values.
     */
    public static Result run(ReplayInput input, MachineLayout layout, Kernel kernel, Replayer.Options cli,
            Progress progress) {
        if (input instanceof ReplayInput.PhaseJob) {
            throw new IllegalArgumentException(input.name() + " is a [[phase]] job: run it with JobRunner");
        }
        long t0 = System.nanoTime();
        try (Machine m = kernel.boot(layout)) {
            Replayer.Options o = cli;
            long seed = 0;
            if (input instanceof ReplayInput.GeneratorJob g) {
                GenJob j = g.job();
                seed = j.seed();
                o = new Replayer.Options(
                        cli.kswapdIntervalNs() > 0 ? cli.kswapdIntervalNs() : j.kswapdIntervalNs(),
                        cli.sampleIntervalNs() > 0 ? cli.sampleIntervalNs() : Math.max(1_000_000L, j.durationNs() / 500),
                        cli.snapshotEveryNs() > 0 ? cli.snapshotEveryNs() : j.snapshotEveryNs(),
                        cli.keepReports(), cli.speed(),
                        cli.swapPages() > 0 ? cli.swapPages() : j.swapMb() * (1L << 20) / 4096, cli.cpuMap());
            }
            if (o.kswapdIntervalNs() <= 0) {
                o = new Replayer.Options(1_000_000L, o.sampleIntervalNs(), o.snapshotEveryNs(), o.keepReports(),
                        o.speed(), o.swapPages(), o.cpuMap());
            }
            Replayer r = new Replayer(m, o);
            long events = 0;
            SourceStats stats;
            try (EventSource src = open(input, m, r)) {
                while (src.advance(r)) {
                    if ((++events & 0xffff) == 0 && progress != null) {
                        progress.at(src.position(), src.size());
                    }
                }
                if (progress != null) {
                    progress.at(src.position(), src.size());
                }
                stats = src.stats();
            }
            ReplaySummary s = r.finish();
            return new Result(input, layout.name(), kernel.name(), m.cpus(), seed, s, stats, events,
                    System.nanoTime() - t0);
        }
    }

    private static EventSource open(ReplayInput input, Machine m, Replayer r) {
        return switch (input) {
            case ReplayInput.GeneratorJob g -> {
                long present = 0;
                for (Zone z : m.populatedZones()) {
                    present += z.presentPages;
                }
                yield g.job().open(new GenContext(m.layout.arch(), m.kernel, present, m.cpus(), r::filePages));
            }
            case ReplayInput.Recorded rec -> rec.open();
            case ReplayInput.PhaseJob p -> throw new IllegalStateException();
        };
    }

}
