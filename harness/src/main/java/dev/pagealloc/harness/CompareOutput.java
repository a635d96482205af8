package dev.pagealloc.harness;

import dev.pagealloc.harness.charts.Charts;
import dev.pagealloc.harness.charts.Heatmap;
import dev.pagealloc.harness.charts.LineChart;
import dev.pagealloc.harness.charts.Series;
import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.mmzone.ZoneType;
import dev.pagealloc.workloads.replay.ReplayInput;
import dev.pagealloc.workloads.replay.ReplayRun;
import dev.pagealloc.workloads.replay.ReplaySummary;
import dev.pagealloc.workloads.replay.TimeSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The outputs of {@code pagealloc compare}: the side-by-side table (rows = metrics, columns =
 * (workload, kernel, machine) runs, as mmtests' compare-kernels prints its monitor sections), the
 * {@code --json} object and the {@code --out DIR} files (compare.txt, compare.json, one chart per
 * metric with the columns as series, a per-order heatmap per column and zone, and a README.md that
 * shows them with the command that regenerates them). Nothing here depends on wall-clock time:
 * the same inputs give byte-identical files.
 */
final class CompareOutput {
    /**
     * One column: a workload replayed on a machine as a kernel, and the label its table header,
     * chart legends and heatmap file names use.
     */
    record Column(ReplayInput input, Kernel kernel, MachineLayout layout, String label) {}

    /** One column's replay. */
    record Run(Column column, ReplayRun.Result result) {
        String label() {
            return column.label();
        }

        MachineLayout layout() {
            return column.layout();
        }

        ReplaySummary summary() {
            return result.summary();
        }
    }

    /** Which parts of a column differ among the columns. */
    record Varies(boolean workloads, boolean kernels, boolean machines) {
        /**
         * Only machines vary (or nothing does): columns are named by machine alone, as compare
         * named them before it took several workloads and kernels.
         */
        boolean machinesOnly() {
            return !workloads && !kernels;
        }

        /** The label names the machine; otherwise the table has a row that does. */
        boolean labelNamesMachine() {
            return machines || machinesOnly();
        }
    }

    private CompareOutput() {}

    /**
     * The columns: the product workloads x kernels x machines, workloads outermost and machines
     * innermost, each labelled by {@link #label}.
     *
     * @throws IllegalArgumentException two labels that would give the same file names
     */
    static List<Column> columns(List<ReplayInput> inputs, List<Kernel> kernels, List<MachineLayout> layouts) {
        Varies v = new Varies(inputs.size() > 1, kernels.size() > 1, layouts.size() > 1);
        List<String> names = workloadLabels(inputs);
        List<Column> columns = new ArrayList<>();
        Map<String, String> files = new LinkedHashMap<>(); // file-name form -> label
        for (int i = 0; i < inputs.size(); i++) {
            for (Kernel k : kernels) {
                for (MachineLayout l : layouts) {
                    String label = label(v, names.get(i), l.name(), k.name());
                    String clash = files.putIfAbsent(fileName(label), label);
                    if (clash != null) {
                        throw new IllegalArgumentException("columns '" + clash + "' and '" + label
                                + "' would write the same chart files (rename a machine or workload)");
                    }
                    columns.add(new Column(inputs.get(i), k, l, label));
                }
            }
        }
        return columns;
    }

    /**
     * A column's label: the machine when only machines vary; otherwise the parts that vary, in the
     * order workload, machine, kernel (e.g. "nic-sg x86_64-4g", "x86_64-4g 6.1", "nic-sg").
     */
    static String label(Varies v, String workload, String machine, String kernel) {
        if (v.machinesOnly()) {
            return machine;
        }
        List<String> parts = new ArrayList<>();
        if (v.workloads()) {
            parts.add(workload);
        }
        if (v.machines()) {
            parts.add(machine);
        }
        if (v.kernels()) {
            parts.add(kernel);
        }
        return String.join(" ", parts);
    }

    /**
     * The workloads as labels name them: a file by its last path element (narrow columns), unless
     * two workloads share it, then every one as given.
     */
    private static List<String> workloadLabels(List<ReplayInput> inputs) {
        List<String> shortNames = new ArrayList<>();
        List<String> given = new ArrayList<>();
        for (ReplayInput in : inputs) {
            Path file = Path.of(in.name()).getFileName();
            String s = file == null ? in.name() : file.toString();
            if (shortNames.contains(s)) {
                for (ReplayInput each : inputs) {
                    given.add(each.name());
                }
                return given;
            }
            shortNames.add(s);
        }
        return shortNames;
    }

    /** Which parts vary among the runs' columns. */
    static Varies varies(List<Run> runs) {
        return new Varies(inputs(runs).size() > 1, kernels(runs).size() > 1, machines(runs).size() > 1);
    }

    /** The workloads of the runs, in column order, once each. */
    static List<ReplayInput> inputs(List<Run> runs) {
        List<ReplayInput> ins = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Run r : runs) {
            if (!names.contains(r.result().input().name())) {
                names.add(r.result().input().name());
                ins.add(r.result().input());
            }
        }
        return ins;
    }

    /** The kernel names of the runs, in column order, once each. */
    static List<String> kernels(List<Run> runs) {
        List<String> ks = new ArrayList<>();
        for (Run r : runs) {
            if (!ks.contains(r.result().kernel())) {
                ks.add(r.result().kernel());
            }
        }
        return ks;
    }

    /** The machine names of the runs, in column order, once each. */
    static List<String> machines(List<Run> runs) {
        List<String> ms = new ArrayList<>();
        for (Run r : runs) {
            if (!ms.contains(r.result().machine())) {
                ms.add(r.result().machine());
            }
        }
        return ms;
    }

    /** The seeds of the runs (each workload brings its own), once each. */
    private static List<Long> seeds(List<Run> runs) {
        List<Long> ss = new ArrayList<>();
        for (Run r : runs) {
            if (!ss.contains(r.result().seed())) {
                ss.add(r.result().seed());
            }
        }
        return ss;
    }

    /** A generator job's description; "" for a recorded workload, which has none. */
    static String description(ReplayInput in) {
        return in instanceof ReplayInput.GeneratorJob g ? g.job().description() : "";
    }

    /**
     * {@code {"pagealloc", "kernel", "seed", "inputs", "machines": [{"machine", "arch", "cpus",
     * "label", "kernel", "input", "summary"}]}}: the top-level {@code kernel}, {@code seed} and
     * {@code inputs} (as replay --json gives them) only when every column shares them; a
     * {@code seed} per entry when they do not.
     */
    static Map<String, Object> json(List<Run> runs) {
        Map<String, Object> root = new LinkedHashMap<>();
        ReplayRun.Result first = runs.getFirst().result();
        boolean oneSeed = seeds(runs).size() == 1;
        root.put("pagealloc", ReplayOutput.VERSION);
        if (kernels(runs).size() == 1) {
            root.put("kernel", first.kernel());
        }
        if (oneSeed) {
            root.put("seed", first.seed());
        }
        if (inputs(runs).size() == 1) {
            root.put("inputs", ReplayOutput.json(first, 0).get("inputs"));
        }
        List<Object> ms = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("machine", r.result().machine());
            m.put("arch", r.layout().arch().cliName);
            m.put("cpus", r.result().cpus());
            m.put("label", r.label());
            m.put("kernel", r.result().kernel());
            m.put("input", r.result().input().name());
            if (!oneSeed) {
                m.put("seed", r.result().seed());
            }
            m.put("summary", ReplayOutput.summary(r.summary()));
            ms.add(m);
        }
        root.put("machines", ms);
        return root;
    }

    // ------------------------------------------------------------------ the table

    /** A row: its label and one cell per column. */
    private record Row(String label, List<String> cells) {}

    /** compare.txt: the title lines, then the table. */
    static String text(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        title(sb, runs);
        sb.append("  pages are 4 KiB; times are emulated seconds; '-' means none (or no such zone)\n");
        if (runs.size() > 1) {
            sb.append(baselineName(runs).equals("first machine")
                    ? "  'vs first machine': against the first machine with the same workload and kernel\n"
                    : "  'vs first column': against the first column\n");
        }
        sb.append('\n');

        List<Row> rows = new ArrayList<>();
        header(rows, runs);

        section(rows, "Replay");
        rows.add(num("Present pages", runs, s -> s.presentPages()));
        rows.add(row("Emulated time", runs, r -> time(r.summary().endNs())));
        rows.add(num("Allocations", runs, s -> s.allocs()));
        rows.add(num("Frees", runs, s -> s.frees()));

        section(rows, "Failures");
        rows.add(num("Failed allocations", runs, s -> s.allocFailures()));
        rows.add(row("First failure", runs, r -> time(r.summary().firstFailureNs())));
        if (runs.size() > 1) {
            String base = baselineName(runs);
            rows.add(row("Failures vs " + base, runs, r -> ratio(r.summary().allocFailures(),
                    baseline(runs, r).summary().allocFailures())));
            rows.add(row("First failure vs " + base, runs, r -> delta(r.summary().firstFailureNs(),
                    baseline(runs, r).summary().firstFailureNs())));
        }
        for (String[] k : attemptKeys(runs)) {
            int order = Integer.parseInt(k[0]);
            String gfp = k[1];
            if (k[2].equals("0")) { // failed nowhere: the attempts say enough
                rows.add(row("Attempts o" + order + " " + gfp, runs, r -> {
                    ReplaySummary.Attempts a = attempts(r.summary(), order, gfp);
                    return a == null ? "-" : Long.toString(a.attempts());
                }));
                continue;
            }
            rows.add(row("Fail o" + order + " " + gfp, runs, r -> {
                ReplaySummary.Attempts a = attempts(r.summary(), order, gfp);
                return a == null ? "-" : Long.toString(a.failures());
            }));
            rows.add(row("First fail o" + order + " " + gfp, runs, r -> {
                long t = -1;
                for (ReplaySummary.Failure f : r.summary().failures()) {
                    if (f.order() == order && f.gfp().equals(gfp) && (t < 0 || f.firstNs() < t)) {
                        t = f.firstNs();
                    }
                }
                return time(t);
            }));
            rows.add(row("Attempts o" + order + " " + gfp, runs, r -> {
                ReplaySummary.Attempts a = attempts(r.summary(), order, gfp);
                return a == null ? "-" : Long.toString(a.attempts());
            }));
        }
        rows.add(num("Failure reports printed", runs, s -> s.warnPrinted()));
        rows.add(num("Failure reports ratelimited", runs, s -> s.warnSuppressed()));

        List<String> zones = zoneNames(runs);
        section(rows, "Zones (pages)");
        for (String z : zones) {
            rows.add(zone("Present " + z, runs, z, zs -> Long.toString(zs.presentPages())));
            rows.add(zone("Watermark min/low " + z, runs, z, zs -> zs.minWmark() + "/" + zs.lowWmark()));
        }
        for (String z : zones) {
            rows.add(zone("Free at start " + z, runs, z, zs -> Long.toString(zs.bootFreePages())));
            rows.add(zone("Min free " + z, runs, z, zs -> Long.toString(zs.minFreePages())));
        }
        section(rows, "Time below watermarks (s)");
        for (String z : zones) {
            rows.add(zone("Below low " + z, runs, z, zs -> time(zs.nsBelowLow())));
            rows.add(zone("Below min " + z, runs, z, zs -> time(zs.nsBelowMin())));
        }
        section(rows, "Peak use (pages; lowmem = every zone but HighMem; peak used = free at start - lowest free)");
        rows.add(num("Min free, all zones", runs, s -> s.minFreePages()));
        rows.add(num("Lowmem present", runs, s -> s.lowmemPresentPages()));
        rows.add(num("Lowmem min free", runs, s -> s.lowmemMinFreePages()));
        rows.add(num("Lowmem peak used", runs, s -> s.lowmemPeakUsedPages()));
        rows.add(row("HighMem present", runs, r -> hasHighmem(r) ? Long.toString(r.summary().highmemPresentPages()) : "-"));
        rows.add(row("HighMem min free", runs, r -> hasHighmem(r) ? Long.toString(r.summary().highmemMinFreePages()) : "-"));
        rows.add(row("HighMem peak used", runs, r -> hasHighmem(r) ? Long.toString(r.summary().highmemPeakUsedPages()) : "-"));
        for (String z : zones) {
            rows.add(zone("Peak used " + z, runs, z, zs -> Long.toString(zs.peakUsedPages())));
        }

        section(rows, "Reclaim");
        rows.add(num("Kswapd wakeups", runs, s -> s.kswapdWakeups()));
        rows.add(num("Kswapd runs", runs, s -> s.kswapdRuns()));
        rows.add(num("Kswapd pages reclaimed", runs, s -> s.kswapdReclaimed()));
        rows.add(num("Kswapd pages scanned", runs, s -> s.pgscanKswapd()));
        rows.add(num("Direct pages reclaimed", runs, s -> s.directReclaimed()));
        rows.add(num("Direct pages scanned", runs, s -> s.pgscanDirect()));
        rows.add(num("Allocstall", runs, s -> s.allocstall()));
        rows.add(num("Swap out", runs, s -> s.pswpout()));
        rows.add(num("OOM kills", runs, s -> s.oomKills()));

        section(rows, "At the end (pages)");
        rows.add(num("Free", runs, s -> s.finalFree()));
        rows.add(num("Page cache", runs, s -> s.finalFile()));
        rows.add(num("Anon", runs, s -> s.finalAnon()));
        rows.add(num("Held by the workload", runs, s -> s.stillHeld()));

        int lw = 0;
        int cw = 12;
        for (Row r : rows) {
            if (r.cells() == null) {
                continue;
            }
            lw = Math.max(lw, r.label().length());
            for (String c : r.cells()) {
                cw = Math.max(cw, c.length());
            }
        }
        for (Row r : rows) {
            if (r.cells() == null) {
                sb.append('\n').append(r.label()).append('\n');
                continue;
            }
            StringBuilder line = new StringBuilder();
            line.append(String.format(Locale.ROOT, "%-" + lw + "s", r.label()));
            for (String c : r.cells()) {
                line.append("  ").append(String.format(Locale.ROOT, "%" + cw + "s", c));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /**
     * The title line and the job descriptions. One workload: "compare NAME (kind, sha256 …), Linux
     * K, seed S" and its description indented. Several: each named with its kind and sha256
     * prefix (and its seed if they differ), each description on its own line after its name.
     */
    private static void title(StringBuilder sb, List<Run> runs) {
        List<ReplayInput> ins = inputs(runs);
        boolean oneSeed = seeds(runs).size() == 1;
        sb.append("compare ");
        for (int i = 0; i < ins.size(); i++) {
            ReplayInput in = ins.get(i);
            sb.append(i == 0 ? "" : ", ").append(in.name()).append(" (").append(in.kind()).append(", sha256 ")
                    .append(in.sha256(), 0, 12);
            if (!oneSeed) {
                sb.append(", seed ").append(seedOf(runs, in));
            }
            sb.append(')');
        }
        sb.append(", Linux ").append(String.join(" / ", kernels(runs)));
        if (oneSeed) {
            sb.append(", seed ").append(runs.getFirst().result().seed());
        }
        sb.append('\n');
        for (ReplayInput in : ins) {
            String d = description(in);
            if (!d.isEmpty()) {
                sb.append("  ").append(ins.size() > 1 ? in.name() + ": " : "").append(d).append('\n');
            }
        }
    }

    private static long seedOf(List<Run> runs, ReplayInput in) {
        for (Run r : runs) {
            if (r.result().input().name().equals(in.name())) {
                return r.result().seed();
            }
        }
        throw new IllegalArgumentException(in.name());
    }

    /**
     * The header rows: the labels; the machine when the label does not name it; "Linux K" when
     * kernels vary; the architecture and CPUs.
     */
    private static void header(List<Row> rows, List<Run> runs) {
        Varies v = varies(runs);
        rows.add(row("", runs, Run::label));
        if (!v.labelNamesMachine()) {
            rows.add(row("", runs, r -> r.result().machine()));
        }
        if (v.kernels()) {
            rows.add(row("", runs, r -> "Linux " + r.result().kernel()));
        }
        rows.add(row("", runs, r -> r.layout().arch().cliName + ", " + r.result().cpus() + " cpus"));
    }

    /**
     * The column {@code r} is measured against, mmtests-style: with several machines the first
     * machine of the same workload and kernel (so layouts are compared under the same load), else
     * the first column.
     */
    static Run baseline(List<Run> runs, Run r) {
        boolean machinesVary = runs.stream().map(x -> x.column().layout().name()).distinct().count() > 1;
        for (Run b : runs) {
            if (!machinesVary || (b.column().input() == r.column().input() && b.column().kernel() == r.column().kernel())) {
                return b;
            }
        }
        return r;
    }

    private static String baselineName(List<Run> runs) {
        boolean machinesVary = runs.stream().map(x -> x.column().layout().name()).distinct().count() > 1;
        return machinesVary ? "first machine" : "first column";
    }

    /** {@code n} as a multiple of {@code base} ("74.17x"); "-" when the base is 0. */
    static String ratio(long n, long base) {
        return base == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", (double) n / base);
    }

    /** The later minus the earlier first failure, signed, in seconds; "-" unless both failed. */
    static String delta(long ns, long baseNs) {
        if (ns < 0 || baseNs < 0) {
            return "-";
        }
        long d = ns - baseNs;
        return (d < 0 ? "-" : "+") + time(Math.abs(d));
    }

    /** A section heading: a row without cells. */
    private static void section(List<Row> rows, String title) {
        rows.add(new Row(title, null));
    }

    private static Row row(String label, List<Run> runs, java.util.function.Function<Run, String> cell) {
        List<String> cells = new ArrayList<>();
        for (Run r : runs) {
            cells.add(cell.apply(r));
        }
        return new Row(label, cells);
    }

    private static Row num(String label, List<Run> runs, ToLongFunction<ReplaySummary> f) {
        return row(label, runs, r -> Long.toString(f.applyAsLong(r.summary())));
    }

    private static Row zone(String label, List<Run> runs, String zone,
            java.util.function.Function<ReplaySummary.ZoneStat, String> f) {
        return row(label, runs, r -> {
            for (ReplaySummary.ZoneStat z : r.summary().zones()) {
                if (z.name().equals(zone)) {
                    return f.apply(z);
                }
            }
            return "-";
        });
    }

    private static boolean hasHighmem(Run r) {
        return r.layout().arch().hasHighmem();
    }

    /** Emulated ns as seconds with microseconds; "-" for -1 (never). */
    static String time(long ns) {
        return ns < 0 ? "-" : String.format(Locale.ROOT, "%d.%06d", ns / 1_000_000_000L, ns % 1_000_000_000L / 1000);
    }

    private static ReplaySummary.Attempts attempts(ReplaySummary s, int order, String gfp) {
        for (ReplaySummary.Attempts a : s.attempts()) {
            if (a.order() == order && a.gfp().equals(gfp)) {
                return a;
            }
        }
        return null;
    }

    /**
     * Every (order, gfp) attempted in any column as {order, gfp, failures in all columns}: failing
     * ones first (by order), then the rest.
     */
    private static List<String[]> attemptKeys(List<Run> runs) {
        Map<String, long[]> keys = new TreeMap<>(); // "gfp\0order" -> {order, failures}
        Map<String, String> gfps = new LinkedHashMap<>();
        for (Run r : runs) {
            for (ReplaySummary.Attempts a : r.summary().attempts()) {
                String k = a.gfp() + "\0" + a.order();
                gfps.put(k, a.gfp());
                long[] v = keys.computeIfAbsent(k, x -> new long[] {a.order(), 0});
                v[1] += a.failures();
            }
        }
        List<String> ks = new ArrayList<>(keys.keySet());
        ks.sort(Comparator.<String>comparingInt(k -> keys.get(k)[1] > 0 ? 0 : 1)
                .thenComparingLong(k -> keys.get(k)[0]).thenComparing(k -> gfps.get(k)));
        List<String[]> out = new ArrayList<>();
        for (String k : ks) {
            out.add(new String[] {Long.toString(keys.get(k)[0]), gfps.get(k), Long.toString(keys.get(k)[1])});
        }
        return out;
    }

    /** The zone names of all columns, in zone_type order (DMA, DMA32, Normal, HighMem, Movable). */
    static List<String> zoneNames(List<Run> runs) {
        List<String> names = new ArrayList<>();
        for (ZoneType t : ZoneType.values()) {
            for (Run r : runs) {
                for (ReplaySummary.ZoneStat z : r.summary().zones()) {
                    if (z.name().equals(t.kernelName) && !names.contains(z.name())) {
                        names.add(z.name());
                    }
                }
            }
        }
        for (Run r : runs) { // any the enum does not name
            for (ReplaySummary.ZoneStat z : r.summary().zones()) {
                if (!names.contains(z.name())) {
                    names.add(z.name());
                }
            }
        }
        return names;
    }

    // ------------------------------------------------------------------ --out DIR

    /** Every chart's x axis. */
    private static final String TIME_AXIS = "emulated time (s)";

    /** A chart written by {@link #charts}: its title and its file name without .svg/.png. */
    record Chart(String title, String base) {}

    /**
     * Writes compare.txt, compare.json, the charts and README.md into {@code dir}, through a scratch
     * folder beside it (nothing half-written on error). {@code command} is the command line that
     * regenerates the directory, for README.md.
     */
    static List<Path> writeOut(Path dir, List<Run> runs, String command) {
        return ReplayOutput.writeDir(dir, tmp -> {
            String table = text(runs);
            Files.writeString(tmp.resolve("compare.txt"), table);
            Files.writeString(tmp.resolve("compare.json"), ReplayOutput.toJson(json(runs)));
            List<Chart> charts = charts(tmp, runs);
            Files.writeString(tmp.resolve("README.md"), readme(runs, command, table, charts));
        });
    }

    /**
     * README.md, for a committed report: a title, the workloads and their descriptions, the
     * command that regenerates the directory, the table (compare.txt) and each chart as an SVG
     * image linking to its PNG, in the order {@link #charts} wrote them. Only relative file names
     * and what the user typed: the report reads the same wherever it is checked out.
     */
    static String readme(List<Run> runs, String command, String table, List<Chart> charts) {
        StringBuilder sb = new StringBuilder();
        sb.append("# compare ");
        List<String> names = new ArrayList<>();
        for (ReplayInput in : inputs(runs)) {
            names.add(in.name());
        }
        sb.append(String.join(", ", names)).append(" on ").append(String.join(", ", machines(runs)))
                .append(" (Linux ").append(String.join(" / ", kernels(runs))).append(")\n\n");
        for (ReplayInput in : inputs(runs)) {
            String d = description(in);
            sb.append("- `").append(in.name()).append("` (").append(in.kind()).append(", sha256 ")
                    .append(in.sha256(), 0, 12).append(')').append(d.isEmpty() ? "" : ": " + d).append('\n');
        }
        sb.append("\nRegenerate with:\n\n```sh\n").append(command).append("\n```\n\n");
        sb.append("```text\n").append(table).append(table.endsWith("\n") ? "" : "\n").append("```\n");
        for (Chart c : charts) {
            sb.append("\n![").append(markdownText(c.title())).append("](").append(c.base()).append(".svg) ([PNG](")
                    .append(c.base()).append(".png))\n");
        }
        return sb.toString();
    }

    /** {@code s} safe in a markdown image's alt text: brackets and backslashes escaped. */
    private static String markdownText(String s) {
        return s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]");
    }

    /** A file-name-safe form of a column label or zone name. */
    static String fileName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static double[] seconds(TimeSeries ts) {
        double[] x = new double[ts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = ts.timeNs(i) / 1e9;
        }
        return x;
    }

    /**
     * What every column shares, for chart titles: the kernel and workload when one, and the
     * machine when one and not already in the legend (e.g. "Linux 2.6.32, nic-jumbo-nosg").
     */
    static String shared(List<Run> runs) {
        Varies v = varies(runs);
        List<String> parts = new ArrayList<>();
        if (!v.kernels()) {
            parts.add("Linux " + runs.getFirst().result().kernel());
        }
        if (!v.workloads()) {
            parts.add(runs.getFirst().result().input().name());
        }
        if (!v.labelNamesMachine()) {
            parts.add(runs.getFirst().result().machine());
        }
        return String.join(", ", parts);
    }

    /** " (s)" for a chart title, or "" when nothing is shared. */
    private static String parens(String s) {
        return s.isEmpty() ? "" : " (" + s + ")";
    }

    /** Writes one line chart as SVG and PNG and records it. */
    private static void line(Path dir, List<Chart> charts, String base, LineChart chart) {
        Charts.write(chart, dir.resolve(base + ".svg"), dir.resolve(base + ".png"));
        charts.add(new Chart(chart.title(), base));
    }

    /**
     * Writes the charts, the columns as series (same color for a column in every chart): free
     * pages per zone type, lowmem, total and cumulative failures, then the per-order heatmaps of
     * each column and zone. Returns them in that order.
     */
    private static List<Chart> charts(Path dir, List<Run> runs) {
        List<Chart> charts = new ArrayList<>();
        String where = parens(shared(runs));
        String time = TIME_AXIS;
        for (String z : zoneNames(runs)) {
            line(dir, charts, "free-" + fileName(z), new LineChart("Free pages in zone " + z + where, time,
                    "free pages (NR_FREE_PAGES, 4 KiB)", zoneSeries(runs, z), false, true));
        }
        List<Series> lowmem = new ArrayList<>();
        List<Series> total = new ArrayList<>();
        List<Series> failures = new ArrayList<>();
        for (Run r : runs) {
            TimeSeries ts = r.summary().series();
            List<String> names = ts.zoneNames();
            double[] low = new double[ts.size()];
            double[] all = new double[ts.size()];
            double[] f = new double[ts.size()];
            for (int i = 0; i < ts.size(); i++) {
                for (int zi = 0; zi < names.size(); zi++) {
                    long free = ts.freePages(i, zi);
                    all[i] += free;
                    if (!names.get(zi).equals(ZoneType.HIGHMEM.kernelName)) {
                        low[i] += free;
                    }
                }
                f[i] = ts.failures(i);
            }
            double[] x = seconds(ts);
            lowmem.add(new Series(r.label(), x, low));
            total.add(new Series(r.label(), x, all));
            failures.add(new Series(r.label(), x, f));
        }
        line(dir, charts, "free-lowmem", new LineChart("Free lowmem pages: all zones but HighMem" + where, time,
                "free pages (4 KiB)", lowmem, false, true));
        line(dir, charts, "free-total", new LineChart("Free pages, all zones" + where, time, "free pages (4 KiB)",
                total, false, true));
        line(dir, charts, "failures", new LineChart("Allocation failures over time" + where, time,
                "failed allocations (cumulative)", failures, false, true));
        for (Run r : runs) {
            heatmaps(dir, charts, r);
        }
        return charts;
    }

    /** Free pages of zone {@code z} per column; a column without the zone keeps its legend entry. */
    private static List<Series> zoneSeries(List<Run> runs, String z) {
        List<Series> series = new ArrayList<>();
        for (Run r : runs) {
            TimeSeries ts = r.summary().series();
            int zi = ts.zoneNames().indexOf(z);
            if (zi < 0) { // kept in the legend, so each column has the same color in every chart
                series.add(new Series(r.label() + " (no " + z + " zone)", new double[0], new double[0]));
                continue;
            }
            double[] y = new double[ts.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = ts.freePages(i, zi);
            }
            series.add(new Series(r.label(), seconds(ts), y));
        }
        return series;
    }

    /**
     * One column's heatmaps, a zone each: free blocks per order over time. The title names the
     * whole column (machine, kernel, workload), since a heatmap has no legend.
     */
    private static void heatmaps(Path dir, List<Chart> charts, Run r) {
        String[] orders = new String[Zone.MAX_ORDER];
        for (int o = 0; o < orders.length; o++) {
            orders[o] = Integer.toString(o);
        }
        TimeSeries ts = r.summary().series();
        List<String> names = ts.zoneNames();
        String column = r.result().machine() + ", Linux " + r.result().kernel() + ", " + r.result().input().name();
        for (int zi = 0; zi < names.size(); zi++) {
            double[][] v = new double[Zone.MAX_ORDER][ts.size()];
            for (int o = 0; o < Zone.MAX_ORDER; o++) {
                for (int i = 0; i < ts.size(); i++) {
                    v[o][i] = Math.log10(1 + ts.nrFree(i, zi, o));
                }
            }
            String base = "heatmap-" + fileName(r.label()) + "-" + fileName(names.get(zi));
            String title = "Free blocks per order, zone " + names.get(zi) + " (" + column + ")";
            Charts.write(new Heatmap(title, TIME_AXIS, "order", seconds(ts), orders, v,
                            "log10(1 + free blocks of the order)"),
                    dir.resolve(base + ".svg"), dir.resolve(base + ".png"));
            charts.add(new Chart(title, base));
        }
    }
}
