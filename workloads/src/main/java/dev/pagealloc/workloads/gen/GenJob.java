package dev.pagealloc.workloads.gen;

import dev.pagealloc.workloads.MachineFileException;
import dev.pagealloc.workloads.Machines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * A generator job: fio-like TOML describing concurrent workload generators, run against an
 * emulated machine as one time-ordered {@link GenSource event stream}. The older
 * {@code [[phase]]} jobs ({@code dev.pagealloc.workloads.Job}) are a different format;
 * {@link #isGenJob} tells them apart.
 *
 * <h2>Format</h2>
 * <pre>{@code
 * # what the job shows
 * [global]                   # engine keys, and defaults every section inherits (its own value wins)
 * name = "nic-jumbo-nosg"    # default: the file name
 * description = "..."
 * seed = 1                   # default 0; section i draws from SplittableRandom(seed + i)
 * duration_ms = 2000         # default 1000: emulated time; nothing is emitted at or after it
 * swap_mb = 0                # engine: swap space
 * kswapd_interval_us = 1000  # engine: kswapd runs at most once per this much emulated time
 * snapshot_every_ms = 0      # engine: /proc snapshots (0: off)
 *
 * [background]               # a section: any name
 * kind = "pagecache-stream"  # default: the section name, when that is a kind
 * start_ms = 0               # every section: when it starts (default 0) ...
 * stop_ms = 1500             # ... and when it stops starting new work (default: never)
 * cpu = 1                    # default: 0 for interrupt kinds (NICs), round-robin for the others
 * rate_mb_s = 400            # the kind's own keys
 * }</pre>
 * Kinds: {@code nic-jumbo-nosg} ({@link NicJumboNoSg}), {@code nic-sg} ({@link NicSg}),
 * {@code pagecache-stream} ({@link PageCacheStream}), {@code anon-growth} ({@link AnonGrowth}),
 * {@code slab-churn} ({@link SlabChurn}), {@code fork-storm} ({@link ForkStorm}),
 * {@code thp-faults} ({@link ThpFaults}). Rates are per second of emulated time.
 *
 * <p>Overrides ({@code --set} on the command line): {@code section.key=value}, or {@code key=value}
 * for {@code [global]}; the value is read as a TOML value ({@code 1500}, {@code true},
 * {@code [0, 1]}, {@code "GFP_KERNEL"}) and, when it is not one, as a bare string
 * ({@code nic.style=page}). Later overrides win.
 *
 * <p>Errors: malformed TOML, unknown sections' kinds, unknown keys and bad values are
 * {@link MachineFileException}s {@code file:line: section.key: expected ...}; a bad override is an
 * IllegalArgumentException {@code --set nic.mtu=abc: expected ...}.
 */
public final class GenJob {
    /** The generator jobs shipped in workloads/jobs/. */
    public static final List<String> BUNDLED = List.of("nic-jumbo-nosg", "nic-sg", "nic-jumbo-nosg-bdev", "pagecache-stream", "anon-growth",
            "slab-churn", "fork-storm", "thp-faults");

    /** Keys only [global] has. */
    static final List<String> ENGINE_KEYS = List.of("name", "description", "seed", "duration_ms", "swap_mb",
            "kswapd_interval_us", "snapshot_every_ms");

    private static final TomlMapper TOML = new TomlMapper();
    private static final long MAX_MS = 1_000_000_000L;

    private final String name;
    private final String description;
    private final long seed;
    private final long swapMb;
    private final long durationNs;
    private final long kswapdIntervalNs;
    private final long snapshotEveryNs;
    private final String text;
    private final List<String> overrides;
    private final List<Section> sections;

    private GenJob(String name, String description, long seed, long swapMb, long durationNs, long kswapdIntervalNs,
            long snapshotEveryNs, String text, List<String> overrides, List<Section> sections) {
        this.name = name;
        this.description = description;
        this.seed = seed;
        this.swapMb = swapMb;
        this.durationNs = durationNs;
        this.kswapdIntervalNs = kswapdIntervalNs;
        this.snapshotEveryNs = snapshotEveryNs;
        this.text = text;
        this.overrides = List.copyOf(overrides);
        this.sections = List.copyOf(sections);
    }

    /** True when {@code tomlText} is a generator job, i.e. has no {@code [[phase]]} table. */
    public static boolean isGenJob(String tomlText) {
        try {
            return !TOML.readTree(tomlText).has("phase");
        } catch (JacksonException e) {
            for (String line : tomlText.split("\n", -1)) {
                if (line.replaceAll("\\s+", "").startsWith("[[phase]]")) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A bundled job by name, or the path of a job file. */
    public static GenJob resolve(String nameOrFile, List<String> overrides) {
        if (BUNDLED.contains(nameOrFile)) {
            return bundled(nameOrFile, overrides);
        }
        Path p = Path.of(nameOrFile);
        if (nameOrFile.endsWith(".toml") || Files.exists(p)) {
            return load(p, overrides);
        }
        throw new IllegalArgumentException("unknown job '" + nameOrFile + "' (expected a file name or one of "
                + String.join(", ", BUNDLED) + ")");
    }

    /** A bundled job ({@link #BUNDLED}), e.g. {@code nic-jumbo-nosg}. */
    public static GenJob bundled(String name, List<String> overrides) {
        if (!BUNDLED.contains(name)) {
            throw new IllegalArgumentException("no bundled generator job '" + name + "' (expected one of "
                    + String.join(", ", BUNDLED) + ")");
        }
        String res = "/dev/pagealloc/workloads/jobs/" + name + ".toml";
        try (InputStream in = GenJob.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("job " + res + " missing from the build");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "jobs/" + name + ".toml", name,
                    overrides);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads a job file. */
    public static GenJob load(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new MachineFileException(file.toString(), 0, "cannot read: " + e.getMessage());
        }
        String stem = file.getFileName().toString().replaceFirst("\\.toml$", "");
        return parse(text, file.toString(), stem, overrides);
    }

    /** Parses job TOML; {@code where} names the source in messages, {@code defaultName} is the name without one. */
    public static GenJob parse(String text, String where, String defaultName, List<String> overrides) {
        JsonNode root = Machines.readToml(text, where);
        Params.Origin origin = new Params.Origin(where, new TomlLines(text));
        if (root.has("phase")) {
            throw new MachineFileException(where, origin.lines().line("phase", null),
                    "a [[phase]] job, not a generator job (run it as a phase job)");
        }
        // tables in file order; top-level keys belong to [global]
        Map<String, Map<String, Params.Val>> tables = new LinkedHashMap<>();
        tables.put("global", new LinkedHashMap<>());
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                Map<String, Params.Val> t = tables.computeIfAbsent(key, k -> new LinkedHashMap<>());
                for (Map.Entry<String, JsonNode> kv : v.properties()) {
                    if (kv.getValue().isObject()) {
                        throw origin.error(key, kv.getKey(), null, "expected a value, got a table (sections do not nest)");
                    }
                    t.put(kv.getKey(), new Params.Val(kv.getValue(), key, null));
                }
            } else if (v.isArray() && !v.isEmpty() && v.get(0).isObject()) {
                throw new MachineFileException(where, origin.lines().line(key, null),
                        "[[" + key + "]]: expected [section] tables, not arrays of tables");
            } else {
                tables.get("global").put(key, new Params.Val(v, "global", null));
            }
        }
        for (String o : overrides) {
            applyOverride(o, tables);
        }
        Map<String, Params.Val> global = tables.get("global");
        Set<String> defaults = Kind.allSectionKeys();
        for (Map.Entry<String, Params.Val> e : global.entrySet()) {
            String k = e.getKey();
            if (!ENGINE_KEYS.contains(k) && !defaults.contains(k)) {
                throw origin.error("global", k, e.getValue().override(), "unknown key '" + k + "' in [global] (expected "
                        + String.join(", ", ENGINE_KEYS) + ", or a default for the sections' keys)");
            }
        }
        Params g = new Params("global", "global", -1, global, origin);
        String name = g.string("name", defaultName);
        String description = g.string("description", "");
        long seed = g.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        long durationNs = g.integer("duration_ms", 1000, 1, MAX_MS) * 1_000_000;
        long swapMb = g.integer("swap_mb", 0, 0, 1L << 32);
        long kswapdNs = g.integer("kswapd_interval_us", 1000, 1, MAX_MS * 1000) * 1000;
        long snapNs = g.integer("snapshot_every_ms", 0, 0, MAX_MS) * 1_000_000;

        List<Section> sections = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, Map<String, Params.Val>> t : tables.entrySet()) {
            if (t.getKey().equals("global")) {
                continue;
            }
            sections.add(section(t.getKey(), index++, t.getValue(), global, origin));
        }
        if (sections.isEmpty()) {
            throw new MachineFileException(where, 0, "no sections (expected at least one [section] with kind = one of "
                    + Kind.ids() + ")");
        }
        return new GenJob(name, description, seed, swapMb, durationNs, kswapdNs, snapNs, text, overrides, sections);
    }

    private static Section section(String name, int index, Map<String, Params.Val> own, Map<String, Params.Val> global,
            Params.Origin origin) {
        Kind kind;
        Params.Val k = own.get("kind");
        if (k != null) {
            if (!k.node().isString() || Kind.byId(k.node().asString()) == null) {
                throw origin.error(k.table(), "kind", k.override(), "unknown kind " + Params.show(k.node())
                        + " (expected one of " + Kind.ids() + ")");
            }
            kind = Kind.byId(k.node().asString());
        } else if (Kind.byId(name) != null) {
            kind = Kind.byId(name);
        } else {
            throw origin.error(name, null, null, "[" + name + "] has no kind (expected kind = one of " + Kind.ids() + ")");
        }
        for (Map.Entry<String, Params.Val> e : own.entrySet()) {
            if (!kind.keys.contains(e.getKey())) {
                throw origin.error(name, e.getKey(), e.getValue().override(), "unknown key '" + e.getKey() + "' in ["
                        + name + "] (a " + kind.id + " section takes " + String.join(", ", kind.keys) + ")");
            }
        }
        Map<String, Params.Val> eff = new LinkedHashMap<>();
        for (Map.Entry<String, Params.Val> e : global.entrySet()) {
            if (kind.keys.contains(e.getKey())) {
                eff.put(e.getKey(), e.getValue());
            }
        }
        eff.putAll(own);
        Params p = new Params(name, kind.id, index, eff, origin);
        long startNs = p.integer("start_ms", 0, 0, MAX_MS) * 1_000_000;
        long stopNs = p.has("stop_ms") ? p.integer("stop_ms", 0, 0, MAX_MS) * 1_000_000 : Long.MAX_VALUE;
        if (stopNs < startNs) {
            throw p.error("stop_ms", "expected stop_ms at or after start_ms (" + startNs / 1_000_000 + ")");
        }
        int cpu = (int) p.integer("cpu", -1, 0, 4095);
        Section.Factory f = kind.parser.apply(p);
        return new Section(name, kind, index, p, startNs, stopNs, cpu, f);
    }

    private static void applyOverride(String o, Map<String, Map<String, Params.Val>> tables) {
        int eq = o.indexOf('=');
        String lhs = eq < 0 ? "" : o.substring(0, eq).strip();
        String rhs = eq < 0 ? "" : o.substring(eq + 1).strip();
        if (eq < 0 || lhs.isEmpty() || !lhs.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)?")) {
            throw new IllegalArgumentException("--set " + o + ": expected SECTION.KEY=VALUE, or KEY=VALUE for a [global] key");
        }
        if (rhs.isEmpty()) {
            throw new IllegalArgumentException("--set " + o + ": expected a value after '='");
        }
        int dot = lhs.indexOf('.');
        String section = dot < 0 ? "global" : lhs.substring(0, dot);
        String key = dot < 0 ? lhs : lhs.substring(dot + 1);
        Map<String, Params.Val> t = tables.get(section);
        if (t == null) {
            List<String> names = new ArrayList<>(tables.keySet());
            throw new IllegalArgumentException("--set " + o + ": no section [" + section + "] (the job has "
                    + String.join(", ", names) + ")");
        }
        t.put(key, new Params.Val(value(rhs), section, o));
    }

    /** An override's value: a TOML value when it reads as one, else the text as a string. */
    static JsonNode value(String rhs) {
        try {
            JsonNode n = TOML.readTree("v = " + rhs);
            JsonNode v = n.get("v");
            if (v != null && n.size() == 1) {
                return v;
            }
        } catch (JacksonException e) {
            // a bare word
        }
        return JsonNodeFactory.instance.stringNode(rhs);
    }

    /** Runs the job on a machine: a fresh, deterministic event stream. */
    public GenSource open(GenContext ctx) {
        return new GenSource(this, ctx, sections);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public long seed() {
        return seed;
    }

    public long swapMb() {
        return swapMb;
    }

    public long durationNs() {
        return durationNs;
    }

    public long kswapdIntervalNs() {
        return kswapdIntervalNs;
    }

    public long snapshotEveryNs() {
        return snapshotEveryNs;
    }

    /** The job file's text as read (the overrides are separate). */
    public String text() {
        return text;
    }

    public List<String> overrides() {
        return overrides;
    }

    /** The sections in file order as {@code name:kind}, e.g. {@code background:pagecache-stream}. */
    public List<String> sections() {
        List<String> s = new ArrayList<>();
        for (Section x : sections) {
            s.add(x.label());
        }
        return s;
    }

    @Override
    public String toString() {
        return name + " " + sections();
    }
}
