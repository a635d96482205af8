package dev.pagealloc.layout;

import dev.pagealloc.profile.Arch;
import dev.pagealloc.profile.Thp;
import java.util.ArrayList;
import java.util.List;

/**
 * A machine rebuilt from what a real /proc/zoneinfo says of each zone: where it starts, how many
 * pfns it spans, how many are RAM (present) and how many the buddy allocator was given (managed).
 * That is all the watermark, lowmem_reserve and pcp formulas read, so a machine laid out with the
 * same counts boots to the same numbers.
 *
 * <h2>Where the synthesized ranges go</h2>
 * Holes (spanned − present) sit just before the zone's last pfn, so the zone's first and last pfn
 * stay RAM and the spans come out the same. The reserved pages (present − managed, minus nothing:
 * late-freed pages count as managed) sit at the zone's start, where x86 keeps the first MiB and the
 * kernel image. The late-freed pages (initrd, init sections) follow the reserved ones in the zones
 * the caller names (where the initrd and the kernel image were: KASLR moves the kernel).
 *
 * @param name the zone's kernel name
 * @param startPfn {@code start_pfn}
 */
public record ZoneCounts(String name, long startPfn, long spanned, long present, long managed) {

    /**
     * The layout of a machine whose zones have these counts.
     *
     * @param lateFreed pages the kernel freed after computing its watermarks (counted in managed),
     *     by zone name
     * @param sectionBits SPARSEMEM section bits of the arch
     */
    public static MachineLayout layout(String name, Arch arch, int cpus, List<ZoneCounts> zones,
            java.util.Map<String, Long> lateFreed, Thp thp, int sectionBits) {
        List<PfnRange> ram = new ArrayList<>();
        List<PfnRange> reserved = new ArrayList<>();
        List<PfnRange> late = new ArrayList<>();
        long maxLowPfn = 0;
        long prevEnd = -1;
        for (ZoneCounts z : zones) {
            if (z.present == 0) {
                continue;
            }
            if (z.spanned < z.present || z.present < z.managed || z.managed < 0) {
                throw new IllegalArgumentException(String.format(
                        "zone %s: expected spanned >= present >= managed >= 0, got %d, %d, %d",
                        z.name, z.spanned, z.present, z.managed));
            }
            long start = z.startPfn;
            long end = start + z.spanned;
            if (start < prevEnd) {
                throw new IllegalArgumentException("zone " + z.name + " starts at pfn " + start
                        + ", inside the zone before it (ends at " + prevEnd + ")");
            }
            prevEnd = end;
            long holes = z.spanned - z.present;
            if (holes > 0 && z.spanned - holes < 2) {
                throw new IllegalArgumentException("zone " + z.name + " has fewer than 2 present pages");
            }
            if (holes == 0) {
                ram.add(new PfnRange(start, end, z.name));
            } else {
                ram.add(new PfnRange(start, end - 1 - holes, z.name));
                ram.add(new PfnRange(end - 1, end, z.name + " last page"));
            }
            long lateHere = Math.min(lateFreed.getOrDefault(z.name, 0L), z.managed);
            long keep = z.present - z.managed;
            long at = start;
            if (keep > 0) {
                reserved.addAll(clip(at, keep, end, holes, z.name + " reserved"));
                at += keep;
            }
            if (lateHere > 0) {
                late.addAll(clip(at, lateHere, end, holes, z.name + " freed late"));
            }
            if (z.name.equals("Normal") && arch != Arch.X86_64) {
                maxLowPfn = end;
            }
        }
        ram.sort((a, b) -> Long.compare(a.start(), b.start()));
        return new MachineLayout(name, arch, cpus, mergeAdjacent(ram), reserved, 0, maxLowPfn, sectionBits,
                late, thp);
    }

    /** The zone a kernel of this arch is normally loaded into (without KASLR): DMA32 or Normal. */
    public static String kernelZone(Arch arch) {
        return arch == Arch.X86_64 ? "DMA32" : "Normal";
    }

    /** {@code n} pages from {@code at}, skipping the hole just before the zone's last pfn. */
    private static List<PfnRange> clip(long at, long n, long end, long holes, String what) {
        long holeStart = end - 1 - holes;
        List<PfnRange> out = new ArrayList<>();
        if (at + n <= holeStart || holes == 0) {
            out.add(new PfnRange(at, at + n, what));
            return out;
        }
        long first = Math.max(0, holeStart - at);
        if (first > 0) {
            out.add(new PfnRange(at, at + first, what));
        }
        long rest = n - first;
        out.add(new PfnRange(end - 1, end - 1 + rest, what)); // rest ≤ 1 by construction
        return out;
    }

    private static List<PfnRange> mergeAdjacent(List<PfnRange> ram) {
        List<PfnRange> out = new ArrayList<>();
        for (PfnRange r : ram) {
            if (r.pages() == 0) {
                continue;
            }
            if (!out.isEmpty() && out.get(out.size() - 1).end() == r.start()) {
                PfnRange last = out.remove(out.size() - 1);
                out.add(new PfnRange(last.start(), r.end(), last.label()));
            } else {
                out.add(r);
            }
        }
        return out;
    }
}
