package dev.pagealloc.harness;

import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.profile.KernelProfile;
import dev.pagealloc.workloads.Job;
import dev.pagealloc.workloads.JobRunner;
import dev.pagealloc.workloads.Machines;
import dev.pagealloc.workloads.ReplayResult;
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
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code pagealloc replay JOB}: run a generated workload on an emulated machine with reclaim (DESIGN §6). */
@Command(
        name = "replay",
        description = {
            "Run a job (page cache, anonymous memory, kernel requests) on an emulated machine with kswapd,",
            "direct reclaim and the OOM killer; print attempts and failures per gfp mask and order, the reclaim",
            "counters and the first failure report of each mask. A failed allocation is a result: exit status 0."
        },
        mixinStandardHelpOptions = true)
public final class ReplayCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "A job TOML file, or a bundled job (${COMPLETION-CANDIDATES}).",
            completionCandidates = Jobs.class)
    String job;

    @Option(names = "--machine", paramLabel = "NAME|FILE", defaultValue = "seed-4g",
            description = "A preset (${COMPLETION-CANDIDATES}) or a machine TOML file (default ${DEFAULT-VALUE}).",
            completionCandidates = ShowCommand.Presets.class)
    String machine;

    @Option(names = "--kernel", paramLabel = "VERSION", defaultValue = "2.6.32", description = "Kernel profile (default ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--cpus", paramLabel = "N", description = "Number of CPUs (default: the machine's).")
    Integer cpus;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    static final class Jobs implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Job.BUNDLED.iterator();
        }
    }

    @Override
    public Integer call() {
        ShowCommand.checkCpus(cpus);
        KernelProfile profile = KernelProfile.byName(kernel);
        Job j = Job.resolve(job);
        MachineLayout l = Machines.resolve(machine);
        if (cpus != null) {
            l = l.withCpus(cpus);
        }
        ReplayResult r = JobRunner.run(j, l, profile);
        String out = json ? json(r) : text(r, j.description());
        var w = spec.commandLine().getOut();
        w.print(out); // built whole first: nothing half-written on error
        w.flush();
        return 0;
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
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(root) + "\n";
    }

    private static Map<String, Object> count(int order, String gfp, long n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("order", order);
        m.put("gfp", gfp);
        m.put("count", n);
        return m;
    }
}
