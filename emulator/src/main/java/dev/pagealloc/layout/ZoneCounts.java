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
 * Holes (spanned − present) go after the reserved pages of the first zone (the BIOS hole below
 * 1 MiB), at the end of a middle zone (the PCI hole below 4 GiB) and just before the last pfn of
 * the last zone, so the spans come out the same. The reserved pages (present − managed; late-freed
 * pages count as managed) sit at the zone's start, where x86 keeps the first MiB and the kernel. The late-freed pages (initrd, init sections) follow the reserved ones in the zones
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
        int first = -1;
        int last = -1;
        for (int i = 0; i < zones.size(); i++) {
            if (zones.get(i).present > 0) {
                last = i;
                if (first < 0) {
                    first = i;
                }
            }
        }
        for (int i = 0; i < zones.size(); i++) {
            ZoneCounts z = zones.get(i);
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
            long keep = z.present - z.managed;
            long lateHere = Math.min(lateFreed.getOrDefault(z.name, 0L), z.managed);
            // Where the hole goes: after the reserved pages in the first zone (x86's BIOS hole
            // below 1 MiB), at the end of a middle zone (the PCI hole below 4 GiB), just before
            // the last pfn of the last zone (which must stay RAM: it is max_pfn).
            long holeStart;
            if (i == first) {
                holeStart = start + keep;
            } else if (i == last) {
                holeStart = end - 1 - holes;
            } else {
                holeStart = end - holes;
            }
            if (holes > 0 && (holeStart <= start && i == first || holeStart < start)) {
                throw new IllegalArgumentException("zone " + z.name + " has too few present pages for its holes");
            }
            ram.add(new PfnRange(start, holeStart, z.name));
            ram.add(new PfnRange(holeStart + holes, end, z.name));
            // reserved from the zone's start, then the late-freed pages, skipping the hole
            long at = start;
            at = place(reserved, at, keep, holeStart, holes, z.name + " reserved");
            place(late, at, lateHere, holeStart, holes, z.name + " freed late");
            if (z.name.equals("Normal") && arch != Arch.X86_64) {
                maxLowPfn = end;
            }
        }
        ram.sort((a, b) -> Long.compare(a.start(), b.start()));
        return new MachineLayout(name, arch, cpus, mergeAdjacent(ram), reserved, 0, maxLowPfn, sectionBits,
                late, thp);
    }

    /** Adds {@code n} pages from {@code at} to {@code out}, jumping over the hole; returns the next pfn. */
    private static long place(List<PfnRange> out, long at, long n, long holeStart, long holes, String what) {
        if (n <= 0) {
            return at;
        }
        if (holes > 0 && at < holeStart && at + n > holeStart) {
            out.add(new PfnRange(at, holeStart, what));
            n -= holeStart - at;
            at = holeStart + holes;
        } else if (holes > 0 && at >= holeStart && at < holeStart + holes) {
            at = holeStart + holes;
        }
        out.add(new PfnRange(at, at + n, what));
        return at + n;
    }

    /** The zone a kernel of this arch is normally loaded into (without KASLR): DMA32 or Normal. */
    public static String kernelZone(Arch arch) {
        return arch == Arch.X86_64 ? "DMA32" : "Normal";
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
