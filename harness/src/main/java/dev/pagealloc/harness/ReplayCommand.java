package dev.pagealloc.harness;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.workloads.JobRunner;
import dev.pagealloc.workloads.Machines;
import dev.pagealloc.workloads.ReplayResult;
import dev.pagealloc.workloads.replay.ReplayInput;
import dev.pagealloc.workloads.replay.ReplayRun;
import dev.pagealloc.workloads.replay.Replayer;
import dev.pagealloc.workloads.trace.TraceOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pagealloc replay WORKLOAD}: replay a recorded trace, a {@code .pgw} file or a generator job
 * on an emulated machine (DESIGN §6); {@code [[phase]]} jobs run through {@link JobRunner}.
 */
@Command(
        name = "replay",
        description = {
            "Replay a workload on an emulated machine with kswapd, direct reclaim and the OOM killer: a kmem trace",
            "(ftrace trace/trace_pipe, trace-cmd report or perf script text, of any kernel era), a .pgw file, or a",
            "job (bundled: ${COMPLETION-CANDIDATES}; or a TOML file). Prints allocations, failures per order and",
            "gfp, reclaim and OOM counts, and the kernel's failure reports. A failed allocation is a result: exit 0."
        },
        mixinStandardHelpOptions = true)
public final class ReplayCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "WORKLOAD", description = "A trace file, a .pgw file, a job TOML file, or a bundled job.",
            completionCandidates = Jobs.class)
    String workload;

    @Option(names = "--machine", paramLabel = "NAME|FILE", defaultValue = "seed-4g",
            description = "A preset (${COMPLETION-CANDIDATES}) or a machine TOML file (default ${DEFAULT-VALUE}).",
            completionCandidates = ShowCommand.Presets.class)
    String machine;

    @Option(names = "--kernel", paramLabel = "VERSION", defaultValue = "2.6.32", description = "Kernel profile (default ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--cpus", paramLabel = "N", description = "Number of CPUs (default: the machine's).")
    Integer cpus;

    @Option(names = "--json", description = "Print the result as JSON (no wall-clock figures: two runs compare byte for byte).")
    boolean json;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a job value: SECTION.KEY=VALUE, or KEY=VALUE for [global] (e.g. --set nic.mtu=1500).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--failures", paramLabel = "N", defaultValue = "3",
            description = "Print the first N failure reports (default ${DEFAULT-VALUE}).")
    int failures;

    @Option(names = "--speed", paramLabel = "N", defaultValue = "0",
            description = "Pace emulated time at N times wall-clock time (default: as fast as possible).")
    double speed;

    @Option(names = "--cpu-map", paramLabel = "FROM=TO,...", description = "Remap recorded CPUs (default: cpu %% ncpus).")
    String cpuMap;

    @Option(names = "--snapshot-every", paramLabel = "MS", description = "Take /proc snapshots every MS of emulated time.")
    Long snapshotEveryMs;

    @Option(names = "--kswapd-interval", paramLabel = "US",
            description = "kswapd runs at most once per US of emulated time (default: the job's, else 1000).")
    Long kswapdIntervalUs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write summary.txt, result.json, timeseries.csv and SVG/PNG charts into DIR.")
    Path out;

    @Option(names = "--lenient", description = "Skip and count malformed trace lines instead of stopping.")
    boolean lenient;

    @Option(names = "--trace-kernel", paramLabel = "VERSION",
            description = "The kernel release the trace was recorded on (default: detected from the lines).")
    String traceKernel;

    static final class Jobs implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ReplayInput.bundled().iterator();
        }
    }

    @Override
    public Integer call() {
        ShowCommand.checkCpus(cpus);
        if (failures < 0) {
            throw new IllegalArgumentException("--failures " + failures + ": expected a count >= 0");
        }
        if (speed < 0 || Double.isNaN(speed)) {
            throw new IllegalArgumentException("--speed " + speed + ": expected a factor > 0");
        }
        if (snapshotEveryMs != null && snapshotEveryMs <= 0) {
            throw new IllegalArgumentException("--snapshot-every " + snapshotEveryMs + ": expected milliseconds > 0");
        }
        if (kswapdIntervalUs != null && kswapdIntervalUs <= 0) {
            throw new IllegalArgumentException("--kswapd-interval " + kswapdIntervalUs + ": expected microseconds > 0");
        }
        Kernel profile = Kernels.byName(kernel);
        if (traceKernel != null) {
            GfpBits.forKernel(traceKernel); // validates the release
        }
        int[] map = parseCpuMap(cpuMap);
        ReplayInput input = ReplayInput.resolve(workload, overrides, new TraceOptions(lenient, traceKernel));
        // a machine file's per-CPU reservations follow --cpus (Machines.resolve(name, cpus))
        MachineLayout l = Machines.resolve(machine, cpus);
        if (cpus != null) {
            l = l.withCpus(cpus);
        }
        if (input instanceof ReplayInput.PhaseJob p) {
            if (out != null) {
                throw new IllegalArgumentException("--out: " + workload + " is a [[phase]] job; --out needs a trace, "
                        + ".pgw or generator job");
            }
            ReplayResult r = JobRunner.run(p.job(), l, profile);
            print(json ? json(r) : text(r, p.job().description()));
            return 0;
        }
        Replayer.Options o = new Replayer.Options(kswapdIntervalUs == null ? 0 : kswapdIntervalUs * 1000, 0,
                snapshotEveryMs == null ? 0 : snapshotEveryMs * 1_000_000, Math.max(failures, 1), speed, 0, map);
        ReplayRun.Result r;
        long total = switch (input) {
            case ReplayInput.GeneratorJob g -> g.job().durationNs(); // generators report emulated ns
            case ReplayInput.Recorded rec -> rec.file().toFile().length(); // readers report bytes
            default -> -1;
        };
        try (Progress bar = Progress.start("replay", total)) {
            r = ReplayRun.run(input, l, profile, o, (pos, size) -> bar.stepTo(pos));
        }
        String description = input instanceof ReplayInput.GeneratorJob g ? g.job().description() : "";
        String text = json ? ReplayOutput.toJson(ReplayOutput.json(r, failures))
                : ReplayOutput.text(r, description, failures, false);
        if (out != null) {
            List<Path> files = ReplayOutput.writeOut(out, r, description, failures);
            spec.commandLine().getErr().println("replay: wrote " + files.size() + " files to " + out);
        }
        print(text);
        return 0;
    }

    private void print(String s) {
        var w = spec.commandLine().getOut();
        w.print(s); // built whole first: nothing half-written on error
        w.flush();
    }

    /** {@code --cpu-map 0=1,3=0}: recorded CPU to emulated CPU. */
    static int[] parseCpuMap(String spec) {
        if (spec == null) {
            return null;
        }
        int[] map = new int[0];
        for (String pair : spec.split(",", -1)) {
            String[] kv = pair.strip().split("=", -1);
            try {
                if (kv.length != 2) {
                    throw new NumberFormatException();
                }
                int from = Integer.parseInt(kv[0].strip());
                int to = Integer.parseInt(kv[1].strip());
                if (from < 0 || to < 0 || from > 65535) {
                    throw new NumberFormatException();
                }
                if (from >= map.length) {
                    int old = map.length;
                    map = java.util.Arrays.copyOf(map, from + 1);
                    java.util.Arrays.fill(map, old, map.length, -1);
                }
                map[from] = to;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cpu-map " + spec + ": bad pair '" + pair
                        + "' (expected FROM=TO with CPU numbers, e.g. 0=1,1=0)");
            }
        }
        return map;
    }

    static String text(ReplayResult r, String description) {
        StringBuilder sb = new StringBuilder();
        sb.append("replay ").append(r.job()).append(" on ").append(r.machine()).append(" (Linux ").append(r.kernel())
                .append(", ").append(r.cpus()).append(r.cpus() == 1 ? " CPU)\n" : " CPUs)\n");
        if (!description.isEmpty()) {
            sb.append("  ").append(description).append('\n');
        }
        sb.append(String.format("%d allocation events, %d ticks of emulated time%n%n", r.events(), r.ticks()));
        int w = "gfp".length();
        for (ReplayResult.Count c : r.counts()) {
            w = Math.max(w, c.gfp().length());
        }
        sb.append(String.format("%-" + w + "s  order  %10s  %10s%n", "gfp", "attempts", "failures"));
        for (ReplayResult.Count c : r.counts()) {
            sb.append(String.format("%-" + w + "s  %5d  %10d  %10d%n", c.gfp(), c.order(), c.attempts(), c.failures()));
        }
        sb.append('\n');
        sb.append(String.format("kswapd:  %d pages reclaimed, %d scanned%n", r.kswapdReclaimed(), r.pgscanKswapd()));
        sb.append(String.format("direct:  %d pages reclaimed, %d scanned, allocstall %d%n", r.directReclaimed(),
                r.pgscanDirect(), r.allocstall()));
        sb.append(String.format("swap:    %d pages out%n", r.pswpout()));
        sb.append(String.format("oom:     %d kills%n", r.oomKills()));
        for (String l : r.oomLog()) {
            sb.append("  ").append(l).append('\n');
        }
        sb.append(String.format("final:   %d free pages, %d page cache, %d anon%n", r.finalFree(), r.finalFile(),
                r.finalAnon()));
        for (ReplayResult.FailureText f : r.failureReports()) {
            sb.append(String.format("%nfirst failure of %s (order %d, event %d):%n", f.gfp(), f.order(), f.event()));
            sb.append(f.report());
            if (!f.report().endsWith("\n")) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    static String json(ReplayResult r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("job", r.job());
        root.put("machine", r.machine());
        root.put("kernel", r.kernel());
        root.put("cpus", r.cpus());
        root.put("events", r.events());
        root.put("ticks", r.ticks());
        Map<String, Object> summary = new LinkedHashMap<>();
        List<Object> failures = new ArrayList<>();
        List<Object> attempts = new ArrayList<>();
        for (ReplayResult.Count c : r.counts()) {
            failures.add(count(c.order(), c.gfp(), c.failures()));
            attempts.add(count(c.order(), c.gfp(), c.attempts()));
        }
        summary.put("failures", failures);
        summary.put("attempts", attempts);
        summary.put("oom_kills", r.oomKills());
        summary.put("kswapd_reclaimed", r.kswapdReclaimed());
        summary.put("direct_reclaimed", r.directReclaimed());
        summary.put("allocstall", r.allocstall());
        summary.put("pgscan_kswapd", r.pgscanKswapd());
        summary.put("pgscan_direct", r.pgscanDirect());
        summary.put("pswpout", r.pswpout());
        root.put("summary", summary);
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("free_pages", r.finalFree());
        fin.put("file_pages", r.finalFile());
        fin.put("anon_pages", r.finalAnon());
        root.put("final", fin);
        List<Object> reports = new ArrayList<>();
        for (ReplayResult.FailureText f : r.failureReports()) {
            Map<String, Object> fj = new LinkedHashMap<>();
            fj.put("gfp", f.gfp());
            fj.put("order", f.order());
            fj.put("event", f.event());
            fj.put("report", f.report());
            reports.add(fj);
        }
        root.put("failure_reports", reports);
        root.put("oom_log", r.oomLog());
        return Json.write(root) + "\n";
    }

    private static Map<String, Object> count(int order, String gfp, long n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("order", order);
        m.put("gfp", gfp);
        m.put("count", n);
        return m;
    }
}
