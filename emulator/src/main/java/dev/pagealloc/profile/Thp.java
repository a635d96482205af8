package dev.pagealloc.profile;

/**
 * {@code /sys/kernel/mm/transparent_hugepage/enabled} at boot ({@code transparent_hugepage=}),
 * mm/huge_memory.c. It matters to the allocator because khugepaged, which runs when THP is
 * "always" or "madvise", raises min_free_kbytes ({@code set_recommended_min_free_kbytes()}).
 */
public enum Thp {
    ALWAYS("always"),
    MADVISE("madvise"),
    NEVER("never");

    public final String cliName;

    Thp(String cliName) {
        this.cliName = cliName;
    }

    /** Whether khugepaged runs ({@code hugepage_flags_enabled()}). */
    public boolean khugepagedEnabled() {
        return this != NEVER;
    }

    /** Parses {@code always}, {@code madvise} or {@code never}. */
    public static Thp fromCliName(String s) {
        for (Thp t : values()) {
            if (t.cliName.equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown THP mode '" + s + "' (expected always, madvise or never)");
    }
}
