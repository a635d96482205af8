package dev.pagealloc.harness.bench;

import dev.pagealloc.report.Explainer;
import dev.pagealloc.report.Explanation;
import dev.pagealloc.report.FailureReport;
import dev.pagealloc.report.ReportParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code explain} on a 10,000-line dmesg holding 20 real reports (2.6.29, 2.6.32, 5.4 and 5.13
 * ones, cycled) among ordinary kernel chatter: parse and explain everything, as the CLI does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ExplainBench {
    static final String[] REPORTS = {"seed-001.txt", "040-virtio_net-order0-atomic-5.4-x86_64-kvm.txt",
        "006-webcontent-order7-atomic-5.13-x86_64.txt", "011-forcedeth-order1-atomic-2.6.29-i386-highmem.txt"};

    String dmesg;

    @Setup(Level.Trial)
    public void build() throws IOException {
        List<String> reports = new ArrayList<>();
        for (String r : REPORTS) {
            try (InputStream in = ExplainBench.class.getResourceAsStream(r)) {
                reports.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        dmesg = dmesg10k(reports);
    }

    /** 10,000 lines: 20 reports, cycling through {@code reports}, between lines of ordinary dmesg. */
    static String dmesg10k(List<String> reports) {
        StringBuilder sb = new StringBuilder();
        int lines = 0;
        int reportLines = 0;
        for (String r : reports) {
            reportLines += (int) r.lines().count();
        }
        int perGap = (10_000 - reportLines * 5) / 20;
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j < perGap; j++) {
                sb.append(String.format(Locale.ROOT, "[%6d.%06d] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex%n",
                        i * 100 + j / 10, j * 997 % 1_000_000));
                lines++;
            }
            String r = reports.get(i % reports.size());
            sb.append(r).append('\n');
            lines += (int) r.lines().count();
        }
        while (lines < 10_000) {
            sb.append("[99999.000000] usb 1-1: new high-speed USB device number 3 using ehci-pci\n");
            lines++;
        }
        return sb.toString();
    }

    @Benchmark
    public int explain_10k_lines_20_reports() {
        List<FailureReport> rs = ReportParser.parse(dmesg);
        int n = 0;
        for (FailureReport r : rs) {
            Explanation e = Explainer.explain(r, null);
            n += e.zones().size();
        }
        if (rs.size() != 20) {
            throw new IllegalStateException("expected 20 reports, parsed " + rs.size());
        }
        return n;
    }
}
