package dev.pagealloc.alloc;

import java.util.List;

/**
 * Why an allocation returned no page: the request, what the allocator derived from it, and every
 * zone's refusal in the fast and slow passes the kernel's {@code __alloc_pages()} made. The kernel's
 * {@code KernelReports.failureReport()} prints it as its "page allocation failure" report; the
 * replay counts it.
 *
 * @param gfpMask the request's gfp mask
 * @param order the request's order
 * @param highZoneIdx {@code gfp_zone(gfp_mask)}
 * @param classzoneIdx the lowmem_reserve column the kernel's checks used: the preferred zone's index
 *     (≤ 5.7, {@code classzone_idx}) or {@code gfp_zone()} itself (5.8+, {@code highest_zoneidx})
 * @param migratetype {@code allocflags_to_migratetype(gfp_mask)}
 * @param slowAllocFlags {@code gfp_to_alloc_flags(gfp_mask)} of the slow path, or -1 if not reached
 * @param stoppedBecause where the slow path gave up (e.g. "!__GFP_WAIT: atomic allocations cannot balance anything")
 * @param attempts each zone's answer in each pass, in the order tried
 */
public record AllocFailure(
        int gfpMask,
        int order,
        int highZoneIdx,
        int classzoneIdx,
        int migratetype,
        int slowAllocFlags,
        String stoppedBecause,
        List<ZoneAttempt> attempts) {}
