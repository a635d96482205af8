package dev.pagealloc.harness;

import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.kernel.KernelFeatures;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.kernel.Migratetypes;
import dev.pagealloc.kernel.ProcViews;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.layout.ZoneCounts;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.proc.ZoneinfoParser.Pageset;
import dev.pagealloc.proc.ZoneinfoParser.ParsedZone;
import dev.pagealloc.proc.ZoneinfoParser;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.profile.Thp;
import dev.pagealloc.workloads.Machines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pagealloc show}: boot a machine and print a kernel-format view of it (DESIGN §6). */
@Command(
        name = "show",
        description = {
            "Boot an emulated machine and print what the kernel's /proc files would show.",
            "With no options: the seed machine (seed-4g, 4 GiB x86_64, 2 CPUs) on Linux 2.6.32, /proc/zoneinfo.",
            "With --from-zoneinfo FILE: rebuild the machine a real /proc/zoneinfo describes, boot it (6.1) and",
            "print what the emulator computes; where the file's min/low/high/protection/pagesets differ, a note",
            "on stderr says which and by how much (--compare prints the whole comparison instead)."
        },
        mixinStandardHelpOptions = true)
public final class ShowCommand implements Callable<Integer> {
    enum View {
        zoneinfo,
        buddyinfo,
        pagetypeinfo,
        vmstat,
        meminfo
    }

    @Spec CommandSpec spec;

    @Option(names = "--machine", paramLabel = "NAME|FILE",
            description = "A preset (${COMPLETION-CANDIDATES}) or a machine TOML file. Default: seed-4g, unless --arch/--ram are given.",
            completionCandidates = Presets.class)
    String machine;

    @Option(names = "--arch", paramLabel = "ARCH", description = "x86_64, i386 or i386-pae: synthesize a machine (with --ram).")
    String arch;

    @Option(names = "--ram", paramLabel = "SIZE", description = "RAM of a synthesized machine, e.g. 512M, 4G (default 4G).")
    String ram;

    @Option(names = "--cpus", paramLabel = "N", description = "Number of CPUs (default: the machine's).")
    Integer cpus;

    @Option(names = "--kernel", paramLabel = "VERSION",
            description = "Kernel: one of ${COMPLETION-CANDIDATES} or a release of one (default 2.6.32; 6.1 with --from-zoneinfo).",
            completionCandidates = KernelNames.class)
    String kernel;

    @Option(names = "--thp", paramLabel = "MODE",
            description = "THP mode at boot: always, madvise or never (default: the machine's; always). 6.1 only.")
    String thp;

    @Option(names = "--from-zoneinfo", paramLabel = "FILE",
            description = "Rebuild the machine from a real /proc/zoneinfo (zone spans, present, managed; CPUs from its pagesets; arch from its zones).")
    Path fromZoneinfo;

    @Option(names = "--late-freed-kb", paramLabel = "KB|ZONE=KB,...",
            description = "With --from-zoneinfo: memory freed after the watermarks were set (initrd, init sections), in kB, "
                    + "in the kernel's zone (DMA32 on x86_64, Normal on i386) or per zone. Default: Debian 6.1's "
                    + "(x86_64 9016, i386-pae 1972, i386 1956).")
    String lateFreedKb;

    @Option(names = "--compare", description = "With --from-zoneinfo: print the file's numbers next to the emulator's instead of a view.")
    boolean compare;

