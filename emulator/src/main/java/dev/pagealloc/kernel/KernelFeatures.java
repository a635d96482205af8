package dev.pagealloc.kernel;

/**
 * What a kernel has, as data every kernel states (no field is ever null or "not applicable"): for
 * output that names it (the JSON of {@code show}, the kernel list) and for refusing a request the
 * kernel cannot serve (highalloc's {@code --compaction on} on a kernel without compaction), and
 * for a kernel's own classes to read their build configuration (CONFIG_NUMA, THP, ZONE_DEVICE).
 * Code outside the kernel packages never branches on it to choose behaviour: behaviour that
 * differs is the kernel's own classes.
 *
 * @param managedPages the zone has {@code managed_pages} (3.10+); without it the views print none
 * @param watermarkScaleFactor {@code watermark_scale_factor} (4.6+, default 10), 0 when the kernel has none
 * @param watermarkBoostFactor {@code watermark_boost_factor} (5.0+, default 15000), 0 when none
 * @param compaction CONFIG_COMPACTION: direct compaction and kcompactd
 * @param thp CONFIG_TRANSPARENT_HUGEPAGE: khugepaged raises min_free_kbytes, a THP mode at boot
 * @param numa CONFIG_NUMA in the distribution build the kernel follows
 * @param zoneDevice CONFIG_ZONE_DEVICE: an empty ZONE_DEVICE after ZONE_MOVABLE on x86_64
 */
public record KernelFeatures(
        boolean managedPages,
        int watermarkScaleFactor,
        int watermarkBoostFactor,
        boolean compaction,
        boolean thp,
        boolean numa,
        boolean zoneDevice) {}
