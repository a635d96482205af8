package dev.pagealloc.workloads.pgw;

import dev.pagealloc.workloads.event.EventSink;
import java.util.SplittableRandom;

/**
 * A seeded stream shaped like a recorded 6.1 kmem trace ({@code mm_page_alloc} and
 * {@code mm_page_free} only), for measuring the {@code .pgw} format and its decoder: 4 CPUs, each
 * running a task for a while (a CPU is traced in runs of events, as ftrace's merged per-CPU buffers
 * show); order-0 pages come from a per-CPU list (LIFO, refilled by batches of 31 consecutive pfns
 * as {@code rmqueue_bulk} does) and go back to the freeing CPU's list; a few order-1 to order-3
 * allocations come from an aligned buddy cursor; most pages are freed soon after allocation on the
 * same CPU, the rest at random; timestamps are whole microseconds. It is a model of the
 * statistics that matter for the encoding, not of the allocator.
 */
public final class PgwSample {
    private PgwSample() {}

    private static final String[] GFP = {
        "6.1:GFP_HIGHUSER_MOVABLE|__GFP_ZERO", "6.1:GFP_KERNEL", "6.1:GFP_KERNEL|__GFP_COMP",
        "6.1:GFP_ATOMIC|__GFP_NOWARN|__GFP_COMP", "6.1:GFP_NOWAIT|__GFP_NOWARN", "6.1:GFP_KERNEL_ACCOUNT|__GFP_ZERO",
    };
    private static final int CPUS = 4;
    private static final int PCP_BATCH = 31;
    private static final int LIVE_TARGET = 16_384;
    private static final long ZONE_PFNS = 1L << 22; // 16 GiB of 4 KiB pages

    /** Pushes {@code events} events (allocs and frees, plus the gfp symbol definitions) into {@code sink}. */
    public static void generate(long seed, int events, EventSink sink) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < GFP.length; i++) {
            sink.symbol(i, GFP[i]);
        }
        long[][] pcp = new long[CPUS][4096];
        int[] pcpCount = new int[CPUS];
        int[] pid = new int[CPUS];
        int[] gfp = new int[CPUS];
        for (int c = 0; c < CPUS; c++) {
            pid[c] = 1000 + r.nextInt(30000);
            gfp[c] = r.nextInt(GFP.length);
        }
        long[] liveId = new long[LIVE_TARGET * 2];
        int[] liveOrder = new int[LIVE_TARGET * 2];
        int[] liveCpu = new int[LIVE_TARGET * 2];
        int live = 0;
        long cursor = r.nextLong(ZONE_PFNS / 2);
        long buddy = (ZONE_PFNS / 2 + r.nextLong(ZONE_PFNS / 4)) & ~7L;
        long time = 1_000_000_000L * (100 + r.nextInt(10_000));
        int cpu = 0;
        int run = 0;
        for (int n = 0; n < events; n++) {
            if (run-- <= 0) {
                cpu = r.nextInt(CPUS);
                run = r.nextInt(32);
                if (r.nextInt(4) == 0) {
                    pid[cpu] = 1000 + r.nextInt(30000);
                    gfp[cpu] = r.nextInt(GFP.length);
                }
            }
            time += 1000L * (r.nextInt(8) == 0 ? 1 + r.nextInt(200) : r.nextInt(4));
            boolean alloc = live == 0 || (live < liveId.length && r.nextInt(LIVE_TARGET * 2) >= live);
            if (alloc) {
                int order = r.nextInt(16) == 0 ? 1 + r.nextInt(3) : 0;
                long id;
                if (order == 0) {
                    if (pcpCount[cpu] == 0) {
                        if (r.nextInt(64) == 0) {
                            cursor = r.nextLong(ZONE_PFNS / 2);
                        }
                        for (int i = PCP_BATCH - 1; i >= 0; i--) {
                            pcp[cpu][pcpCount[cpu]++] = cursor + i;
                        }
                        cursor += PCP_BATCH;
                    }
                    id = pcp[cpu][--pcpCount[cpu]];
                } else {
                    buddy = (buddy + (1L << order) - 1) & -(1L << order);
                    id = buddy;
                    buddy += 1L << order;
                }
                int g = order > 0 && r.nextBoolean() ? 3 : gfp[cpu];
                sink.alloc(time, cpu, id, order, g, pid[cpu], EventSink.NO_SYMBOL);
                liveId[live] = id;
                liveOrder[live] = order;
                liveCpu[live] = cpu;
                live++;
            } else {
                // Mostly the latest page this CPU allocated (a short-lived buffer), else any live page.
                int k = live - 1;
                if (r.nextInt(3) == 0 || liveCpu[k] != cpu) {
                    k = r.nextInt(live);
                }
                long id = liveId[k];
                int order = liveOrder[k];
                live--;
                liveId[k] = liveId[live];
                liveOrder[k] = liveOrder[live];
                liveCpu[k] = liveCpu[live];
                sink.free(time, cpu, id, order);
                if (order == 0 && pcpCount[cpu] < pcp[cpu].length) {
                    pcp[cpu][pcpCount[cpu]++] = id;
                }
            }
        }
    }
}
