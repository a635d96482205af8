package dev.pagealloc.kernel;

import dev.pagealloc.mmzone.MigrateType;

/**
 * One kernel's migratetypes as data: {@code migratetype_names[]}, the kernel's numbering mapped
 * onto the emulator's free-list slots, and {@code fallbacks[][]} (include/linux/mmzone.h,
 * mm/page_alloc.c).
 *
 * <h2>Slots and kernel values</h2>
 * The emulator indexes free lists by a <em>slot</em> that is the same in every kernel: U 0, E 1,
 * M 2, 3 = MIGRATE_RESERVE (2.6.32) or MIGRATE_HIGHATOMIC (4.4+), I 4 ({@link MigrateType}). A
 * kernel numbers its types its own way: 2.6.32 as the slots, 6.1 U 0, M 1, E 2, HighAtomic 3,
 * Isolate 4. Views and tracepoints print kernel values; the buddy lists use slots.
 *
 * <h2>Invariants</h2>
 * {@code slot(kernelValue(s)) == s} for every slot; {@code names.length == order.length}; every
 * row of {@code fallbacks} is indexed by slot and holds slots, ended by the kernel's terminator
 * (see {@link #fallbacks()}).
 */
public final class Migratetypes {
    private final String[] names;
    private final int[] slotOfValue;
    private final int[] valueOfSlot;
    private final int[][] fallbacks;

    /**
     * @param names {@code migratetype_names[]} in kernel value order
     * @param slotOfValue the free-list slot of each kernel value, in kernel value order
     * @param fallbacks {@code fallbacks[][]} by slot, in slots (copied)
     */
    public Migratetypes(String[] names, int[] slotOfValue, int[][] fallbacks) {
        if (names.length != slotOfValue.length || names.length != MigrateType.MIGRATE_TYPES) {
            throw new IllegalArgumentException("expected " + MigrateType.MIGRATE_TYPES + " names and slots, got "
                    + names.length + " and " + slotOfValue.length);
        }
        this.names = names.clone();
        this.slotOfValue = slotOfValue.clone();
        this.valueOfSlot = new int[slotOfValue.length];
        for (int v = 0; v < slotOfValue.length; v++) {
            valueOfSlot[slotOfValue[v]] = v;
        }
        this.fallbacks = new int[fallbacks.length][];
        for (int i = 0; i < fallbacks.length; i++) {
            this.fallbacks[i] = fallbacks[i].clone();
        }
    }

    /** MIGRATE_TYPES: the number of free lists per order. */
    public int count() {
        return names.length;
    }

    /** The free-list slot of kernel migratetype value {@code v}. */
    public int slot(int v) {
        return slotOfValue[v];
    }

    /** The kernel's value of free-list slot {@code slot}. */
    public int kernelValue(int slot) {
        return valueOfSlot[slot];
    }

    /** {@code migratetype_names[v]} for kernel value {@code v}. */
    public String name(int v) {
        return names[v];
    }

    /**
     * {@code fallbacks[slot]}: the slots a request of type {@code slot} may steal from, in order.
     * 2.6.32's rows have four entries, the last a zero (MIGRATE_UNMOVABLE) that C put there for
     * the missing initialiser and that the walk probes too; 4.4+ rows end at -1 (MIGRATE_TYPES).
     * The array is shared: do not write it.
     */
    public int[] fallbacks(int slot) {
        return fallbacks[slot];
    }
}
