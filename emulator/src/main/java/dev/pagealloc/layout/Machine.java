package dev.pagealloc.layout;

import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.mmzone.Zone;
import java.lang.foreign.Arena;
import java.util.Arrays;

/**
 * A booted machine: one node ({@code pg_data_t}) with its zones and allocator, the kernel that
 * booted it, and the numbers the kernel keeps beside the zones ({@code min_free_kbytes},
 * {@code totalreserve_pages}), which its /proc/sys/vm handlers may change. Closing it releases
 * the memmap and the emulated RAM.
 */
public final class Machine implements AutoCloseable {
    public final MachineLayout layout;
    public final Kernel kernel;
    public final PageAllocator allocator;
    public final Zone[] zones;
    public final long nodeStartPfn;
    public final long nodeSpannedPages;
    private int minFreeKbytes;
    private long totalreservePages;
    private final Arena arena;

    /** A machine the kernel's boot built in {@code arena} (closed with the machine). */
    public Machine(MachineLayout layout, Kernel kernel, PageAllocator allocator, long nodeStartPfn,
            long nodeSpannedPages, int minFreeKbytes, long totalreservePages, Arena arena) {
        this.layout = layout;
        this.kernel = kernel;
        this.allocator = allocator;
        this.zones = allocator.zones();
        this.nodeStartPfn = nodeStartPfn;
        this.nodeSpannedPages = nodeSpannedPages;
        this.minFreeKbytes = minFreeKbytes;
        this.totalreservePages = totalreservePages;
        this.arena = arena;
    }

    public int cpus() {
        return layout.cpus();
    }

    /** {@code min_free_kbytes} as boot or the last sysctl write left it. */
    public int minFreeKbytes() {
        return minFreeKbytes;
    }

    /** {@code totalreserve_pages} as {@code calculate_totalreserve_pages()} last left it. */
    public long totalreservePages() {
        return totalreservePages;
    }

    /**
     * What a kernel's /proc/sys/vm handler recomputed: the new {@code min_free_kbytes} and
     * {@code totalreserve_pages} (the zones' own fields it has already written).
     */
    public void reserveRecomputed(int minFreeKbytes, long totalreservePages) {
        this.minFreeKbytes = minFreeKbytes;
        this.totalreservePages = totalreservePages;
    }

    /** The populated zones, lowest index first, as /proc files walk them. */
    public Zone[] populatedZones() {
        return Arrays.stream(zones).filter(Zone::isPopulated).toArray(Zone[]::new);
    }

    /** The zone with the kernel name {@code name} ("DMA32"), or null. */
    public Zone zone(String name) {
        for (Zone z : zones) {
            if (z.name.equals(name)) {
                return z;
            }
        }
        return null;
    }

    @Override
    public void close() {
        arena.close();
    }
}