    @Option(names = "--view", defaultValue = "zoneinfo", description = "One of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    View view;

    @Option(names = "--json", description = "Print the zones as JSON instead.")
    boolean json;

    static final class Presets implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Machines.PRESETS.iterator();
        }
    }

    @Override
    public Integer call() {
        Kernel chosen = Kernels.byName(kernel != null ? kernel : fromZoneinfo != null ? "6.1" : "2.6.32");
        if ((compare || lateFreedKb != null) && fromZoneinfo == null) {
            throw new UsageException((compare ? "--compare" : "--late-freed-kb") + " goes with --from-zoneinfo FILE");
        }
        Source src = fromZoneinfo != null ? fromZoneinfo(chosen) : null;
        MachineLayout layout = src != null ? src.layout : layout();
        if (thp != null) {
            Thp t;
            try {
                t = Thp.fromCliName(thp);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--thp: " + e.getMessage());
            }
            layout = layout.withThp(t);
        }
        String out;
        String note = null;
        try (Machine m = chosen.boot(layout)) {
            List<Diff> diffs = List.of();
            if (src != null) {
                diffs = compare(src.zones, m);
                // 6.1 recomputes lowmem_reserve from the final managed counts whenever anything reads
                // /proc/sys/vm/lowmem_reserve_ratio (sysctl -a does): the file shows one or the other
                long[][] postcore = new long[m.zones.length][];
                for (int i = 0; i < m.zones.length; i++) {
                    postcore[i] = m.zones[i].lowmemReserve.clone();
                }
                m.kernel.lowmemReserveRatioSysctl(m);
                List<Diff> afterRead = compare(src.zones, m);
                if (afterRead.size() < diffs.size()) {
                    diffs = afterRead;
                    src = src.withProtection("recomputed by a read of /proc/sys/vm/lowmem_reserve_ratio after boot "
                            + "(from the final managed counts)");
                } else {
                    for (int i = 0; i < m.zones.length; i++) {
                        System.arraycopy(postcore[i], 0, m.zones[i].lowmemReserve, 0, postcore[i].length);
                    }
                    src = src.withProtection("as set during boot (before the late frees)");
                }
            }
            if (compare) {
                out = json ? json(m, src, diffs) : comparison(src, m, diffs);
            } else {
                out = json ? json(m, src, diffs) : view(view, m);
                note = src != null && !diffs.isEmpty() ? note(src, diffs) : null;
            }
        }
        var w = spec.commandLine().getOut();
        w.print(out); // built whole first: nothing half-written on error
        w.flush();
        if (note != null) {
            var e = spec.commandLine().getErr();
            e.print(note);
            e.flush();
        }
        return 0;
    }

    /** The kernel-format view of {@code m}, as its kernel prints it. */
    static String view(View v, Machine m) {
        ProcViews views = m.kernel.views();
        return switch (v) {
            case zoneinfo -> views.zoneinfo(m);
            case buddyinfo -> views.buddyinfo(m);
            case pagetypeinfo -> views.pagetypeinfo(m);
            case vmstat -> views.vmstat(m);
            case meminfo -> views.meminfo(m);
        };
    }

    // ------------------------------------------------------------------ --from-zoneinfo

    /** A machine rebuilt from a real /proc/zoneinfo, with what was assumed to rebuild it. */
    record Source(String file, List<ParsedZone> zones, MachineLayout layout, String cpusFrom, String archFrom,
            Map<String, Long> lateFreedKb, String protectionFrom) {
        Source withProtection(String how) {
            return new Source(file, zones, layout, cpusFrom, archFrom, lateFreedKb, how);
        }
    }

    /** One number the file and the emulator disagree on. */
    record Diff(String zone, String field, long file, long emulator) {}

    /** Debian 6.1's late frees: "Freeing initrd memory" (1008K amd64, 1044K 686) + the init sections. */
    static long defaultLateFreedKb(Arch a) {
        return switch (a) {
            case X86_64 -> 1008 + 2036 + 2824 + 2040 + 1108;
            case I386_PAE -> 1044 + 928;
            case I386 -> 1044 + 912;
        };
    }

    Source fromZoneinfo(Kernel chosen) {
        if (machine != null || ram != null) {
            throw new UsageException("give either --from-zoneinfo or --machine/--ram, not both");
        }
        if (!chosen.features().managedPages()) {
            throw new UsageException("--from-zoneinfo rebuilds the machine with present/managed as 3.10+ count them: "
                    + "expected a kernel with managed pages (" + String.join(", ", Kernels.namesWhere(KernelFeatures::managedPages))
                    + "), got " + chosen.name());
        }
        checkCpus(cpus);
        String file = fromZoneinfo.toString();
        String text;
        try {
            text = Files.readString(fromZoneinfo, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file: " + file);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
        List<ParsedZone> zones;
        try {
            zones = ZoneinfoParser.parse(text);
        } catch (ZoneinfoParser.ParseException e) {
            throw new UsageException(file + ":" + e.line + ": " + e.getMessage());
        }
        ParsedZone first = null;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ParsedZone z : zones) {
            if (!seen.add(z.node() + " " + z.name())) {
                throw new UsageException(file + ":" + z.line() + ": expected one /proc/zoneinfo, found zone " + z.name()
                        + " a second time (cut the file to one dump)");
            }
            if (z.node() != 0) {
                throw new UsageException(file + ":" + z.line() + ": expected a single node (node 0), found node "
                        + z.node() + " (NUMA machines are not emulated)");
            }
            if (z.populated() && z.managed() > z.present()) {
                throw new UsageException(file + ":" + z.line() + ": expected managed <= present in zone " + z.name()
                        + ", got " + z.managed() + " > " + z.present());
            }
            if (z.populated() && z.present() > z.spanned()) {
                throw new UsageException(file + ":" + z.line() + ": expected present <= spanned in zone " + z.name()
                        + ", got " + z.present() + " > " + z.spanned());
            }
            if (z.populated() && first == null) {
                first = z;
            }
        }
        if (first == null) {
            throw new UsageException(file + ":" + zones.get(0).line() + ": expected a zone with present pages, found none");
        }
        // the arch: zone names, unless --arch
        Arch a;
        String archFrom;
        if (arch != null) {
            a = Arch.fromCliName(arch);
            archFrom = "--arch";
        } else if (zones.stream().anyMatch(z -> z.name().equals("DMA32"))) {
            a = Arch.X86_64;
            archFrom = "a DMA32 zone";
        } else if (zones.stream().anyMatch(z -> z.name().equals("HighMem"))) {
            a = Arch.I386_PAE;
            archFrom = "a HighMem zone (PAE assumed; --arch i386 for a non-PAE kernel)";
        } else {
            throw new UsageException(file + ":" + zones.get(0).line()
                    + ": expected a DMA32 (x86_64) or HighMem (i386) zone to tell the arch, found neither (give --arch)");
        }
        // the CPUs: --cpus or the pagesets
        int n;
        String cpusFrom;
        if (cpus != null) {
            n = cpus;
            cpusFrom = "--cpus";
        } else if (!first.pagesets().isEmpty()) {
            n = first.pagesets().size();
            cpusFrom = "the file's pagesets";
        } else {
            throw new UsageException(file + ":" + first.line() + ": expected pagesets (\"cpu: N\" lines) in zone "
                    + first.name() + " to count the CPUs (or give --cpus)");
        }
        Map<String, Long> lateKb = lateFreed(a, zones);
        Map<String, Long> latePages = new LinkedHashMap<>();
        lateKb.forEach((z, kb) -> latePages.put(z, kb / 4));
        List<ZoneCounts> counts = new ArrayList<>();
        for (ParsedZone z : zones) {
            counts.add(new ZoneCounts(z.name(), z.startPfn(), Math.max(0, z.spanned()), z.present(), z.managed()));
        }
        MachineLayout l;
        try {
            l = ZoneCounts.layout(fromZoneinfo.getFileName().toString(), a, n, counts, latePages, Thp.ALWAYS,
                    Machines.sectionBits(a));
        } catch (IllegalArgumentException e) {
            throw new UsageException(file + ": cannot rebuild the machine: " + e.getMessage());
        }
        return new Source(file, zones, l, cpusFrom, archFrom, lateKb, null);
    }

    /** --late-freed-kb: "N" (the kernel's zone) or "ZONE=N,ZONE=N"; default Debian 6.1's. */
    private Map<String, Long> lateFreed(Arch a, List<ParsedZone> zones) {
        Map<String, Long> out = new LinkedHashMap<>();
        String kernelZone = ZoneCounts.kernelZone(a);
        if (lateFreedKb == null) {
            out.put(kernelZone, defaultLateFreedKb(a));
            return out;
        }
        for (String part : lateFreedKb.split(",")) {
            String p = part.strip();
            String zone = kernelZone;
            int eq = p.indexOf('=');
            if (eq >= 0) {
                zone = p.substring(0, eq).strip();
                p = p.substring(eq + 1).strip();
                String z = zone;
                if (zones.stream().noneMatch(pz -> pz.name().equals(z))) {
                    throw new UsageException("--late-freed-kb: no zone '" + zone + "' in " + fromZoneinfo
                            + " (expected one of " + String.join(", ", zones.stream().map(ParsedZone::name).toList()) + ")");
                }
            }
            long kb;
            try {
                kb = Long.parseLong(p);
                if (kb < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new UsageException("--late-freed-kb: expected kB as a non-negative integer or ZONE=KB,..., got '"
                        + lateFreedKb + "'");
            }
            out.merge(zone, kb, Long::sum);
        }
        return out;
    }

    /** The file's numbers against the booted machine's, zone by zone (by name). */
    static List<Diff> compare(List<ParsedZone> file, Machine m) {
        List<Diff> out = new ArrayList<>();
        for (Row r : rows(file, m)) {
            if (r.file != r.emulator) {
                out.add(new Diff(r.zone, r.field, r.file, r.emulator));
            }
        }
        return out;
    }

    private record Row(String zone, String field, long file, long emulator) {}

    private static List<Row> rows(List<ParsedZone> file, Machine m) {
        List<Row> out = new ArrayList<>();
        for (ParsedZone f : file) {
            Zone z = null;
            for (Zone mz : m.zones) {
                if (mz.name.equals(f.name())) {
                    z = mz;
                }
            }
            if (z == null) {
                continue;
            }
            String n = f.name();
            add(out, n, "spanned", f.spanned(), z.spannedPages);
            add(out, n, "present", f.present(), z.presentPages);
            add(out, n, "managed", f.managed(), z.managedPages);
            add(out, n, "min", f.min(), z.minWmark());
            add(out, n, "low", f.low(), z.lowWmark());
            add(out, n, "high", f.high(), z.highWmark());
            long[] prot = f.protection();
            for (int i = 0; i < prot.length && i < z.lowmemReserve.length; i++) {
                add(out, n, "protection[" + i + "]", prot[i], z.lowmemReserve[i]);
            }
            if (z.isPopulated()) {
                for (Pageset p : f.pagesets()) {
                    if (p.cpu() < z.pcp.length) {
                        add(out, n, "cpu " + p.cpu() + " high", p.high(), z.pcp[p.cpu()].high);
                        add(out, n, "cpu " + p.cpu() + " batch", p.batch(), z.pcp[p.cpu()].batch);
                    }
                }
            }
        }
        return out;
    }

    private static void add(List<Row> out, String zone, String field, long file, long emulator) {
        if (file >= 0) { // -1: the file does not print it
            out.add(new Row(zone, field, file, emulator));
        }
    }

    private static String describe(Source src, Machine m) {
        StringBuilder late = new StringBuilder();
        src.lateFreedKb.forEach((z, kb) -> late.append(late.isEmpty() ? "" : ", ").append(kb).append(" kB in ").append(z));
        return String.format(Locale.ROOT, "%s, %s (from %s), %d CPUs (from %s), THP %s, freed late: %s;%n"
                + "# protection %s",
                m.kernel.name(), m.layout.arch().cliName, src.archFrom, m.cpus(), src.cpusFrom,
                m.layout.thp().cliName, late.isEmpty() ? "nothing" : late, src.protectionFrom);
    }

    /** The trailing note (stderr) when the file's numbers differ from the emulator's. */
    static String note(Source src, List<Diff> diffs) {
        StringBuilder sb = new StringBuilder();
        sb.append("pagealloc: note: ").append(diffs.size()).append(diffs.size() == 1 ? " number" : " numbers")
                .append(" of ").append(src.file).append(" differ from the emulator's (file -> emulator):");
        int shown = 0;
        for (Diff d : diffs) {
            if (shown++ == 12) {
                sb.append(" ... (--compare lists all)");
                break;
            }
            sb.append(String.format(Locale.ROOT, " %s %s %d -> %d (%+d);", d.zone, d.field, d.file, d.emulator,
                    d.emulator - d.file));
        }
        if (sb.charAt(sb.length() - 1) == ';') {
            sb.setLength(sb.length() - 1);
        }
        return sb.append(hint(src)).append('\n').toString();
    }

    /** What to try when the numbers differ: the defaults the rebuild assumed. */
    private static String hint(Source src) {
        if (!src.lateFreedKb.isEmpty() && src.lateFreedKb.size() == 1) {
            return ". If the kernel image was not in " + src.lateFreedKb.keySet().iterator().next()
                    + " (KASLR moves it: see \"Kernel code\" in /proc/iomem) or its initrd/init sections differ,"
                    + " say so with --late-freed-kb ZONE=KB,... (e.g. DMA32=1008,Normal=8008)";
        }
        return "";
    }

    /** --compare: every number the file prints next to the emulator's. */
    static String comparison(Source src, Machine m, List<Diff> diffs) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(src.file).append(" against the emulator: ").append(describe(src, m)).append('\n');
        sb.append(String.format(Locale.ROOT, "# min_free_kbytes (emulator): %d%n", m.minFreeKbytes()));
        sb.append(String.format(Locale.ROOT, "%-8s %-16s %12s %12s %8s%n", "zone", "field", "file", "emulator", "diff"));
        for (Row r : rows(src.zones, m)) {
            sb.append(String.format(Locale.ROOT, "%-8s %-16s %12d %12d %8s%n", r.zone, r.field, r.file, r.emulator,
                    r.file == r.emulator ? "" : String.format(Locale.ROOT, "%+d", r.emulator - r.file)));
        }
        sb.append(diffs.isEmpty() ? "all equal\n" : diffs.size() + (diffs.size() == 1 ? " number differs" : " numbers differ")
                + hint(src) + "\n");
        return sb.toString();
    }

    MachineLayout layout() {
        checkCpus(cpus);
        MachineLayout l;
        if (arch != null || ram != null) {
            if (machine != null) {
                throw new UsageException("give either --machine or --arch/--ram, not both");
            }
            Arch a = Arch.fromCliName(arch == null ? "x86_64" : arch);
            long bytes = parseSize(ram == null ? "4G" : ram);
            String name = a.cliName + "-" + (ram == null ? "4G" : ram);
            l = Machines.synthesize(name, a, bytes, cpus == null ? 2 : cpus);
        } else {
            l = Machines.resolve(machine == null ? "seed-4g" : machine, cpus);
        }
        if (cpus != null) {
            l = l.withCpus(cpus);
        }
        return l;
    }

    /** The --cpus value of show and replay: 1 … 4096, named by its flag when wrong. */
    static void checkCpus(Integer cpus) {
        if (cpus != null && (cpus < 1 || cpus > 4096)) {
            throw new UsageException("--cpus must be 1 … 4096, got " + cpus);
        }
    }

    /** Parses 512M, 4G, 4GiB, 1T or a plain number of bytes. */
    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long mult = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'K' -> mult = 1L << 10;
            case 'M' -> mult = 1L << 20;
            case 'G' -> mult = 1L << 30;
            case 'T' -> mult = 1L << 40;
            default -> { }
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            if (v <= 0 || v > Long.MAX_VALUE / mult) {
                throw new NumberFormatException();
            }
            return v * mult;
        } catch (NumberFormatException e) {
            throw new UsageException("--ram: '" + s + "' is not a size (expected e.g. 512M, 4G, 64G)");
        }
    }

    static String json(Machine m) {
        return json(m, null, List.of());
    }

    static String json(Machine m, Source src, List<Diff> diffs) {
        KernelFeatures features = m.kernel.features();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", m.layout.name());
        root.put("arch", m.layout.arch().cliName);
        root.put("kernel", m.kernel.name());
        root.put("cpus", m.cpus());
        if (features.thp()) {
            root.put("thp", m.layout.thp().cliName);
        }
        root.put("min_free_kbytes", m.minFreeKbytes());
        root.put("pageblock_order", m.allocator.memMap().pageblockOrder());
        List<Object> zones = new ArrayList<>();
        for (Zone z : m.populatedZones()) {
            Map<String, Object> zj = new LinkedHashMap<>();
            zj.put("node", z.nodeId);
            zj.put("name", z.name);
            zj.put("start_pfn", z.zoneStartPfn);
            zj.put("spanned", z.spannedPages);
            zj.put("present", z.presentPages);
            zj.put("managed", features.managedPages() ? z.managedPages : null); // 2.6.32 has no managed_pages
            zj.put("free", z.freePages());
            zj.put("min", z.minWmark());
            zj.put("low", z.lowWmark());
            zj.put("high", z.highWmark());
            zj.put("lowmem_reserve", z.lowmemReserve.clone());
            List<Object> pcps = new ArrayList<>();
            for (int cpu = 0; cpu < z.pcp.length; cpu++) {
                PerCpuPages p = z.pcp[cpu];
                Map<String, Object> pj = new LinkedHashMap<>();
                pj.put("cpu", cpu);
                pj.put("count", p.count);
                pj.put("high", p.high);
                pj.put("batch", p.batch);
                pcps.add(pj);
            }
            zj.put("pcp", pcps);
            zj.put("free_area", z.nrFree.clone());
            Map<String, Object> byType = new LinkedHashMap<>();
            Map<String, Object> blockMap = new LinkedHashMap<>();
            // the kernel's migratetypes, in its own order (its values), each on its free-list slot
            Migratetypes types = m.kernel.migratetypes();
            long[] blocks = m.kernel.views().pageblockCounts(m, z);
            for (int v = 0; v < types.count(); v++) {
                int[] counts = new int[Zone.MAX_ORDER];
                for (int o = 0; o < Zone.MAX_ORDER; o++) {
                    counts[o] = z.listLen[Zone.slot(o, types.slot(v))];
                }
                byType.put(types.name(v), counts);
                blockMap.put(types.name(v), blocks[v]);
            }
            zj.put("free_area_by_migratetype", byType);
            zj.put("pageblocks_by_migratetype", blockMap);
            zones.add(zj);
        }
        root.put("zones", zones);
        if (src != null) {
            Map<String, Object> from = new LinkedHashMap<>();
            from.put("file", src.file);
            from.put("arch_from", src.archFrom);
            from.put("cpus_from", src.cpusFrom);
            from.put("late_freed_kb", src.lateFreedKb);
            from.put("protection", src.protectionFrom);
            List<Object> ds = new ArrayList<>();
            for (Diff d : diffs) {
                Map<String, Object> dj = new LinkedHashMap<>();
                dj.put("zone", d.zone);
                dj.put("field", d.field);
                dj.put("file", d.file);
                dj.put("emulator", d.emulator);
                dj.put("diff", d.emulator - d.file);
                ds.add(dj);
            }
            from.put("differences", ds);
            root.put("from_zoneinfo", from);
        }
        return Json.write(root) + "\n";
    }
}
