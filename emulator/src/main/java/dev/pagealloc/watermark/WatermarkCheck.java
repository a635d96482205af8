package dev.pagealloc.watermark;

/** A kernel's {@code zone_watermark_ok()}: the one decision every zone in a zonelist walk faces. */
public interface WatermarkCheck {
    /**
     * Whether {@code zone} may serve an order-{@code order} request against {@code mark}.
     *
     * @param classzoneIdx the preferred zone's index, which picks the lowmem_reserve column
     * @param verdict filled with the steps when non-null; {@code null} on the hot path
     */
    boolean zoneWatermarkOk(
            ZoneView zone, int order, long mark, int classzoneIdx, int allocFlags, WatermarkVerdict verdict);
}
