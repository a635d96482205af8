package dev.pagealloc.workloads;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.mmzone.Zone;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A generated workload for {@code pagealloc replay}: phases of allocations run in order on a booted
 * machine with the reclaim model ({@link JobRunner}). Jobs are TOML files: the bundled ones in
 * {@code workloads/jobs/} (by name, e.g. {@code pagecache-pressure}) or a user's file.
 *
 * <h2>Format</h2>
 * <pre>{@code
 * name = "pagecache-pressure"      # default: the file name
 * description = "..."              # optional
 * seed = 1                         # default 0: picks the CPU of each event and which cache pages are dirty
 * swap_mb = 0                      # default 0: swap space (without it anonymous memory is not reclaimable)
 * kswapd_every = 64                # default 64: allocation events per tick of emulated time
 *
 * [[phase]]                        # phases run in file order
 * kind = "pagecache"               # GFP_HIGHUSER_MOVABLE order-0 page cache (FILE) pages ...
 * until_percent = 95               # ... until page cache is this share of the machine's present pages
 * dirty_percent = 0                # optional, default 0: share of the new pages that are dirty
 *
 * [[phase]]
 * kind = "anon"                    # a task allocating GFP_HIGHUSER_MOVABLE anonymous pages
 * pid = 100
 * comm = "db"
 * pages = 50000
 * oom_adj = 0                      # optional, -17 (OOM_DISABLE) … 15
 *
 * [[phase]]
 * kind = "requests"                # kernel allocations of the given orders and gfp masks
 * count = 20000
 * orders = [0, 1, 2, 3]            # default [0]
 * gfp = ["GFP_KERNEL", "GFP_ATOMIC"]   # default ["GFP_KERNEL"]; any 2.6.32 mask spelling, e.g. "GFP_KERNEL|__GFP_COMP"
 * hold = true                      # default false: freed right after the allocation
 * kswapd_every = 1024              # optional: this phase's own cadence (e.g. an interrupt storm kswapd cannot keep up with)
 * }</pre>
 *
 * <p>Request {@code i} (0-based within its phase) uses {@code gfp[i % len(gfp)]} and
 * {@code orders[(i / len(gfp)) % len(orders)]}: the masks alternate on every request and each
 * order is tried with each mask in turn (K0, A0, K1, A1, K2, A2, K3, A3, K0, ...).
 *
 * <p>Every allocation (cache page, anonymous page, request) is one event; after every
 * {@code kswapd_every} events emulated time advances one tick (writeback completes) and kswapd,
 * if woken, balances the node. A page cache phase stops early when a cache allocation fails or
 * after twice its target in attempts (reclaim can keep the cache from growing); an anon phase
 * stops when its task is OOM-killed.
 *
 * <p>Errors (unknown keys or kinds, bad gfp names, bad values, malformed TOML) are
 * {@link MachineFileException}s, an IllegalArgumentException with one line
 * {@code file:line: message}.
 */
public record Job(String name, String description, long seed, long swapMb, int kswapdEvery, List<Phase> phases) {
    /**
     * The GFP layout a {@code [[phase]]} job's masks are spelled in: the format was written for the
     * 2.6.32 seed machine, so its masks are checked as 2.6.32 names them when the file is read (and
     * again in the kernel's own layout when the job runs).
     */
    static final GfpBits PHASE_GFP_LAYOUT = GfpBits.forKernel("2.6.32");

    /** The jobs shipped in workloads/jobs/. */
    public static final List<String> BUNDLED = List.of("pagecache-pressure");

    private static final List<String> TOP_KEYS =
            List.of("name", "description", "seed", "swap_mb", "kswapd_every", "phase");

    public Job {
        phases = List.copyOf(phases);
    }

    /** One step of a job. */
    public sealed interface Phase permits PageCache, Anon, Requests {}

    /** Fill page cache until it is {@code untilPercent} of the present pages. */
    public record PageCache(double untilPercent, double dirtyPercent) implements Phase {}

    /** Task {@code pid}/{@code comm} allocates {@code pages} anonymous pages. */
    public record Anon(int pid, String comm, long pages, int oomAdj) implements Phase {}

