package dev.pagealloc.harness;

import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.workloads.Machines;
import dev.pagealloc.workloads.replay.ReplaySummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code pagealloc results}: regenerates the committed reports of {@code results/} (issue 7): every
 * {@link #REPORTS compare report} into {@code results/compare/NAME/} through exactly the
 * {@code ./pagealloc compare} command its README.md shows, an index {@code results/compare/README.md}
 * with the key figures of every column, and the stress-highalloc run of {@code results/highalloc/}.
 * Everything is emulated time from fixed seeds, so a rerun gives byte-identical files (a test
 * regenerates and compares with what is committed). The JMH numbers of {@code results/bench/} are
 * wall-clock measurements of the machine that ran them and are not regenerated here.
 */
@Command(
        name = "results",
        description = {
            "Regenerate results/: the compare reports (results/compare/NAME/ with README.md,",
            "table, JSON, SVG and PNG charts), their index results/compare/README.md, and",
            "the stress-highalloc run (results/highalloc/). Deterministic: a rerun diffs clean.",
            "About a minute."
        },
        mixinStandardHelpOptions = true)
public final class ResultsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "The results folder to write (default ${DEFAULT-VALUE}, run from the repository root).")
    Path out;

    @Option(names = "--only", paramLabel = "NAME", split = ",",
            description = "Regenerate only these compare reports (and not the index or highalloc).")
    List<String> only = new ArrayList<>();

    @Option(names = "--list", description = "List the reports and their commands, run nothing.")
    boolean list;

    /**
     * One committed compare report: its folder name, a title, what to look at, and the compare
     * arguments (without {@code --out}, which is {@code results/compare/NAME}).
     */
    record Report(String name, String title, String lookAt, List<String> args) {
        String dir() {
            return "results/compare/" + name;
        }

        List<String> commandArgs() {
            List<String> a = new ArrayList<>(List.of("compare"));
            a.addAll(args);
            a.add("--out");
            a.add(dir());
            return a;
        }
    }

    /** The reports, in the order the index lists them. */
    static final List<Report> REPORTS = List.of(
            new Report("nic-jumbo-vs-sg", "A NIC without scatter/gather against the same traffic with it",
                    "order-3 GFP_ATOMIC refills fail once the page cache fills RAM; the same frames in order-0"
                            + " pages never fail",
                    List.of("nic-jumbo-nosg", "nic-sg", "--machines", "x86_64-4g", "--kernel", "2.6.32")),
            new Report("layouts-1g", "32-bit and 64-bit layouts at 1 GiB",
                    "almost all of 1 GiB is lowmem on every layout, so the NIC job fails on all three",
                    List.of("nic-jumbo-nosg", "--machines", "x86_64-1g,i386-1g,i386-pae-1g", "--kernel", "2.6.32")),
            new Report("layouts-4g", "32-bit and 64-bit layouts at 4 GiB, file and block device page cache",
                    "with a file's page cache i386-PAE keeps lowmem free (HighMem first, lowmem_reserve); with"
                            + " the block device's GFP_USER cache i386-PAE squeezes it into ~870 MiB of lowmem and"
                            + " fails far more often than x86_64",
                    List.of("nic-jumbo-nosg", "nic-jumbo-nosg-bdev", "--machines", "x86_64-4g,i386-pae-4g",
                            "--kernel", "2.6.32")),
            new Report("layouts-16g", "32-bit and 64-bit layouts at 16 GiB, file and block device page cache",
                    "the stream does not fill 16 GiB in 6 s, so only the lowmem-bound block device cache on"
                            + " i386-PAE (lowmem still ~870 MiB, less the 16 GiB memmap) makes the NIC fail",
                    List.of("nic-jumbo-nosg", "nic-jumbo-nosg-bdev", "--machines", "x86_64-16g,i386-pae-16g",
                            "--kernel", "2.6.32")),
            new Report("kernels-4g", "Linux 2.6.32 against 6.1 at 4 GiB, block device page cache",
                    "6.1 (watermark_scale_factor gaps, boosting, per-order pcp lists) fails fewer refills on"
                            + " both layouts; i386-PAE still fails where x86_64 does not",
                    List.of("nic-jumbo-nosg-bdev", "--machines", "x86_64-4g,i386-pae-4g", "--kernel", "2.6.32,6.1")));

    /** The stress-highalloc run of results/highalloc/ (its README.md is written by hand). */
    static final String HIGHALLOC_MACHINE = "qemu-4g";
    static final String HIGHALLOC_KERNEL = "6.1";

    @Override
    public Integer call() throws IOException {
        var w = spec.commandLine().getOut();
        List<Report> chosen = chosen();
        if (list) {
            for (Report r : chosen) {
                w.println(r.name() + ": ./pagealloc " + String.join(" ", r.commandArgs()));
            }
            w.flush();
            return 0;
        }
        Path compareDir = out.resolve("compare");
        List<Indexed> index = new ArrayList<>();
        for (Report r : chosen) {
            Path dir = compareDir.resolve(r.name());
            index.add(new Indexed(r, runReport(r, dir)));
            w.println("results: " + dir + " (" + r.title() + ")");
            w.flush();
        }
        if (only.isEmpty()) {
            AtomicText.write(compareDir.resolve("README.md"), index(index));
            writeHighalloc(out.resolve("highalloc"));
            w.println("results: " + out.resolve("highalloc") + " (stress-highalloc, " + HIGHALLOC_MACHINE + ", Linux "
                    + HIGHALLOC_KERNEL + ")");
        }
        w.flush();
        return 0;
    }

    private List<Report> chosen() {
        if (only.isEmpty()) {
            return REPORTS;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String n : only) {
            names.add(n.strip());
        }
        List<Report> out = new ArrayList<>();
        for (String n : names) {
            Report r = REPORTS.stream().filter(x -> x.name().equals(n)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("--only " + n + ": no such report (expected one of "
                            + String.join(", ", REPORTS.stream().map(Report::name).toList()) + ")"));
            out.add(r);
        }
        return out;
    }

    /** A report with the runs of its columns. */
    private record Indexed(Report report, List<CompareOutput.Run> runs) {}

    /**
     * Runs {@code ./pagealloc compare ARGS --out results/compare/NAME} into {@code dir}: the same
     * command object and options the command line builds, so the README's command is what ran.
     * The old folder is replaced only once the new one is complete, so no stale chart survives.
     */
    private List<CompareOutput.Run> runReport(Report r, Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path scratch = Files.createTempDirectory(abs.getParent(), "." + r.name() + ".new");
        Path fresh = scratch.resolve(r.name());
        try {
            CompareCommand c = new CompareCommand();
            c.readmeOut = r.dir();
            CommandLine cl = Cli.configure(new CommandLine(c));
            cl.setOut(new PrintWriter(Writer.nullWriter()));
            cl.setErr(new PrintWriter(Writer.nullWriter()));
            List<String> args = new ArrayList<>(r.commandArgs().subList(1, r.commandArgs().size() - 1));
            args.add(fresh.toString());
            int rc = cl.execute(args.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException("results: report " + r.name() + ": ./pagealloc "
                        + String.join(" ", r.commandArgs()) + " exited " + rc);
            }
            deleteTree(abs);
            Files.move(fresh, abs, StandardCopyOption.ATOMIC_MOVE);
            return c.lastRuns;
        } finally {
            deleteTree(scratch);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** results/highalloc/qemu-4g-6.1.txt and .json: the text and --json of one stress-highalloc run. */
    private static void writeHighalloc(Path dir) throws IOException {
        MachineLayout layout = Machines.resolve(HIGHALLOC_MACHINE);
        Kernel kernel = Kernels.byName(HIGHALLOC_KERNEL);
        List<HighallocCommand.Run> runs = new ArrayList<>();
        for (boolean on : List.of(true, false)) {
            runs.add(new HighallocCommand.Stress(layout, kernel, 9, null, on, 1, false).run());
        }
        String base = HIGHALLOC_MACHINE + "-" + HIGHALLOC_KERNEL;
        Files.createDirectories(dir);
        AtomicText.write(dir.resolve(base + ".txt"), HighallocCommand.text(HIGHALLOC_MACHINE, kernel, runs));
        AtomicText.write(dir.resolve(base + ".json"), HighallocCommand.json(HIGHALLOC_MACHINE, kernel, runs));
    }

    // ------------------------------------------------------------------ the index

    /** results/compare/README.md: one table of key figures per report, linking to it. */
    static String index(List<Indexed> reports) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Compare reports: key figures\n\n");
        sb.append("Generated by `./pagealloc results` (do not edit: rerun it). Each report's folder has the full\n");
        sb.append("table, the JSON, the charts and the one command that regenerates it; `results/README.md`\n");
        sb.append("explains what they show. Pages are 4 KiB, times are emulated seconds, `-` means none.\n");
        for (Indexed ix : reports) {
            Report r = ix.report();
            sb.append("\n## [").append(r.name()).append("](").append(r.name()).append("/README.md): ")
                    .append(r.title()).append("\n\n");
            sb.append("Look at: ").append(r.lookAt()).append(".\n\n");
            sb.append("```sh\n./pagealloc ").append(String.join(" ", r.commandArgs())).append("\n```\n\n");
            sb.append("| workload | machine | kernel | failed allocations | first failure (s) | lowmem min free | "
                    + "lowmem peak used / present | HighMem peak used / present | kswapd reclaimed | "
                    + "direct reclaimed |\n");
            sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (CompareOutput.Run run : ix.runs()) {
                ReplaySummary s = run.summary();
                boolean high = run.column().layout().arch().hasHighmem();
                sb.append("| ").append(run.column().input().name())
                        .append(" | ").append(run.column().layout().name())
                        .append(" | ").append(run.column().kernel().name())
                        .append(" | ").append(s.allocFailures())
                        .append(" | ").append(CompareOutput.time(s.firstFailureNs()))
                        .append(" | ").append(s.lowmemMinFreePages())
                        .append(" | ").append(s.lowmemPeakUsedPages()).append(" / ").append(s.lowmemPresentPages())
                        .append(" | ").append(high ? s.highmemPeakUsedPages() + " / " + s.highmemPresentPages() : "-")
                        .append(" | ").append(s.kswapdReclaimed())
                        .append(" | ").append(s.directReclaimed()).append(" |\n");
            }
        }
        return sb.toString();
    }

    /** Text files written whole through a temporary sibling. */
    private static final class AtomicText {
        static void write(Path target, String text) throws IOException {
            Path abs = target.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }

        private AtomicText() {}
    }
}
