package dev.pagealloc.mmzone;

/**
 * The kinds of zone, with the names the kernel prints ({@code zone_names[]} in
 * mm/page_alloc.c). Which kinds exist and at which index depends on the {@code Arch}.
 */
public enum ZoneType {
    DMA("DMA"),
    DMA32("DMA32"),
    NORMAL("Normal"),
    HIGHMEM("HighMem"),
    MOVABLE("Movable"),
    /** ZONE_DEVICE (CONFIG_ZONE_DEVICE, 4.x+ distro kernels): never has pages here, but it has an index. */
    DEVICE("Device");

    /** The kernel's {@code zone->name}. */
    public final String kernelName;

    ZoneType(String kernelName) {
        this.kernelName = kernelName;
    }
}
