package dev.pagealloc.mmzone;

/**
 * Migrate types of the 2.6.32 … 4.3 numbering ({@code include/linux/mmzone.h} [2632]):
 * MIGRATE_UNMOVABLE 0, MIGRATE_RECLAIMABLE 1, MIGRATE_MOVABLE 2, MIGRATE_RESERVE 3
 * (= MIGRATE_PCPTYPES), MIGRATE_ISOLATE 4. The ordinal is the kernel's value; {@link #kernelName}
 * is {@code migratetype_names[]} as /proc/pagetypeinfo prints it.
 */
public enum MigrateType {
    MIGRATE_UNMOVABLE("Unmovable"),
    MIGRATE_RECLAIMABLE("Reclaimable"),
    MIGRATE_MOVABLE("Movable"),
    MIGRATE_RESERVE("Reserve"),
    MIGRATE_ISOLATE("Isolate");

    /** MIGRATE_TYPES: the number of free lists per order. */
    public static final int MIGRATE_TYPES = 5;
    /** MIGRATE_PCPTYPES: the number of per-CPU lists (the types below RESERVE). */
    public static final int MIGRATE_PCPTYPES = 3;

    private static final MigrateType[] BY_VALUE = values();

    public final String kernelName;

    MigrateType(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The type with kernel value {@code v}. */
    public static MigrateType of(int v) {
        return BY_VALUE[v];
    }
}
