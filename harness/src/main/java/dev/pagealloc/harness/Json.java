package dev.pagealloc.harness;

import java.lang.reflect.Array;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * Every JSON the command line prints goes through here, so that the same input gives the same
 * bytes: an object's keys come out in the order the command put them (a {@link LinkedHashMap}, a
 * sorted map, a record, or a Jackson node), never in a hash map's order, which can change from
 * one JVM to the next ({@code Map.of} is salted per run). {@link #write} refuses any other map.
 */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private Json() {}

    /**
     * The indented JSON of {@code tree} (no final line break).
     *
     * @throws IllegalStateException when some object in it has no fixed key order
     */
    static String write(Object tree) {
        requireFixedOrder(tree, "$");
        return MAPPER.writeValueAsString(tree);
    }

    /** An empty array node to fill (its objects keep insertion order). */
    static ArrayNode newArray() {
        return MAPPER.createArrayNode();
    }

    /** Walks {@code o} and fails on the first map whose iteration order is not fixed. */
    static void requireFixedOrder(Object o, String path) {
        if (o == null || o instanceof CharSequence || o instanceof Number || o instanceof Boolean
                || o instanceof Enum<?> || o instanceof JsonNode || o instanceof Record) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            if (!(m instanceof LinkedHashMap<?, ?>) && !(m instanceof SortedMap<?, ?>)) {
                throw new IllegalStateException("JSON object at " + path + " is a " + m.getClass().getName()
                        + ", whose key order is not fixed (expected a LinkedHashMap or a sorted map)");
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                requireFixedOrder(e.getValue(), path + "." + e.getKey());
            }
            return;
        }
        if (o instanceof Iterable<?> it) {
            int i = 0;
            for (Object x : it) {
                requireFixedOrder(x, path + "[" + i++ + "]");
            }
            return;
        }
        if (o.getClass().isArray()) {
            if (!o.getClass().getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(o); i++) {
                    requireFixedOrder(Array.get(o, i), path + "[" + i + "]");
                }
            }
            return;
        }
        throw new IllegalStateException("JSON value at " + path + " is a " + o.getClass().getName()
                + " (expected maps, lists, arrays, records, strings, numbers, booleans or nodes)");
    }
}
