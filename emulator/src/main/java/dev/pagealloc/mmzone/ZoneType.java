package dev.pagealloc.mmzone;

/**
 * The kinds of zone, with the names the kernel prints ({@code zone_names[]} in
 * mm/page_alloc.c). Which kinds exist and at which index depends on the {@code Arch}.
 */
public enum ZoneType {
    DMA("DMA", "_dma"),
    DMA32("DMA32", "_dma32"),
    NORMAL("Normal", "_normal"),
    HIGHMEM("HighMem", "_high"),
    MOVABLE("Movable", "_movable"),
    /** ZONE_DEVICE (CONFIG_ZONE_DEVICE, 4.x+ distro kernels): never has pages here, but it has an index. */
    DEVICE("Device", "_device");

    /** The kernel's {@code zone->name}. */
    public final String kernelName;

    /** The suffix of the per-zone /proc/vmstat items ({@code TEXTS_FOR_ZONES()}, mm/vmstat.c). */
    public final String vmstatSuffix;

    ZoneType(String kernelName, String vmstatSuffix) {
        this.kernelName = kernelName;
        this.vmstatSuffix = vmstatSuffix;
    }
}
