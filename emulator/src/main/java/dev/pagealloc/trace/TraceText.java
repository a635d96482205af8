package dev.pagealloc.trace;

/**
 * Number formatting the tracepoint writers share, without {@code String.format} (no allocation).
 */
public final class TraceText {
    private TraceText() {}

    /** x86_64 {@code VMEMMAP_START} without KASLR: where {@code struct page} of pfn 0 lives. */
    public static final long VMEMMAP_START = 0xffffea0000000000L;

    /** {@code %p} of pfn's {@code struct page} on x86_64 (64-byte pages), 16 hex digits, unhashed. */
    public static void vmemmapPage(StringBuilder sb, long pfn, int structPageBytes) {
        hex(sb, VMEMMAP_START + pfn * structPageBytes, 16);
    }

    /** {@code v} in lower-case hex, zero-padded to {@code width}. */
    public static void hex(StringBuilder sb, long v, int width) {
        String h = Long.toHexString(v);
        pad(sb, '0', width - h.length());
        sb.append(h);
    }

    /** {@code n} copies of {@code c} (none when {@code n ≤ 0}). */
    public static void pad(StringBuilder sb, char c, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(c);
        }
    }

    /** Characters of {@code v} in decimal. */
    public static int digits(long v) {
        int n = v < 0 ? 2 : 1;
        for (long x = v < 0 ? -(v / 10) : v / 10; x != 0; x /= 10) {
            n++;
        }
        return n;
    }

    /** {@code "%16s-%-Nd [%03d] "}: the comm right-aligned in 16, the pid left-aligned in {@code pidWidth}. */
    public static void taskPidCpu(StringBuilder sb, String comm, int pid, int pidWidth, int cpu) {
        pad(sb, ' ', 16 - comm.length());
        sb.append(comm).append('-').append(pid);
        pad(sb, ' ', pidWidth - digits(pid));
        sb.append(" [");
        if (cpu >= 0 && cpu < 100) {
            sb.append(cpu < 10 ? "00" : "0");
        }
        sb.append(cpu).append("] ");
    }

    /** {@code "%5lu.%06lu: "}: seconds right-aligned in 5, microseconds zero-padded to 6. */
    public static void time(StringBuilder sb, long timeNs) {
        long secs = Math.floorDiv(timeNs, 1_000_000_000L);
        long usecs = Math.floorMod(timeNs, 1_000_000_000L) / 1000;
        pad(sb, ' ', 5 - digits(secs));
        sb.append(secs).append('.');
        pad(sb, '0', 6 - digits(usecs));
        sb.append(usecs).append(": ");
    }
}
