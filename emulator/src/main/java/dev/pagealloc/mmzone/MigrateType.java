package dev.pagealloc.mmzone;

/**
 * Migrate types of the 2.6.32 … 4.3 numbering ({@code include/linux/mmzone.h} [2632]):
 * MIGRATE_UNMOVABLE 0, MIGRATE_RECLAIMABLE 1, MIGRATE_MOVABLE 2, MIGRATE_RESERVE 3
 * (= MIGRATE_PCPTYPES), MIGRATE_ISOLATE 4. The ordinal is the kernel's value; {@link #kernelName}
 * is {@code migratetype_names[]} as /proc/pagetypeinfo prints it.
 *
 * <p>The emulator keeps this numbering internally for every kernel: it is the index of a free
 * list. The 4.4+ kernels number their types differently (6.1: UNMOVABLE 0, MOVABLE 1, RECLAIMABLE
 * 2, HIGHATOMIC 3, ISOLATE 4 without CONFIG_CMA, as Debian's 6.1 builds are); there slot 3 holds
 * MIGRATE_HIGHATOMIC, which has MIGRATE_RESERVE's place (≥ MIGRATE_PCPTYPES, a reserve no fallback
 * reaches). A kernel's {@link dev.pagealloc.kernel.Migratetypes} gives its own order
 * for views and per-CPU list indices.
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

    /** 4.4+: MIGRATE_HIGHATOMIC lives in MIGRATE_RESERVE's slot (see the class comment). */
    public static final MigrateType MIGRATE_HIGHATOMIC = MIGRATE_RESERVE;

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
