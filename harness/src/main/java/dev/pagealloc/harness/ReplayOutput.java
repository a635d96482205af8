package dev.pagealloc.harness;

import dev.pagealloc.harness.charts.Charts;
import dev.pagealloc.harness.charts.LineChart;
import dev.pagealloc.harness.charts.Series;
import dev.pagealloc.workloads.event.SourceStats;
import dev.pagealloc.workloads.replay.ReplayInput;
import dev.pagealloc.workloads.replay.ReplayRun;
import dev.pagealloc.workloads.replay.ReplaySummary;
import dev.pagealloc.workloads.replay.TimeSeries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The outputs of {@code pagealloc replay}: the text summary, the {@code --json} object (no
 * wall-clock figures, so two runs compare byte for byte) and the {@code --out DIR} files
 * (summary.txt, result.json, timeseries.csv, SVG and PNG charts).
 */
final class ReplayOutput {
    static final String VERSION = "0.1.0";

    private ReplayOutput() {}

    /** Emulated nanoseconds as seconds with microseconds, the way the kernel's trace clock prints them. */
    static String secs(long ns) {
        return ns < 0 ? "-" : String.format("%d.%06d s", ns / 1_000_000_000L, ns % 1_000_000_000L / 1000);
    }

    static String text(ReplayRun.Result r, String description, int printReports, boolean wall) {
        ReplaySummary s = r.summary();
        StringBuilder sb = new StringBuilder();
        sb.append("replay ").append(r.input().name()).append(" (").append(r.input().kind()).append(", sha256 ")
                .append(r.input().sha256(), 0, 12).append(") on ").append(r.machine()).append(" (Linux ")
                .append(r.kernel()).append(", ").append(r.cpus()).append(r.cpus() == 1 ? " CPU" : " CPUs")
                .append("), seed ").append(r.seed()).append('\n');
        if (description != null && !description.isEmpty()) {
            sb.append("  ").append(description).append('\n');
        }
        SourceStats st = r.source();
        if (st != null && !st.events.isEmpty() && r.input() instanceof ReplayInput.Recorded) {
            sb.append("  read: ").append(st.events).append(st.era != null ? ", era " + st.era : "");
            if (!st.unknown.isEmpty()) {
                sb.append(", unknown skipped ").append(st.unknown);
            }
            if (st.malformed > 0) {
                sb.append(", malformed skipped ").append(st.malformed).append(" (first: ").append(st.firstMalformed)
                        .append(')');
            }
            sb.append('\n');
        }
        sb.append(String.format("emulated %s: %d allocations, %d frees, %d failures (first at %s)%n",
                secs(s.endNs()), s.allocs(), s.frees(), s.allocFailures(), secs(s.firstFailureNs())));
        sb.append(String.format("peak use %d of %d present pages (%.1f%%), lowest free %d pages%n", s.peakUsedPages(),
                s.presentPages(), 100.0 * s.peakUsedPages() / Math.max(1, s.presentPages()), s.minFreePages()));
        for (ReplaySummary.ZoneStat z : s.zones()) {
            sb.append(String.format("  %-8s lowest free %d pages (min %d, low %d), below low %s, below min %s%n",
                    z.name(), z.minFreePages(), z.minWmark(), z.lowWmark(), secs(z.nsBelowLow()),
                    secs(z.nsBelowMin())));
        }
        if (s.unmatchedFrees() + s.lostFrees() + s.recordedFailures() > 0) {
            sb.append(String.format("recording: %d frees without a live allocation, %d lost frees, %d allocations "
                    + "that failed in the recording%n", s.unmatchedFrees(), s.lostFrees(), s.recordedFailures()));
        }
        sb.append('\n');
        int w = 3;
        for (ReplaySummary.Attempts a : s.attempts()) {
            w = Math.max(w, a.gfp().length());
        }
        sb.append(String.format("%5s  %-" + w + "s  %-10s  %10s  %10s  %s%n", "order", "gfp", "mode", "attempts",
                "failures", "first failure"));
        for (ReplaySummary.Attempts a : s.attempts()) {
            long first = -1;
            for (ReplaySummary.Failure f : s.failures()) {
                if (f.order() == a.order() && f.mode().equals(a.mode())) {
                    first = f.firstNs();
                }
            }
            sb.append(String.format("%5d  %-" + w + "s  %-10s  %10d  %10d  %s%n", a.order(), a.gfp(), a.mode(),
                    a.attempts(), a.failures(), first < 0 ? "" : secs(first)));
        }
        sb.append('\n');
        sb.append(String.format("kswapd:  %d wakeups, %d runs, %d pages reclaimed, %d scanned%n", s.kswapdWakeups(),
                s.kswapdRuns(), s.kswapdReclaimed(), s.pgscanKswapd()));
        sb.append(String.format("direct:  %d pages reclaimed, %d scanned, allocstall %d%n", s.directReclaimed(),
                s.pgscanDirect(), s.allocstall()));
        sb.append(String.format("swap:    %d pages out%n", s.pswpout()));
        sb.append(String.format("oom:     %d kills%n", s.oomKills()));
        for (String l : s.oomLog()) {
            sb.append("  ").append(l).append('\n');
        }
        sb.append(String.format("final:   %d free pages, %d page cache, %d anon, %d held by the workload%n",
                s.finalFree(), s.finalFile(), s.finalAnon(), s.stillHeld()));
        if (wall) {
            double secs = r.wallNanos() / 1e9;
            sb.append(String.format("wall:    %.3f s, %d events, %.2f M events/s%n", secs, r.events(),
                    r.events() / Math.max(secs, 1e-9) / 1e6));
        }
        if (s.allocFailures() > 0) {
            sb.append(String.format("%nfailure reports: the kernel would print %d (%d suppressed by printk_ratelimit, "
                    + "__GFP_NOWARN ones never print)%n", s.warnPrinted(), s.warnSuppressed()));
            int n = 0;
            for (ReplaySummary.FailureReport f : s.reports()) {
                if (n++ >= printReports) {
                    break;
                }
                sb.append(String.format("%n-- at %s: order %d, %s (mode:%s) --%n", secs(f.timeNs()), f.order(), f.gfp(),
                        f.mode()));
                sb.append(f.text());
                if (!f.text().endsWith("\n")) {
                    sb.append('\n');
                }
            }
        }
        for (ReplaySummary.Snapshot snap : s.snapshots()) {
            sb.append(String.format("%n-- /proc/buddyinfo at %s (%s) --%n", secs(snap.timeNs()), snap.name()));
            sb.append(snap.buddyinfo());
        }
        return sb.toString();
    }