    /**
     * {@code count} requests cycling over {@code gfp} and {@code orders}, held or freed at once;
     * {@code kswapdEvery} 0 means the job's cadence.
     */
    public record Requests(long count, List<Integer> orders, List<String> gfp, boolean hold, int kswapdEvery)
            implements Phase {
        public Requests {
            orders = List.copyOf(orders);
            gfp = List.copyOf(gfp);
        }

        /** The order of request {@code i}. */
        public int orderOf(long i) {
            return orders.get((int) ((i / gfp.size()) % orders.size()));
        }

        /** The index into {@link #gfp} of request {@code i}. */
        public int gfpOf(long i) {
            return (int) (i % gfp.size());
        }
    }

    /** A bundled job by name, or the path of a job file. */
    public static Job resolve(String nameOrFile) {
        if (BUNDLED.contains(nameOrFile)) {
            return bundled(nameOrFile);
        }
        Path p = Path.of(nameOrFile);
        if (nameOrFile.endsWith(".toml") || Files.exists(p)) {
            return load(p);
        }
        throw new IllegalArgumentException("unknown job '" + nameOrFile + "' (expected a file name or one of "
                + String.join(", ", BUNDLED) + ")");
    }

    /** A bundled job, e.g. {@code pagecache-pressure}. */
    public static Job bundled(String name) {
        String res = "/dev/pagealloc/workloads/jobs/" + name + ".toml";
        try (InputStream in = Job.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("job " + res + " missing from the build");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "jobs/" + name + ".toml", name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads a job file. */
    public static Job load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new MachineFileException(file.toString(), 0, "cannot read: " + e.getMessage());
        }
        String stem = file.getFileName().toString().replaceFirst("\\.toml$", "");
        return parse(text, file.toString(), stem);
    }

