package dev.pagealloc.harness;

import dev.pagealloc.harness.bench.AllocatorBench;
import dev.pagealloc.harness.bench.BootBench;
import dev.pagealloc.harness.bench.ExplainBench;
import dev.pagealloc.harness.bench.PgwBench;
import dev.pagealloc.harness.bench.ReclaimBench;
import dev.pagealloc.harness.bench.ReplayBench;
import dev.pagealloc.harness.bench.TraceParseBench;
import dev.pagealloc.kernel.Kernels;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code pagealloc bench}: the JMH suite of {@code dev.pagealloc.harness.bench}, run in-process
 * with {@link Runner}. Forks start from this same shaded jar (JMH takes {@code java.class.path})
 * on this same JDK.
 *
 * <p>The suite runs in two groups: the hot paths (average time per op over timed iterations) and
 * the 64 GiB boot (single shots, one boot per iteration, since one boot takes a good part of a
 * second). A full run also writes JMH's JSON and a Markdown summary to {@code results/bench/}.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Run the JMH benchmarks (alloc/free fast paths, watermark check, 64 GiB boot).",
            "A full run takes about 2 minutes and writes results/bench/<date>-jmh.json and"
                    + " <date>-summary.md; --quick takes under a minute and writes nothing."
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--quick", description = "Short run: 1 fork, 1 × 1 s warmup, 3 × 1 s measurement (boot: 3 + 5 single shots); writes no files.")
    boolean quick;

    @Option(names = "--json", description = "Print the results to stdout as a JSON array of {name, ns_per_op, error_ns}; JMH's progress goes to stderr.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "Where a full run writes its files (default: results/bench in the repository).")
    Path out;

    /** Every benchmark class of the suite, in the order a run takes them. */
    static final List<Class<?>> BENCHES = List.of(AllocatorBench.class, BootBench.class, ExplainBench.class,
            ReclaimBench.class, PgwBench.class, ReplayBench.class, TraceParseBench.class);

    /** One group of benchmarks run with the same JMH options. */
    private record Group(Class<?> benchClass, int forks, int warmups, int warmupSeconds, int iterations,
            int iterationSeconds) {
        String describe() {
            return iterationSeconds == 0
                    ? String.format("%d fork(s), %d warmup + %d measured single shots", forks, warmups, iterations)
                    : String.format("%d fork(s), %d × %d s warmup, %d × %d s measurement", forks, warmups,
                            warmupSeconds, iterations, iterationSeconds);
        }
    }

    /** One line of the result table. */
    private record Row(String name, String mode, double nsPerOp, double errorNs, String unit) {}

    @Override
    public Integer call() throws IOException, RunnerException {
        List<Group> groups = quick
                ? List.of(new Group(AllocatorBench.class, 1, 1, 1, 3, 1), new Group(BootBench.class, 1, 3, 0, 5, 0),
                        new Group(ExplainBench.class, 1, 2, 1, 3, 1), new Group(ReclaimBench.class, 1, 2, 0, 5, 0),
                        new Group(PgwBench.class, 1, 2, 1, 3, 1), new Group(ReplayBench.class, 1, 2, 1, 3, 1),
                        new Group(TraceParseBench.class, 1, 2, 1, 3, 1))
                : List.of(new Group(AllocatorBench.class, 2, 3, 2, 5, 2), new Group(BootBench.class, 2, 5, 0, 10, 0),
                        new Group(ExplainBench.class, 2, 3, 2, 5, 2), new Group(ReclaimBench.class, 2, 3, 0, 10, 0),
                        new Group(PgwBench.class, 2, 3, 2, 5, 2), new Group(ReplayBench.class, 2, 3, 2, 5, 2),
                        new Group(TraceParseBench.class, 2, 3, 2, 5, 2));
        Path outDir = null;
        String date = LocalDate.now().toString();
        if (!quick) {
            outDir = out != null ? out : defaultOutDir();
            Files.createDirectories(outDir);
        }

        // stdout must hold only the JSON when --json is given: JMH talks on stderr then.
        PrintStream console = json ? System.err : System.out;
        OutputFormat format = OutputFormatFactory.createFormatInstance(console, VerboseMode.NORMAL);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<RunResult> results = new ArrayList<>();
        List<Path> jmhFiles = new ArrayList<>();
        try {
            for (Group g : groups) {
                ChainedOptionsBuilder ob = new OptionsBuilder()
                        .include("^" + Pattern.quote(g.benchClass().getName() + ".") + ".*")
                        .jvm(javaBin)
                        .jvmArgs() // not this JVM's flags again: @Fork's jvmArgsAppend has them
                        .forks(g.forks())
                        .warmupIterations(g.warmups())
                        .measurementIterations(g.iterations())
                        .shouldFailOnError(true);
                if (hasKernelParam(g.benchClass())) {
                    ob.param("kernel", Kernels.names().toArray(String[]::new)); // every registered kernel
                }
                if (g.iterationSeconds() > 0) {
                    ob.warmupTime(TimeValue.seconds(g.warmupSeconds()))
                            .measurementTime(TimeValue.seconds(g.iterationSeconds()));
                }
                if (outDir != null) {
                    Path f = Files.createTempFile("pagealloc-jmh-", ".json");
                    jmhFiles.add(f);
                    ob.result(f.toString()).resultFormat(ResultFormatType.JSON);
                }
                results.addAll(new Runner(ob.build(), format).run());
            }
            List<Row> rows = rows(results);
            console.println(); // JMH's last line has no line break
            if (!json) {
                console.println();
                console.print(table(rows));
            }
            if (outDir != null) {
                Path jmhJson = outDir.resolve(date + "-jmh.json");
                mergeJmhJson(jmhFiles, jmhJson);
                Path summary = outDir.resolve(date + "-summary.md");
                Files.writeString(summary, summary(date, groups, rows, jmhJson.getFileName().toString()));
                console.println("pagealloc: wrote " + jmhJson + " and " + summary);
            }
            if (json) {
                System.out.println(jsonArray(rows));
            }
            return Cli.EXIT_OK;
        } finally {
            for (Path f : jmhFiles) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Whether the benchmark class runs once per kernel (a {@code kernel} {@code @Param} field). */
    static boolean hasKernelParam(Class<?> benchClass) {
        try {
            return benchClass.getField("kernel").isAnnotationPresent(org.openjdk.jmh.annotations.Param.class);
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    private static List<Row> rows(List<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            Result<?> p = r.getPrimaryResult();
            String bench = r.getParams().getBenchmark();
            String kernel = r.getParams().getParam("kernel");
            String name = bench.substring(bench.lastIndexOf('.') + 1) + (kernel == null ? "" : " [" + kernel + "]");
            double scale = nsPerUnit(p.getScoreUnit());
            rows.add(new Row(name, r.getParams().getMode().shortLabel(), p.getScore() * scale,
                    p.getScoreError() * scale, p.getScoreUnit()));
        }
        return rows;
    }

    /** Nanoseconds per time unit of a JMH score unit such as {@code ns/op} or {@code ms/op}. */
    private static double nsPerUnit(String unit) {
        String u = unit.substring(0, unit.indexOf('/') < 0 ? unit.length() : unit.indexOf('/'));
        return switch (u) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> throw new IllegalStateException("unexpected JMH score unit " + unit);
        };
    }

    private static String jsonArray(List<Row> rows) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("ns_per_op", finite(r.nsPerOp()));
            m.put("error_ns", finite(r.errorNs()));
            list.add(m);
        }
        return Json.write(list);
    }

    /**
     * Nanoseconds to three decimals, written plain (no exponent). JMH reports the error as NaN
     * when there are too few samples; JSON has no NaN, so that becomes null.
     */
    private static BigDecimal finite(double d) {
        return Double.isFinite(d) ? BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_EVEN) : null;
    }

    private static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| benchmark | mode | ns/op | ± error (99.9 %) |\n");
        sb.append("|---|---|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", r.name(), r.mode(),
                    number(r.nsPerOp()), Double.isFinite(r.errorNs()) ? number(r.errorNs()) : "n/a"));
        }
        return sb.toString();
    }

    private static String number(double d) {
        return d >= 1000 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.3f", d);
    }

    /** Concatenates the JSON arrays JMH wrote for each group into one file. */
    private static void mergeJmhJson(List<Path> parts, Path target) throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        ArrayNode all = Json.newArray();
        for (Path p : parts) {
            JsonNode n = mapper.readTree(Files.readString(p));
            n.forEach(all::add);
        }
        Files.writeString(target, Json.write(all) + "\n");
    }

    private String summary(String date, List<Group> groups, List<Row> rows, String jmhJson) {
        StringBuilder sb = new StringBuilder();
        sb.append("# pagealloc JMH benchmarks, ").append(date).append("\n\n");
        sb.append("- Command: `").append(command()).append("`\n");
        sb.append("- Machine: ").append(cpuModel()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs available, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append('\n');
        sb.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.vm.version")).append(" (")
                .append(System.getProperty("java.vm.vendor")).append(")\n");
        sb.append("- JVM flags: --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow\n");
        for (Group g : groups) {
            sb.append("- ").append(g.benchClass().getSimpleName()).append(": ").append(g.describe()).append('\n');
        }
        sb.append("- JMH's own results: [`").append(jmhJson).append("`](").append(jmhJson).append(")\n\n");
        sb.append(table(rows));
        sb.append("\nMachines are the `x86_64-4g` and `x86_64-64g` presets of `workloads/machines/`;"
                + " a benchmark with [kernel] after its name ran once per registered kernel."
                + " Numbers from a shared or 2-core machine are indicative only.\n");
        return sb.toString();
    }

    /** The command as typed, for the summary. */
    private String command() {
        List<String> args = spec.root().commandLine().getParseResult().originalArgs();
        return "./pagealloc " + String.join(" ", args);
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst()
                        .orElse("unknown CPU");
            } catch (IOException | UncheckedIOException e) {
                // fall through
            }
        }
        return "unknown CPU (" + System.getProperty("os.arch") + ")";
    }

    /**
     * {@code results/bench} in the repository this jar was built in (found by walking up from the
     * jar to the directory holding {@code harness/pom.xml}), else under the current directory.
     */
    static Path defaultOutDir() {
        try {
            Path p = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = p.toAbsolutePath().getParent(); d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("harness/pom.xml")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                    return d.resolve("results/bench");
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through
        }
        return Path.of("results", "bench").toAbsolutePath();
    }
}
