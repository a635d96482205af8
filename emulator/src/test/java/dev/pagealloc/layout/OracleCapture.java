package dev.pagealloc.layout;

import dev.pagealloc.proc.ZoneinfoParser;
import dev.pagealloc.proc.ZoneinfoParser.ParsedZone;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.profile.Thp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One capture of shared/oracle (a real Debian 6.1 kernel booted under QEMU), copied to the test
 * resources: its sections, the first /proc/zoneinfo, and the boot facts the emulator takes as input
 * (arch, CPUs, THP mode, the pages freed late in boot as dmesg reports them).
 */
public final class OracleCapture {
    /** Captures with an allocation failure. */
    public static final Path FAILURES = Path.of("src/test/resources/fixtures/oracle");
    /** Captures of plain boots (and tests without a failure). */
    public static final Path BOOTS = Path.of("src/test/resources/fixtures/oracle-boots");

    public final String name;
    public final String text;

    private OracleCapture(String name, String text) {
        this.name = name;
        this.text = text;
    }

    public static OracleCapture load(String name) {
        try {
            Path p = FAILURES.resolve(name + ".txt");
            return new OracleCapture(name, Files.readString(Files.exists(p) ? p : BOOTS.resolve(name + ".txt")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every 6.1 capture (the 6.12 ones are another kernel). */
    public static List<String> names61() {
        try (Stream<Path> s = Stream.concat(Files.list(FAILURES), Files.list(BOOTS))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".txt") && !n.contains("k6.12"))
                    .map(n -> n.substring(0, n.length() - 4))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of the first section {@code === title ===} (up to the next section). */
    public String section(String title) {
        return section(title, 0);
    }

    /** The body of the first section {@code === title ===} found at or after {@code from}. */
    public String section(String title, int from) {
        String marker = "=== " + title + " ===\n";
        int i = text.indexOf(marker, from);
        if (i < 0) {
            return null;
        }
        int s = i + marker.length();
        int e = text.indexOf("\n=== ", s);
        return e < 0 ? text.substring(s) : text.substring(s, e + 1);
    }

    public int indexOf(String s) {
        return text.indexOf(s);
    }

    public Arch arch() {
        return name.startsWith("x86_64") ? Arch.X86_64 : name.startsWith("i386-pae") ? Arch.I386_PAE : Arch.I386;
    }

    public int cpus() {
        Matcher m = Pattern.compile("-smp(\\d+)").matcher(name);
        m.find();
        return Integer.parseInt(m.group(1));
    }

    public Thp thp() {
        Matcher m = Pattern.compile("enabled: .*\\[(\\w+)\\]").matcher(section("thp"));
        return m.find() ? Thp.fromCliName(m.group(1)) : Thp.NEVER;
    }

    private static final Pattern FREEING = Pattern.compile(
            "Freeing (initrd memory|unused decrypted memory|unused kernel image \\([^)]*\\) memory): (\\d+)K");

    private static final Pattern RAMDISK = Pattern.compile("RAMDISK: \\[mem (0x[0-9a-f]+)-");
    private static final Pattern MOVED = Pattern.compile("Move RAMDISK from .* to \\[mem (0x[0-9a-f]+)-");
    private static final Pattern KERNEL = Pattern.compile("([0-9a-f]+)-[0-9a-f]+ : Kernel code");

    /**
     * Pages freed after the initcalls that set the watermarks, from the boot log, by zone: the
     * initrd where the log says it lies, the init sections where /proc/iomem puts the kernel.
     */
    public Map<String, Long> lateFreed() {
        String log = section("dmesg-boot-full");
        Matcher m = FREEING.matcher(log);
        long initrdKb = 0;
        long kernelKb = 0;
        while (m.find()) {
            if (m.group(1).startsWith("initrd")) {
                initrdKb += Long.parseLong(m.group(2));
            } else {
                kernelKb += Long.parseLong(m.group(2));
            }
        }
        Matcher moved = MOVED.matcher(log);
        Matcher rd = RAMDISK.matcher(log);
        long initrdPfn = moved.find() ? Long.decode(moved.group(1)) >> 12 : rd.find() ? Long.decode(rd.group(1)) >> 12 : -1;
        Matcher k = KERNEL.matcher(section("/proc/iomem"));
        long kernelPfn = k.find() ? Long.parseLong(k.group(1), 16) >> 12 : -1;
        Map<String, Long> out = new HashMap<>();
        for (ParsedZone z : zoneinfo()) {
            if (!z.populated()) {
                continue;
            }
            long s = z.startPfn();
            long e = s + z.spanned();
            if (initrdPfn >= s && initrdPfn < e) {
                out.merge(z.name(), initrdKb / 4, Long::sum);
            }
            if (kernelPfn >= s && kernelPfn < e) {
                out.merge(z.name(), kernelKb / 4, Long::sum);
            }
        }
        return out;
    }

    /** The zones of the first /proc/zoneinfo (read right after boot). */
    public List<ParsedZone> zoneinfo() {
        try {
            return ZoneinfoParser.parse(section("/proc/zoneinfo"));
        } catch (ZoneinfoParser.ParseException e) {
            throw new IllegalStateException(name + ":" + e.line + ": " + e.getMessage(), e);
        }
    }

    /** The machine these zone counts describe, as the emulator lays it out. */
    public MachineLayout layout() {
        List<ZoneCounts> counts = new ArrayList<>();
        for (ParsedZone z : zoneinfo()) {
            counts.add(new ZoneCounts(z.name(), z.startPfn(), z.spanned(), z.present(), z.managed()));
        }
        int sectionBits = switch (arch()) {
            case X86_64 -> 15;
            case I386 -> 14;
            case I386_PAE -> 17;
        };
        return ZoneCounts.layout(name, arch(), cpus(), counts, lateFreed(), thp(), sectionBits);
    }
}
