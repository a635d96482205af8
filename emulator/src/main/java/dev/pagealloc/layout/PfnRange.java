package dev.pagealloc.layout;

/** A half-open range of page frames {@code [start, end)}, as e820 and memblock ranges are used. */
public record PfnRange(long start, long end, String label) {
    public PfnRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
        }
    }

    public long pages() {
        return end - start;
    }

    public boolean contains(long pfn) {
        return pfn >= start && pfn < end;
    }
}
