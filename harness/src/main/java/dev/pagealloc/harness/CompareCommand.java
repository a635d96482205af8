package dev.pagealloc.harness;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.profile.KernelProfile;
import dev.pagealloc.workloads.Machines;
import dev.pagealloc.workloads.replay.ReplayInput;
import dev.pagealloc.workloads.replay.ReplayRun;
import dev.pagealloc.workloads.replay.Replayer;
import dev.pagealloc.workloads.trace.TraceOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pagealloc compare WORKLOAD --machines A,B,...}: the same workload, seed and kernel profile
 * replayed on each machine (DESIGN §1 job 3, §6), side by side in the layout of mmtests'
 * compare-kernels: one row per metric, one column per machine. Each machine's run is exactly the
 * run {@code pagealloc replay WORKLOAD --machine M} makes with the same options, so the numbers
 * are those of the single replays.
 */
@Command(
        name = "compare",
        description = {
            "Replay one workload (a kmem trace, a .pgw file or a generator job) with",
            "the same seed on several machines and print them side by side, in the",
            "style of mmtests compare-kernels: failures per order and gfp and the first",
            "one's time; per zone the lowest free pages and the time below the low and",
            "min watermarks; lowmem and HighMem peak use; kswapd and direct reclaim;",
            "OOM kills. --out also writes the JSON and SVG/PNG charts."
        },
        mixinStandardHelpOptions = true)
public final class CompareCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "WORKLOAD", description = "A trace file, a .pgw file, a job TOML file, or a bundled job.",
            completionCandidates = ReplayCommand.Jobs.class)
    String workload;

    @Option(names = "--machines", paramLabel = "MACHINE", required = true, split = ",",
            description = "Machines to compare, comma-separated, in column order: presets (${COMPLETION-CANDIDATES}) or TOML files.",
            completionCandidates = ShowCommand.Presets.class)
    List<String> machines = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "VERSION", defaultValue = "2.6.32", description = "Kernel profile (default ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--cpus", paramLabel = "N", description = "Number of CPUs on every machine (default: each machine's).")
    Integer cpus;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a job value: SECTION.KEY=VALUE, or KEY=VALUE for [global] (e.g. --set nic.mtu=1500).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--kswapd-interval", paramLabel = "US",
            description = "kswapd runs at most once per US of emulated time (default: the job's, else 1000).")
    Long kswapdIntervalUs;

    @Option(names = "--lenient", description = "Skip and count malformed trace lines instead of stopping.")
    boolean lenient;

    @Option(names = "--trace-kernel", paramLabel = "VERSION",
            description = "The kernel release the trace was recorded on (default: detected from the lines).")
    String traceKernel;

    @Option(names = "--json", description = "Print {\"machines\": [{\"machine\", \"summary\"}, ...]}, each summary as replay --json gives it.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write compare.txt, compare.json and SVG/PNG charts (free pages per zone, lowmem, failures, "
                    + "per-order heatmaps) into DIR.")
    Path out;

    /** replay's default {@code --failures}: the same engine options as a plain replay. */
    private static final int KEEP_REPORTS = 3;

    @Override
    public Integer call() {
        ShowCommand.checkCpus(cpus);
        if (kswapdIntervalUs != null && kswapdIntervalUs <= 0) {
            throw new IllegalArgumentException("--kswapd-interval " + kswapdIntervalUs + ": expected microseconds > 0");
        }
        KernelProfile profile = KernelProfile.byName(kernel);
        if (traceKernel != null) {
            GfpBits.forKernel(traceKernel); // validates the release
        }
        // every machine resolved before anything runs: a bad name costs nothing
        Set<String> seen = new LinkedHashSet<>();
        List<MachineLayout> layouts = new ArrayList<>();
        for (String m : machines) {
            String name = m.strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("--machines " + String.join(",", machines)
                        + ": empty machine name (expected A,B,... e.g. i386-1g,i386-pae-4g,x86_64-4g)");
            }
            MachineLayout l = Machines.resolve(name, cpus);
            if (cpus != null) {
                l = l.withCpus(cpus);
            }
            if (!seen.add(l.name())) {
                throw new IllegalArgumentException("--machines: machine '" + l.name() + "' given twice");
            }
            layouts.add(l);
        }
        if (layouts.isEmpty()) {
            throw new IllegalArgumentException("--machines: expected at least one machine");
        }
        ReplayInput input = ReplayInput.resolve(workload, overrides, new TraceOptions(lenient, traceKernel));
        if (input instanceof ReplayInput.PhaseJob) {
            throw new IllegalArgumentException(workload + " is a [[phase]] job: compare needs a trace, .pgw or "
                    + "generator job");
        }
        Replayer.Options o = new Replayer.Options(kswapdIntervalUs == null ? 0 : kswapdIntervalUs * 1000, 0, 0,
                KEEP_REPORTS, 0, 0, null);
        long total = switch (input) {
            case ReplayInput.GeneratorJob g -> g.job().durationNs();
            case ReplayInput.Recorded rec -> rec.file().toFile().length();
            default -> -1;
        };
        List<CompareOutput.Run> runs = new ArrayList<>();
        for (MachineLayout l : layouts) {
            ReplayRun.Result r;
            try (Progress bar = Progress.start(l.name(), total)) {
                r = ReplayRun.run(input, l, profile, o, (pos, size) -> bar.stepTo(pos));
            }
            runs.add(new CompareOutput.Run(l, r));
        }
        String description = input instanceof ReplayInput.GeneratorJob g ? g.job().description() : "";
        String text = json ? ReplayOutput.toJson(CompareOutput.json(runs)) : CompareOutput.text(runs, description);
        if (out != null) {
            List<Path> files = CompareOutput.writeOut(out, runs, description);
            spec.commandLine().getErr().println("compare: wrote " + files.size() + " files to " + out);
        }
        var w = spec.commandLine().getOut();
        w.print(text);
        w.flush();
        return 0;
    }
}
