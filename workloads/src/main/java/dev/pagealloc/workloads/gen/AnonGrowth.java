package dev.pagealloc.workloads.gen;

import java.util.List;

/**
 * {@code anon-growth}: a process that grows its anonymous memory, page faults served by
 * {@code do_anonymous_page()} (mm/memory.c) with GFP_HIGHUSER_MOVABLE order-0 pages: it starts
 * ({@code fork}/{@code exec}) at {@code start_ms} with {@code pid} (default: from the job's
 * counter, 1000 up), {@code comm} (default: the section name) and {@code oom_adj} (2.6.32's
 * /proc/PID/oom_adj, -17 … 15, default 0), then faults {@code mb} MiB (default 256) or
 * {@code pages} pages in chunks of {@code chunk_pages} (default 16) at {@code rate_mb_s} MiB per
 * second (default 100). {@code exit_ms} (job time, optional): the process exits and its memory
 * is freed ({@code exit_mmap()}); without it the memory is held to the end.
 *
 * <p>Counters: {@code pages_faulted}.
 */
final class AnonGrowth extends Generator {
    static final List<String> KEYS =
            List.of("pid", "comm", "oom_adj", "rate_mb_s", "mb", "pages", "chunk_pages", "exit_ms");

    private final int pid;
    private final String comm;
    private final int oomAdj;
    private final long intervalNs;
    private final int chunk;
    private final long exitNs;
    private long remaining;
    private boolean exited;

    private AnonGrowth(GenSource out, Section s, int cpu, int pid, String comm, int oomAdj, double rate, long pages,
            int chunk, long exitNs) {
        super(out, s, cpu);
        this.pid = pid;
        this.comm = comm;
        this.oomAdj = oomAdj;
        this.chunk = chunk;
        this.intervalNs = intervalNs(rate * (1 << 20) / ((double) chunk * ReleaseConstants.PAGE_SIZE));
        this.remaining = pages;
        this.exitNs = exitNs;
    }

    static Section.Factory parse(Params p) {
        int pid = (int) p.integer("pid", -1, 1, 4_194_304);
        String comm = p.string("comm", p.section);
        int oomAdj = (int) p.integer("oom_adj", 0, -17, 15);
        double rate = p.positive("rate_mb_s", 100, 1e6);
        if (p.has("mb") && p.has("pages")) {
            throw p.error("pages", "expected mb or pages, not both");
        }
        long pages = p.has("pages") ? p.integer("pages", 0, 0, 1L << 40)
                : p.integer("mb", 256, 0, 1L << 28) * ((1 << 20) / ReleaseConstants.PAGE_SIZE);
        int chunk = (int) p.integer("chunk_pages", 16, 1, 1 << 20);
        long exitNs = p.integer("exit_ms", -1, 0, 1_000_000_000L);
        return (out, s, ctx, cpu) -> {
            if (exitNs >= 0 && exitNs * 1_000_000 < s.startNs()) {
                throw p.error("exit_ms", "expected exit_ms at or after start_ms (" + s.startNs() / 1_000_000 + ")");
            }
            int id = pid > 0 ? pid : out.nextPid();
            return new AnonGrowth(out, s, cpu, id, comm, oomAdj, rate, pages, chunk,
                    exitNs < 0 ? -1 : exitNs * 1_000_000);
        };
    }

    @Override
    void start() {
        declare("pages_faulted");
        at(startNs, t -> {
            out.processStart(t, pid, comm, oomAdj);
            if (remaining > 0) {
                at(t, this::fault);
            }
        });
        if (exitNs >= 0) {
            at(exitNs, t -> {
                exited = true;
                out.processExit(t, pid);
            });
        }
    }

    private void fault(long t) {
        if (exited) {
            return;
        }
        long n = Math.min(chunk, remaining);
        out.anonFault(t, cpu, pid, n);
        count("pages_faulted", n);
        remaining -= n;
        if (remaining > 0 && active(t + intervalNs)) {
            at(t + intervalNs, this::fault);
        }
    }
}
