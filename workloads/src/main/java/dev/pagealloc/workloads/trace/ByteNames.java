package dev.pagealloc.workloads.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Distinct short byte strings (gfp spellings, unknown event names) numbered in order of first
 * appearance, looked up from a line buffer without making a String: the last hit first (traces
 * come in runs of one spelling), then a small direct-mapped cache keyed by a hash of the bytes;
 * only a miss decodes a String and consults the map. Memory grows with the number of distinct
 * names, not with the input.
 */
final class ByteNames {
    private static final int CACHE = 64;

    private final byte[][] cacheKey = new byte[CACHE][];
    private final int[] cacheId = new int[CACHE];
    private final Map<String, Integer> ids = new HashMap<>();
    private final java.util.ArrayList<String> names = new java.util.ArrayList<>();
    private byte[] lastKey;
    private int lastId = -1;

    /** The number of {@code b[from, to)}, or -1 when it has not been {@link #add added}. */
    int find(byte[] b, int from, int to) {
        int len = to - from;
        byte[] k = lastKey;
        if (k != null && k.length == len && Arrays.equals(b, from, to, k, 0, len)) {
            return lastId;
        }
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        int slot = (h ^ (h >>> 16)) & (CACHE - 1);
        k = cacheKey[slot];
        if (k != null && k.length == len && Arrays.equals(b, from, to, k, 0, len)) {
            lastKey = k;
            lastId = cacheId[slot];
            return lastId;
        }
        Integer id = ids.get(text(b, from, to));
        if (id == null) {
            return -1;
        }
        remember(b, from, to, slot, id);
        return id;
    }

    /** Numbers {@code b[from, to)} (which {@link #find} did not know) and returns its number. */
    int add(byte[] b, int from, int to) {
        int id = names.size();
        String s = text(b, from, to);
        names.add(s);
        ids.put(s, id);
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        remember(b, from, to, (h ^ (h >>> 16)) & (CACHE - 1), id);
        return id;
    }

    String name(int id) {
        return names.get(id);
    }

    int size() {
        return names.size();
    }

    /** Calls {@code action} with each name and its value in {@code values}, indexed by number. */
    void forEach(long[] values, BiConsumer<String, Long> action) {
        for (int i = 0; i < names.size(); i++) {
            action.accept(names.get(i), values[i]);
        }
    }

    static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private void remember(byte[] b, int from, int to, int slot, int id) {
        byte[] k = Arrays.copyOfRange(b, from, to);
        cacheKey[slot] = k;
        cacheId[slot] = id;
        lastKey = k;
        lastId = id;
    }
}
