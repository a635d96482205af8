package dev.pagealloc.harness;

import dev.pagealloc.layout.Boot;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.proc.MeminfoView2632;
import dev.pagealloc.proc.ProcViews2632;
import dev.pagealloc.proc.VmstatView2632;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.profile.KernelProfile;
import dev.pagealloc.workloads.Machines;
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
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code pagealloc show}: boot a machine and print a kernel-format view of it (DESIGN §6). */
@Command(
        name = "show",
        description = {
            "Boot an emulated machine and print what the kernel's /proc files would show.",
            "With no options: the seed machine (seed-4g, 4 GiB x86_64, 2 CPUs) on Linux 2.6.32, /proc/zoneinfo."
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

    @Option(names = "--kernel", paramLabel = "VERSION", defaultValue = "2.6.32", description = "Kernel profile (default ${DEFAULT-VALUE}).")
    String kernel;

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
        KernelProfile profile = KernelProfile.byName(kernel);
        MachineLayout layout = layout();
        String out;
        try (Machine m = Boot.boot(layout, profile)) {
            out = json ? json(m) : switch (view) {
                case zoneinfo -> ProcViews2632.zoneinfo(m);
                case buddyinfo -> ProcViews2632.buddyinfo(m);
                case pagetypeinfo -> ProcViews2632.pagetypeinfo(m);
                case vmstat -> VmstatView2632.vmstat(m, null);
                case meminfo -> MeminfoView2632.meminfo(m, null, 0);
            };
        }
        var w = spec.commandLine().getOut();
        w.print(out); // built whole first: nothing half-written on error
        w.flush();
        return 0;
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
            l = Machines.resolve(machine == null ? "seed-4g" : machine);
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
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", m.layout.name());
        root.put("arch", m.layout.arch().cliName);
        root.put("kernel", m.profile.name);
        root.put("cpus", m.cpus());
        root.put("min_free_kbytes", m.minFreeKbytes);
        root.put("pageblock_order", m.allocator.memMap().pageblockOrder());
        List<Object> zones = new ArrayList<>();
        for (Zone z : m.populatedZones()) {
            Map<String, Object> zj = new LinkedHashMap<>();
            zj.put("node", z.nodeId);
            zj.put("name", z.name);
            zj.put("start_pfn", z.zoneStartPfn);
            zj.put("spanned", z.spannedPages);
            zj.put("present", z.presentPages);
            zj.put("managed", null); // 2.6.32 has no managed_pages
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
            for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
                int[] counts = new int[Zone.MAX_ORDER];
                for (int o = 0; o < Zone.MAX_ORDER; o++) {
                    counts[o] = z.listLen[Zone.slot(o, mt)];
                }
                byType.put(MigrateType.of(mt).kernelName, counts);
            }
            zj.put("free_area_by_migratetype", byType);
            long[] blocks = ProcViews2632.pageblockCounts(m, z);
            Map<String, Object> blockMap = new LinkedHashMap<>();
            for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
                blockMap.put(MigrateType.of(mt).kernelName, blocks[mt]);
            }
            zj.put("pageblocks_by_migratetype", blockMap);
            zones.add(zj);
        }
        root.put("zones", zones);
        ObjectMapper om = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        return om.writeValueAsString(root) + "\n";
    }
}
