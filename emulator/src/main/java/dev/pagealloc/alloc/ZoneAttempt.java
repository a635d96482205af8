package dev.pagealloc.alloc;

import dev.pagealloc.watermark.WatermarkVerdict;

/**
 * One zone's answer in one pass of a failed allocation: which watermark was asked and what the
 * check saw, step by step. (A zone that passed the check may still have had no block on a list the
 * request may use; the verdict then reads as passed.)
 *
 * @param pass "fast" (WMARK_LOW) or "slow" (WMARK_MIN with gfp_to_alloc_flags)
 * @param zoneIdx the zone's kernel index
 * @param zoneName the zone's kernel name
 * @param verdict the watermark check's steps
 */
public record ZoneAttempt(String pass, int zoneIdx, String zoneName, WatermarkVerdict verdict) {}