    /** The {@code --json} object: inputs, machine, kernel, seed, version and the emulated summary. */
    static Map<String, Object> json(ReplayRun.Result r, int printReports) {
        ReplaySummary s = r.summary();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("pagealloc", VERSION);
        root.put("machine", r.machine());
        root.put("kernel", r.kernel());
        root.put("cpus", r.cpus());
        root.put("seed", r.seed());
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("kind", r.input().kind());
        in.put("name", r.input().name());
        in.put("sha256", r.input().sha256());
        if (r.input() instanceof ReplayInput.GeneratorJob g) {
            in.put("overrides", g.job().overrides());
            in.put("sections", g.job().sections());
        }
        root.put("inputs", List.of(in));
        root.put("summary", summary(s));
        List<Object> att = new ArrayList<>();
        for (ReplaySummary.Attempts a : s.attempts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("order", a.order());
            m.put("gfp", a.gfp());
            m.put("mode", a.mode());
            m.put("attempts", a.attempts());
            m.put("failures", a.failures());
            att.add(m);
        }
        root.put("attempts", att);
        if (r.source() != null) {
            Map<String, Object> src = new LinkedHashMap<>();
            src.put("events", r.source().events);
            src.put("unknown", r.source().unknown);
            src.put("malformed_skipped", r.source().malformed);
            src.put("era", r.source().era);
            root.put("source", src);
        }
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("free_pages", s.finalFree());
        fin.put("file_pages", s.finalFile());
        fin.put("anon_pages", s.finalAnon());
        fin.put("held_by_workload", s.stillHeld());
        root.put("final", fin);
        List<Object> reps = new ArrayList<>();
        int n = 0;
        for (ReplaySummary.FailureReport f : s.reports()) {
            if (n++ >= printReports) {
                break;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time_ns", f.timeNs());
            m.put("order", f.order());
            m.put("gfp", f.gfp());
            m.put("mode", f.mode());
            m.put("report", f.text());
            reps.add(m);
        }
        root.put("failure_reports", reps);
        root.put("oom_log", s.oomLog());
        List<Object> snaps = new ArrayList<>();
        for (ReplaySummary.Snapshot snap : s.snapshots()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time_ns", snap.timeNs());
            m.put("name", snap.name());
            m.put("buddyinfo", snap.buddyinfo());
            m.put("zoneinfo", snap.zoneinfo());
            snaps.add(m);
        }
        root.put("snapshots", snaps);
        List<Object> ph = new ArrayList<>();
        for (ReplaySummary.Phase p : s.phases()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("time_ns", p.timeNs());
            pm.put("name", p.name());
            ph.add(pm);
        }
        root.put("phases", ph);
        return root;
    }

    /** The {@code summary} object, also what {@code compare} prints per machine. */
    static Map<String, Object> summary(ReplaySummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("end_ns", s.endNs());
        m.put("allocs", s.allocs());
        m.put("frees", s.frees());
        m.put("alloc_failures", s.allocFailures());
        List<Object> fs = new ArrayList<>();
        for (ReplaySummary.Failure f : s.failures()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("order", f.order());
            e.put("gfp", f.gfp());
            e.put("mode", f.mode());
            e.put("count", f.count());
            e.put("first_ns", f.firstNs());
            fs.add(e);
        }
        m.put("failures", fs);
        m.put("first_failure_ns", s.firstFailureNs());
        m.put("oom_kills", s.oomKills());
        m.put("kswapd_reclaimed", s.kswapdReclaimed());
        m.put("direct_reclaimed", s.directReclaimed());
        m.put("allocstall", s.allocstall());
        m.put("pgscan_kswapd", s.pgscanKswapd());
        m.put("pgscan_direct", s.pgscanDirect());
        m.put("pswpout", s.pswpout());
        m.put("kswapd_wakeups", s.kswapdWakeups());
        m.put("kswapd_runs", s.kswapdRuns());
        m.put("peak_used_pages", s.peakUsedPages());
        m.put("min_free_pages", s.minFreePages());
        m.put("present_pages", s.presentPages());
        m.put("unmatched_frees", s.unmatchedFrees());
        m.put("lost_frees", s.lostFrees());
        m.put("recorded_failures", s.recordedFailures());
        m.put("warn_printed", s.warnPrinted());
        m.put("warn_suppressed", s.warnSuppressed());
        List<Object> zs = new ArrayList<>();
        for (ReplaySummary.ZoneStat z : s.zones()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("zone", z.name());
            e.put("highmem", z.highmem());
            e.put("present_pages", z.presentPages());
            e.put("managed_pages", z.managedPages());
            e.put("min_wmark", z.minWmark());
            e.put("low_wmark", z.lowWmark());
            e.put("high_wmark", z.highWmark());
            e.put("boot_free_pages", z.bootFreePages());
            e.put("min_free_pages", z.minFreePages());
            e.put("peak_used_pages", z.peakUsedPages());
            e.put("ns_below_low", z.nsBelowLow());
            e.put("ns_below_min", z.nsBelowMin());
            zs.add(e);
        }
        m.put("zones", zs);
        m.put("lowmem_present_pages", s.lowmemPresentPages());
        m.put("lowmem_peak_used_pages", s.lowmemPeakUsedPages());
        m.put("highmem_present_pages", s.highmemPresentPages());
        m.put("highmem_peak_used_pages", s.highmemPeakUsedPages());
        return m;
    }

    static String toJson(Object o) {
        return Json.write(o) + "\n";
    }

    /**
     * Writes summary.txt, result.json, timeseries.csv and the charts into {@code dir}: everything is
     * made in a scratch folder beside it first and moved in at the end, so an error leaves nothing
     * half-written.
     */
    static List<Path> writeOut(Path dir, ReplayRun.Result r, String description, int printReports) {
        return writeDir(dir, tmp -> {
            Files.writeString(tmp.resolve("summary.txt"), text(r, description, printReports, true));
            Files.writeString(tmp.resolve("result.json"), toJson(json(r, printReports)));
            Files.writeString(tmp.resolve("timeseries.csv"), r.summary().series().csv());
            charts(tmp, r);
        });
    }

    /** Fills a scratch folder. */
    interface Filler {
        void fill(Path tmp) throws IOException;
    }

    /**
     * Lets {@code fill} write into a scratch folder beside {@code dir}, then moves the files into
     * {@code dir} (created if need be) in name order; an error leaves nothing half-written.
     * Returns the files written.
     */
    static List<Path> writeDir(Path dir, Filler fill) {
        try {
            Path abs = dir.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp");
            try {
                fill.fill(tmp);
                Files.createDirectories(abs);
                List<Path> out = new ArrayList<>();
                try (Stream<Path> files = Files.list(tmp)) {
                    for (Path f : files.sorted().toList()) {
                        Path to = abs.resolve(f.getFileName().toString());
                        Files.move(f, to, StandardCopyOption.REPLACE_EXISTING);
                        out.add(to);
                    }
                }
                return out;
            } finally {
                try (Stream<Path> left = Files.walk(tmp)) {
                    for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void charts(Path dir, ReplayRun.Result r) {
        TimeSeries ts = r.summary().series();
        int n = ts.size();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = ts.timeNs(i) / 1e9;
        }
        List<String> zones = ts.zoneNames();
        String where = r.machine() + ", Linux " + r.kernel() + ", " + r.input().name();
        for (int z = 0; z < zones.size(); z++) {
            List<Series> series = new ArrayList<>();
            for (int o = 0; o < dev.pagealloc.mmzone.Zone.MAX_ORDER; o++) {
                double[] y = new double[n];
                for (int i = 0; i < n; i++) {
                    y[i] = ts.nrFree(i, z, o);
                }
                series.add(new Series("order " + o, x, y));
            }
            String name = zones.get(z);
            Charts.write(new LineChart("Free blocks per order, zone " + name + " (" + where + ")",
                            "emulated time (s)", "free blocks (free_area[order].nr_free)", series, true, true),
                    dir.resolve("free-" + name + ".svg"), dir.resolve("free-" + name + ".png"));
        }
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = ts.failures(i);
        }
        Charts.write(new LineChart("Allocation failures over time (" + where + ")", "emulated time (s)",
                        "failed allocations (cumulative)", List.of(new Series("failures", x, f)), false, true),
                dir.resolve("failures.svg"), dir.resolve("failures.png"));
    }
}