    /** Parses job TOML; {@code where} names the source in error messages. */
    public static Job parse(String text, String where, String defaultName) {
        JsonNode root = Machines.readToml(text, where);
        JobSource src = new JobSource(text, where);
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!TOP_KEYS.contains(e.getKey())) {
                throw src.error(-1, e.getKey(), "unknown key '" + e.getKey() + "' (expected "
                        + String.join(", ", TOP_KEYS.subList(0, TOP_KEYS.size() - 1)) + " or [[phase]] tables)");
            }
        }
        String name = root.has("name") ? string(root, "name", -1, src) : defaultName;
        String description = root.has("description") ? string(root, "description", -1, src) : "";
        long seed = root.has("seed") ? integer(root, "seed", -1, src, Long.MIN_VALUE, Long.MAX_VALUE) : 0;
        long swapMb = root.has("swap_mb") ? integer(root, "swap_mb", -1, src, 0, 1L << 32) : 0;
        int kswapdEvery = root.has("kswapd_every")
                ? (int) integer(root, "kswapd_every", -1, src, 1, Integer.MAX_VALUE) : 64;
        JsonNode ph = root.get("phase");
        if (ph == null) {
            throw src.error(-1, null, "no [[phase]] tables (expected at least one, of kind pagecache, anon or requests)");
        }
        if (!ph.isArray()) {
            throw src.error(-1, "phase", "'phase' must be [[phase]] tables");
        }
        List<Phase> phases = new ArrayList<>();
        int i = 0;
        for (JsonNode p : ph) {
            phases.add(phase(p, i++, src));
        }
        return new Job(name, description, seed, swapMb, kswapdEvery, phases);
    }

    private static Phase phase(JsonNode p, int idx, JobSource src) {
        if (!p.isObject()) {
            throw src.error(-1, "phase", "'phase' must be [[phase]] tables");
        }
        if (!p.has("kind")) {
            throw src.error(idx, null, "phase " + (idx + 1) + " has no 'kind' (expected pagecache, anon or requests)");
        }
        String kind = string(p, "kind", idx, src);
        List<String> keys = switch (kind) {
            case "pagecache" -> List.of("kind", "until_percent", "dirty_percent");
            case "anon" -> List.of("kind", "pid", "comm", "pages", "oom_adj");
            case "requests" -> List.of("kind", "count", "orders", "gfp", "hold", "kswapd_every");
            default -> throw src.error(idx, "kind",
                    "unknown phase kind '" + kind + "' (expected pagecache, anon or requests)");
        };
        for (Map.Entry<String, JsonNode> e : p.properties()) {
            if (!keys.contains(e.getKey())) {
                throw src.error(idx, e.getKey(), "unknown key '" + e.getKey() + "' in a " + kind + " phase (expected "
                        + String.join(", ", keys) + ")");
            }
        }
        return switch (kind) {
            case "pagecache" -> {
                if (!p.has("until_percent")) {
                    throw src.error(idx, null, "pagecache phase " + (idx + 1) + " needs until_percent");
                }
                yield new PageCache(percent(p, "until_percent", idx, src),
                        p.has("dirty_percent") ? percent(p, "dirty_percent", idx, src) : 0);
            }
            case "anon" -> {
                for (String k : List.of("pid", "pages")) {
                    if (!p.has(k)) {
                        throw src.error(idx, null, "anon phase " + (idx + 1) + " needs " + k);
                    }
                }
                int pid = (int) integer(p, "pid", idx, src, 1, 4_194_304);
                String comm = p.has("comm") ? string(p, "comm", idx, src) : "task" + pid;
                long pages = integer(p, "pages", idx, src, 0, Long.MAX_VALUE);
                int oomAdj = p.has("oom_adj") ? (int) integer(p, "oom_adj", idx, src, -17, 15) : 0;
                yield new Anon(pid, comm, pages, oomAdj);
            }
            default -> {
                if (!p.has("count")) {
                    throw src.error(idx, null, "requests phase " + (idx + 1) + " needs count");
                }
                long count = integer(p, "count", idx, src, 0, Long.MAX_VALUE);
                List<Integer> orders = new ArrayList<>();
                if (p.has("orders")) {
                    JsonNode o = p.get("orders");
                    if (!o.isArray() || o.isEmpty()) {
                        throw src.error(idx, "orders", "'orders' must be a non-empty array of orders 0 … "
                                + (Zone.MAX_ORDER - 1) + ", e.g. [0, 1, 2, 3]");
                    }
                    for (JsonNode x : o) {
                        if (!x.isIntegralNumber() || x.asLong() < 0 || x.asLong() >= Zone.MAX_ORDER) {
                            throw src.error(idx, "orders", "bad order " + x + " (expected 0 … " + (Zone.MAX_ORDER - 1) + ")");
                        }
                        orders.add(x.asInt());
                    }
                } else {
                    orders.add(0);
                }
                List<String> gfp = new ArrayList<>();
                if (p.has("gfp")) {
                    JsonNode g = p.get("gfp");
                    if (!g.isArray() || g.isEmpty()) {
                        throw src.error(idx, "gfp", "'gfp' must be a non-empty array of masks, e.g. [\"GFP_KERNEL\", \"GFP_ATOMIC\"]");
                    }
                    for (JsonNode x : g) {
                        if (!x.isString()) {
                            throw src.error(idx, "gfp", "bad gfp mask " + x + " (expected a string such as \"GFP_KERNEL\")");
                        }
                        try {
                            PHASE_GFP_LAYOUT.parse(x.asString());
                        } catch (IllegalArgumentException ex) {
                            throw src.error(idx, "gfp", ex.getMessage());
                        }
                        gfp.add(x.asString().strip());
                    }
                } else {
                    gfp.add("GFP_KERNEL");
                }
                boolean hold = false;
                if (p.has("hold")) {
                    if (!p.get("hold").isBoolean()) {
                        throw src.error(idx, "hold", "'hold' must be true or false, got " + p.get("hold"));
                    }
                    hold = p.get("hold").asBoolean();
                }
                int every = p.has("kswapd_every") ? (int) integer(p, "kswapd_every", idx, src, 1, Integer.MAX_VALUE) : 0;
                yield new Requests(count, orders, gfp, hold, every);
            }
        };
    }

    private static String string(JsonNode n, String key, int phase, JobSource src) {
        JsonNode v = n.get(key);
        if (!v.isString()) {
            throw src.error(phase, key, "'" + key + "' must be a string, got " + v);
        }
        return v.asString();
    }

    private static long integer(JsonNode n, String key, int phase, JobSource src, long min, long max) {
        JsonNode v = n.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            String range = min == 0 && max == Long.MAX_VALUE ? "a non-negative integer"
                    : min == Long.MIN_VALUE ? "an integer" : "an integer " + min + " … " + max;
            throw src.error(phase, key, "'" + key + "' must be " + range + ", got " + v);
        }
        return v.asLong();
    }

    private static double percent(JsonNode n, String key, int phase, JobSource src) {
        JsonNode v = n.get(key);
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 100 || Double.isNaN(v.asDouble())) {
            throw src.error(phase, key, "'" + key + "' must be a number 0 … 100, got " + v);
        }
        return v.asDouble();
    }
}
