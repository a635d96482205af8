package dev.pagealloc.harness;

import dev.pagealloc.harness.charts.Charts;
import dev.pagealloc.harness.charts.Heatmap;
import dev.pagealloc.harness.charts.LineChart;
import dev.pagealloc.harness.charts.Series;
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
 * machines, as mmtests' compare-kernels prints its monitor sections), the {@code --json} object and
 * the {@code --out DIR} files (compare.txt, compare.json, one chart per metric with the machines as
 * series, and a per-order heatmap per machine and zone). Nothing here depends on wall-clock time:
 * the same inputs give byte-identical files.
 */
final class CompareOutput {
    /** One machine's replay. */
    record Run(MachineLayout layout, ReplayRun.Result result) {
        String name() {
            return result.machine();
        }

        ReplaySummary summary() {
            return result.summary();
        }
    }

    private CompareOutput() {}

    /** {@code {"pagealloc", "kernel", "seed", "inputs", "machines": [{"machine", "arch", "cpus", "summary"}]}}. */
    static Map<String, Object> json(List<Run> runs) {
        Map<String, Object> root = new LinkedHashMap<>();
        ReplayRun.Result first = runs.getFirst().result();
        Map<String, Object> replay = ReplayOutput.json(first, 0);
        root.put("pagealloc", ReplayOutput.VERSION);
        root.put("kernel", first.kernel());
        root.put("seed", first.seed());
        root.put("inputs", replay.get("inputs"));
        List<Object> ms = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("machine", r.name());
            m.put("arch", r.layout().arch().cliName);
            m.put("cpus", r.result().cpus());
            m.put("summary", ReplayOutput.summary(r.summary()));
            ms.add(m);
        }
        root.put("machines", ms);
        return root;
    }

    // ------------------------------------------------------------------ the table

    /** A row: its label and one cell per machine. */
    private record Row(String label, List<String> cells) {}

    static String text(List<Run> runs, String description) {
        ReplayRun.Result first = runs.getFirst().result();
        ReplayInput in = first.input();
        StringBuilder sb = new StringBuilder();
        sb.append("compare ").append(in.name()).append(" (").append(in.kind()).append(", sha256 ")
                .append(in.sha256(), 0, 12).append("), Linux ").append(first.kernel()).append(", seed ")
                .append(first.seed()).append('\n');
        if (description != null && !description.isEmpty()) {
            sb.append("  ").append(description).append('\n');
        }
        sb.append("  pages are 4 KiB; times are emulated seconds; '-' means none (or no such zone)\n\n");

        List<Row> rows = new ArrayList<>();
        // header
        rows.add(row("", runs, Run::name));
        rows.add(row("", runs, r -> r.layout().arch().cliName + ", " + r.result().cpus() + " cpus"));

        section(rows, "Replay");
        rows.add(num("Present pages", runs, s -> s.presentPages()));
        rows.add(row("Emulated time", runs, r -> time(r.summary().endNs())));
        rows.add(num("Allocations", runs, s -> s.allocs()));
        rows.add(num("Frees", runs, s -> s.frees()));

        section(rows, "Failures");
        rows.add(num("Failed allocations", runs, s -> s.allocFailures()));
        rows.add(row("First failure", runs, r -> time(r.summary().firstFailureNs())));
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
     * Every (order, gfp) attempted on any machine as {order, gfp, failures on all machines}: failing
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

    /** The zone names of all machines, in zone_type order (DMA, DMA32, Normal, HighMem, Movable). */
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

    /**
     * Writes compare.txt, compare.json and the charts into {@code dir}, through a scratch folder
     * beside it (nothing half-written on error).
     */
    static List<Path> writeOut(Path dir, List<Run> runs, String description) {
        return ReplayOutput.writeDir(dir, tmp -> {
            Files.writeString(tmp.resolve("compare.txt"), text(runs, description));
            Files.writeString(tmp.resolve("compare.json"), ReplayOutput.toJson(json(runs)));
            charts(tmp, runs);
        });
    }

    /** A file-name-safe form of a machine or zone name. */
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

    private static void charts(Path dir, List<Run> runs) {
        ReplayRun.Result first = runs.getFirst().result();
        String where = "Linux " + first.kernel() + ", " + first.input().name();
        String time = "emulated time (s)";
        for (String z : zoneNames(runs)) {
            List<Series> series = new ArrayList<>();
            for (Run r : runs) {
                TimeSeries ts = r.summary().series();
                int zi = ts.zoneNames().indexOf(z);
                if (zi < 0) { // kept in the legend, so each machine has the same color in every chart
                    series.add(new Series(r.name() + " (no " + z + " zone)", new double[0], new double[0]));
                    continue;
                }
                double[] y = new double[ts.size()];
                for (int i = 0; i < y.length; i++) {
                    y[i] = ts.freePages(i, zi);
                }
                series.add(new Series(r.name(), seconds(ts), y));
            }
            Charts.write(new LineChart("Free pages in zone " + z + " (" + where + ")", time,
                            "free pages (NR_FREE_PAGES, 4 KiB)", series, false, true),
                    dir.resolve("free-" + fileName(z) + ".svg"), dir.resolve("free-" + fileName(z) + ".png"));
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
            lowmem.add(new Series(r.name(), x, low));
            total.add(new Series(r.name(), x, all));
            failures.add(new Series(r.name(), x, f));
        }
        Charts.write(new LineChart("Free lowmem pages: all zones but HighMem (" + where + ")", time,
                        "free pages (4 KiB)", lowmem, false, true),
                dir.resolve("free-lowmem.svg"), dir.resolve("free-lowmem.png"));
        Charts.write(new LineChart("Free pages, all zones (" + where + ")", time, "free pages (4 KiB)", total, false,
                        true),
                dir.resolve("free-total.svg"), dir.resolve("free-total.png"));
        Charts.write(new LineChart("Allocation failures over time (" + where + ")", time,
                        "failed allocations (cumulative)", failures, false, true),
                dir.resolve("failures.svg"), dir.resolve("failures.png"));
        String[] orders = new String[Zone.MAX_ORDER];
        for (int o = 0; o < orders.length; o++) {
            orders[o] = Integer.toString(o);
        }
        for (Run r : runs) {
            TimeSeries ts = r.summary().series();
            List<String> names = ts.zoneNames();
            for (int zi = 0; zi < names.size(); zi++) {
                double[][] v = new double[Zone.MAX_ORDER][ts.size()];
                for (int o = 0; o < Zone.MAX_ORDER; o++) {
                    for (int i = 0; i < ts.size(); i++) {
                        v[o][i] = Math.log10(1 + ts.nrFree(i, zi, o));
                    }
                }
                String base = "heatmap-" + fileName(r.name()) + "-" + fileName(names.get(zi));
                Charts.write(new Heatmap("Free blocks per order, zone " + names.get(zi) + " (" + r.name() + ", "
                                + where + ")", time, "order", seconds(ts), orders, v,
                                "log10(1 + free blocks of the order)"),
                        dir.resolve(base + ".svg"), dir.resolve(base + ".png"));
            }
        }
    }
}
