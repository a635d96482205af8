package dev.pagealloc.workloads;

import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.layout.PfnRange;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.profile.Thp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * Machine layouts from TOML files (the presets in {@code workloads/machines/} or a user's file)
 * or synthesized from {@code --arch --ram --cpus}.
 *
 * <p>A file gives {@code name}, {@code arch} (x86_64, i386, i386-pae), {@code cpus}, and either
 * {@code ram_mb} (an e820 map laid out as QEMU's i440fx + SeaBIOS would) or explicit {@code ram}
 * ranges of usable RAM in bytes ({@code { start = 0x0, end = 0x9f000 }}, end exclusive), plus
 * optional {@code reserved} ranges (never freed to the buddy allocator), {@code dma_reserve_pages}
 * and {@code max_low_pfn} (i386). For 6.1 boots a file may also give {@code late_freed} ranges
 * (reserved while the watermarks are computed, freed at the end of boot: the initrd, the kernel's
 * init sections), {@code thp} (always, madvise, never: the boot's THP mode) and
 * {@code percpu = { pages_per_cpu = 62, end = 0x… }}: the per-CPU areas, {@code cpus ×
 * pages_per_cpu} pages reserved just below {@code end} (memblock allocates them top-down), so a
 * machine with more CPUs has that much less managed memory. The {@code qemu-*} presets reproduce
 * the oracle captures of a real 6.1 kernel under QEMU.
 */
public final class Machines {
    /** The presets shipped in workloads/machines/. */
    public static final List<String> PRESETS =
            List.of("seed-4g", "x86_64-1g", "x86_64-4g", "x86_64-16g", "x86_64-64g", "i386-1g", "i386-pae-1g",
                    "i386-pae-4g", "i386-pae-16g",
                    "qemu-512m", "qemu-1g", "qemu-2g", "qemu-4g", "qemu-8g");

    private static final List<String> KEYS = List.of("name", "arch", "cpus", "ram_mb", "ram", "reserved",
            "dma_reserve_pages", "max_low_pfn", "late_freed", "thp", "percpu");

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final TomlMapper TOML = new TomlMapper();

    private Machines() {}

    /** A preset by name, e.g. {@code seed-4g}. */
    public static MachineLayout preset(String name) {
        return preset(name, null);
    }

    /** A preset with {@code cpus} CPUs (null: the preset's own), its per-CPU areas sized to match. */
    public static MachineLayout preset(String name, Integer cpus) {
        if (!PRESETS.contains(name)) {
            throw new IllegalArgumentException(
                    "unknown machine '" + name + "' (expected a file name or one of "
                            + String.join(", ", PRESETS) + ")");
        }
        String res = "/dev/pagealloc/workloads/machines/" + name + ".toml";
        try (InputStream in = Machines.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("preset " + res + " missing from the build");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "machines/" + name + ".toml", cpus);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A preset name, or the path of a TOML file. */
    public static MachineLayout resolve(String nameOrFile) {
        return resolve(nameOrFile, null);
    }

    /**
     * A preset name or a TOML file, with {@code cpus} CPUs (null: the file's). Prefer this to
     * {@link MachineLayout#withCpus}: a file's {@code percpu} areas grow with the CPU count.
     */
    public static MachineLayout resolve(String nameOrFile, Integer cpus) {
        if (PRESETS.contains(nameOrFile)) {
            return preset(nameOrFile, cpus);
        }
        Path p = Path.of(nameOrFile);
        if (nameOrFile.endsWith(".toml") || Files.exists(p)) {
            return load(p, cpus);
        }
        return preset(nameOrFile); // throws "unknown machine"
    }

    /** Loads a machine file. */
    public static MachineLayout load(Path file) {
        return load(file, null);
    }

    /** Loads a machine file, with {@code cpus} CPUs (null: the file's). */
    public static MachineLayout load(Path file, Integer cpus) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new MachineFileException(file.toString(), 0, "cannot read: " + e.getMessage());
        }
        return parse(text, file.toString(), cpus);
    }

    /**
     * Reads TOML text; a syntax error becomes {@code where:line: malformed TOML: <first line of
     * the parser's message>}. Machine files and both kinds of job file read through here.
     */
    public static JsonNode readToml(String text, String where) {
        try {
            return TOML.readTree(text);
        } catch (JacksonException e) {
            int line = e.getLocation() != null ? e.getLocation().getLineNr() : 0;
            String msg = e.getOriginalMessage();
            int nl = msg.indexOf('\n');
            throw new MachineFileException(where, line,
                    "malformed TOML: " + (nl >= 0 ? msg.substring(0, nl) : msg));
        }
    }

    /** Parses machine TOML; {@code where} names the source in error messages. */
    public static MachineLayout parse(String text, String where) {
        return parse(text, where, null);
    }

    /** Parses machine TOML with {@code cpusOverride} CPUs (null: the file's {@code cpus}). */
    public static MachineLayout parse(String text, String where, Integer cpusOverride) {
        JsonNode root = readToml(text, where);
        Src src = new Src(text, where);
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!KEYS.contains(e.getKey())) {
                throw src.error(e.getKey(), "unknown key '" + e.getKey()
                        + "' (expected " + String.join(", ", KEYS) + ")");
            }
        }
        String name = root.has("name") ? root.get("name").asString() : where;
        if (!root.has("arch")) {
            throw src.error(null, "missing 'arch' (expected x86_64, i386 or i386-pae)");
        }
        Arch arch;
        try {
            arch = Arch.fromCliName(root.get("arch").asString());
        } catch (IllegalArgumentException ex) {
            throw src.error("arch", ex.getMessage());
        }
        int cpus = root.has("cpus") ? integer(root, "cpus", src).intValue() : 1;
        if (cpus < 1 || cpus > 4096) {
            throw src.error("cpus", "cpus must be 1 … 4096, got " + cpus);
        }
        if (cpusOverride != null) {
            cpus = cpusOverride;
        }
        Thp thp = Thp.ALWAYS;
        if (root.has("thp")) {
            try {
                thp = Thp.fromCliName(root.get("thp").asString());
            } catch (IllegalArgumentException ex) {
                throw src.error("thp", ex.getMessage());
            }
        }
        List<PfnRange> lateFreed = root.has("late_freed")
                ? ranges(root.get("late_freed"), "late_freed", src, true) : List.of();
        PfnRange percpu = root.has("percpu") ? percpu(root.get("percpu"), cpus, src) : null;
        long maxLowPfn = root.has("max_low_pfn") ? integer(root, "max_low_pfn", src) : 0;
        try {
            if (root.has("ram_mb")) {
                if (root.has("ram")) {
                    throw src.error("ram", "give either ram_mb or ram ranges, not both");
                }
                long mb = integer(root, "ram_mb", src);
                MachineLayout l = synthesize(name, arch, mb * MIB, cpus);
                List<PfnRange> reserved = new ArrayList<>(l.reserved());
                if (percpu != null) {
                    reserved.add(percpu);
                }
                return new MachineLayout(l.name(), l.arch(), l.cpus(), l.ram(), reserved, l.dmaReserve(),
                        maxLowPfn, l.sectionBits(), lateFreed, thp);
            }
            if (!root.has("ram")) {
                throw src.error(null, "missing 'ram' ranges or 'ram_mb'");
            }
            List<PfnRange> ram = ranges(root.get("ram"), "ram", src, true);
            List<PfnRange> reserved = new ArrayList<>(root.has("reserved")
                    ? ranges(root.get("reserved"), "reserved", src, false) : List.of());
            if (percpu != null) {
                for (PfnRange r : reserved) {
                    if (r.start() < percpu.end() && percpu.start() < r.end()) {
                        throw src.error("percpu", String.format(
                                "the per-CPU areas of %d CPUs (%#x-%#x) overlap reserved '%s' (expected them below it)",
                                cpus, percpu.start() << 12, percpu.end() << 12, r.label()));
                    }
                }
                reserved.add(percpu);
            }
            for (PfnRange l : lateFreed) {
                for (PfnRange r : reserved) {
                    if (r.start() < l.end() && l.start() < r.end()) {
                        throw src.error("late_freed", String.format(
                                "late_freed range %#x-%#x overlaps reserved '%s' (expected disjoint ranges)",
                                l.start() << 12, l.end() << 12, r.label()));
                    }
                }
            }
            long dmaReserve = root.has("dma_reserve_pages") ? integer(root, "dma_reserve_pages", src) : 0;
            return new MachineLayout(name, arch, cpus, ram, reserved, dmaReserve, maxLowPfn,
                    sectionBits(arch), lateFreed, thp);
        } catch (MachineFileException ex) {
            throw ex;
        } catch (IllegalArgumentException ex) {
            throw src.error("ram", ex.getMessage());
        }
    }

    private static Long integer(JsonNode root, String key, Src src) {
        JsonNode n = root.get(key);
        if (!n.isIntegralNumber() || n.asLong() < 0) {
            throw src.error(key, "'" + key + "' must be a non-negative integer, got " + n);
        }
        return n.asLong();
    }

    /** {@code percpu = { pages_per_cpu = N, end = ADDR }}: cpus × N pages just below end. */
    private static PfnRange percpu(JsonNode n, int cpus, Src src) {
        if (!n.isObject() || !n.has("pages_per_cpu") || !n.has("end")
                || !n.get("pages_per_cpu").isIntegralNumber() || !n.get("end").isIntegralNumber()
                || n.get("pages_per_cpu").asLong() < 0 || n.get("end").asLong() <= 0) {
            throw src.error("percpu", "expected percpu = { pages_per_cpu = N, end = ADDRESS } (non-negative integers)");
        }
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!List.of("pages_per_cpu", "end").contains(e.getKey())) {
                throw src.error("percpu", "unknown percpu key '" + e.getKey() + "' (expected pages_per_cpu, end)");
            }
        }
        long end = n.get("end").asLong() >>> 12;
        long pages = cpus * n.get("pages_per_cpu").asLong();
        if (pages > end) {
            throw src.error("percpu", "the per-CPU areas of " + cpus + " CPUs do not fit below "
                    + String.format("%#x", end << 12) + " (expected a higher end)");
        }
        return new PfnRange(end - pages, end, "percpu areas (" + cpus + " CPUs)");
    }

    private static List<PfnRange> ranges(JsonNode arr, String key, Src src, boolean ram) {
        if (!arr.isArray()) {
            throw src.error(key, "'" + key + "' must be an array of { start = …, end = … } tables");
        }
        List<PfnRange> out = new ArrayList<>();
        for (JsonNode r : arr) {
            if (!r.has("start") || !r.has("end") || !r.get("start").isIntegralNumber()
                    || !r.get("end").isIntegralNumber()) {
                throw src.error(key, "each '" + key + "' entry needs integer start and end (bytes)");
            }
            long start = r.get("start").asLong();
            long end = r.get("end").asLong();
            if (end <= start) {
                throw src.error(key, String.format("%s range %#x-%#x is empty or reversed", key, start, end));
            }
            // e820 ranges are byte ranges; the kernel keeps whole pages inside usable RAM
            // (PFN_UP(start) … PFN_DOWN(end)) and reserves whole pages touched by a reservation.
            long s = ram ? (start + 4095) >>> 12 : start >>> 12;
            long e = ram ? end >>> 12 : (end + 4095) >>> 12;
            out.add(new PfnRange(s, e, r.has("what") ? r.get("what").asString() : key));
        }
        return out;
    }

    /**
     * An e820 map as QEMU's i440fx machine with SeaBIOS builds it: RAM from 0 to 0x9f000, then
     * from 1 MiB up to the low-memory end minus SeaBIOS's 128 KiB, where the low-memory end is all
     * of RAM below 3.5 GiB and 3 GiB otherwise, the rest above 4 GiB. Non-PAE i386 cannot reach
     * above 4 GiB: like the kernel ("only 4GB will be used") it drops that part. Reserved: the
     * BIOS page at 0 and the kernel image with its memmap from the 16 MiB load address.
     */
    public static MachineLayout synthesize(String name, Arch arch, long ramBytes, int cpus) {
        long limit = arch == Arch.I386 ? 4 * GIB : arch.maxAddressablePfn() << 12;
        if (ramBytes < 32 * MIB) {
            throw new IllegalArgumentException("--ram must be at least 32M, got " + (ramBytes / MIB) + "M");
        }
        if (ramBytes > limit) {
            throw new IllegalArgumentException(String.format(
                    "%s cannot address %d MiB of RAM: at most %d MiB%s", arch.cliName, ramBytes / MIB,
                    limit / MIB, arch == Arch.I386 ? " (use --arch i386-pae)" : ""));
        }
        if ((ramBytes >>> 12) > Integer.MAX_VALUE - (1 << 30)) {
            throw new IllegalArgumentException("at most 4 TiB of RAM can be emulated");
        }
        long lowmem = ramBytes >= 0xe0000000L ? 3 * GIB : ramBytes;
        List<PfnRange> ram = new ArrayList<>();
        ram.add(new PfnRange(0, 0x9f, "e820 usable"));
        ram.add(new PfnRange(0x100, (lowmem - 0x20000) >>> 12, "e820 usable"));
        long high = ramBytes - lowmem;
        if (high > 0) {
            long start = 4 * GIB;
            long end = start + high;
            if (arch == Arch.I386) {
                end = Math.min(end, 4 * GIB); // only 4GB will be used
            }
            if (end > start) {
                ram.add(new PfnRange(start >>> 12, end >>> 12, "e820 usable"));
            }
        }
        long maxPfn = ram.get(ram.size() - 1).end();
        int structPage = arch == Arch.X86_64 ? 64 : 32;
        long memmapPages = (maxPfn * structPage + 4095) >>> 12;
        long kernelStart = 16 * MIB >>> 12;
        long kernelPages = 16 * MIB >>> 12;
        List<PfnRange> reserved = List.of(
                new PfnRange(0, 1, "BIOS data area"),
                new PfnRange(kernelStart, kernelStart + kernelPages + memmapPages, "kernel image and mem_map"));
        return new MachineLayout(name, arch, cpus, ram, reserved, 0, 0, sectionBits(arch));
    }

    /** SECTION_SIZE_BITS - PAGE_SHIFT: 27 on x86_64 (128 MiB), 26 on i386 (64 MiB), 29 with PAE. */
    public static int sectionBits(Arch arch) {
        return switch (arch) {
            case X86_64 -> 27 - 12;
            case I386 -> 26 - 12;
            case I386_PAE -> 29 - 12;
        };
    }

    /** Finds the 1-based line where {@code key = } first appears, for error messages. */
    private record Src(String text, String where) {
        MachineFileException error(String key, String msg) {
            int line = 0;
            if (key != null) {
                String[] lines = text.split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    String t = lines[i].strip();
                    if (t.startsWith(key + " ") || t.startsWith(key + "=")) {
                        line = i + 1;
                        break;
                    }
                }
            }
            return new MachineFileException(where, line, msg);
        }
    }
}
