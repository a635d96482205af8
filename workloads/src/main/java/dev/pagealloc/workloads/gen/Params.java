package dev.pagealloc.workloads.gen;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.workloads.MachineFileException;
import dev.pagealloc.workloads.event.GfpSpelling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One section's effective settings (its own keys over the {@code [global]} defaults, fio style)
 * with where each came from, so that a bad value is reported where it was written: a file value as
 * {@code file:line: section.key: expected ...} ({@link MachineFileException}), a command-line value
 * as {@code --set section.key=value: expected ...} (IllegalArgumentException).
 */
final class Params {
    /** A value and its origin: the table it was written in, or the {@code --set} text that gave it. */
    record Val(JsonNode node, String table, String override) {}

    /** Where a job came from, for messages. */
    record Origin(String where, TomlLines lines) {
        RuntimeException error(String table, String key, String override, String msg) {
            if (override != null) {
                return new IllegalArgumentException("--set " + override + ": " + msg);
            }
            String qualified = key == null ? "" : (table.equals("global") ? key : table + "." + key) + ": ";
            return new MachineFileException(where, lines.line(table, key), qualified + msg);
        }
    }

    final String section;
    final String kind;
    final int index;
    private final Map<String, Val> values;
    private final Origin origin;

    Params(String section, String kind, int index, Map<String, Val> values, Origin origin) {
        this.section = section;
        this.kind = kind;
        this.index = index;
        this.values = new LinkedHashMap<>(values);
        this.origin = origin;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** An error about {@code key} (null: about the section) at the place its value came from. */
    RuntimeException error(String key, String msg) {
        Val v = key == null ? null : values.get(key);
        if (v == null) {
            return origin.error(section, null, null, msg);
        }
        return origin.error(v.table(), key, v.override(), msg);
    }

    long integer(String key, long def, long min, long max) {
        Val v = values.get(key);
        if (v == null) {
            return def;
        }
        JsonNode n = v.node();
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw error(key, "expected " + range(min, max) + ", got " + show(n));
        }
        return n.asLong();
    }

    static String range(long min, long max) {
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return "an integer";
        }
        if (max == Long.MAX_VALUE) {
            return min == 0 ? "a non-negative integer" : "an integer >= " + min;
        }
        return "an integer " + min + " … " + max;
    }

    double number(String key, double def, double min, double max) {
        Val v = values.get(key);
        if (v == null) {
            return def;
        }
        JsonNode n = v.node();
        if (!n.isNumber() || Double.isNaN(n.asDouble()) || n.asDouble() < min || n.asDouble() > max) {
            throw error(key, "expected a number " + fmt(min) + " … " + fmt(max) + ", got " + show(n));
        }
        return n.asDouble();
    }

    /** A number above 0 and at most {@code max}. */
    double positive(String key, double def, double max) {
        Val v = values.get(key);
        if (v == null) {
            return def;
        }
        JsonNode n = v.node();
        if (!n.isNumber() || Double.isNaN(n.asDouble()) || n.asDouble() <= 0 || n.asDouble() > max) {
            throw error(key, "expected a number above 0 and at most " + fmt(max) + ", got " + show(n));
        }
        return n.asDouble();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%g", d);
    }

    boolean bool(String key, boolean def) {
        Val v = values.get(key);
        if (v == null) {
            return def;
        }
        JsonNode n = v.node();
        if (!n.isBoolean()) {
            throw error(key, "expected true or false, got " + show(n));
        }
        return n.asBoolean();
    }

    String string(String key, String def) {
        Val v = values.get(key);
        if (v == null) {
            return def;
        }
        JsonNode n = v.node();
        if (!n.isString()) {
            throw error(key, "expected a string, got " + show(n));
        }
        return n.asString();
    }

    String choice(String key, String def, List<String> allowed) {
        String s = string(key, def);
        if (!allowed.contains(s)) {
            throw error(key, "expected one of " + String.join(", ", allowed) + ", got \"" + s + "\"");
        }
        return s;
    }

    List<Integer> intList(String key, List<Integer> def, int min, int max) {
        Val v = values.get(key);
        if (v == null) {
            return def;
        }
        JsonNode n = v.node();
        String expected = "expected a non-empty array of integers " + min + " … " + max + ", e.g. [0, 1]";
        if (n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= min && n.asInt() <= max) {
            return List.of(n.asInt()); // a single value, as --set slab.orders=2 gives
        }
        if (!n.isArray() || n.isEmpty()) {
            throw error(key, expected + ", got " + show(n));
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isIntegralNumber() || !x.canConvertToInt() || x.asInt() < min || x.asInt() > max) {
                throw error(key, expected + ", got " + show(n));
            }
            out.add(x.asInt());
        }
        return List.copyOf(out);
    }

    /**
     * A gfp mask spelling ({@code GFP_ATOMIC|__GFP_COMP}, {@code 0x4020}, {@code "6.1:GFP_KERNEL"}),
     * checked now against the layouts the emulator knows and again when the job is opened on a
     * kernel ({@link #checkGfp}).
     */
    String gfp(String key, String def) {
        String s = string(key, def);
        if (s == null) {
            return null;
        }
        String text = s.strip();
        IllegalArgumentException first = null;
        for (GfpBits g : GfpBits.all()) {
            try {
                GfpSpelling.toProfile(text, g);
                return text;
            } catch (IllegalArgumentException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw error(key, first == null ? "bad gfp mask \"" + text + "\"" : first.getMessage());
    }

    /** Checks that {@code text} (the value of {@code key}, or a default) reads in {@code bits}. */
    void checkGfp(String key, String text, GfpBits bits) {
        try {
            GfpSpelling.toProfile(text, bits);
        } catch (IllegalArgumentException e) {
            throw error(has(key) ? key : null, "gfp mask \"" + text + "\" on kernel " + bits.name + ": "
                    + e.getMessage());
        }
    }

    static String show(JsonNode n) {
        if (n.isString()) {
            return "\"" + n.asString() + "\"";
        }
        return n.toString();
    }
}
