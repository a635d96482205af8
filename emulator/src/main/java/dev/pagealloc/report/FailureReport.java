package dev.pagealloc.report;

import java.util.List;
import java.util.Map;

/**
 * One "page allocation failure" report as a kernel printed it (warn_alloc + show_mem), parsed:
 * the header, the kernel release, and whatever parts of the Mem-Info block were present. Fields
 * the report did not contain are {@code null} (or empty collections) and named in
 * {@link #missing()}. All sizes are as the kernel printed them, converted to pages where the
 * field name says so.
 *
 * @param firstLine 1-based line number of the header in the input
 * @param lastLine 1-based line number of the last line that belonged to this report
 * @param comm {@code current->comm} from the header
 * @param order the request's order
 * @param gfpMask the mode as a number
 * @param gfpNames the {@code %pGg} names printed after the mode (4.9+), or null
 * @param headerStyle "2.6" ({@code failure. order:}), "3.x" ({@code failure: order:}) or "4.9+"
 *     (names in parentheses)
 * @param kernelRelease the release from the Pid:/CPU: line (e.g. "2.6.32-41-server"), or null
 * @param nodemask the {@code nodemask=} value, or null
 * @param cpuset the {@code cpuset=} value, or null
 * @param memsAllowed the {@code mems_allowed=} value, or null
 * @param global the global counters of the Mem-Info block (pages), e.g. "free" -> 7660
 * @param nodes the 4.9+ per-node lines: node -> field -> value (kB fields in kB)
 * @param perCpu the ≤ 3.x per-CPU {@code hi/btch/usd} lines
 * @param zones the per-zone lines joined with their lowmem_reserve and buddy lines, in print order
 * @param totals the closing counters: "pages RAM", "pages HighMem", "pages reserved",
 *     "pages shared", "pages non-shared", "total pagecache pages", "pages in swap cache",
 *     "Free swap kB", "Total swap kB", "pages HighMem/MovableOnly", "pages cma reserved", ...
 * @param missing sections the report lacks (e.g. "buddy lines for Node 0 Normal")
 * @param warnings oddities met while parsing (wrapped lines re-joined, interleaved lines skipped)
 */
public record FailureReport(
        int firstLine,
        int lastLine,
        String comm,
        int order,
        long gfpMask,
        String gfpNames,
        String headerStyle,
        String kernelRelease,
        String nodemask,
        String cpuset,
        String memsAllowed,
        Map<String, Long> global,
        Map<Integer, Map<String, Long>> nodes,
        List<PerCpuLine> perCpu,
        List<ZoneReport> zones,
        Map<String, Long> totals,
        List<String> missing,
        List<String> warnings) {

    /** One {@code CPU %4d: hi:%5d, btch:%4d usd:%4d} line under {@code Node N Zone per-cpu:}. */
    public record PerCpuLine(int node, String zone, int cpu, int high, int batch, int count) {}

    /**
     * One zone: its {@code Node N Zone free:…} line, {@code lowmem_reserve[]:} line and buddy
     * line.
     *
     * @param node the node id (0 when the kernel printed no "Node N" prefix)
     * @param name the zone name as printed ("DMA", "DMA32", "Normal", "HighMem", "Movable")
     * @param kb the zone line's fields in kB, keyed by the kernel's label without the colon
     *     ("free", "min", "low", "high", "boost", "reserved_highatomic", "present", "managed",
     *     "free_pcp", "local_pcp", "isolated(anon)", ...); KB/kB both accepted
     * @param pagesScanned {@code pages_scanned:} (pages), or null
     * @param allUnreclaimable {@code all_unreclaimable? yes|no}, or null
     * @param lowmemReserve the {@code lowmem_reserve[]:} values (pages), or null if missing
     * @param buddy free blocks per order from the buddy line, or null if missing
     * @param buddyTypes per order, the migratetype letters printed in parentheses ("UME"), or
     *     null when the era prints none; an entry is "" for an order with no letters
     * @param buddyTotalKb the {@code = %lukB} total of the buddy line, or null
     */
    public record ZoneReport(
            int node,
            String name,
            Map<String, Long> kb,
            Long pagesScanned,
            Boolean allUnreclaimable,
            long[] lowmemReserve,
            long[] buddy,
            String[] buddyTypes,
            Long buddyTotalKb) {

        /** A zone-line field in pages (kB / 4), or null when the line lacks it. */
        public Long pages(String field) {
            Long v = kb.get(field);
            return v == null ? null : v / 4;
        }
    }
}
