package dev.pagealloc.layout;

import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.KernelProfile;
import java.lang.foreign.Arena;

/**
 * A booted machine: one node ({@code pg_data_t}) with its zones and allocator, and the boot-time
 * numbers the kernel prints elsewhere. Closing it releases the memmap and the emulated RAM.
 */
public final class Machine implements AutoCloseable {
    public final MachineLayout layout;
    public final KernelProfile profile;
    public final PageAllocator allocator;
    public final Zone[] zones;
    public final long nodeStartPfn;
    public final long nodeSpannedPages;
    public final int minFreeKbytes;
    public final long totalreservePages;
    private final Arena arena;

    Machine(MachineLayout layout, KernelProfile profile, PageAllocator allocator, long nodeStartPfn,
            long nodeSpannedPages, int minFreeKbytes, long totalreservePages, Arena arena) {
        this.layout = layout;
        this.profile = profile;
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

    /** The populated zones, lowest index first, as /proc files walk them. */
    public Zone[] populatedZones() {
        return java.util.Arrays.stream(zones).filter(Zone::isPopulated).toArray(Zone[]::new);
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
