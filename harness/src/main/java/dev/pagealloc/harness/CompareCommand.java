package dev.pagealloc.harness;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.MachineLayout;
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
 * {@code pagealloc compare WORKLOAD... --machines A,B,... [--kernel K1,K2,...]}: workloads replayed
 * with their own seeds on each machine with each kernel (DESIGN §1 job 3, §6), side by
 * side in the layout of mmtests' compare-kernels: one row per metric, one column per (workload,
 * kernel, machine), workloads outermost and machines innermost. Each column's run is exactly the
 * run {@code pagealloc replay WORKLOAD --machine M --kernel K} makes with the same options, so the
 * numbers are those of the single replays.
 */
@Command(
        name = "compare",
        description = {
            "Replay workloads (kmem traces, .pgw files or generator jobs) with their",
            "seeds on several machines and kernels and print them side by side, in the",
            "style of mmtests compare-kernels: failures per order and gfp and the first",
            "one's time; per zone the lowest free pages and the time below the low and",
            "min watermarks; lowmem and HighMem peak use; kswapd and direct reclaim;",
            "OOM kills. --out also writes the JSON, SVG/PNG charts and a README.md."
        },
        mixinStandardHelpOptions = true)
public final class CompareCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "WORKLOAD", arity = "1..*",
            description = "Trace files, .pgw files, job TOML files or bundled jobs, in column order.",
            completionCandidates = ReplayCommand.Jobs.class)
    List<String> workloads = new ArrayList<>();

    @Option(names = "--machines", paramLabel = "MACHINE", required = true, split = ",",
            description = "Machines to compare, comma-separated, in column order: presets (${COMPLETION-CANDIDATES}) or TOML files.",
            completionCandidates = ShowCommand.Presets.class)
    List<String> machines = new ArrayList<>();

    /** No picocli default: a list option's default would be appended to, not replaced; see {@link #kernelNames}. */
    @Option(names = "--kernel", paramLabel = "VERSION", split = ",",
            description = "Kernels, comma-separated, in column order (default " + DEFAULT_KERNEL + ").")
    List<String> kernels = new ArrayList<>();

    @Option(names = "--cpus", paramLabel = "N", description = "Number of CPUs on every machine (default: each machine's).")
    Integer cpus;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a job value in every workload: SECTION.KEY=VALUE, or KEY=VALUE for [global] "
                    + "(e.g. --set nic.mtu=1500).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--kswapd-interval", paramLabel = "US",
            description = "kswapd runs at most once per US of emulated time (default: the job's, else 1000).")
    Long kswapdIntervalUs;

    @Option(names = "--lenient", description = "Skip and count malformed trace lines instead of stopping.")
    boolean lenient;

    @Option(names = "--trace-kernel", paramLabel = "VERSION",
            description = "The kernel release the trace was recorded on (default: detected from the lines).")
    String traceKernel;

    @Option(names = "--json", description = "Print {\"machines\": [{\"machine\", \"label\", \"kernel\", \"input\", \"summary\"}, ...]}, "
            + "each summary as replay --json gives it.")
    boolean json;

    /** A string, not a Path: README.md repeats it exactly as typed. */
    @Option(names = "--out", paramLabel = "DIR",
            description = "Write compare.txt, compare.json, SVG/PNG charts (free pages per zone, lowmem, failures, "
                    + "per-order heatmaps) and a README.md holding the command that regenerates them into DIR.")
    String out;

    /**
     * Set by {@link ResultsCommand}: the {@code --out} README.md names instead of the one given,
     * so a report regenerated into a scratch folder still says {@code --out results/compare/NAME}.
     */
    String readmeOut;

    /** The columns' runs of the last {@link #call()}, for {@link ResultsCommand}'s index. */
    List<CompareOutput.Run> lastRuns = List.of();

    /** replay's default {@code --kernel}. */
    static final String DEFAULT_KERNEL = "2.6.32";

    /** replay's default {@code --failures}: the same engine options as a plain replay. */
    private static final int KEEP_REPORTS = 3;

    @Override
    public Integer call() {
        ShowCommand.checkCpus(cpus);
        if (kswapdIntervalUs != null && kswapdIntervalUs <= 0) {
            throw new IllegalArgumentException("--kswapd-interval " + kswapdIntervalUs + ": expected microseconds > 0");
        }
        // every kernel, machine and workload resolved before anything runs: a bad name costs nothing
        List<Kernel> profiles = profiles();
        if (traceKernel != null) {
            GfpBits.forKernel(traceKernel); // validates the release
        }
        List<MachineLayout> layouts = layouts();
        List<ReplayInput> inputs = inputs();
        List<CompareOutput.Column> columns = CompareOutput.columns(inputs, profiles, layouts);
        List<CompareOutput.Run> runs = new ArrayList<>();
        for (CompareOutput.Column c : columns) {
            runs.add(new CompareOutput.Run(c, run(c)));
        }
        lastRuns = List.copyOf(runs);
        String text = json ? ReplayOutput.toJson(CompareOutput.json(runs)) : CompareOutput.text(runs);
        if (out != null) {
            List<Path> files = CompareOutput.writeOut(Path.of(out), runs, command());
            spec.commandLine().getErr().println("compare: wrote " + files.size() + " files to " + out);
        }
        var w = spec.commandLine().getOut();
        w.print(text); // built whole first: nothing half-written on error
        w.flush();
        return 0;
    }

    /** The {@code --kernel} names as given, stripped; {@link #DEFAULT_KERNEL} when none was. */
    private List<String> kernelNames() {
        List<String> names = new ArrayList<>();
        for (String k : kernels) {
            names.add(k.strip());
        }
        return names.isEmpty() ? List.of(DEFAULT_KERNEL) : names;
    }

    /** The {@code --kernel} profiles in column order; an empty or repeated name is an error. */
    private List<Kernel> profiles() {
        Set<String> seen = new LinkedHashSet<>();
        List<Kernel> profiles = new ArrayList<>();
        for (String name : kernelNames()) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("--kernel " + String.join(",", kernels)
                        + ": empty kernel name (expected K1,K2,... e.g. 2.6.32,6.1)");
            }
            Kernel p = Kernels.byName(name);
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("--kernel: kernel '" + p.name() + "' given twice");
            }
            profiles.add(p);
        }
        return profiles;
    }

    /**
     * The {@code --machines} layouts in column order, each resolved as replay resolves
     * {@code --machine} (a machine file's per-CPU reservations follow {@code --cpus}); an empty or
     * repeated name is an error.
     */
    private List<MachineLayout> layouts() {
        Set<String> seen = new LinkedHashSet<>();
        List<MachineLayout> layouts = new ArrayList<>();
        for (String name : machineNames()) {
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
        return layouts;
    }

    /** The {@code --machines} names as given, stripped. */
    private List<String> machineNames() {
        List<String> names = new ArrayList<>();
        for (String m : machines) {
            names.add(m.strip());
        }
        return names;
    }

    /**
     * The workloads in column order, each resolved as replay resolves its WORKLOAD (with every
     * {@code --set}); a repeated one or a {@code [[phase]]} job is an error.
     */
    private List<ReplayInput> inputs() {
        Set<String> seen = new LinkedHashSet<>();
        List<ReplayInput> inputs = new ArrayList<>();
        for (String w : workloads) {
            if (!seen.add(w)) {
                // the columns are a product: a repeated workload would repeat every (kernel, machine) column
                throw new IllegalArgumentException("workload '" + w + "' given twice");
            }
            ReplayInput input = ReplayInput.resolve(w, overrides, new TraceOptions(lenient, traceKernel));
            if (input instanceof ReplayInput.PhaseJob) {
                throw new IllegalArgumentException(w + " is a [[phase]] job: compare needs a trace, .pgw or "
                        + "generator job");
            }
            inputs.add(input);
        }
        return inputs;
    }

    /**
     * One column's replay, with the engine options {@code replay} builds from the same command
     * line (no snapshots, no pacing, no CPU map, its default number of kept reports).
     */
    private ReplayRun.Result run(CompareOutput.Column c) {
        Replayer.Options o = new Replayer.Options(kswapdIntervalUs == null ? 0 : kswapdIntervalUs * 1000, 0, 0,
                KEEP_REPORTS, 0, 0, null);
        long total = switch (c.input()) {
            case ReplayInput.GeneratorJob g -> g.job().durationNs(); // generators report emulated ns
            case ReplayInput.Recorded rec -> rec.file().toFile().length(); // readers report bytes
            default -> -1;
        };
        try (Progress bar = Progress.start(c.label(), total)) {
            return ReplayRun.run(c.input(), c.layout(), c.kernel(), o, (pos, size) -> bar.stepTo(pos));
        }
    }

    /**
     * The canonical command that regenerates {@code --out}: the workloads, machines and kernels as
     * given, the options that change the runs (only those given, but {@code --kernel} always, so the
     * command does not depend on a default), and {@code --out} as typed. {@code --json} is left
     * out: it changes what is printed, not the files.
     */
    String command() {
        List<String> words = new ArrayList<>(List.of("./pagealloc", "compare"));
        words.addAll(workloads);
        words.add("--machines");
        words.add(String.join(",", machineNames()));
        words.add("--kernel");
        words.add(String.join(",", kernelNames()));
        if (cpus != null) {
            words.add("--cpus");
            words.add(cpus.toString());
        }
        for (String s : overrides) {
            words.add("--set");
            words.add(s);
        }
        if (kswapdIntervalUs != null) {
            words.add("--kswapd-interval");
            words.add(kswapdIntervalUs.toString());
        }
        if (lenient) {
            words.add("--lenient");
        }
        if (traceKernel != null) {
            words.add("--trace-kernel");
            words.add(traceKernel);
        }
        if (out != null) {
            words.add("--out");
            words.add(readmeOut != null ? readmeOut : out);
        }
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            sb.append(sb.isEmpty() ? "" : " ").append(shellWord(w));
        }
        return sb.toString();
    }

    /** {@code w} as one sh word: as is when it holds only safe characters, else single-quoted. */
    static String shellWord(String w) {
        if (!w.isEmpty() && w.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return w;
        }
        return "'" + w.replace("'", "'\\''") + "'";
    }
}
