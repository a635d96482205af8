package dev.pagealloc.alloc;

import dev.pagealloc.watermark.WatermarkVerdict;

/**
 * One zone's answer in one pass of a failed allocation: which watermark was asked, what the check
 * saw, and whether the buddy lists then had a block (a zone can pass the check and still have
 * nothing of the wanted order on any list it may use).
 *
 * @param pass "fast" (WMARK_LOW), "slow" (WMARK_MIN with gfp_to_alloc_flags) …
 * @param zoneIdx the zone's kernel index
 * @param zoneName the zone's kernel name
 * @param verdict the watermark check's steps, or {@code null} when the pass ignored watermarks
 */
public record ZoneAttempt(String pass, int zoneIdx, String zoneName, WatermarkVerdict verdict) {}
